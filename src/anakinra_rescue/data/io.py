"""Loading the input CSV files into validated frames.

``load_cohort(directory)`` reads ``patients.csv``, ``daily_status.csv`` and, when present, ``infections.csv``,
parses the CSV text into the types of :mod:`anakinra_rescue.schemas.cohort`, checks the pandera
models and then the cross-table rules of :mod:`anakinra_rescue.data.cohort_rules`.
It either returns the frames or raises one :class:`CohortValidationError`
listing every problem, each with file, line, column, value and rule. Files are
only ever opened for reading.
"""

import csv
import ctypes
import functools
import io as text_io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa
from pyarrow import ArrowInvalid
from pyarrow import array as pa_array
from pyarrow import float64 as pa_float64
from pyarrow import string as pa_string
from pyarrow.compute import cast as pa_cast
from pyarrow.compute import is_in as pa_is_in

from anakinra_rescue.data import cohort_rules, compact, csv_chunks, csv_text, infection_rules, schema_checks
from anakinra_rescue.data.files import DAILY_STATUS_FILE, INFECTIONS_FILE, PATIENTS_FILE
from anakinra_rescue.data.problems import FIRST_DATA_LINE, CohortValidationError, Problem, located_problems
from anakinra_rescue.schemas.cohort import COHORTS, DailyStatus, Infection, Patient

# A number as the data dictionary writes one: optional sign, digits with an optional decimal point, optional
# exponent. Anything else (thousands separators, decimal commas, words, non-ASCII digits) is reported.
NUMBER_PATTERN = r"^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?$"
NON_FINITE_WORDS = ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]
# A time of day of exactly midnight after an ISO date, as spreadsheets and databases export a date column.
MIDNIGHT_SUFFIX = r"(?<=^\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?$"
FAST_COLUMNS = True  # _parse_columns converts a column that is clean through pyarrow at once (tests turn it off)


@dataclass(frozen=True)
class Cohort:
    """The validated input: one row per patient, and one row per patient-day."""

    patients: pd.DataFrame
    daily_status: pd.DataFrame
    directory: Path
    infections: pd.DataFrame | None = None  # None when the folder has no infections.csv

    def summary(self) -> str:
        """One line: patients, patient-days, the size of each cohort and the infections recorded."""
        sizes = self.patients["cohort"].value_counts()
        cohorts = ", ".join(f"{name} {int(sizes.get(name, 0))}" for name in COHORTS)
        infections = "no infections.csv" if self.infections is None else f"{len(self.infections)} infections"
        return (
            f"{self.directory}: valid; {len(self.patients)} patients ({cohorts}), "
            f"{len(self.daily_status)} patient-days, {infections}"
        )


def load_cohort(directory: Path | str, *, daily_columns: list[str] | None = None) -> Cohort:
    """Read, parse and validate ``patients.csv``, ``daily_status.csv`` and the optional ``infections.csv`` in ``directory``.

    Raises :class:`CohortValidationError` listing all problems at once. ``daily_columns`` keeps only
    those columns of the daily table once each piece is checked (``validate`` keeps the ones the
    cross-table rules read, :data:`cohort_rules.DAILY_COLUMNS`, so that memory stays small).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CohortValidationError(
            [Problem(str(directory), None, None, None, "directory_missing", "no such directory")], str(directory)
        )
    # validate (daily_columns given) keeps every patient column, in the compact form the rules read
    patients, patient_problems, patients_ok = read_table(
        directory / PATIENTS_FILE, Patient, None if daily_columns is None else list(_schema(Patient).columns)
    )
    daily, daily_problems, daily_ok = read_table(
        directory / DAILY_STATUS_FILE, DailyStatus, daily_columns, dates_as_categories=daily_columns is not None
    )
    return_freed_memory()  # the pieces' temporaries, before the rules build their arrays
    problems = patient_problems + daily_problems
    if patients_ok and daily_ok:
        problems += cohort_rules.check_all(patients, daily, str(directory / PATIENTS_FILE), str(directory / DAILY_STATUS_FILE))
    infections = None
    if (directory / INFECTIONS_FILE).exists():
        infections, infection_problems, infections_ok = _read_infections(directory / INFECTIONS_FILE)
        problems += infection_problems
        if patients_ok and infections_ok:
            problems += infection_rules.check_infections(
                patients, infections, str(directory / PATIENTS_FILE), str(directory / INFECTIONS_FILE)
            )
    return_freed_memory()  # the rules' arrays, before the caller's next step
    if problems:
        raise CohortValidationError(_first_problem_per_cell(problems), str(directory))
    return Cohort(patients=patients, daily_status=daily, directory=directory, infections=infections)


def return_freed_memory() -> None:
    """Hand the heap's freed pages back to the system (glibc's malloc_trim), so that the pieces read and dropped
    do not count against the memory the rules need next; a no-op where glibc is not the C library."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _read_infections(path: Path) -> tuple[pd.DataFrame | None, list[Problem], bool]:
    """The optional infections.csv; a file that holds only its header means no infection was recorded."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    lines = [line for line in head.decode("utf-8", errors="replace").splitlines() if line.strip()]
    if len(lines) == 1 and len(head) < 4096:
        header, problems = csv_text.check_header(head.decode("utf-8", errors="replace"), str(path), _schema(Infection).columns)
        if header is not None and not problems:
            empty = pd.DataFrame({name: pd.Series(dtype=object) for name in header})
            empty["date"] = pd.Series(dtype="datetime64[ns]")
            return empty, [], True
    return read_table(path, Infection)


def read_table(
    path: Path, model: type[pa.DataFrameModel], keep_columns: list[str] | None = None, dates_as_categories: bool = False
) -> tuple[pd.DataFrame | None, list[Problem], bool]:
    """Read one CSV file against ``model``.

    Returns the typed frame (index = CSV line - 2; only ``keep_columns`` if given), the problems found,
    and whether the file's structure was sound enough for cross-table rules. A plain file (see
    :mod:`anakinra_rescue.data.csv_chunks`) is read and checked in pieces of whole lines, so memory stays
    bounded; any other file is read whole by the exact reader, which locates what makes it not plain.
    With ``keep_columns`` (what `validate` asks for) a plain file's text columns come back as categories, and
    its dates too when ``dates_as_categories``: the compact form the cross-table rules read.
    """
    try:
        return _read_plain_in_chunks(path, model, keep_columns, dates_as_categories)
    except csv_chunks.NotPlainCsv:
        typed, problems, structure_ok = _read_whole(path, model)
        if typed is not None and keep_columns is not None:
            typed = typed[[name for name in keep_columns if name in typed.columns]]
        return typed, problems, structure_ok


@functools.cache
def _schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The model's schema, built once (pandera builds and deep-copies it on every ``to_schema`` call)."""
    return model.to_schema()


@functools.cache
def _schema_without_uniqueness(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """The schema for one piece of a file: uniqueness can only be judged over the whole file."""
    return _schema(model).update_columns(
        {name: {"unique": False} for name, column in _schema(model).columns.items() if column.unique}
    )


def _read_plain_in_chunks(
    path: Path, model: type[pa.DataFrameModel], keep_columns: list[str] | None, dates_as_categories: bool = False
) -> tuple[pd.DataFrame, list[Problem], bool]:
    """The chunked reader: each piece is parsed and checked against the pandera model on its own; a column
    the model declares unique is then checked once over the whole file."""
    file = str(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise csv_chunks.NotPlainCsv("missing or empty: the exact reader says which")
    header, header_problems = csv_text.check_header(csv_chunks.header_line(path), file, _schema(model).columns)
    if header is None or header_problems:
        raise csv_chunks.NotPlainCsv("the header has problems: the exact reader reports them")
    expected = _schema(model).columns
    unique = [name for name, column in expected.items() if column.unique]
    schema = _schema_without_uniqueness(model)
    dtypes = {name: str(column.dtype) for name, column in expected.items()}
    typed_parts, unique_raw_parts, problems = [], [], []
    for chunk in csv_chunks.line_chunks(path, header):
        # Fast: read the piece straight into its types. When some cell needs the text reader's rules, the text
        # reader parses the piece and locates each such cell, as it always has. Either way the model's problems
        # are then found on the typed frame, located with the piece's text.
        typed, parse_problems = _typed_piece(chunk, file, expected, dtypes)
        if parse_problems is not None:
            problems += parse_problems
            unique_raw_parts.append(chunk.frame[unique])
        else:  # the text reader would give the same frame and no parse problem (pinned by test_csv_chunks.py)
            unique_raw_parts.append(
                typed[unique] if all(pd.api.types.is_string_dtype(typed[name]) for name in unique) else chunk.frame[unique]
            )  # text equal to the raw cells: no edge blanks
        problems += _schema_problems(schema, typed, lambda chunk=chunk: chunk.frame, file)
        if keep_columns is not None:  # a copy: a column selection would keep the whole piece's blocks alive
            kept = keep_columns + [name for name in unique if name not in keep_columns]
            typed = compact.compact(typed[kept], unique, dates_as_categories)
        typed_parts.append(typed)
    if not typed_parts:
        raise csv_chunks.NotPlainCsv("no data rows: the exact reader reports it")
    typed = compact.concat(typed_parts)
    del typed_parts
    if unique:
        only_unique = pa.DataFrameSchema({name: pa.Column(unique=True, nullable=True) for name in unique})
        problems += _schema_problems(only_unique, typed[unique], pd.concat(unique_raw_parts), file)
    # Only a full load turns text into Python objects; `validate` and the pipeline's first pass keep the compact form.
    return (compact.as_objects(typed) if keep_columns is None else typed[keep_columns]), problems, True


def _typed_piece(chunk: csv_chunks.Chunk, file: str, expected: dict, dtypes: dict) -> tuple[pd.DataFrame, list | None]:
    """One piece in the schema's types: read straight by pyarrow (problems None), or, when some cell needs the
    text reader's rules, parsed by the text reader with its located parse problems."""
    typed = csv_chunks.typed_frame(chunk, dtypes)
    return (typed, None) if typed is not None else _parse_columns(chunk.frame, file, expected)


def read_rows_of(path: Path, model: type[pa.DataFrameModel], patient_ids) -> pd.DataFrame:
    """The rows of a file that has passed validation whose patient_id is in ``patient_ids``, every column in the
    full form, with the full load's index (line - 2): the pipeline's second pass, which reads the measurements
    only for the analysed patients, so that a registry's daily rows are never all held in full."""
    pieces = list(rows_of_in_pieces(path, model, patient_ids))
    return compact.as_objects(pd.concat(pieces) if len(pieces) > 1 else pieces[0])


def rows_of_in_pieces(path: Path, model: type[pa.DataFrameModel], patient_ids):
    """:func:`read_rows_of` piece by piece (typed; text still pandas' Arrow text), so that a caller can spill them;
    at least one piece. A file that turns out not to be plain part-way is finished by the exact reader, from the
    first row not yet given."""
    wanted = pa_array(pd.unique(pd.Series(list(patient_ids), dtype=object)), type=pa_string())
    expected = _schema(model).columns
    given, next_index = 0, 0
    try:
        header, header_problems = csv_text.check_header(csv_chunks.header_line(path), str(path), _schema(model).columns)
        if header is None or header_problems:
            raise csv_chunks.NotPlainCsv("the header is read by the exact reader")
        dtypes = {name: str(column.dtype) for name, column in expected.items()}
        for chunk in csv_chunks.line_chunks(path, header):
            typed = _typed_piece(chunk, str(path), expected, dtypes)[0]
            given, next_index = given + 1, chunk.first_line - FIRST_DATA_LINE + len(typed)
            yield typed[_is_in(typed["patient_id"], wanted)]
    except csv_chunks.NotPlainCsv:
        whole, problems, _ = _read_whole(path, model)
        if whole is None:  # the file changed since it was validated
            raise CohortValidationError(problems, str(path)) from None
        typed = whole[whole.index >= next_index]
        given += 1
        yield typed[_is_in(typed["patient_id"], wanted)]
    if not given:
        yield pd.DataFrame(columns=list(expected))


def _is_in(ids: pd.Series, wanted) -> np.ndarray:
    """Which ``ids`` are among ``wanted`` (an Arrow text array), by pyarrow's hash: pandas converts the set
    to Python objects on every call."""
    found = pa_is_in(pa_array(ids, type=pa_string(), from_pandas=True), value_set=wanted)
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _read_whole(path: Path, model: type[pa.DataFrameModel]) -> tuple[pd.DataFrame | None, list[Problem], bool]:
    """The exact reader: the whole file as text, with every structural problem located by line."""
    file = str(path)
    text, problems = csv_text.read_text(path)
    if text is None:
        return None, problems, False
    header, header_problems = csv_text.check_header(text, file, _schema(model).columns)
    if header is None:
        return None, header_problems, False
    try:
        with warnings.catch_warnings():
            # Every data line with one field more than the header would make pandas read the first column as the
            # index (or, with index_col=False, drop the last field with a warning); both are malformed input.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(
                text_io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        line = csv_text.line_from_parser_error(str(error))
        return (
            None,
            header_problems + [Problem(file, line, None, None, "malformed_csv", f"the CSV cannot be parsed: {error}".strip())],
            False,
        )
    except pd.errors.ParserWarning:
        line, fields = csv_text.first_long_line(text, len(header))
        return (
            None,
            header_problems
            + [
                Problem(
                    file,
                    line,
                    None,
                    None,
                    "malformed_csv",
                    f"the CSV cannot be parsed: line {line} has {fields} fields but the header has {len(header)}",
                )
            ],
            False,
        )
    if raw.empty:
        return (
            None,
            header_problems + [Problem(file, None, None, None, "no_data_rows", "the file has a header but no data rows")],
            False,
        )
    expected = _schema(model).columns
    known = [column for column in header if column in expected and column in raw.columns]
    blank = csv_text.blank_line_indexes(text)
    problems = header_problems + [
        Problem(file, index + FIRST_DATA_LINE, None, None, "blank_line", "the line is empty") for index in blank
    ]
    raw = raw.drop(index=[index for index in blank if index in raw.index])
    problems += csv_text.short_rows(text, len(header), file, blank)
    typed, parse_problems = _parse_columns(raw[known], file, expected)
    problems += parse_problems
    schema = _schema(model).remove_columns([column for column in expected if column not in known])
    problems += _schema_problems(schema, typed, raw, file)
    structure_ok = not header_problems
    return compact.as_objects(typed), problems, structure_ok


def _numbers(text: pd.Series, empty: pd.Series) -> pd.Series:
    """The cells of ``text`` that are numbers, as float64 (NaN elsewhere), converted by pyarrow's vectorised cast.

    pyarrow's cast accepts exactly NUMBER_PATTERN plus the NON_FINITE_WORDS (which the caller rejects), so the
    pattern is only matched when some cell of the column is not a number.
    """
    arrow = pa_array(text.where(~empty), type=pa_string(), from_pandas=True)
    try:
        converted = pa_cast(arrow, pa_float64())
    except (ArrowInvalid, ValueError):
        is_number = text.str.match(NUMBER_PATTERN).fillna(False).astype(bool) & ~empty
        converted = pa_cast(pa_array(text.where(is_number), type=pa_string(), from_pandas=True), pa_float64())
    return pd.Series(converted.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def _parse_columns(raw: pd.DataFrame, file: str, expected: dict) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn CSV text into typed columns; report each cell that cannot be parsed."""
    typed = {}
    problems = []
    for name in raw.columns:
        dtype = str(expected[name].dtype)
        fast = csv_chunks.clean_column(raw[name], dtype) if FAST_COLUMNS else None
        if fast is not None:  # every cell converts, and to what the rules below give it (pinned by test_io.py)
            typed[name] = fast
            continue
        text = raw[name].fillna("").str.strip()
        empty = text == ""
        if dtype.startswith("datetime64"):
            # A spreadsheet export writes a date as the timestamp of its midnight ("2020-04-06 00:00:00"): the same day.
            text = text.str.replace(MIDNIGHT_SUFFIX, "", regex=True)
            parsed = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
            # A valid ISO date outside pandas' nanosecond range (years 1677-2262) cannot be stored; it is reported
            # like any unparseable date, with its own words, instead of overflowing.
            outside = parsed.notna() & ((parsed < pd.Timestamp.min) | (parsed > pd.Timestamp.max))
            problems += located_problems(
                raw,
                outside,
                file,
                name,
                "unparseable_date",
                "a date outside the years 1677-2262, which no record of this study can have",
            )
            values = parsed.where(~outside).astype("datetime64[ns]")
            bad = ~empty & values.isna() & ~outside
            rule, words = "unparseable_date", "not an ISO 8601 date (YYYY-MM-DD)"
        elif dtype == "boolean":
            lower = text.str.lower()
            is_true, is_false = (lower == "true").to_numpy(bool), (lower == "false").to_numpy(bool)
            values = pd.Series(pd.arrays.BooleanArray(is_true, ~(is_true | is_false)), index=raw.index)
            bad = ~empty & values.isna()
            rule, words = "unparseable_boolean", "not a boolean: write true or false, or leave empty"
        elif dtype in ("Int64", "float64"):
            numbers = _numbers(text, empty)
            # "inf", "nan" and, in a whole-number column, values beyond what 64 bits hold are not measurements.
            limit = 2.0**63 if dtype == "Int64" else math.inf
            unusable = numbers.notna() & ~(numbers.abs() < limit)
            unread = ~empty & numbers.isna()
            if unread.any():
                unusable |= unread & text.str.lower().isin(NON_FINITE_WORDS)
            problems += located_problems(
                raw,
                unusable,
                file,
                name,
                "unparseable_number",
                "not a finite number" + (" within the 64-bit range" if dtype == "Int64" else ""),
            )
            numbers = numbers.where(~unusable)
            bad = ~empty & numbers.isna() & ~unusable
            rule, words = "unparseable_number", "not a number"
            if dtype == "Int64":
                fractional = numbers.notna() & (numbers != numbers.round())
                problems += located_problems(raw, fractional, file, name, "not_integer", "must be a whole number")
                numbers = numbers.where(~fractional)
                values = numbers.round().astype("Int64")
            else:
                values = numbers.astype("float64")
        else:
            values = text.where(~empty)  # pandas' vectorised text dtype while pandera checks it; see compact.as_objects
            bad = pd.Series(False, index=raw.index)
        if bad.any():  # text columns have no parse rule: nothing can be bad there
            problems += located_problems(raw, bad, file, name, rule, words)
        typed[name] = values
    return pd.DataFrame(typed, index=raw.index), problems


_CHECK_WORDS = [
    (r"^not_nullable$", "required", lambda arg: "a value is required"),
    (r"^isin\((.*)\)$", "allowed_values", lambda arg: f"must be one of {arg}"),
    (r"^greater_than_or_equal_to\((.*)\)$", "minimum", lambda arg: f"must be at least {arg}"),
    (r"^less_than_or_equal_to\((.*)\)$", "maximum", lambda arg: f"must be at most {arg}"),
    (r"^str_matches\((.*)\)$", "pattern", lambda arg: f"must match the pattern {arg}"),
    (r"^field_uniqueness$", "duplicate_key", lambda arg: "must be unique, but the value appears more than once"),
    (r"^dtype\((.*)\)$", "wrong_type", lambda arg: f"has the wrong type; expected {arg}"),
]


def _check_in_words(check: str) -> tuple[str, str]:
    for pattern, rule, words in _CHECK_WORDS:
        match = re.match(pattern, check)
        if match:
            return rule, words(match.group(1) if match.groups() else "")
    return "schema", f"fails the schema check {check}"


def _schema_problems(schema: pa.DataFrameSchema, typed: pd.DataFrame, raw, file: str) -> list[Problem]:
    """The pandera model's failures on ``typed``, located, with the cell's text from ``raw`` (a frame, or a function
    giving it, called only when something fails). Pandera sees only the columns that may fail
    (:func:`schema_checks.columns_to_check`): on a clean piece it does not run at all."""
    suspects = schema_checks.columns_to_check(schema, typed)
    if suspects == []:
        return []
    if suspects is not None:
        schema, typed = schema_checks.only(schema, tuple(suspects)), typed[suspects]
    try:
        schema.validate(typed, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        raw = raw() if callable(raw) else raw
        problems = []
        for case in errors.failure_cases.itertuples(index=False):
            rule, words = _check_in_words(str(case.check))
            has_row = case.index is not None and not pd.isna(case.index)
            line = int(case.index) + FIRST_DATA_LINE if has_row else None
            value = raw.at[int(case.index), case.column] if has_row and case.column in raw.columns else None
            if value is not None and pd.isna(value):
                value = ""
            problems.append(Problem(file, line, case.column, value, rule, words))
        return problems
    return []


def _first_problem_per_cell(problems: list[Problem]) -> list[Problem]:
    """A cell that failed to parse also fails 'required'; keep only the first problem per cell."""
    seen = set()
    kept = []
    for problem in problems:
        key = (problem.file, problem.line, problem.column)
        if problem.line is not None and problem.column is not None and key in seen:
            continue
        seen.add(key)
        kept.append(problem)
    return kept
