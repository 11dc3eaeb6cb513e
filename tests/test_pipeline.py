"""Tests of anakinra_rescue.engine.pipeline: the one place the study's steps are chained."""

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data.files import RECONSTRUCTED_DIR
from anakinra_rescue.data.problems import CohortValidationError
from anakinra_rescue.engine import pipeline
from anakinra_rescue.engine.config import STATED_RULE

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small_cohort"
SRC = Path(__file__).resolve().parents[1] / "src" / "anakinra_rescue"


def test_run_on_the_fixture_compares_every_printed_number():
    analysis = pipeline.run(FIXTURE)
    assert len(analysis.compared) == len(analysis.record)
    assert set(analysis.frame["group"]) == {"anakinra", "control"}
    assert len(analysis.matched.pairs) == (analysis.cohort.patients["cohort"] == "anakinra").sum() - len(
        analysis.matched.unmatched
    )


# Outcome, mortality and discharge days 7 and 14 only, and the stated test rule without the article's departures.
TWO_WEEKS_STATED = replace(STATED_RULE, outcome_days=(7, 14), mortality_days=(7, 14), discharge_days=(14,))


@pytest.fixture(scope="module")
def two_weeks_stated():
    return pipeline.run(RECONSTRUCTED_DIR, TWO_WEEKS_STATED, with_log=False)


def _expected_test(row) -> str:
    """The stated rule, recomputed here from the printed counts of a displayed n (%) row: Fisher when an expected
    count of the 2x2 table is below 5, else chi-squared."""
    counts = [int(row[group].split(" ")[0]) for group in ("anakinra", "control")]
    sizes = [20, 20]
    total_yes, total = sum(counts), sum(sizes)
    expected = [size * share / total for size in sizes for share in (total_yes, total - total_yes)]
    return "fisher" if min(expected) < 5 else "chi2"


def test_the_settings_reach_every_file_the_tables_command_writes(two_weeks_stated, tmp_path):
    """Every output is formatted from the analysis under its own settings: no day 21 anywhere but in the printed
    record's own keys, and each n (%) P-value from the test the stated rule picks for its printed counts."""
    analysis = two_weeks_stated
    assert analysis.config == TWO_WEEKS_STATED
    written = {name: pipeline.write_csv(build(), tmp_path / name) for name, build in pipeline.table_outputs(analysis).items()}
    assert sorted(written) == [
        "ard.csv",
        "comparison.csv",
        "figure1.csv",
        "regenerated.csv",
        "table1.csv",
        "table2.csv",
        "table3.csv",
    ]
    for name, path in written.items():
        frame = pd.read_csv(path, keep_default_na=False)
        if name == "comparison.csv":  # the article's day-21 numbers are listed, none regenerated
            day21 = frame[frame["variable"].str.contains("day21")]
            assert len(day21) > 0 and (day21["regenerated"] == "").all() and (day21["status"] == "not_computed").all()
        elif name == "figure1.csv":
            assert sorted(set(frame["day"])) == [0, 7, 14]
        else:
            assert not frame.astype(str).apply(lambda column: column.str.contains("day21")).any().any(), name
    table3 = pd.read_csv(written["table3.csv"], keep_default_na=False).set_index("variable")
    assert list(table3.index) == [
        "improvement_day7",
        "ordinal_status_day7",
        "score_difference_day7",
        "improvement_day14",
        "ordinal_status_day14",
        "score_difference_day14",
        "mortality_day7",
        "mortality_day14",
        "discharge_day14",
        "in_hospital_mortality",
    ]
    regenerated = pd.read_csv(written["regenerated.csv"], keep_default_na=False)
    p_values = regenerated[regenerated["statistic"] == "p_value"].drop_duplicates(["variable"]).set_index("variable")
    for table in ("table1.csv", "table2.csv", "table3.csv"):
        shown = pd.read_csv(written[table], keep_default_na=False, dtype=str).set_index("variable")
        for variable, row in shown[shown["p_value"] != ""].iterrows():
            assert row["test"] == p_values.loc[variable, "test"], (table, variable)
            assert row["p_value"] == f"{float(p_values.loc[variable, 'value']):.3f}", (table, variable)
            if "(" in row["anakinra"] and "–" not in row["anakinra"] and "±" not in row["anakinra"]:
                assert row["test"] == _expected_test(row), (table, variable, row["anakinra"], row["control"])
    table1 = pd.read_csv(written["table1.csv"], keep_default_na=False).set_index("variable")
    assert table1.loc["received_azithromycin", "test"] == "fisher"  # the article printed chi-squared's P (an override)


def test_the_book_shows_what_the_files_say_under_other_settings(two_weeks_stated, tmp_path):
    """The book's tables, its tests-by-row list and the reanalysis read the same analysis as the files."""
    from anakinra_rescue.book import views
    from anakinra_rescue.examination import balance, fidelity, reanalysis

    analysis = replace(
        two_weeks_stated, compared=fidelity.explain(two_weeks_stated.compared, two_weeks_stated.record, two_weeks_stated.config)
    )
    for source in ("table1", "table2", "table3"):
        shown = views.regenerated_table(analysis, source)
        file = analysis.displayed(source)
        assert list(shown["variable"]) == list(file["variable"]) and list(shown["test"]) == list(file["test"])
        assert [cell.split(" ")[0] for cell in shown["p_value"]] == list(file["p_value"])
    assert "fisher" == views.tests_by_row(analysis).set_index("variable").loc["received_azithromycin", "test"]
    paired = reanalysis.paired_reanalysis(analysis).set_index("outcome")
    assert "improvement_day21" not in paired.index and "mortality_day7" in paired.index
    unpaired = analysis.tidy("table3").query("statistic == 'p_value'").set_index("variable")
    assert (paired["unpaired P"] == unpaired.loc[paired.index, "value"]).all()
    assert (paired["unpaired test"] == unpaired.loc[paired.index, "test"]).all()
    balanced = balance.balance_table(analysis).set_index("variable")
    assert balanced.loc["received_azithromycin", "test"] == "fisher"
    assert "test_overrides" in views.settings_used(analysis).data and "outcome_days" in views.settings_used(analysis).data


def test_without_the_log_the_pairs_are_the_same():
    with_log, without = pipeline.run(FIXTURE), pipeline.run(FIXTURE, with_log=False)
    assert with_log.matched.pairs.equals(without.matched.pairs) and without.matched.log.empty and not with_log.matched.log.empty


def test_invalid_input_raises_the_located_report(tmp_path):
    with pytest.raises(CohortValidationError):
        pipeline.run(tmp_path / "nowhere")


@pytest.mark.parametrize("step", ["derive_patient_frame(", "all_tidy(", "comparison.compare("])
def test_the_steps_are_chained_only_in_the_pipeline(step):
    callers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if re.search(rf"(?<!def ){re.escape(step)}", path.read_text(encoding="utf-8"))
    )
    assert callers == ["engine/pipeline.py"], f"{step} is called outside the pipeline: {callers}"


def test_the_patient_frame_in_batches_equals_the_frame_in_one(monkeypatch):
    """Registry scale: pairs taken in batches, their rows spilled to Arrow files, give the same frame."""
    cohort, matched = pipeline.match(RECONSTRUCTED_DIR, with_log=False)
    whole = pipeline.patient_frame(cohort, matched.pairs)
    monkeypatch.setattr(pipeline, "FULL_ROWS_AT_ONCE", 300)  # about five pairs' rows per batch
    batched = pipeline.patient_frame(cohort, matched.pairs)
    pd.testing.assert_frame_equal(batched, whole)


def test_a_cohort_where_no_pair_forms_still_writes_every_file(tmp_path):
    """Five random patients give no pair: every output is written, empty where it has no data, with no warning
    (warnings are errors here) and no schema failure on the empty patient frame."""
    from anakinra_rescue.data import csv_writer, simulate

    patients, daily = simulate.random_cohort(5, seed=3)
    csv_writer.write_cohort(patients, daily, tmp_path / "tiny")
    analysis = pipeline.run(tmp_path / "tiny", with_log=False)
    assert analysis.matched.pairs.empty and analysis.frame.empty
    for name, build in pipeline.table_outputs(analysis).items():
        assert pipeline.write_csv(build(), tmp_path / name).is_file(), name
    group_sizes = analysis.tidy("table1").query("variable == 'group_size'")["value"]
    assert (group_sizes == 0).all()
