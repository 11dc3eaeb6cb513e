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

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

CHUNK_BYTES = 16 * 2**20
UTF8_BOM = b"\xef\xbb\xbf"
# A quote, a character that str.splitlines() takes for a line break and pandas does not, or an empty line. A
# lone \r is found by counting; a line of blanks because pyarrow then sees one field where the header has many.
_NOT_PLAIN = (b'"', b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\n\n")


def _is_plain(body: bytes) -> bool:
    return not any(needle in body for needle in _NOT_PLAIN) and body.count(b"\r") == body.count(b"\r\n")


class NotPlainCsv(Exception):
    """The file needs the exact whole-file reader (the reason is for logs, not for users)."""


@dataclass(frozen=True)
class Chunk:
    """Consecutive data lines of one file, as text columns; ``first_line`` is the CSV line of its first row."""

    first_line: int
    frame: pd.DataFrame


def header_line(path: Path) -> str:
    """The first line of the file, decoded (a BOM removed); raises NotPlainCsv if it is not plain."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    if first.startswith(UTF8_BOM):
        first = first[len(UTF8_BOM):]
    body = first[:-1].removesuffix(b"\r") if first.endswith(b"\n") else None
    if not body or not _is_plain(body) or b"\r" in body:
        raise NotPlainCsv("the header line is not plain, or is the whole file")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotPlainCsv("header is not UTF-8") from error


def line_chunks(path: Path, header: list[str], chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """The data lines of ``path`` (after its header line) as text-column frames of about ``chunk_bytes``
    (default :data:`CHUNK_BYTES`) each.

    Each frame's index is the row's position among the data lines (line - 2), as in the exact reader.
    """
    read_options = pa_csv.ReadOptions(column_names=header, use_threads=True)
    parse_options = pa_csv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=False)
    convert_options = pa_csv.ConvertOptions(column_types={name: pa.string() for name in header},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False)
    line = 2
    with path.open("rb") as handle:
        handle.readline(1 << 20)  # the header, read by header_line
        rest = b""
        while block := handle.read(chunk_bytes or CHUNK_BYTES):
            data = rest + block
            cut = data.rfind(b"\n") + 1  # 0 while no line has ended yet: keep reading
            data, rest = data[:cut], data[cut:]
            if data:
                yield _parse(data, line, read_options, parse_options, convert_options)
                line += data.count(b"\n")
        if rest:  # a last line without a line break
            yield _parse(rest, line, read_options, parse_options, convert_options)


def _parse(data: bytes, first_line: int, read_options, parse_options, convert_options) -> Chunk:
    body = data[:-1] if data.endswith(b"\n") else data
    if not _is_plain(body) or body.startswith((b"\n", b"\r\n")):
        raise NotPlainCsv(f"a quote, blank line or odd line break near line {first_line}")
    try:
        table = pa_csv.read_csv(io.BytesIO(data), read_options=read_options, parse_options=parse_options,
                                convert_options=convert_options)
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise NotPlainCsv(str(error)) from error
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(first_line - 2, first_line - 2 + len(frame))
    return Chunk(first_line, frame)
