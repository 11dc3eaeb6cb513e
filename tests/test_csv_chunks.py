"""The chunked reader gives exactly what the whole-file reader gives, and hands every non-plain file to it.

The chunked path (``io._read_plain_in_chunks``) is what ``validate`` uses on large files; the whole-file
reader (``io._read_whole``) is the exact reference it must agree with. Hypothesis mutates the fixture the way
the fuzz test does; whenever the chunked path accepts the file as plain, its typed frame and its problems must
equal the reference's, with chunks far smaller than the file so that rows straddle chunk boundaries.
"""

import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_validate import BASE, KINDS, ODD_VALUES, mutate

from anakinra_rescue.data import cohort_rules, csv_chunks, io
from anakinra_rescue.schemas.cohort import DailyStatus, Patient

MODELS = {"patients.csv": Patient, "daily_status.csv": DailyStatus}


def _both(path: Path, model):
    reference = io._read_whole(path, model)
    try:
        chunked = io._read_plain_in_chunks(path, model, None)
    except csv_chunks.NotPlainCsv:
        return reference, None
    return reference, chunked


def _assert_same(reference, chunked):
    typed, problems, _ = reference
    chunked_typed, chunked_problems, _ = chunked
    key = lambda problem: (problem.line or 0, problem.column or "", problem.rule, problem.value or "")  # noqa: E731
    assert sorted(chunked_problems, key=key) == sorted(problems, key=key)
    pd.testing.assert_frame_equal(chunked_typed, typed, check_index_type=False)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(csv_chunks, "CHUNK_BYTES", 700)  # a few lines per chunk


@pytest.mark.parametrize("name", sorted(MODELS))
def test_unmutated_files_are_plain_and_read_the_same_in_small_chunks(tmp_path, small_chunks, name):
    path = tmp_path / name
    path.write_bytes(BASE[name])
    reference, chunked = _both(path, MODELS[name])
    assert chunked is not None, "the fixture is a plain CSV file"
    assert len(chunked[0]) == len(BASE[name].decode().strip().splitlines()) - 1
    _assert_same(reference, chunked)


@pytest.mark.parametrize("text", ['"quoted",x\n', "a\rb\n", "\n", "x\x0by\n"])
def test_a_file_that_is_not_plain_goes_to_the_whole_file_reader(tmp_path, small_chunks, text):
    lines = BASE["patients.csv"].decode().split("\n")
    path = tmp_path / "patients.csv"
    path.write_text("\n".join([*lines[:3], text.rstrip("\n"), *lines[3:]]))
    _, chunked = _both(path, Patient)
    assert chunked is None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(sorted(MODELS)),
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_chunked_reading_agrees_with_the_whole_file_reader_on_mutated_files(tmp_path_factory, name, kinds, seed):
    monkeypatched = csv_chunks.CHUNK_BYTES
    csv_chunks.CHUNK_BYTES = 700
    try:
        rng = random.Random(seed)
        data = BASE[name]
        for kind in kinds:
            data = mutate(data, kind, rng)
        path = tmp_path_factory.mktemp("chunks") / name
        path.write_bytes(data)
        reference, chunked = _both(path, MODELS[name])
        if chunked is not None:
            _assert_same(reference, chunked)
    finally:
        csv_chunks.CHUNK_BYTES = monkeypatched


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.tuples(st.sampled_from(sorted(MODELS)), st.sampled_from(KINDS)), min_size=1, max_size=2),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_validate_keeping_only_the_rule_columns_finds_the_same_problems(tmp_path_factory, mutations, seed):
    """`validate` keeps three daily columns (patient ids as Arrow text); a full load must report the same problems."""
    rng = random.Random(seed)
    files = dict(BASE)
    for name, kind in mutations:
        files[name] = mutate(files[name], kind, rng)
    folder = tmp_path_factory.mktemp("rules")
    for name, data in files.items():
        (folder / name).write_bytes(data)

    def problems(**options):
        try:
            io.load_cohort(folder, **options)
        except io.CohortValidationError as error:
            return error.problems
        return []

    full = problems()
    assert problems(daily_columns=cohort_rules.DAILY_COLUMNS) == full
    block_rows = cohort_rules._BLOCK_ROWS
    cohort_rules._BLOCK_ROWS = 7  # the rules' per-row work in many small blocks must find the same problems
    try:
        assert problems(daily_columns=cohort_rules.DAILY_COLUMNS) == full
    finally:
        cohort_rules._BLOCK_ROWS = block_rows


def test_the_fast_reader_knows_every_character_that_strip_removes():
    """A text cell with one of these at an edge goes to the text reader, which strips it."""
    assert set(csv_chunks.STRIPPED_CHARACTERS) == {chr(code) for code in range(0x110000) if chr(code).isspace()}


@pytest.mark.parametrize("cell", [" P1", "P1\u3000", "\x1fP1", "P1\xa0"])
def test_a_text_cell_with_an_edge_blank_is_left_to_the_text_reader(tmp_path, cell):
    lines = BASE["patients.csv"].decode().split("\n")
    lines[1] = cell + lines[1][lines[1].index(",") :]
    path = tmp_path / "patients.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    header = lines[0].split(",")
    chunk = next(csv_chunks.line_chunks(path, header))
    dtypes = {name: str(column.dtype) for name, column in io._schema(Patient).columns.items()}
    assert csv_chunks.typed_frame(chunk, dtypes) is None
    reference, chunked = _both(path, Patient)
    _assert_same(reference, chunked)


def test_the_fast_reader_reads_the_committed_cohort_as_the_text_reader_does():
    for name, model in MODELS.items():
        path = Path(__file__).parents[1] / "data" / "reconstructed" / name
        header = path.read_text().split("\n", 1)[0].split(",")
        expected = io._schema(model).columns
        for chunk in csv_chunks.line_chunks(path, header):
            fast = csv_chunks.typed_frame(chunk, {name: str(column.dtype) for name, column in expected.items()})
            assert fast is not None, f"{name}: a valid plain file is read by the fast reader"
            pd.testing.assert_frame_equal(fast, io._parse_columns(chunk.frame, str(path), expected)[0])


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("temperature_c", "inf"),
        ("temperature_c", "NaN"),
        ("temperature_c", "1e400"),
        ("sofa_score", "9007199254740993"),
        ("date", "0001-01-01"),
        ("date", "2262-06-01"),
        ("ordinal_status", "TRUE"),
    ],
)
def test_cells_the_fast_reader_must_not_decide_go_to_the_text_reader(tmp_path, column, cell):
    lines = BASE["daily_status.csv"].decode().split("\n")
    header = lines[0].split(",")
    fields = lines[1].split(",")
    fields[header.index(column)] = cell
    lines[1] = ",".join(fields)
    path = tmp_path / "daily_status.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    dtypes = {name: str(spec.dtype) for name, spec in io._schema(DailyStatus).columns.items()}
    assert csv_chunks.typed_frame(next(csv_chunks.line_chunks(path, header)), dtypes) is None
    reference, chunked = _both(path, DailyStatus)
    assert reference[1], "the cell is a problem the reference reader reports"
    _assert_same(reference, chunked)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(sorted(MODELS)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(ODD_VALUES)), min_size=0, max_size=6),
)
def test_a_column_converted_at_once_equals_the_text_readers_column(name, edits):
    """clean_column, which _parse_columns tries first, gives exactly the text reader's values and problems."""
    lines = BASE[name].decode("utf-8").split("\n")
    header, body = lines[0].split(","), [line.split(",") for line in lines[1:] if line]
    for row, column, value in edits:
        body[row % len(body)][column % len(header)] = value.replace(",", "").replace("\n", "")
    raw = pd.DataFrame(body, columns=header, dtype="str")
    expected = io._schema(MODELS[name]).columns
    fast = io._parse_columns(raw, name, expected)
    io.FAST_COLUMNS = False
    try:
        slow = io._parse_columns(raw, name, expected)
    finally:
        io.FAST_COLUMNS = True
    pd.testing.assert_frame_equal(fast[0], slow[0])
    assert fast[1] == slow[1]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_clean_columns_of_the_fixture_are_converted_at_once(name):
    lines = BASE[name].decode("utf-8").split("\n")
    raw = pd.DataFrame([line.split(",") for line in lines[1:] if line], columns=lines[0].split(","), dtype="str")
    expected = io._schema(MODELS[name]).columns
    fast = [column for column in raw if csv_chunks.clean_column(raw[column], str(expected[column].dtype)) is not None]
    assert len(fast) == sum(str(spec.dtype) != "string[pyarrow]" for spec in expected.values())
