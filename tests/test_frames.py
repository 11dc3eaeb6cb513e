"""Tests of anakinra_rescue.engine.frames: the derived frames the pipeline hands on are checked, and a broken one stops."""

import pandas as pd
import pandera.pandas as pa
import pytest

from anakinra_rescue.engine import frames
from anakinra_rescue.examination import audit


def test_the_committed_cohorts_frames_pass_their_schemas(analysis):
    frames.checked(analysis.frame, frames.PatientFrame)
    frames.checked(analysis.regenerated, frames.RegeneratedNumbers)
    frames.checked(analysis.compared, frames.ComparedNumbers)
    frames.checked(audit.audit_rows(analysis.record, analysis.compared), frames.AuditRows)


def _broken(frame: pd.DataFrame, row: int, column: str, value) -> pd.DataFrame:
    copy = frame.copy()
    copy.loc[copy.index[row], column] = value
    return copy


@pytest.mark.parametrize(
    ("which", "column", "value", "words"),
    [
        ("frame", "group", "placebo", "isin"),
        ("frame", "pair_number", 0, "greater_than_or_equal_to"),
        ("regenerated", "statistic", "mode", "isin"),
        ("regenerated", "test", "t_test", "isin"),
        ("compared", "status", "rounding", "isin"),
        ("compared", "verdict", "maybe", "isin"),
    ],
)
def test_a_broken_frame_is_stopped_naming_the_column_and_the_rule(analysis, which, column, value, words):
    model = {"frame": frames.PatientFrame, "regenerated": frames.RegeneratedNumbers, "compared": frames.ComparedNumbers}[which]
    with pytest.raises(pa.errors.SchemaErrors) as raised:
        frames.checked(_broken(getattr(analysis, which), 0, column, value), model)
    assert column in str(raised.value) and words in str(raised.value)


def test_a_p_value_above_one_and_a_key_given_twice_are_stopped(analysis):
    numbers = analysis.regenerated
    p_row = int((numbers["statistic"] == "p_value").to_numpy().argmax())
    with pytest.raises(pa.errors.SchemaErrors, match="p_values_and_percentages_lie_in_their_ranges"):
        frames.checked(_broken(numbers, p_row, "value", 1.5), frames.RegeneratedNumbers)
    with pytest.raises(pa.errors.SchemaErrors, match="unique"):
        frames.checked(pd.concat([numbers, numbers.iloc[:1]], ignore_index=True), frames.RegeneratedNumbers)


def test_a_pair_without_its_control_is_stopped(analysis):
    with pytest.raises(pa.errors.SchemaErrors, match="each_pair_has_one_case_and_one_control"):
        frames.checked(analysis.frame.iloc[1:], frames.PatientFrame)
