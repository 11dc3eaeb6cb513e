"""Tests of anakinra_rescue.book.views and of building the book from other data (make book DATA=...)."""

import json
import os
import re
import subprocess

import nbformat
import pytest
import yaml

from anakinra_rescue.book import matching_views, views
from anakinra_rescue.data import csv_writer, simulate
from anakinra_rescue.data.files import PROJECT_ROOT


def test_marks_cover_every_printed_number(analysis):
    counts = views.mark_counts(analysis)
    assert counts["printed numbers"].sum() == len(analysis.compared)
    shown = views.side_by_side(analysis, "table3")
    assert set(shown["mark"]) <= set(views.MARKS.values())
    assert (shown.loc[shown["statistic"] == "p_value", "test"] != "").all()


def test_regenerated_table_carries_marks_in_every_cell(analysis):
    shown = views.regenerated_table(analysis, "table1").set_index("variable")
    assert shown.loc["age_years", "anakinra"].endswith("✓✓")
    assert shown.loc["received_azithromycin", "p_value"].endswith("†")  # reproduced with the article's other test


def test_matching_flow_adds_up(analysis):
    flow = matching_views.matching_flow(analysis).set_index("stage")["count"]
    by_rule = flow[[stage for stage in flow.index if stage.startswith("checks ended by rule")]].sum()
    assert by_rule + flow["controls selected"] == flow["candidate checks logged"]


def test_organism_sentence_counts_from_infections_or_says_why_not(analysis):
    import dataclasses

    text = views.organism_text(analysis)
    assert "**2** with respiratory *Klebsiella pneumoniae*" in text and "**1** with catheter bloodstream" in text
    without = dataclasses.replace(analysis, cohort=dataclasses.replace(analysis.cohort, infections=None))
    assert "no `infections.csv`" in views.organism_text(without)


def test_sensitivity_chart_marks_the_books_own_cohort():
    chart = views.sensitivity_chart().to_dict()
    values = chart["datasets"][next(iter(chart["datasets"]))]
    assert {"this book's cohort", "other seeded cohorts"} == {row["cohort"] for row in values}
    assert sum(row["cohort"] == "this book's cohort" for row in values) == len({row["outcome"] for row in values})


DATA_INDEPENDENT_PAGES = {
    "book/08_strobe",
    "book/80_data_dictionary",
    "book/90_published_record",
    "book/95_provenance",
    "book/96_what_changed",
    "book/api",
}


@pytest.mark.after_book  # one build, one core: make test runs it in the book's process, which has the time
def test_book_builds_from_other_data_and_its_numbers_differ(tmp_path):
    """The whole book builds from another cohort; its Results page glues every value, and the values differ from the
    committed (synthetic-cohort) notebook's. Independent of the default build, so it runs beside it in make test."""
    patients, daily = simulate.random_cohort(300, seed=21)
    data = tmp_path / "hospital"
    csv_writer.write_cohort(patients, daily, data)
    environment = {
        **os.environ,
        "ANAKINRA_DATA_DIR": str(data),
        "ANAKINRA_ANALYSIS_CACHE": str(tmp_path / "analysis-cache"),
        "ANAKINRA_MIN_CELL": "5",
    }
    # The chapters whose pages the data change; the pages of the checklist, the provenance appendix, "What changed"
    # (which, without SINCE=, compares a DATA= build with nothing) and the API are the same for any data, and links
    # to pages left out are not checked here (the default build checks every link). The slow test below builds all.
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        part["chapters"] = [chapter for chapter in part["chapters"] if chapter["file"] not in DATA_INDEPENDENT_PAGES]
    toc["parts"] = [part for part in toc["parts"] if part["chapters"]]
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["suppress_warnings"] = ["myst.xref_missing"]
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "jupyter-book"),
            "build",
            str(PROJECT_ROOT),
            "-W",
            "-n",
            "--keep-going",
            "--toc",
            str(tmp_path / "_toc.yml"),
            "--config",
            str(tmp_path / "_config.yml"),
            "--path-output",
            str(tmp_path / "out"),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    built = tmp_path / "out" / "_build"
    other_page = (built / "html" / "book" / "02_results.html").read_text(encoding="utf-8")
    assert "Built from the data in the folder <code>hospital</code>" in other_page
    assert "Counts from 1 to 4 are shown as &lt;5 (MIN_CELL=5)" in other_page
    tables_page = (built / "html" / "book" / "03_tables.html").read_text(encoding="utf-8")
    assert tables_page.count("&lt;5") >= 2 and "(MIN_CELL=5)" in tables_page

    committed = nbformat.read(PROJECT_ROOT / "book" / "02_results.ipynb", as_version=4)
    committed_values = {
        output.metadata["scrapbook"]["name"]: output.data["application/papermill.record/text/plain"]
        for cell in committed.cells
        for output in cell.get("outputs", [])
        if "scrapbook" in output.get("metadata", {})
    }
    other_glue = json.loads((built / "jupyter_execute" / "book" / "02_results.glue.json").read_text(encoding="utf-8"))
    other_values = {name: output["data"]["text/plain"] for name, output in other_glue.items()}
    assert set(other_values) == set(committed_values) and len(other_values) > 50
    marked_glues = [name for name, output in other_glue.items() if "text/html" in output["data"]]
    assert len(re.findall(r'class="glued (?:flagged )?verdict-', other_page)) >= len(marked_glues) > 50
    assert 'no <code class="docutils literal notranslate"><span class="pre">infections.csv</span></code>' in other_page
    changed = [name for name in other_values if other_values[name] != committed_values[name]]
    assert len(changed) > len(other_values) / 2, f"only {changed} differ from the synthetic cohort's values"

    # Privacy by default: an aggregate report. No patient id of the folder in any page, search index, offered notebook
    # or download; no cohort file offered; the download button hands out this build's notebook, not the committed one.
    assert "An aggregate report" in other_page
    ids = set(patients["patient_id"])
    leaks = {}
    for path in (built / "html").rglob("*"):
        if path.is_file() and "_static" not in path.parts and path.suffix in {".html", ".js", ".ipynb", ".csv", ".txt", ".json"}:
            found = ids & set(re.findall(r"[A-Za-z0-9_-]+", path.read_text(encoding="utf-8", errors="replace")))
            if found:
                leaks[str(path.relative_to(built / "html"))] = sorted(found)[:3]
    assert leaks == {}, f"patient ids of the other folder in the built book: {leaks}"
    full_path = [
        str(path.relative_to(built / "html"))
        for path in (built / "html").rglob("*")
        if path.is_file() and str(tmp_path).encode() in path.read_bytes()
    ]
    assert full_path == [], f"the data folder's absolute path is printed in {full_path}"
    offered = {path.name for path in (built / "html" / "downloads").iterdir()}
    assert "comparison.csv" in offered and not offered & {"patients.csv", "daily_status.csv", "infections.csv"}
    assert "searchindex.js" in {path.name for path in (built / "html").iterdir()}
    for chapter in ("03_tables.ipynb", "04_figure1.ipynb"):
        offered_notebook = (built / "html" / "_sources" / "book" / chapter).read_bytes()
        assert offered_notebook == (built / "jupyter_execute" / "book" / chapter).read_bytes(), chapter
        assert offered_notebook != (PROJECT_ROOT / "book" / chapter).read_bytes(), f"{chapter}: the synthetic outputs"


@pytest.mark.needs_book
def test_make_book_rejects_invalid_data_before_building(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "patients.csv").write_text("patient_id,cohort\nP1,martian\n", encoding="utf-8")
    (bad / "daily_status.csv").write_text("", encoding="utf-8")
    marker = PROJECT_ROOT / "_build" / "html" / "index.html"
    before = marker.stat().st_mtime if marker.exists() else None
    result = subprocess.run(["make", "-s", "book", f"DATA={bad}"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2  # make's own code for a failed target (validate exits 1 inside it)
    assert "missing_column" in result.stderr and "file_empty" in result.stderr and "nothing was built" in result.stderr
    assert (marker.stat().st_mtime if marker.exists() else None) == before


@pytest.mark.slow
@pytest.mark.needs_book
def test_three_builds_in_a_row_show_the_right_banner_and_leak_nothing(tmp_path):
    """make book DATA= PATIENT_LEVEL=1, then a plain jupyter-book build with the aggregate setting, then a plain default
    build, all in one _build: each re-executes every page (the fingerprint changed), shows its own banner, and the
    aggregate build holds no patient id, date of the folder or its full path anywhere under _build/html."""
    patients, daily = simulate.random_cohort(60, seed=5)
    data = tmp_path / "my data"  # a space in the path
    csv_writer.write_cohort(patients, daily, data)
    out = tmp_path / "out"
    jupyter_book = str(PROJECT_ROOT / ".venv" / "bin" / "jupyter-book")
    pages = 1 + (PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8").count("- file:")  # the root and every chapter
    base = {name: value for name, value in os.environ.items() if not name.startswith("ANAKINRA_")}

    def build(**switches):
        result = subprocess.run(
            [jupyter_book, "build", str(PROJECT_ROOT), "--path-output", str(out)],
            env={**base, **switches},
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert f"{pages} added" in result.stdout or "config changed" in result.stdout, result.stdout[-2000:]
        return (out / "_build" / "html" / "book" / "01_methods.html").read_text(encoding="utf-8")

    page = build(ANAKINRA_DATA_DIR=str(data), ANAKINRA_PATIENT_LEVEL="1")
    assert "Built from the data in the folder <code>my data</code>" in page and "Patient-level rows are shown" in page
    page = build(ANAKINRA_DATA_DIR=str(data))
    assert "An aggregate report" in page
    ids, dates = set(patients["patient_id"]), set(daily["date"].astype(str))
    for path in (out / "_build" / "html").rglob("*"):
        if path.is_file() and "_static" not in path.parts and path.suffix in {".html", ".js", ".ipynb", ".csv", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            words = set(re.findall(r"[A-Za-z0-9_-]+", text))
            assert not ids & words and str(tmp_path) not in text, path
            assert not any(date in text for date in list(dates)[:50]), path
    page = build()
    assert "Synthetic data: every patient-level number" in page and "my data" not in page
