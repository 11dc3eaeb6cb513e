"""Tests of anakinra_rescue.book.downloads: what a build offers for download, and what it withholds from other data."""

import json

import pandas as pd

from anakinra_rescue.book import context, downloads, matching_views
from anakinra_rescue.data import csv_writer, simulate
from anakinra_rescue.data.files import DATA_DIR_ENV, PATIENT_LEVEL_ENV
from anakinra_rescue.examination import changes


def test_the_synthetic_book_offers_tables_audit_and_the_cohort(analysis, monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    offered = downloads.files(analysis)
    assert {"table1.csv", "table2.csv", "table3.csv", "figure1.csv", "comparison.csv", "audit.csv"} <= set(offered)
    assert {"patients.csv", "daily_status.csv", "infections.csv"} <= set(offered)
    assert context.patient_level_shown()


def test_a_book_from_other_data_offers_no_patient_level_file_unless_asked(analysis, monkeypatch, tmp_path):
    patients, daily = simulate.random_cohort(40, seed=3)
    csv_writer.write_cohort(patients, daily, tmp_path)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(PATIENT_LEVEL_ENV, raising=False)
    assert not context.patient_level_shown()
    assert not set(downloads.COHORT_FILES) & set(downloads.files(analysis))
    assert "patients.csv" not in downloads.links(analysis, ["patients.csv", "table1.csv"]).data
    assert "not shown" in matching_views.case_log(analysis, matching_views.first_case_id(analysis)).data
    assert "not shown" in matching_views.candidates_per_case(analysis).data
    monkeypatch.setenv(PATIENT_LEVEL_ENV, "1")
    assert context.patient_level_shown() and "patients.csv" in downloads.files(analysis)
    assert isinstance(matching_views.case_log(analysis, matching_views.first_case_id(analysis)), pd.DataFrame)


def test_written_files_are_the_offered_ones_and_read_back(analysis, tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    written = downloads.write(tmp_path, analysis)
    assert sorted(path.name for path in written) == sorted([*downloads.files(analysis), "build.json"])
    # with its build record, the folder is a `diff` input: against itself, nothing changed
    same = changes.compare_outputs(*(changes.read_outputs(tmp_path / downloads.FOLDER) for _ in range(2)))
    assert same.empty
    table1 = pd.read_csv(tmp_path / downloads.FOLDER / "comparison.csv")
    assert len(table1) == len(analysis.compared)
    assert (tmp_path / downloads.FOLDER / "patients.csv").read_bytes() == (context.DEFAULT_DATA_DIR / "patients.csv").read_bytes()
    links = downloads.links(analysis, ["table1.csv", "no_such.csv"]).data
    assert 'href="../downloads/table1.csv"' in links and "no_such" not in links


def test_download_button_offers_the_executed_notebook_and_never_a_stale_one(tmp_path):
    html_dir, executed = tmp_path / "html", tmp_path / "jupyter_execute"
    (html_dir / "_sources" / "book").mkdir(parents=True)
    (executed / "book").mkdir(parents=True)
    (html_dir / "_sources" / "book" / "a.ipynb").write_text(json.dumps({"outputs": "synthetic"}))
    (html_dir / "_sources" / "book" / "b.ipynb").write_text(json.dumps({"outputs": "synthetic"}))
    (executed / "book" / "a.ipynb").write_text(json.dumps({"outputs": "this build"}))
    replaced = downloads.replace_source_notebooks(html_dir)
    assert [path.name for path in replaced] == ["a.ipynb"]
    assert json.loads((html_dir / "_sources" / "book" / "a.ipynb").read_text()) == {"outputs": "this build"}
    assert not (html_dir / "_sources" / "book" / "b.ipynb").exists()
