"""The configuration is typed: unknown choices fail on construction with the allowed values listed."""

from dataclasses import replace

import pytest

from anakinra_rescue.engine import config
from anakinra_rescue.engine.config import DEFAULT


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("test_for_mean_sd_rows", "student", "student_t, welch_t"),
        ("test_for_median_rows", "mann_whitney", "mann_whitney_asymptotic, mann_whitney_exact"),
        ("quantile_method", "haverage", "weibull"),
        ("score_difference_sign", "positive", "day0_minus_dayk, dayk_minus_day0"),
    ],
)
def test_unknown_choice_fails_and_lists_the_allowed_values(field, value, allowed):
    with pytest.raises(ValueError, match=f"StudyConfig.{field} = '{value}' is not allowed; choose one of: .*{allowed}"):
        replace(DEFAULT, **{field: value})


def test_rejection_order_must_be_a_permutation_of_the_known_reasons():
    with pytest.raises(ValueError, match="must name each of already_matched, age"):
        config.MatchingRules(rejection_order=("age", "charlson"))
    reordered = config.MatchingRules(rejection_order=tuple(reversed(config.REJECTION_REASONS)))
    assert reordered.rejection_order[0] == "status_differs"


@pytest.mark.parametrize("days", [(), (14, 7), (0, 7), (7, 7)])
def test_outcome_days_must_be_increasing_positive_days(days):
    with pytest.raises(ValueError, match="outcome_days"):
        replace(DEFAULT, outcome_days=days)


def test_percent_decimals_follow_completeness_not_a_group_size():
    """A group of 37, every patient known, prints whole percentages; one unknown adds a decimal."""
    import pandas as pd

    from anakinra_rescue.engine import tables

    tidy = pd.DataFrame(
        [
            ("table1", "group_size", "anakinra", "n", 37.0, ""),
            ("table1", "group_size", "control", "n", 37.0, ""),
            ("table1", "diabetes", "anakinra", "n", 10.0, ""),
            ("table1", "diabetes", "anakinra", "denominator", 37.0, ""),
            ("table1", "diabetes", "anakinra", "pct", 100 * 10 / 37, ""),
            ("table1", "diabetes", "control", "n", 10.0, ""),
            ("table1", "diabetes", "control", "denominator", 36.0, ""),
            ("table1", "diabetes", "control", "pct", 100 * 10 / 36, ""),
        ],
        columns=["source", "variable", "group", "statistic", "value", "test"],
    )
    shown = tables.display_table(tidy).set_index("variable")
    assert shown.loc["diabetes", "anakinra"] == "10 (27)"
    assert shown.loc["diabetes", "control"] == "10 (27.8)"
    coarse = replace(DEFAULT, display=config.DisplayRules(percent_decimals_incomplete=0))
    assert tables.display_table(tidy, coarse).set_index("variable").loc["diabetes", "control"] == "10 (28)"


def test_every_configuration_field_is_read_by_the_package():
    """A field nobody reads is a promise the engine does not keep."""
    import dataclasses
    from pathlib import Path

    source = "\n".join(
        path.read_text(encoding="utf-8") for path in Path(config.__file__).parents[1].rglob("*.py") if path.name != "config.py"
    )
    for holder in (config.StudyConfig, config.MatchingRules, config.DisplayRules):
        for field in dataclasses.fields(holder):
            if field.name in ("matching", "display"):
                continue
            assert f".{field.name}" in source, f"{holder.__name__}.{field.name} is never read outside config.py"
