"""Reading a large CSV file in pieces of whole lines, so that memory does not grow with the file.

:func:`line_chunks` cuts the file's bytes into pieces of about ``chunk_bytes``
that end on a line break, and parses each with pyarrow's CSV reader into text
columns. The fast path is only taken for a plain file, in which a CSV record is
exactly one line: UTF-8, comma-separated, no quote character, no blank line and
no line break other than ``\\n`` or ``\\r\\n``. Anything else (quotes, blank
lines, odd line breaks, a line with the wrong number of fields, bytes that are
not UTF-8) raises :class:`NotPlainCsv`, and the caller reads the whole file with
the exact reader instead, which locates every such problem by line. A line's
number is therefore known without counting records: it is the number of line
breaks before it, plus one.
"""

import datetime
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

CHUNK_BYTES = 16 * 2**20
UTF8_BOM = b"\xef\xbb\xbf"
# A quote, a character that str.splitlines() takes for a line break and pandas does not, or an empty line. A
# lone \r is found by counting; a line of blanks because pyarrow then sees one field where the header has many.
_NOT_PLAIN = (b'"', b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\n\n")


def _is_plain(body: bytes) -> bool:
    # A multi-byte needle is searched for only when its first byte occurs: memchr is ten times faster.
    return not any(needle in body for needle in _NOT_PLAIN if len(needle) == 1 or needle == b"\n\n" or needle[:1] in body) and (
        b"\r" not in body or body.count(b"\r") == body.count(b"\r\n")
    )


class NotPlainCsv(Exception):
    """The file needs the exact whole-file reader (the reason is for logs, not for users)."""


@dataclass(frozen=True)
class Chunk:
    """Consecutive data lines of one file (``data``, whole lines); ``first_line`` is the CSV line of its first row.

    ``frame`` is the lines as text columns, parsed on first use: a piece that :func:`typed_frame` reads whole
    never needs it.
    """

    first_line: int
    data: bytes
    header: tuple[str, ...]

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The lines as text columns (every cell a string, "" when empty); raises NotPlainCsv on a malformed line."""
        convert_options = pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in self.header}, strings_can_be_null=False, quoted_strings_can_be_null=False
        )
        return _to_pandas(self._read(convert_options), self.first_line)

    def _read(self, convert_options: pa_csv.ConvertOptions) -> pa.Table:
        read_options = pa_csv.ReadOptions(column_names=list(self.header), use_threads=True)
        parse_options = pa_csv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=False)
        try:
            return pa_csv.read_csv(
                io.BytesIO(self.data), read_options=read_options, parse_options=parse_options, convert_options=convert_options
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            raise NotPlainCsv(str(error)) from error


def _to_pandas(table: pa.Table, first_line: int) -> pd.DataFrame:
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(first_line - 2, first_line - 2 + len(frame))
    return frame


def header_line(path: Path) -> str:
    """The first line of the file, decoded (a BOM removed); raises NotPlainCsv if it is not plain."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    if first.startswith(UTF8_BOM):
        first = first[len(UTF8_BOM) :]
    body = first[:-1].removesuffix(b"\r") if first.endswith(b"\n") else None
    if not body or not _is_plain(body) or b"\r" in body:
        raise NotPlainCsv("the header line is not plain, or is the whole file")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotPlainCsv("header is not UTF-8") from error


def line_chunks(path: Path, header: list[str], chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """The data lines of ``path`` (after its header line) in pieces of about ``chunk_bytes``
    (default :data:`CHUNK_BYTES`) each; raises NotPlainCsv at the first piece that is not plain.

    Each frame's index is the row's position among the data lines (line - 2), as in the exact reader.
    """
    line = 2
    with path.open("rb") as handle:
        handle.readline(1 << 20)  # the header, read by header_line
        rest = b""
        while block := handle.read(chunk_bytes or CHUNK_BYTES):
            data = rest + block
            cut = data.rfind(b"\n") + 1  # 0 while no line has ended yet: keep reading
            data, rest = data[:cut], data[cut:]
            if data:
                yield _checked(data, line, header)
                line += data.count(b"\n")
        if rest:  # a last line without a line break
            yield _checked(rest, line, header)


def _checked(data: bytes, first_line: int, header: list[str]) -> Chunk:
    body = data[:-1] if data.endswith(b"\n") else data
    if not _is_plain(body) or body.startswith((b"\n", b"\r\n")):
        raise NotPlainCsv(f"a quote, blank line or odd line break near line {first_line}")
    return Chunk(first_line, data, tuple(header))


# The types a piece can be read in directly, by the pandas dtype the schema declares.
_ARROW_TYPES = {
    "Int64": pa.int64(),
    "float64": pa.float64(),
    "boolean": pa.bool_(),
    "datetime64[ns]": pa.date32(),
    "str": pa.string(),
    "string[pyarrow]": pa.string(),
}
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
# Every character Python's str.strip() removes; a text cell that starts or ends with one goes to the text reader,
# which strips it.
# (tests/test_csv_chunks.py checks the list against str.isspace over every code point).
STRIPPED_CHARACTERS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_EDGE_CHARACTERS = pa.array(list(STRIPPED_CHARACTERS))
# Whole numbers beyond 2**53 lose digits as float64, which the text reader goes through; dates must fit pandas.
_LARGEST_EXACT_INTEGER = 2**53
_DATE_RANGE = (pa.scalar(datetime.date(1678, 1, 1)), pa.scalar(datetime.date(2261, 12, 31)))


def typed_frame(chunk: Chunk, dtypes: dict[str, str]) -> pd.DataFrame | None:
    """The piece read straight into the schema's types (``dtypes``: column -> pandas dtype name), or None when
    some cell needs the text reader's rules: it does not parse as its type, it is a text cell with blanks at
    an edge, a non-finite number, a whole number beyond 2**53 or a date outside the years 1678-2261.

    When it returns a frame, that frame equals what the text reader's parsing gives for the same piece (pinned
    by ``tests/test_csv_chunks.py``), so the fast read changes no value, only the time it takes.
    """
    if any(dtypes[name] not in _ARROW_TYPES for name in chunk.header):
        return None
    types = {name: _ARROW_TYPES[dtypes[name]] for name in chunk.header}
    options = pa_csv.ConvertOptions(
        column_types=types, null_values=[""], strings_can_be_null=True, true_values=["true"], false_values=["false"]
    )
    try:
        table = chunk._read(options)
    except NotPlainCsv:
        return None
    columns = {}
    for name in chunk.header:
        column = table.column(name)
        if column.null_count == len(column):
            pass
        elif types[name] == pa.string():
            if _has_edge_blank(column):
                return None
        elif not _within_limits(column, types[name]):
            return None
        if types[name] == pa.date32():
            column = column.cast(pa.timestamp("ns"))
        columns[name] = column
    frame = pa.table(columns).to_pandas(types_mapper=_PANDAS_TYPES.get)
    frame.index = pd.RangeIndex(chunk.first_line - 2, chunk.first_line - 2 + len(frame))
    return frame


def clean_column(text: pd.Series, dtype: str) -> pd.Series | None:
    """A text column (pandas) converted at once by pyarrow to the schema's ``dtype``, or None when some cell needs
    the text reader's rules: the same conditions as :func:`typed_frame` (blanks at an edge, a cell that does not
    convert, a non-finite number, a whole number beyond 2**53, a date outside 1678-2261). Text columns are left
    to the text reader, which has little to do for them."""
    arrow_type = _ARROW_TYPES.get(dtype)
    if arrow_type is None or arrow_type == pa.string() or dtype == "boolean":
        return _clean_booleans(text) if dtype == "boolean" else None
    column = pa.array(text, type=pa.string(), from_pandas=True)
    if _has_edge_blank(column):
        return None
    column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    try:
        converted = pc.cast(column, arrow_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not _within_limits(converted, arrow_type):
        return None
    if arrow_type == pa.date32():
        converted = converted.cast(pa.timestamp("ns"))
    values = converted.to_pandas(types_mapper=_PANDAS_TYPES.get)
    values.index = text.index
    return values


def _clean_booleans(text: pd.Series) -> pd.Series | None:
    column = pa.array(text, type=pa.string(), from_pandas=True)
    known = pc.is_in(column, pa.array(["true", "false", ""]))
    if not pc.all(pc.fill_null(known, True)).as_py():
        return None
    is_true = pc.fill_null(pc.equal(column, "true"), False).to_numpy(zero_copy_only=False)
    is_false = pc.fill_null(pc.equal(column, "false"), False).to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.BooleanArray(is_true, ~(is_true | is_false)), index=text.index)


def _has_edge_blank(column: pa.Array) -> bool:
    first, last = pc.utf8_slice_codeunits(column, 0, 1), pc.utf8_slice_codeunits(column, -1)
    return bool(pc.any(pc.is_in(first, _EDGE_CHARACTERS)).as_py() or pc.any(pc.is_in(last, _EDGE_CHARACTERS)).as_py())


def _within_limits(column, arrow_type) -> bool:
    """No value the text reader would treat differently: non-finite, past 2**53, or a date pandas cannot hold."""
    if column.null_count == len(column):
        return True
    if arrow_type == pa.float64():
        return bool(pc.all(pc.is_finite(column)).as_py())
    if arrow_type == pa.int64():
        return pc.max(pc.abs_checked(column)).as_py() <= _LARGEST_EXACT_INTEGER
    if arrow_type == pa.date32():
        low, high = pc.min_max(column).values()
        return _DATE_RANGE[0].as_py() <= low.as_py() and high.as_py() <= _DATE_RANGE[1].as_py()
    return True
