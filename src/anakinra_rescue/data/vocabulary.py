"""The project's words, each defined once: comparison statuses, verdicts, audit statuses, groups, the ordinal levels
and the names of the derived per-patient columns.

Each vocabulary is an ``enum.StrEnum`` (or an ``enum.IntEnum`` for the ordinal levels): a member *is* its
string (or number), so it is written to CSV, compared with a column and printed exactly as the bare word was, while
a misspelt member fails at import instead of silently matching nothing. Pinned by ``tests/test_vocabulary.py``.
"""

from enum import IntEnum, StrEnum

from anakinra_rescue.schemas.published import COMPARED_GROUPS, Group

__all__ = [
    "ARMS",
    "AuditStatus",
    "Group",
    "Level",
    "StatisticalTest",
    "Status",
    "Verdict",
    "day_column",
    "score_difference_column",
]


class Status(StrEnum):
    """How one regenerated number compares with the printed one (:func:`anakinra_rescue.engine.comparison.status_of`)."""

    MATCH = "match"  # prints as the article printed it, at the precision compared
    MISMATCH = "mismatch"  # anything else, one unit in the last digit included
    NOT_COMPUTED = "not_computed"  # the data or the settings give no value for that number


class Verdict(StrEnum):
    """What the book says of every printed number (:mod:`anakinra_rescue.examination.fidelity`)."""

    REPRODUCED = "reproduced"
    OTHER_TEST = "reproduced_with_other_test"
    PROVEN = "proven_impossible"
    INCONSISTENT = "article_inconsistent"
    ATTAINABLE = "attainable_not_reached"
    NOT_COMPUTABLE = "not_computable"
    OPEN = "open_question"


class AuditStatus(StrEnum):
    """What the audit says of a printed number checked against the article's other numbers
    (:mod:`anakinra_rescue.examination.audit`); it shares three words with :class:`Verdict`."""

    CONSISTENT = "consistent"
    INCONSISTENT = Verdict.INCONSISTENT.value
    PROVEN = Verdict.PROVEN.value
    OTHER_TEST = Verdict.OTHER_TEST.value
    FROM_RECONSTRUCTION = "from_reconstruction"
    NOT_CHECKED = "not_checked"


# The audit's statuses in a reader's words, distinct from the fidelity verdicts' words where the two classify
# differently: the audit's joint check can reject a number that the cohort still prints (its clash may involve a
# sibling that is itself impossible), so its "inconsistent" count is not the verdict "article inconsistent".
# The book shows these words (anakinra_rescue.book.render); audit.csv keeps the statuses.
AUDIT_WORDS: dict[str, str] = {
    AuditStatus.CONSISTENT: "consistent",
    AuditStatus.INCONSISTENT: "clashes with other printed numbers",
    AuditStatus.PROVEN: "proven impossible",
    AuditStatus.OTHER_TEST: "reproduced with another test",
    AuditStatus.FROM_RECONSTRUCTION: "checked against the cohort only",
    AuditStatus.NOT_CHECKED: "not checked",
}

ARMS = COMPARED_GROUPS  # Group.ANAKINRA, Group.CONTROL; Group itself is defined with the record's schema


class StatisticalTest(StrEnum):
    """The name of the test or estimate behind a P-value or an interval, as the ``test`` column of every output says."""

    CHI2 = "chi2"  # Pearson chi-squared without continuity correction
    CHI2_YATES = "chi2_yates"
    FISHER = "fisher"  # two-sided
    STUDENT_T = "student_t"  # pooled variance
    WELCH_T = "welch_t"
    MANN_WHITNEY_ASYMPTOTIC = "mann_whitney_asymptotic"  # normal approximation with tie correction (SPSS)
    MANN_WHITNEY_EXACT = "mann_whitney_exact"
    MANN_WHITNEY_PERMUTATION = "mann_whitney_permutation"  # exact with ties, by enumeration
    ODDS_RATIO_WOOLF = "odds_ratio_woolf"
    ODDS_RATIO_WOOLF_CONTROL_VS_ANAKINRA = "odds_ratio_woolf_control_vs_anakinra"  # Table 3's interval column


class Level(IntEnum):
    """The 6-point ordinal scale (the schema :mod:`anakinra_rescue.schemas.cohort` states each level in words)."""

    NOT_HOSPITALISED = 1
    HOSPITALISED_NO_OXYGEN = 2
    LOW_FLOW_OXYGEN = 3
    HIGH_FLOW_OR_NONINVASIVE = 4
    INVASIVE_VENTILATION = 5
    DEATH = 6


def day_column(quantity: str, day: int) -> str:
    """The name of a per-patient column measured by a day: ``day_column("improvement", 7)`` is ``improvement_day7``."""
    return f"{quantity}_day{day}"


def score_difference_column(day: int, sign: str) -> str:
    """The per-patient score difference of day ``day`` under one sign convention (``day0_minus_dayk`` or
    ``dayk_minus_day0``): ``score_difference_day7_day0_minus_dayk``; the tables read the configured one."""
    return f"{day_column('score_difference', day)}_{sign}"
