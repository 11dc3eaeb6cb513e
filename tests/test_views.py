"""Tests of anakinra_rescue.book.views and of building the book from other data (make book DATA=...)."""

import math
import os
import re
import subprocess

import pytest

from anakinra_rescue.book import views
from anakinra_rescue.data import io, simulate
from anakinra_rescue.data.files import PROJECT_ROOT


@pytest.fixture(scope="module")
def analysis():
    return views.book_analysis(str(views.DEFAULT_DATA_DIR))


def test_every_results_number_is_computed_on_the_default_data(analysis):
    numbers = views.results_numbers(analysis)
    assert set(numbers) == set(views.RESULTS_NUMBERS)
    assert all(math.isfinite(value) for value in numbers.values())
    assert numbers["res_n_cases"] == 20 and numbers["res_improved7_n_cases"] == 5


def test_marks_cover_every_printed_number(analysis):
    counts = views.mark_counts(analysis)
    assert counts["printed numbers"].sum() == len(analysis.compared)
    shown = views.side_by_side(analysis, "table3")
    assert set(shown["mark"]) <= set(views.MARKS.values())
    assert (shown.loc[shown["statistic"] == "p_value", "test"] != "").all()


def test_regenerated_table_carries_marks_in_every_cell(analysis):
    shown = views.regenerated_table(analysis, "table1").set_index("variable")
    assert shown.loc["age_years", "anakinra"].endswith("✓✓")
    assert shown.loc["received_azithromycin", "p_value"].endswith("⊘")


def test_matching_flow_adds_up(analysis):
    flow = views.matching_flow(analysis).set_index("stage")["count"]
    by_rule = flow[[stage for stage in flow.index if stage.startswith("checks ended by rule")]].sum()
    assert by_rule + flow["controls selected"] == flow["candidate checks logged"]


def test_book_builds_from_other_data_and_its_numbers_differ(tmp_path):
    default_page = PROJECT_ROOT / "_build" / "html" / "book" / "02_results.html"
    assert default_page.is_file(), "build the default book first (make test does)"
    patients, daily = simulate.random_cohort(300, seed=21)
    data = tmp_path / "hospital"
    io.write_cohort(patients, daily, data)
    environment = {**os.environ, "ANAKINRA_DATA_DIR": str(data)}
    result = subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "jupyter-book"), "build", str(PROJECT_ROOT), "-W", "-n", "--keep-going",
         "--path-output", str(tmp_path / "out")],
        env=environment, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    other_page = (tmp_path / "out" / "_build" / "html" / "book" / "02_results.html").read_text(encoding="utf-8")
    assert f"Built from the data in <code>{data}</code>" in other_page

    def glued(page):
        return re.findall(r'<span class="pasted-text">([^<]*)</span>', page)

    default_numbers, other_numbers = glued(default_page.read_text(encoding="utf-8")), glued(other_page)
    assert len(default_numbers) == len(other_numbers) > 50
    assert default_numbers != other_numbers


def test_make_book_rejects_invalid_data_before_building(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "patients.csv").write_text("patient_id,cohort\nP1,martian\n", encoding="utf-8")
    (bad / "daily_status.csv").write_text("", encoding="utf-8")
    marker = PROJECT_ROOT / "_build" / "html" / "index.html"
    before = marker.stat().st_mtime if marker.exists() else None
    result = subprocess.run(["make", "-s", "book", f"DATA={bad}"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert "missing_column" in result.stderr and "file_empty" in result.stderr and "nothing was built" in result.stderr
    assert (marker.stat().st_mtime if marker.exists() else None) == before
