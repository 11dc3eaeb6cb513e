"""Tests of the reconstruction and of the committed cohort in data/reconstructed.

`make test` regenerates the committed cohort from scratch, byte for byte (the slowest test
of the suite). For a second seed it runs the cheaper check below: the row solver, seeded
differently, finds different values that print the same published numbers. The full second
reconstruction, with the committed sensitivity rows of seed 7 recomputed, is marked slow and
runs in `make test-slow`.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data import io
from anakinra_rescue.data.files import PROJECT_ROOT
from anakinra_rescue.engine import matching
from anakinra_rescue.examination import sensitivity
from anakinra_rescue.reconstruction import reconstruct

COMMITTED = PROJECT_ROOT / "data" / "reconstructed"
FILES = ("patients.csv", "daily_status.csv", "infections.csv", "fidelity.csv", "certificates.json", "reconstruction.json")
COHORT_FILES = ("patients.csv", "daily_status.csv", "infections.csv")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def committed():
    return io.load_cohort(COMMITTED)


def test_the_stamp_names_this_code_and_the_committed_files():
    """The committed cohort files are the ones its stamp names, and the stamp moves with the code it digests."""
    from anakinra_rescue.reconstruction import stamp

    recorded = stamp.read_stamp(COMMITTED)
    assert recorded is not None, "data/reconstructed/reconstruction.json is missing: run reconstruct --out data/reconstructed"
    assert recorded["outputs"] == {name: _digest(COMMITTED / name) for name in COHORT_FILES}, "a cohort file was edited"
    assert recorded["seed"] == reconstruct.DEFAULT_SEED


@pytest.mark.after_book  # make test runs it beside the browser tests, after the book build (see the Makefile)
def test_committed_cohort_regenerates_byte_identically(tmp_path):
    """The seeded solve writes the committed cohort files byte for byte (its certificates: the slow test below).

    When the committed stamp (:mod:`anakinra_rescue.reconstruction.stamp`) equals this checkout's (the same code of
    the layers the reconstruction may import, the same published record, seed and package versions), the committed
    files were written by this very code, and the test above checks their SHA-256 against it: the 40-second solve
    is not repeated. Any other change runs it again here; `make test-slow` always runs it."""
    from anakinra_rescue.reconstruction import stamp

    recorded = stamp.read_stamp(COMMITTED)
    committed_files = [COMMITTED / name for name in COHORT_FILES]
    if recorded is not None and recorded == stamp.stamp(reconstruct.DEFAULT_SEED, committed_files):
        return
    written = reconstruct.write_reconstruction(reconstruct.reconstruct(progress=lambda _: None), tmp_path)
    assert {Path(path).name for path in written} == set(COHORT_FILES)
    for name in COHORT_FILES:
        assert _digest(tmp_path / name) == _digest(COMMITTED / name), f"{name} differs from the committed file"


@pytest.mark.slow
def test_reconstruct_command_regenerates_the_committed_fidelity_and_certificates_byte_identically(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "anakinra_rescue", "reconstruct", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for name in FILES:
        assert _digest(tmp_path / name) == _digest(COMMITTED / name), f"{name} differs from the committed file"


@pytest.mark.parametrize("variable", ["age_years", "charlson_index", "heart_rate_bpm"])
def test_another_seed_solves_a_row_with_different_values_that_print_the_same(variable):
    """Covers the seed's effect on the row solver only; the whole cohort of seed 7 is the slow test below."""
    import numpy as np

    from anakinra_rescue.data import published
    from anakinra_rescue.reconstruction.solver import solve_row_with_restarts

    record = published.load_published_record()
    problem = reconstruct.row_problem(record, variable, reconstruct._availability(record, variable))
    first = solve_row_with_restarts(problem, np.random.default_rng(reconstruct.DEFAULT_SEED))
    second = solve_row_with_restarts(problem, np.random.default_rng(7))
    assert first.matched == second.matched == first.total, (first.missed, second.missed)
    assert sorted(first.anakinra) != sorted(second.anakinra) or sorted(first.control) != sorted(second.control)


@pytest.mark.slow
def test_another_seed_gives_a_different_cohort_meeting_the_same_rules(committed, tmp_path):
    other = reconstruct.reconstruct(seed=7, progress=lambda message: None)
    reconstruct.write_reconstruction(other, tmp_path)
    cohort = io.load_cohort(tmp_path)
    assert _digest(tmp_path / "patients.csv") != _digest(COMMITTED / "patients.csv")
    assert (cohort.patients["cohort"] == "anakinra").sum() == 20
    assert len(matching.match_controls(cohort.patients, cohort.daily_status).pairs) == 20
    # The committed sensitivity runs hold this seed's paired reanalysis: recompute it and compare.
    committed_rows = pd.read_csv(COMMITTED / "sensitivity.csv")
    expected = committed_rows[committed_rows["seed"] == 7].reset_index(drop=True)
    pd.testing.assert_frame_equal(sensitivity.cohort_rows(7, tmp_path).reset_index(drop=True), expected, check_dtype=False)


def test_committed_cohort_has_the_designed_shape(committed):
    patients = committed.patients
    cases = patients[patients["cohort"] == "anakinra"]
    pool = patients[patients["cohort"] == "historical"]
    assert len(cases) == 20 and len(pool) >= 100
    assert cases["anakinra_start_date"].between("2020-04-06", "2020-05-08").all()
    assert pool["tocilizumab_start_date"].between("2020-03-18", "2020-05-14").all()


def test_engine_matching_selects_twenty_controls_and_uses_every_rejection_reason(committed):
    result = matching.match_controls(committed.patients, committed.daily_status)
    assert len(result.pairs) == 20 and result.unmatched.empty
    counts = matching.rejection_counts(result.log).set_index("reason")["candidates"]
    assert (counts > 0).all(), counts.to_dict()


def test_committed_fidelity_explains_every_number_that_does_not_match():
    fidelity = pd.read_csv(COMMITTED / "fidelity.csv", dtype=str, keep_default_na=False)
    from anakinra_rescue.examination.fidelity import VERDICTS

    reproduced = fidelity["status"].isin(["reproduced", "reproduced_with_other_test"])
    assert set(fidelity["status"]) <= set(VERDICTS)
    assert reproduced.sum() >= 400
    assert (fidelity.loc[~reproduced, "reason"].str.len() > 20).all()
    # a reproduced number has no reason, unless it holds only when its exact decimal half is rounded up
    reasons = fidelity.loc[fidelity["status"] == "reproduced", "reason"]
    assert (reasons.eq("") | reasons.str.startswith("reproduced under half-up rounding only")).all()


def test_organism_counts_regenerate_from_the_committed_infections(committed):
    """The Results' organisms (2 Klebsiella pneumonias, 2 E. faecalis and 1 CoNS catheter bacteraemia) are
    counted from infections.csv, and every infected analysed patient has exactly one row there."""
    from anakinra_rescue.engine.outcomes import INFECTION_ROWS

    fidelity = pd.read_csv(COMMITTED / "fidelity.csv", dtype=str, keep_default_na=False).set_index("variable")
    organisms = fidelity.loc[list(INFECTION_ROWS)]
    assert (organisms["status"] == "reproduced").all(), organisms[["published", "regenerated", "status"]]
    assert committed.infections is not None and committed.infections["patient_id"].is_unique
    flagged = committed.patients.loc[committed.patients["had_bacterial_infection"].fillna(False).astype(bool), "patient_id"]
    analysed = set(
        matching.match_controls(committed.patients, committed.daily_status, with_log=False)
        .pairs[["case_id", "control_id"]]
        .to_numpy()
        .ravel()
    )
    assert set(committed.infections["patient_id"]) == set(flagged) & analysed


def test_the_stamp_moves_with_any_module_the_reconstruction_may_import_and_not_with_the_book(tmp_path, monkeypatch):
    import shutil

    from anakinra_rescue.reconstruction import stamp

    copy = tmp_path / "anakinra_rescue"
    shutil.copytree(stamp.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stamp, "PACKAGE", copy)
    before = stamp.code_digest()
    with (copy / "book" / "views.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a book change\n")
    assert stamp.code_digest() == before  # the reconstruction cannot import the book (tests/test_architecture.py)
    with (copy / "engine" / "stats.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an engine change\n")
    assert stamp.code_digest() != before
