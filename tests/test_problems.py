"""Tests of anakinra_rescue.data.problems: located problems, repeated ones grouped, hints for common export habits."""

import json

import pytest

from anakinra_rescue.data import problems
from anakinra_rescue.data.problems import CohortValidationError, Problem


def _cell(line, value, column="crp_mg_dl", rule="unparseable_number", message="not a number", file="daily_status.csv"):
    return Problem(file, line, column, value, rule, message)


def test_a_problem_reads_as_file_line_column_value_message_and_rule():
    assert _cell(7, "abc").as_text() == "daily_status.csv:7, column 'crp_mg_dl', value 'abc': not a number [unparseable_number]"
    assert Problem("patients.csv", None, None, None, "file_empty", "the file is empty").as_text() == (
        "patients.csv: the file is empty [file_empty]"
    )


@pytest.mark.parametrize("value", ["NA", "n/a", "NULL", "nan", "-", "Missing"])
def test_a_missing_value_word_gets_the_empty_cell_hint(value):
    assert problems.hint_for(_cell(2, value)) == f"{value!r} looks like a missing value: leave the cell empty instead"


@pytest.mark.parametrize(
    ("value", "words"), [("06/04/2020", "ISO 8601, YYYY-MM-DD"), ("6.4.20", "ISO 8601"), ("2020-04-06 13:45", "not times of day")]
)
def test_a_date_in_another_format_gets_the_iso_hint(value, words):
    assert words in problems.hint_for(_cell(2, value, column="date", rule="unparseable_date", message="not an ISO date"))


def test_no_hint_where_the_message_says_it_all():
    assert problems.hint_for(_cell(2, "abc")) is None
    assert problems.hint_for(Problem("patients.csv", 1, "NA", "NA", "unknown_column", "not in the dictionary")) is None


def test_repeated_problems_are_reported_once_with_their_count_lines_and_hint():
    repeated = [_cell(line, "NA") for line in range(2, 2 + 887)]
    single = [_cell(5, "abc", column="ldh_u_l")]
    error = CohortValidationError(repeated + single, "export")
    report = error.report().splitlines()
    assert report[0] == "888 problems found in export, 2 distinct:"
    assert report[1] == (
        "  daily_status.csv, column 'crp_mg_dl': 887 lines (2, 3, 4, 5, 6, 7, 8, 9, ...), values 'NA': "
        "not a number [unparseable_number]"
    )
    assert report[2] == "    hint: 'NA' looks like a missing value: leave the cell empty instead"
    assert report[3] == "  daily_status.csv:5, column 'ldh_u_l', value 'abc': not a number [unparseable_number]"
    assert len(report) == 4
    listed = json.loads(error.report_json())
    assert listed["problem_count"] == 888 and len(listed["problems"]) == 888  # machines still get every cell
    assert listed["problems"][0]["hint"].startswith("'NA' looks like a missing value")


def test_a_problem_on_fewer_lines_than_the_threshold_is_listed_line_by_line():
    few = [_cell(line, "x") for line in range(2, 2 + problems.GROUP_FROM - 1)]
    report = CohortValidationError(few).report().splitlines()
    assert len(report) == problems.GROUP_FROM and all("daily_status.csv:" in line for line in report[1:])
