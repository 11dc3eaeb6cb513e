"""Tests of anakinra_rescue.engine.matching against the plain loop in tests/matching_reference.py."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_reference import reference_match

from anakinra_rescue.data import io, published, simulate
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.engine import matching
from anakinra_rescue.engine.config import REJECTION_REASONS

FIXTURE = "tests/fixtures/small_cohort"


def _engine(patients, daily):
    result = matching.match_controls(patients, daily)
    pairs = list(result.pairs[["case_id", "control_id", "pseudo_date"]].itertuples(index=False, name=None))
    log = list(result.log[["case_id", "candidate_id", "reason"]].itertuples(index=False, name=None))
    return result, pairs, log


@settings(max_examples=40, deadline=None)
@given(
    n_patients=st.integers(min_value=2, max_value=120),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    case_fraction=st.floats(min_value=0.05, max_value=0.6),
)
def test_engine_agrees_with_reference_loop(n_patients, seed, case_fraction):
    patients, daily = simulate.random_cohort(n_patients, seed=seed, case_fraction=case_fraction, max_stay_days=15)
    result, pairs, log = _engine(patients, daily)
    expected_pairs, expected_log = reference_match(patients, daily)
    assert [(case, control, pd.Timestamp(date)) for case, control, date in pairs] == expected_pairs
    assert log == expected_log
    _check_invariants(patients, daily, result)


def _check_invariants(patients, daily, result):
    """No control twice; every pair meets every rule; no earlier unused eligible candidate skipped."""
    assert result.pairs["control_id"].is_unique
    by_id = patients.set_index("patient_id")
    status = daily.set_index(["patient_id", "date"])["ordinal_status"]
    for pair in result.pairs.itertuples(index=False):
        case, control = by_id.loc[pair.case_id], by_id.loc[pair.control_id]
        assert control["cohort"] == "historical"
        assert abs(case["age_years"] - control["age_years"]) <= 5
        assert abs(case["charlson_index"] - control["charlson_index"]) <= 2
        assert status[(pair.control_id, pair.pseudo_date)] == status[(pair.case_id, pair.day0_date)] == pair.day0_status
        window = pd.date_range(control["tocilizumab_start_date"], pair.pseudo_date)
        assert (
            min(status[(pair.control_id, day)] for day in window) >= status[(pair.control_id, control["tocilizumab_start_date"])]
        )
        for moment in ("discharge_date", "death_date"):
            assert pd.isna(control[moment]) or control[moment] > pair.pseudo_date
    # The selected candidate is the last logged for its case; all earlier ones were rejected.
    for case_id, rows in result.log.groupby("case_id", sort=False):
        reasons = list(rows["reason"])
        assert "selected" not in reasons[:-1]
        assert set(reasons) <= {*REJECTION_REASONS, "selected"}
    assert set(result.unmatched["case_id"]).isdisjoint(result.pairs["case_id"])


def test_fixture_cohort_matches_as_designed():
    cohort = io.load_cohort(FIXTURE)
    result = matching.match_controls(cohort.patients, cohort.daily_status)
    assert list(result.pairs["case_id"]) == ["A1", "A2"]
    assert list(result.pairs["control_id"]) == ["H5", "H6"]
    assert list(result.unmatched["case_id"]) == ["A3"]
    log = result.log[result.log["case_id"] == "A1"]
    assert list(zip(log["candidate_id"], log["reason"])) == [
        ("H1", "age"),
        ("H2", "charlson"),
        ("H3", "not_in_hospital"),
        ("H4", "improved"),
        ("H7", "status_differs"),
        ("H5", "selected"),
    ]
    assert result.log[result.log["case_id"] == "A2"]["reason"].iloc[-2:].tolist() == ["already_matched", "selected"]


def test_matching_is_deterministic_and_independent_of_row_order():
    patients, daily = simulate.random_cohort(200, seed=11)
    first = matching.match_controls(patients, daily)
    shuffled = matching.match_controls(patients.sample(frac=1, random_state=1), daily.sample(frac=1, random_state=2))
    pd.testing.assert_frame_equal(first.pairs, shuffled.pairs)
    pd.testing.assert_frame_equal(first.log, shuffled.log)


def test_ties_on_tocilizumab_start_are_broken_by_patient_id():
    patients, daily = simulate.random_cohort(80, seed=5)
    pool = matching.ordered_pool(patients)
    same_day = pool.groupby("tocilizumab_start_date")["patient_id"]
    assert all(list(ids) == sorted(ids) for _, ids in same_day)


def test_rejection_counts_cover_every_reason():
    patients, daily = simulate.random_cohort(150, seed=2)
    result = matching.match_controls(patients, daily)
    counts = matching.rejection_counts(result.log)
    assert list(counts["reason"]) == [*REJECTION_REASONS, "selected"]
    assert counts["candidates"].sum() == len(result.log)
    assert counts.set_index("reason").loc["selected", "candidates"] == len(result.pairs)


def test_without_log_gives_the_same_pairs():
    patients, daily = simulate.random_cohort(150, seed=9)
    with_log = matching.match_controls(patients, daily)
    without = matching.match_controls(patients, daily, with_log=False)
    pd.testing.assert_frame_equal(with_log.pairs, without.pairs)
    assert without.log.empty


def _run_cli(*args):
    import cli_runner

    return cli_runner.run(*args)


def test_match_command_writes_pairs_log_and_unmatched(tmp_path):
    result = _run_cli("match", FIXTURE, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "2 pairs, 1 unmatched cases" in result.stdout
    pairs = pd.read_csv(tmp_path / "pairs.csv")
    assert list(pairs.columns) == matching.PAIR_COLUMNS and list(pairs["control_id"]) == ["H5", "H6"]
    assert len(pd.read_csv(tmp_path / "matching_log.csv")) == 20
    assert list(pd.read_csv(tmp_path / "unmatched.csv")["case_id"]) == ["A3"]


def test_tables_command_writes_every_table(tmp_path):
    result = _run_cli("tables", FIXTURE, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = {"table1.csv", "table2.csv", "table3.csv", "figure1.csv", "regenerated.csv", "comparison.csv"}
    assert names <= {path.name for path in tmp_path.iterdir()}
    compared = pd.read_csv(tmp_path / "comparison.csv")
    assert len(compared) == len(published.load_published_record())
    assert set(compared["status"]) <= set(Status) and Status.MATCH in set(compared["status"])


def test_match_and_tables_reject_invalid_input_with_the_validate_report(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "patients.csv").write_text("patient_id;cohort\n", encoding="utf-8")
    (bad / "daily_status.csv").write_text("", encoding="utf-8")
    for command in ("match", "tables"):
        result = _run_cli(command, str(bad), "--out", str(tmp_path / "out"))
        assert result.returncode == 1
        assert "wrong_delimiter" in result.stderr and "file_empty" in result.stderr
        assert not (tmp_path / "out").exists()
