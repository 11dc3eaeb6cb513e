"""Schema of the published record: every number the article prints, as text."""

from enum import StrEnum

import pandera.pandas as pa
from pandera.typing import Series


class Group(StrEnum):
    """The group a printed number belongs to: one of the two arms, both together, or the comparison between them."""

    ANAKINRA = "anakinra"
    CONTROL = "control"
    OVERALL = "overall"
    COMPARISON = "comparison"


SOURCES = ("abstract", "results", "table1", "table2", "table3", "discussion")
COMPARED_GROUPS = (Group.ANAKINRA, Group.CONTROL)  # the two groups the study compares: cases and matched controls
GROUPS = tuple(Group)
STATISTICS = (
    "n",
    "denominator",
    "pct",
    "mean",
    "sd",
    "median",
    "q1",
    "q3",
    "p_value",
    "ci_low",
    "ci_high",
)
# A printed value: an optional bound sign, an optional minus, digits, an optional
# decimal part. Thousands separators are removed on transcription.
PRINTED_NUMBER_PATTERN = r"^[<>]?-?\d+(\.\d+)?$"
SNAKE_CASE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"


class PublishedNumber(pa.DataFrameModel):
    """One number printed in the article, keyed by where it appears."""

    source: Series[str] = pa.Field(
        isin=SOURCES,
        description="Part of the article that prints the number.",
    )
    variable: Series[str] = pa.Field(
        str_matches=SNAKE_CASE_PATTERN,
        description="Row of the table or quantity in the text, in snake_case with a unit suffix where one applies.",
    )
    group: Series[str] = pa.Field(
        isin=GROUPS,
        description="anakinra cases, historical controls, both together (overall), or a between-group comparison.",
    )
    statistic: Series[str] = pa.Field(
        isin=STATISTICS,
        description="What the number is: a count, a denominator, a percentage, a summary statistic, a P-value or a CI bound.",
    )
    value: Series[str] = pa.Field(
        str_matches=PRINTED_NUMBER_PATTERN,
        description="The number as printed (text, so '0.990' keeps its trailing zero); '<0.001'-style bounds allowed.",
    )
    note: Series[str] = pa.Field(
        nullable=True,
        description="Oddities of the printed number: label disagreements, garbled characters, implied denominators.",
    )

    class Config:
        strict = True
        coerce = True
        unique = ["source", "variable", "group", "statistic"]
