"""Schemas of the frames the engine derives from the data: the per-patient frame, every regenerated number, every
printed number beside its regenerated one, and the audit's rows.

The input files have their data dictionary in :mod:`anakinra_rescue.schemas.cohort`; these models are the same
contract for what the pipeline hands on, so a defect that breaks a derived frame (a group that is neither arm, a
P-value above 1, a status outside :class:`~anakinra_rescue.data.vocabulary.Status`, a key given twice) stops the run
where it happens instead of printing a wrong table. :func:`anakinra_rescue.engine.pipeline.run` checks the first
three; :func:`anakinra_rescue.examination.audit.audit_rows` the last. Pinned by ``tests/test_frames.py``.
"""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from anakinra_rescue.data.published import KEYS
from anakinra_rescue.data.vocabulary import ARMS, AuditStatus, StatisticalTest, Status, Verdict
from anakinra_rescue.schemas.published import GROUPS, SOURCES, STATISTICS

TEST_WORDS = ["", *StatisticalTest]


class PatientFrame(pa.DataFrameModel):
    """One row per analysed patient (cases, then controls, by pair): the columns every table reads first. The
    frame holds more columns (one per table row); they are checked by the tables that read them."""

    patient_id: Series[str] = pa.Field(unique=True, nullable=False)
    group: Series[str] = pa.Field(isin=list(ARMS))
    pair_number: Series[int] = pa.Field(ge=1)
    day0_date: Series[pd.Timestamp] = pa.Field(nullable=False)

    class Config:
        strict = False  # a column per table row, and per configured day
        coerce = True  # types are checked on a coerced copy: an empty frame (no pair) has object columns

    @pa.dataframe_check
    @classmethod
    def each_pair_has_one_case_and_one_control(cls, frame: pd.DataFrame) -> bool:
        """Every pair number appears once in each arm."""
        per_arm = frame.groupby("group")["pair_number"]
        return bool(per_arm.apply(lambda numbers: numbers.is_unique).all()) and frame.groupby("pair_number").size().eq(2).all()


class RegeneratedNumbers(pa.DataFrameModel):
    """Every regenerated number in long form, keyed like the published record."""

    source: Series[str] = pa.Field(isin=list(SOURCES))
    variable: Series[str] = pa.Field(str_length={"min_value": 1})
    group: Series[str] = pa.Field(isin=list(GROUPS))
    statistic: Series[str] = pa.Field(isin=list(STATISTICS))
    value: Series[float] = pa.Field(nullable=True)
    test: Series[str] = pa.Field(isin=TEST_WORDS)

    class Config:
        strict = True
        unique = KEYS
        coerce = True

    @pa.dataframe_check
    @classmethod
    def p_values_and_percentages_lie_in_their_ranges(cls, frame: pd.DataFrame) -> pd.Series:
        """A P-value lies in [0, 1] and a percentage in [0, 100]; a P-value names its test."""
        value = frame["value"]
        is_p, is_pct = frame["statistic"] == "p_value", frame["statistic"] == "pct"
        p_ok = ~is_p | (value.isna() | value.between(0, 1)) & (frame["test"] != "")
        pct_ok = ~is_pct | value.isna() | value.between(0, 100)
        return p_ok & pct_ok


class ComparedNumbers(pa.DataFrameModel):
    """Every printed number with its regenerated value and status (a verdict and reason once fidelity explained it)."""

    source: Series[str] = pa.Field(isin=list(SOURCES))
    variable: Series[str]
    group: Series[str] = pa.Field(isin=list(GROUPS))
    statistic: Series[str] = pa.Field(isin=list(STATISTICS))
    published: Series[str] = pa.Field(str_length={"min_value": 1})
    regenerated: Series[str]
    regenerated_value: Series[float] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=list(Status))
    test: Series[str] = pa.Field(isin=TEST_WORDS)
    verdict: Series[str] | None = pa.Field(isin=list(Verdict))
    reason: Series[str] | None

    class Config:
        strict = False  # the record's note column travels along
        unique = KEYS
        coerce = True

    @pa.dataframe_check
    @classmethod
    def a_number_not_computed_shows_no_value(cls, frame: pd.DataFrame) -> pd.Series:
        """The regenerated text is blank exactly when no value was computed (or "<k" when withheld)."""
        missing = frame["status"] == Status.NOT_COMPUTED
        return ~missing | (frame["regenerated"] == "") | frame["regenerated"].str.startswith("<")


class AuditRows(pa.DataFrameModel):
    """One row per printed number: what the article's other numbers say of it."""

    source: Series[str] = pa.Field(isin=list(SOURCES))
    variable: Series[str]
    group: Series[str] = pa.Field(isin=list(GROUPS))
    statistic: Series[str] = pa.Field(isin=list(STATISTICS))
    published: Series[str]
    recomputed: Series[str]
    status: Series[str] = pa.Field(isin=list(AuditStatus))
    test: Series[str]
    explanation: Series[str]

    class Config:
        strict = True
        unique = KEYS
        coerce = True


def checked(frame: pd.DataFrame, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """``frame`` after ``model`` validated it (every failure at once, on a coerced copy); the frame itself is not
    changed."""
    model.validate(frame, lazy=True)
    return frame
