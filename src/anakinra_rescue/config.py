"""Operational definitions of the study, in one place.

Every rule the engine applies that the article leaves to interpretation lives
here with its default, as read in ``shared/DESIGN.md``: matching windows, the
order in which matching rules are checked, outcome days, the improvement
threshold, the Fisher-or-chi-squared switch and the quantile definition.
Functions take a :class:`StudyConfig` argument defaulting to :data:`DEFAULT`;
pass ``dataclasses.replace(DEFAULT, ...)`` to try another reading.
"""

from dataclasses import dataclass, field

# Matching rejection reasons, in the order they are checked.
REJECTION_REASONS = ("already_matched", "age", "charlson", "not_in_hospital", "improved", "status_differs")
SELECTED = "selected"


@dataclass(frozen=True)
class MatchingRules:
    """The first-eligible chronological matching rule of the article."""

    max_age_difference_years: int = 5
    max_charlson_difference: int = 2
    # In hospital on the pseudo date: discharge and death both strictly after it.
    # The no-improvement window runs from tocilizumab start to the pseudo date, both included.
    rejection_order: tuple[str, ...] = REJECTION_REASONS


@dataclass(frozen=True)
class StudyConfig:
    """All the definitions the engine uses; :data:`DEFAULT` reproduces the article's stated methods."""

    matching: MatchingRules = field(default_factory=MatchingRules)
    outcome_days: tuple[int, ...] = (7, 14, 21)
    mortality_days: tuple[int, ...] = (14, 21)
    discharge_days: tuple[int, ...] = (21,)
    # Improvement by day k: discharged by day k, or status at least this many points below day 0.
    improvement_points: int = 1
    # Pre-inclusion peaks and nadirs use days strictly before day 0.
    baseline_includes_day0: bool = False
    # Fisher's exact test replaces chi-squared when any expected count is strictly below this.
    fisher_expected_below: float = 5.0
    # numpy.percentile method reproducing SPSS EXAMINE's default HAVERAGE quartiles.
    quantile_method: str = "weibull"
    # Test per kind of table row: binary rows choose chi2/fisher by expected counts.
    test_for_mean_sd_rows: str = "student_t"
    test_for_median_rows: str = "mann_whitney_asymptotic"
    # Per-row exceptions: (variable, test) with test one of chi2, chi2_yates, fisher, student_t, welch_t,
    # mann_whitney_asymptotic, mann_whitney_exact. Empty by default: every row follows the rule of its kind.
    test_overrides: tuple[tuple[str, str], ...] = ()
    # Sign of the score difference: "day0_minus_dayk" (improvement positive) or "dayk_minus_day0".
    score_difference_sign: str = "day0_minus_dayk"
    # PaO2:FiO2 bands of Table 2, mmHg: [low, high) intervals.
    pao2_fio2_bands: tuple[tuple[str, float, float], ...] = (
        ("pao2_fio2_ge_300", 300.0, float("inf")),
        ("pao2_fio2_200_300", 200.0, 300.0),
        ("pao2_fio2_100_200", 100.0, 200.0),
        ("pao2_fio2_lt_100", 0.0, 100.0),
    )


DEFAULT = StudyConfig()
