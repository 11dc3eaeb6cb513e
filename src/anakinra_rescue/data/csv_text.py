"""The structure of a CSV file read as text: its header, its blank, short and long lines.

The exact reader of :mod:`anakinra_rescue.data.io` checks these before it types any cell, so that a problem
with the file's shape is reported by line, and never as a parser's traceback.
"""

import csv
import io as text_io
import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from anakinra_rescue.data.problems import FIRST_DATA_LINE, HEADER_LINE, Problem

OTHER_DELIMITERS = (";", "\t", "|")


def first_long_line(text: str, header_fields: int) -> tuple[int | None, int]:
    """The first line (1-based) with more fields than the header, and its field count."""
    for number, row in enumerate(csv.reader(text_io.StringIO(text)), start=1):
        if len(row) > header_fields:
            return number, len(row)
    return None, header_fields


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The whole file as text (UTF-8, a byte-order mark dropped), or the problem that stops it being read."""
    file = str(path)
    if not path.exists():
        return None, [Problem(file, None, None, None, "file_missing", "file not found")]
    if not path.is_file():
        return None, [Problem(file, None, None, None, "not_a_file", "path exists but is not a regular file")]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(file, line, None, None, "not_utf8", f"the file is not UTF-8 text (byte {error.start})")]
    if not text.strip():
        return None, [Problem(file, None, None, None, "file_empty", "the file is empty")]
    return text, []


def check_header(text: str, file: str, expected: Collection[str]) -> tuple[list[str] | None, list[Problem]]:
    """The header as a CSV reader sees it, and its problems against the ``expected`` column names (a schema's
    columns, in order); no header (None) when the rest of the file cannot be read against it."""
    first_line = text.splitlines()[0]
    try:  # the header as a CSV reader sees it: a quoted name may hold a line break
        header = next(csv.reader(text_io.StringIO(text)), [])
    except csv.Error as error:
        return None, [Problem(file, HEADER_LINE, None, first_line[:80], "malformed_csv", f"the header cannot be parsed: {error}")]
    if not header or header == [""]:
        return None, [
            Problem(
                file,
                HEADER_LINE,
                None,
                None,
                "malformed_csv",
                "the first line is empty; it must be the header, the column names separated by commas",
            )
        ]
    if len(header) == 1 and any(delimiter in first_line for delimiter in OTHER_DELIMITERS):
        found = next(delimiter for delimiter in OTHER_DELIMITERS if delimiter in first_line)
        return None, [
            Problem(
                file,
                HEADER_LINE,
                None,
                first_line[:80],
                "wrong_delimiter",
                f"the header is one column separated by {found!r}; the file must be comma-separated",
            )
        ]
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(file, HEADER_LINE, name, name, "duplicate_header", "the column name appears more than once in the header")
            )
        seen.add(name)
    for name in header:
        if name not in expected and name not in {problem.column for problem in problems}:
            problems.append(
                Problem(
                    file,
                    HEADER_LINE,
                    name,
                    name,
                    "unknown_column",
                    "the column is not in the data dictionary (the schema is strict)",
                )
            )
    for name in expected:
        if name not in header:
            problems.append(
                Problem(file, HEADER_LINE, name, None, "missing_column", "a required column is missing from the header")
            )
    if any(problem.rule == "duplicate_header" for problem in problems):
        return None, problems
    return header, problems


def line_from_parser_error(message: str) -> int | None:
    """The line a pandas or csv parser error names, if it names one."""
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def blank_line_indexes(text: str) -> list[int]:
    """Frame indexes (CSV line - 2) of the empty lines after the header."""
    return [
        number - FIRST_DATA_LINE
        for number, line in enumerate(text.splitlines(), start=1)
        if number >= FIRST_DATA_LINE and not line.strip()
    ]


def short_rows(text: str, header_fields: int, file: str, blank: list[int]) -> list[Problem]:
    """Lines with fewer fields than the header (pandas would silently fill them with empty cells)."""
    lines = pd.Series(text.splitlines()[1:])
    counts = lines.str.count(",") + 1
    quoted = lines.str.contains('"', regex=False)
    for position in lines.index[quoted]:
        counts[position] = len(next(csv.reader([lines[position]])))
    short = (counts < header_fields) & ~lines.index.isin(blank)
    return [
        Problem(
            file,
            int(position) + FIRST_DATA_LINE,
            None,
            None,
            "too_few_fields",
            f"the line has {counts[position]} fields, the header has {header_fields}",
        )
        for position in lines.index[short]
    ]
