"""Fuzzing `validate` the way hospital exports go wrong: it exits 0 or 1 with located problems, never a traceback.

Each example starts from the valid fixture cohort and applies one to three mutations to one
or both files: flipped, inserted or deleted bytes, truncation, other encodings and byte-order
marks, quoting, other delimiters, shuffled or duplicated header columns, huge, negative,
NaN and infinite numbers, impossible dates. The command runs in-process through
``anakinra_rescue.cli.main``; whatever it prints, it must return 0 or 2, raise nothing, name
a file and a rule for every problem, and leave both files' bytes as they were.

`make test` runs FUZZ_EXAMPLES examples (160 by default, in four shards that pytest-xdist spreads over the
cores; an example costs about 0.07-0.2 s on a busy core: 1,000 took make test to 239 s of its 240 once the
browser check grew; the certificate checks and the plausibility repairs of issue 25 took the default to 600,
400, 240 and then 160). Set FUZZ_EXAMPLES=100000 for
a long hunt; `make bench` runs FUZZ_BENCH_EXAMPLES and reports the count.
"""

import contextlib
import hashlib
import io as text_io
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anakinra_rescue import cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small_cohort"
FILES = ("patients.csv", "daily_status.csv")
BASE = {name: (FIXTURE / name).read_bytes() for name in FILES}
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "160"))
FUZZ_SHARDS = 4
ODD_VALUES = [
    "",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "99999999999999999999",
    "-5",
    "0",
    "1.5",
    "true",
    "TRUE",
    "2020-02-30",
    "2020-13-01",
    "0000-00-00",
    "2020/04/05",
    "31-12-2020",
    "NULL",
    "NA",
    "\u00e9",
    '"',
    '""',
    " 7 ",
    "\t",
    "１２",
]


def _cells(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.split("\n")]


def _join(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(row) for row in rows)


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """One mutation of a CSV file's bytes; ``kind`` names it, ``rng`` chooses where."""
    if kind == "flip_byte" and data:
        position = rng.randrange(len(data))
        return data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :]
    if kind == "insert_bytes":
        position = rng.randrange(len(data) + 1)
        return data[:position] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[position:]
    if kind == "delete_bytes" and data:
        position = rng.randrange(len(data))
        return data[:position] + data[position + rng.randint(1, 40) :]
    if kind == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if kind == "empty":
        return b""
    text = data.decode("utf-8", errors="replace")
    if kind == "encoding":
        encoding = rng.choice(["latin-1", "utf-16", "utf-16-le", "utf-32", "cp1252", "utf-8-sig"])
        return text.replace("caucasian", "caucásian").encode(encoding, errors="replace")
    if kind == "bom":
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode()
    rows = _cells(text)
    header, body = rows[0], [row for row in rows[1:] if row != [""]]
    if kind == "delimiter":
        return (_join(rows, rng.choice([";", "\t", "|", ", "])) + "\n").encode()
    if kind == "quote_cells":
        return (_join([[f'"{cell}"' if rng.random() < 0.5 else cell for cell in row] for row in rows]) + "\n").encode()
    if kind == "broken_quote":
        row = rng.randrange(len(rows))
        rows[row][rng.randrange(len(rows[row]))] += '"'
        return (_join(rows) + "\n").encode()
    if kind == "shuffle_columns":
        order = list(range(len(header)))
        rng.shuffle(order)
        return (_join([[row[index] if index < len(row) else "" for index in order] for row in rows]) + "\n").encode()
    if kind == "duplicate_header":
        header[rng.randrange(len(header))] = header[rng.randrange(len(header))]
        return (_join([header, *body]) + "\n").encode()
    if kind == "drop_column":
        index = rng.randrange(len(header))
        return (_join([[cell for position, cell in enumerate(row) if position != index] for row in rows]) + "\n").encode()
    if kind == "odd_value" and body:
        row = rng.choice(body)
        row[rng.randrange(len(row))] = rng.choice(ODD_VALUES)
        return (_join([header, *body]) + "\n").encode()
    if kind == "duplicate_row" and body:
        body.insert(rng.randrange(len(body) + 1), list(rng.choice(body)))
        return (_join([header, *body]) + "\n").encode()
    if kind == "drop_row" and body:
        body.pop(rng.randrange(len(body)))
        return (_join([header, *body]) + "\n").encode()
    return data


KINDS = [
    "flip_byte",
    "insert_bytes",
    "delete_bytes",
    "truncate",
    "empty",
    "encoding",
    "bom",
    "crlf",
    "delimiter",
    "quote_cells",
    "broken_quote",
    "shuffle_columns",
    "duplicate_header",
    "drop_column",
    "odd_value",
    "duplicate_row",
    "drop_row",
]


def run_validate(files: dict[str, bytes]) -> tuple[int, str, str]:
    """Write the files to a fresh folder, run validate --format json in-process, check the bytes are untouched."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        before = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}
        out, err = text_io.StringIO(), text_io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["validate", str(folder), "--format", "json"])
        after = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}
        assert before == after, "validate modified its input"
        return code, out.getvalue(), err.getvalue()
    finally:
        shutil.rmtree(folder)


def check_outcome(code: int, out: str) -> None:
    assert code in (0, 1), f"exit {code}"
    report = json.loads(out)
    if code == 0:
        assert report["valid"] is True
    else:
        assert report["problems"], "exit 1 without a problem"
        for problem in report["problems"]:
            assert problem["file"] and problem["rule"] and problem["message"], problem


@pytest.mark.parametrize("shard", range(FUZZ_SHARDS))
@settings(max_examples=-(-FUZZ_EXAMPLES // FUZZ_SHARDS), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.tuples(st.sampled_from(FILES), st.sampled_from(KINDS)), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_validate_never_crashes_and_never_modifies_its_input(shard, mutations, seed):
    """FUZZ_EXAMPLES examples in FUZZ_SHARDS shards, which pytest-xdist runs on different cores; each shard draws
    its own mutation sites and values (the shard number enters the random generator's seed)."""
    rng = random.Random(seed * FUZZ_SHARDS + shard)
    files = dict(BASE)
    for name, kind in mutations:
        files[name] = mutate(files[name], kind, rng)
    code, out, _ = run_validate(files)
    check_outcome(code, out)


def test_unmutated_fixture_is_valid_and_a_mutation_is_reported():
    """The harness is not vacuous: the fixture passes, and a known break is reported with its rule."""
    code, out, _ = run_validate(dict(BASE))
    assert code == 0 and json.loads(out)["valid"] is True
    broken = dict(BASE, **{"patients.csv": BASE["patients.csv"].replace(b",anakinra,", b",martian,", 1)})
    code, out, _ = run_validate(broken)
    assert code == 1 and {problem["rule"] for problem in json.loads(out)["problems"]} == {"allowed_values"}


@pytest.mark.parametrize(
    ("edit", "column", "rule", "words"),
    [
        ((",70,true", ",99999999999999999999,true"), "age_years", "unparseable_number", "not a finite number"),
        ((",70,true", ",inf,true"), "age_years", "unparseable_number", "not a finite number"),
        (("2020-03-25", "3020-04-05"), "symptom_onset_date", "unparseable_date", "outside the years 1677-2262"),
    ],
)
def test_fuzz_findings_are_located_problems(edit, column, rule, words):
    """Inputs the fuzzer found crashing the reader (OverflowError, OutOfBoundsDatetime), now located problems."""
    patients = BASE["patients.csv"].decode().replace(*edit, 1).encode()
    code, out, _ = run_validate(dict(BASE, **{"patients.csv": patients}))
    problems = json.loads(out)["problems"]
    assert code == 1 and [(p["line"], p["column"], p["rule"]) for p in problems] == [(2, column, rule)]
    assert words in problems[0]["message"]


def test_every_data_line_one_field_longer_than_the_header_is_malformed_not_an_index():
    """Found by the fuzzer: pandas read such a file with its first column as the index."""
    text = BASE["patients.csv"].decode().split("\n")
    header = text[0].rsplit(",", 1)[0]  # drop the header's last name: every data line now has one field more
    code, out, _ = run_validate(dict(BASE, **{"patients.csv": "\n".join([header, *text[1:]]).encode()}))
    problems = json.loads(out)["problems"]
    assert code == 1 and any(p["rule"] == "malformed_csv" and p["line"] == 2 for p in problems), problems


def test_quoted_header_name_holding_a_line_break_is_reported_not_a_crash():
    """Found by the fuzzer: CRLF line ends, then every cell quoted, put a carriage return inside the last header name."""
    rows = [line.split(",") for line in BASE["patients.csv"].decode().rstrip("\n").split("\n")]
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).replace('n"\n', 'n\r"\n', 1) + "\n"
    code, out, _ = run_validate(dict(BASE, **{"patients.csv": text.encode()}))
    found = {(problem["line"], problem["column"], problem["rule"]) for problem in json.loads(out)["problems"]}
    assert code == 1 and (1, "had_bacterial_infection", "missing_column") in found, found


def test_file_whose_first_line_is_empty_is_reported_not_a_crash():
    """Found by a 40,000-case hunt (seed 1662: delimiter, drop_column, insert_bytes on daily_status.csv): nine empty
    lines, two stray bytes, then only line breaks; pandas raised EmptyDataError out of the reader."""
    daily = b"\n" * 9 + b"^\x05" + b"\n" * 167
    code, out, _ = run_validate(dict(BASE, **{"daily_status.csv": daily}))
    problems = json.loads(out)["problems"]
    assert code == 1 and [(p["file"].endswith("daily_status.csv"), p["line"], p["rule"]) for p in problems] == [
        (True, 1, "malformed_csv")
    ], problems
    assert "first line is empty" in problems[0]["message"]


def test_patients_file_without_any_patient_id_is_reported_not_a_crash():
    """Found by the same hunt (seed 5662: shuffled columns, then both files truncated): no row of patients.csv kept a
    patient_id, and the cross-table keys indexed an empty array (IndexError)."""
    lines = BASE["patients.csv"].decode().split("\n")
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("patient_id")] = ""
    patients = "\n".join([lines[0], ",".join(row)]) + "\n"
    code, out, _ = run_validate(dict(BASE, **{"patients.csv": patients.encode()}))
    check_outcome(code, out)
    rules = {problem["rule"] for problem in json.loads(out)["problems"]}
    assert code == 1 and "orphan_row" in rules, rules
