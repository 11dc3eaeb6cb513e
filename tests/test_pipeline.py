"""Tests of anakinra_rescue.engine.pipeline: the one place the study's steps are chained."""

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data.files import RECONSTRUCTED_DIR
from anakinra_rescue.data.problems import CohortValidationError
from anakinra_rescue.engine import pipeline
from anakinra_rescue.engine.config import DEFAULT

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small_cohort"
SRC = Path(__file__).resolve().parents[1] / "src" / "anakinra_rescue"


def test_run_on_the_fixture_compares_every_printed_number():
    analysis = pipeline.run(FIXTURE)
    assert len(analysis.compared) == len(analysis.record)
    assert set(analysis.frame["group"]) == {"anakinra", "control"}
    assert len(analysis.matched.pairs) == (analysis.cohort.patients["cohort"] == "anakinra").sum() - len(analysis.matched.unmatched)


def test_the_configuration_reaches_every_step():
    """Two outcome days instead of three: Table 3 and the patient frame both lose day 21."""
    analysis = pipeline.run(FIXTURE, replace(DEFAULT, outcome_days=(7, 14)))
    table3 = analysis.regenerated[analysis.regenerated["source"] == "table3"]
    assert "improvement_day14" in set(table3["variable"]) and "improvement_day21" not in set(table3["variable"])
    assert "ordinal_status_day21" not in analysis.frame.columns


def test_without_the_log_the_pairs_are_the_same():
    with_log, without = pipeline.run(FIXTURE), pipeline.run(FIXTURE, with_log=False)
    assert with_log.matched.pairs.equals(without.matched.pairs) and without.matched.log.empty and not with_log.matched.log.empty


def test_invalid_input_raises_the_located_report(tmp_path):
    with pytest.raises(CohortValidationError):
        pipeline.run(tmp_path / "nowhere")


@pytest.mark.parametrize("step", ["derive_patient_frame(", "all_tidy(", "comparison.compare("])
def test_the_steps_are_chained_only_in_the_pipeline(step):
    callers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                     if re.search(rf"(?<!def ){re.escape(step)}", path.read_text(encoding="utf-8")))
    assert callers == ["engine/pipeline.py"], f"{step} is called outside the pipeline: {callers}"


def test_the_patient_frame_in_batches_equals_the_frame_in_one(monkeypatch):
    """Registry scale: pairs taken in batches, their rows spilled to Arrow files, give the same frame."""
    cohort, matched = pipeline.match(RECONSTRUCTED_DIR, with_log=False)
    whole = pipeline.patient_frame(cohort, matched.pairs)
    monkeypatch.setattr(pipeline, "FULL_ROWS_AT_ONCE", 300)  # about five pairs' rows per batch
    batched = pipeline.patient_frame(cohort, matched.pairs)
    pd.testing.assert_frame_equal(batched, whole)
