"""Tests of anakinra_rescue.engine.settings: the TOML settings file a user writes instead of Python."""

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anakinra_rescue.engine import settings
from anakinra_rescue.engine.config import DEFAULT, STATED_RULE, MatchingRules


def _load(tmp_path, text):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return settings.load_settings(path)


def test_an_empty_file_is_the_articles_reading(tmp_path):
    assert _load(tmp_path, "") == DEFAULT


def test_the_issues_example_reads_as_the_config_it_names(tmp_path):
    loaded = _load(tmp_path, "outcome_days = [7, 14]\ntest_overrides = []\n\n[matching]\nmax_age_difference_years = 10\n")
    assert loaded == replace(
        STATED_RULE,
        outcome_days=(7, 14),
        mortality_days=(14,),
        discharge_days=(14,),
        matching=MatchingRules(max_age_difference_years=10),
    )


def test_overrides_as_a_table_or_as_pairs_read_the_same(tmp_path):
    as_pairs = _load(tmp_path, 'test_overrides = [["received_azithromycin", "fisher"]]\n')
    as_table = _load(tmp_path, '[test_overrides]\nreceived_azithromycin = "fisher"\n')
    assert as_pairs == as_table and as_pairs.test_overrides == (("received_azithromycin", "fisher"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("outcome_dayz = [7]\n", r"outcome_dayz: unknown setting; the settings are: matching, display, outcome_days"),
        (
            "[matching]\nmax_age = 3\n",
            r"matching.max_age: unknown setting; the \[matching\] settings are: max_age_difference_years",
        ),
        ('quantile_method = "haverage"\n', r"quantile_method = 'haverage' is not allowed; choose one of: .*weibull"),
        ('outcome_days = "7"\n', r"outcome_days: '7' is not a list"),
        ("improvement_points = 1.5\n", r"improvement_points: 1.5 is not a whole number"),
        ("baseline_includes_day0 = 1\n", r"baseline_includes_day0: 1 is not true or false"),
        ("outcome_days = [14, 7]\n", r"outcome_days = \(14, 7\) must be increasing"),
        (
            'test_overrides = [["received_azithromycin", "t"]]\n',
            r"test_overrides\['received_azithromycin'\]: 't' is not a test; "
            r"choose one of: chi2",
        ),
        ('test_overrides = [["no_such_row", "chi2"]]\n', r"'no_such_row' is not a row with a P-value; the rows are: age_years"),
        ("matching = 3\n", r"matching: is a table: write it as \[matching\]"),
        ("outcome_days = [7,\n", r"not valid TOML"),
    ],
)
def test_a_bad_file_fails_naming_the_file_the_key_and_what_is_allowed(tmp_path, text, message):
    with pytest.raises(settings.SettingsError, match=message) as raised:
        _load(tmp_path, text)
    assert str(tmp_path / "settings.toml") in str(raised.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(settings.SettingsError, match="no such settings file"):
        settings.load_settings(tmp_path / "absent.toml")


def test_the_written_defaults_read_back_as_the_defaults_with_infinity(tmp_path):
    text = settings.settings_toml(DEFAULT)
    assert '\n    ["pao2_fio2_ge_300", 300.0, inf],\n' in text  # long arrays one item a line
    assert _load(tmp_path, text) == DEFAULT and math.isinf(DEFAULT.pao2_fio2_bands[0][2])


@given(
    days=st.lists(st.integers(1, 60), min_size=1, max_size=4, unique=True).map(sorted),
    points=st.integers(1, 4),
    below=st.floats(0, 20, allow_nan=False),
    sign=st.sampled_from(["day0_minus_dayk", "dayk_minus_day0"]),
    age=st.integers(0, 20),
    stated=st.booleans(),
)
def test_any_config_round_trips_through_its_file(days, points, below, sign, age, stated):
    config = replace(
        STATED_RULE if stated else DEFAULT,
        outcome_days=tuple(days),
        improvement_points=points,
        fisher_expected_below=below,
        score_difference_sign=sign,
        matching=MatchingRules(max_age_difference_years=age),
    )
    assert settings.config_from_mapping(__import__("tomllib").loads(settings.settings_toml(config))) == config


def test_differences_name_only_the_keys_that_differ():
    changed = replace(STATED_RULE, outcome_days=(7, 14), matching=MatchingRules(max_charlson_difference=3))
    assert [key for key, _, _ in settings.differences(changed)] == [
        "matching.max_charlson_difference",
        "outcome_days",
        "test_overrides",
    ]
    assert settings.differences(DEFAULT) == []


def test_outcome_days_alone_end_the_follow_up_at_their_last_day(tmp_path):
    """The issue's case: outcome days 7 and 14 leave no day 21 anywhere, mortality and discharge included."""
    alone = _load(tmp_path, "outcome_days = [7, 14]\n")
    assert (alone.outcome_days, alone.mortality_days, alone.discharge_days) == ((7, 14), (14,), (14,))
    chosen = _load(tmp_path, "outcome_days = [7, 14]\nmortality_days = [7]\n")
    assert chosen.mortality_days == (7,) and chosen.discharge_days == (14,)
    longer = _load(tmp_path, "outcome_days = [7, 14, 21, 28]\n")
    assert longer.mortality_days == DEFAULT.mortality_days and longer.discharge_days == DEFAULT.discharge_days
