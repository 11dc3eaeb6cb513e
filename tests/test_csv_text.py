"""Tests of anakinra_rescue.data.csv_text: the shape of a CSV file, located by line before any cell is typed."""

from anakinra_rescue.data import csv_text

EXPECTED = ["patient_id", "date", "ordinal_status"]


def _rules(problems):
    return [(problem.line, problem.column, problem.rule) for problem in problems]


def test_a_good_header_is_returned_with_no_problem():
    header, problems = csv_text.check_header("patient_id,date,ordinal_status\nP1,2020-04-01,4\n", "f.csv", EXPECTED)
    assert header == EXPECTED and problems == []


def test_header_problems_are_located_on_line_1():
    assert _rules(csv_text.check_header("\n\nP1,2020-04-01\n", "f.csv", EXPECTED)[1]) == [(1, None, "malformed_csv")]
    header, problems = csv_text.check_header("patient_id;date;ordinal_status\n", "f.csv", EXPECTED)
    assert header is None and _rules(problems) == [(1, None, "wrong_delimiter")]
    header, problems = csv_text.check_header("patient_id,date,date,extra\n", "f.csv", EXPECTED)
    assert header is None and set(_rules(problems)) == {
        (1, "date", "duplicate_header"),
        (1, "extra", "unknown_column"),
        (1, "ordinal_status", "missing_column"),
    }


def test_short_long_and_blank_lines_are_found_by_line():
    text = "a,b,c\n1,2,3\n1,2\n\n1,2,3,4\n"
    blank = csv_text.blank_line_indexes(text)
    assert blank == [2]  # line 4, as a frame index (line - 2)
    assert _rules(csv_text.short_rows(text, 3, "f.csv", blank)) == [(3, None, "too_few_fields")]
    assert csv_text.first_long_line(text, 3) == (5, 4)
    assert csv_text.line_from_parser_error("Error tokenizing data. C error: Expected 3 fields in line 5, saw 4") == 5


def test_unreadable_files_are_problems_not_exceptions(tmp_path):
    assert _rules(csv_text.read_text(tmp_path / "missing.csv")[1]) == [(None, None, "file_missing")]
    (tmp_path / "latin1.csv").write_bytes("a\ncaucásian\n".encode("latin-1"))
    assert _rules(csv_text.read_text(tmp_path / "latin1.csv")[1]) == [(2, None, "not_utf8")]
    (tmp_path / "blank.csv").write_text("  \n", encoding="utf-8")
    assert _rules(csv_text.read_text(tmp_path / "blank.csv")[1]) == [(None, None, "file_empty")]
