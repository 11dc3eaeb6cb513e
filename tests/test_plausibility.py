"""Tests of anakinra_rescue.data.plausibility: each rule warns on the case it names, never on the committed cohort,
and `validate --plausibility` reports warnings without failing."""

import pandas as pd
import pytest

from anakinra_rescue.data import io, plausibility
from anakinra_rescue.data.files import PROJECT_ROOT

T = pd.Timestamp
COMMITTED = PROJECT_ROOT / "data" / "reconstructed"


def _patients(**changes):
    row = {
        "patient_id": "P1",
        "symptom_onset_date": T("2020-04-01"),
        "admission_date": T("2020-04-05"),
        "tocilizumab_start_date": T("2020-04-06"),
        "corticosteroid_start_date": T("2020-04-06"),
        "discharge_date": T("2020-04-10"),
        "death_date": pd.NaT,
        "is_immunosuppressed": False,
        "charlson_index": 2,
        **dict.fromkeys(plausibility.CHARLSON_ITEMS, False),
    }
    row.update(changes)
    return pd.DataFrame([row])


def _daily(statuses, **columns):
    frame = pd.DataFrame(
        {"patient_id": "P1", "date": pd.date_range("2020-04-05", periods=len(statuses)), "ordinal_status": statuses}
    )
    for column in ("pao2_fio2_ratio", "sofa_score", "news_score", *plausibility.NEWS2_BANDS, *plausibility.LABORATORY_RANGES):
        frame[column] = columns.get(column, [float("nan")] * len(statuses))
    if "crp_mg_dl" not in columns:
        frame.loc[1, "crp_mg_dl"] = 15.0  # meets the tocilizumab criterion on the day of the dose
    return frame


PLAUSIBLE = (_patients(), _daily([3, 4, 4, 3, 2, 2]))

# name -> (patients, daily, rule, line, column)
IMPLAUSIBLE = {
    "discharged from ventilation": (_patients(), _daily([3, 4, 5, 5, 5, 5]), "step_down_before_discharge", 7, "ordinal_status"),
    "home the day after high-flow oxygen": (
        _patients(),
        _daily([3, 4, 4, 4, 4, 2]),
        "step_down_day_before_discharge",
        6,
        "ordinal_status",
    ),
    "home three days after ventilation": (
        _patients(),
        _daily([3, 5, 5, 4, 3, 2]),
        "no_discharge_within_three_days_of_ventilation",
        2,
        "discharge_date",
    ),
    "NEWS 3 with a respiratory rate of 26 on oxygen": (
        _patients(),
        _daily(
            [3, 4, 4, 3, 2, 2],
            news_score=[None, None, 3, None, None, None],
            respiratory_rate_rpm=[None, None, 26, None, None, None],
        ),
        "news2_at_least_its_components",
        4,
        "news_score",
    ),
    "NEWS 1 on low-flow oxygen": (
        _patients(),
        _daily([3, 4, 4, 3, 2, 2], news_score=[1, None, None, None, None, None]),
        "news2_at_least_its_components",
        2,
        "news_score",
    ),
    "SOFA 3 on a ventilator with a ratio of 90": (
        _patients(),
        _daily(
            [3, 4, 5, 4, 3, 2], pao2_fio2_ratio=[None, None, 90, None, None, None], sofa_score=[None, None, 3, None, None, None]
        ),
        "sofa_at_least_its_respiratory_points",
        4,
        "sofa_score",
    ),
    "Charlson 0 with diabetes": (
        _patients(charlson_index=0, has_diabetes=True),
        PLAUSIBLE[1],
        "charlson_at_least_its_comorbidities",
        2,
        "charlson_index",
    ),
    "5 to 2 in one day": (_patients(), _daily([3, 4, 5, 5, 2, 2]), "no_jump_of_three_levels_in_a_day", 6, "ordinal_status"),
    "room air with a low ratio": (
        _patients(),
        _daily([3, 4, 4, 3, 2, 2], pao2_fio2_ratio=[None] * 5 + [120.0]),
        "pao2_fio2_fits_room_air",
        7,
        "pao2_fio2_ratio",
    ),
    "ventilated with SOFA 1": (
        _patients(),
        _daily([3, 4, 5, 4, 3, 2], sofa_score=[None, None, 1, None, None, None]),
        "sofa_fits_ventilation",
        4,
        "sofa_score",
    ),
    "steroids before onset": (
        _patients(corticosteroid_start_date=T("2020-03-01")),
        PLAUSIBLE[1],
        "corticosteroids_not_before_onset",
        2,
        "corticosteroid_start_date",
    ),
    "onset five weeks before admission": (
        _patients(symptom_onset_date=T("2020-03-01")),
        PLAUSIBLE[1],
        "onset_at_most_three_weeks_before_admission",
        2,
        "symptom_onset_date",
    ),
    "no criterion before tocilizumab": (
        _patients(),
        _daily([3, 4, 4, 3, 2, 2], crp_mg_dl=[5.0, 5.0, 25.0, None, None, None]),
        "inflammatory_criterion_before_tocilizumab",
        2,
        "tocilizumab_start_date",
    ),
    "LDH of 90": (
        _patients(),
        _daily([3, 4, 4, 3, 2, 2], ldh_u_l=[None, 90.0, None, None, None, None]),
        "laboratory_value_in_clinical_range",
        3,
        "ldh_u_l",
    ),
    "one-day NEWS spike": (
        _patients(),
        _daily([3, 4, 4, 3, 2, 2], news_score=[5, 6, 19, 6, 4, 3]),
        "no_one_day_score_spike",
        4,
        "news_score",
    ),
}


def _warnings(patients, daily):
    return plausibility.warnings_for(patients, daily, "patients.csv", "daily_status.csv")


def test_a_plausible_patient_has_no_warning():
    assert _warnings(*PLAUSIBLE) == []


def test_every_rule_has_an_implausible_case():
    assert {case[2] for case in IMPLAUSIBLE.values()} == {rule.__name__ for rule in plausibility.RULES}


@pytest.mark.parametrize("case", sorted(IMPLAUSIBLE))
def test_each_rule_warns_at_the_located_cell(case):
    patients, daily, rule, line, column = IMPLAUSIBLE[case]
    found = {(warning.rule, warning.line, warning.column) for warning in _warnings(patients, daily)}
    assert (rule, line, column) in found, found


def test_news2_points_follow_the_published_bands():
    """Royal College of Physicians, NEWS2 chart 1 (2017): the band edges of each component this module scores."""
    daily = pd.DataFrame(
        {
            "respiratory_rate_rpm": [8, 9, 11, 12, 20, 21, 24, 25, None],
            "temperature_c": [35.0, 35.1, 36.0, 36.1, 38.0, 38.1, 39.0, 39.1, None],
            "heart_rate_bpm": [40, 41, 50, 51, 90, 91, 110, 111, 131],
            "ordinal_status": [2, 3, 4, 5, 2, 2, 2, 2, 2],
        }
    )
    respiratory = [3, 1, 1, 0, 0, 2, 2, 3, 0]
    temperature = [3, 1, 1, 0, 0, 1, 1, 2, 0]
    heart = [3, 1, 1, 0, 0, 1, 1, 2, 3]
    oxygen = [0, 2, 2, 2, 0, 0, 0, 0, 0]
    expected = [sum(points) for points in zip(respiratory, temperature, heart, oxygen)]
    assert plausibility.news2_points(daily).tolist() == expected


def test_sofa_respiratory_points_follow_vincent_1996():
    daily = pd.DataFrame({"pao2_fio2_ratio": [450, 399, 299, 199, 199, 99, 99, None], "ordinal_status": [2, 3, 3, 4, 5, 4, 5, 5]})
    assert plausibility.sofa_respiratory_points(daily).tolist() == [0, 1, 2, 2, 3, 2, 4, 0]


def test_a_patient_who_died_is_not_held_to_the_discharge_rules():
    patients = _patients(discharge_date=pd.NaT, death_date=T("2020-04-10"))
    assert _warnings(patients, _daily([3, 5, 5, 5, 5, 6])) == []


def test_an_immunosuppressed_patient_may_start_steroids_before_onset():
    patients = _patients(corticosteroid_start_date=T("2020-03-01"), is_immunosuppressed=True)
    assert _warnings(patients, PLAUSIBLE[1]) == []


def test_every_rule_has_a_source_and_the_data_readme_lists_it():
    table = plausibility.describe_rules()
    assert (table["source"].str.len() > 40).all()
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    missing = [rule for rule in table["rule"] if f"`{rule}`" not in readme]
    assert missing == [], f"data/reconstructed/README.md does not list {missing}"


def test_committed_cohort_has_no_plausibility_warning():
    cohort = io.load_cohort(COMMITTED)
    warnings = _warnings(cohort.patients, cohort.daily_status)
    assert warnings == [], "\n".join(warning.as_text() for warning in warnings[:20])


def test_validate_prints_warnings_and_still_exits_0(tmp_path):
    for name in ("patients.csv", "daily_status.csv"):
        (tmp_path / name).write_bytes((COMMITTED / name).read_bytes())
    daily = (tmp_path / "daily_status.csv").read_text(encoding="utf-8").splitlines()
    header = daily[0].split(",")
    fields = daily[1].split(",")
    fields[header.index("ldh_u_l")] = "90"
    daily[1] = ",".join(fields)
    (tmp_path / "daily_status.csv").write_text("\n".join(daily) + "\n", encoding="utf-8")
    import cli_runner

    result = cli_runner.run("validate", tmp_path, "--plausibility")
    assert result.returncode == 0, result.stderr
    assert "plausibility: 1 warning" in result.stdout
    assert f"{tmp_path / 'daily_status.csv'}:2, column 'ldh_u_l', value '90.0'" in result.stdout
    plain = cli_runner.run("validate", tmp_path)
    assert plain.returncode == 0 and "warning:" not in plain.stdout and "plausibility" not in plain.stdout
