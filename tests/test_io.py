"""Tests of anakinra_rescue.data.io, anakinra_rescue.data.cohort_rules and the validate command.

Every bad input is made from one small valid cohort, written as CSV text, with one
change. Each case asserts the rule reported, the line and column named, and that
the bytes of the input files are unchanged afterwards.
"""

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data import cohort_rules, infection_rules, io
from anakinra_rescue.data.problems import CohortValidationError
from anakinra_rescue.schemas.cohort import DailyStatus, Patient

PATIENT_COLUMNS = list(Patient.to_schema().columns)
DAILY_COLUMNS = list(DailyStatus.to_schema().columns)
FLAG_COLUMNS = [name for name in PATIENT_COLUMNS if name.startswith(("has_", "is_", "received_", "had_"))]


def _patient(
    patient_id,
    cohort,
    onset,
    admission,
    tocilizumab,
    anakinra="",
    steroids="",
    discharge="",
    death="",
    follow_up="",
    age="66",
    charlson="4",
):
    row = dict.fromkeys(PATIENT_COLUMNS, "")
    row.update(
        patient_id=patient_id,
        cohort=cohort,
        symptom_onset_date=onset,
        admission_date=admission,
        tocilizumab_start_date=tocilizumab,
        anakinra_start_date=anakinra,
        corticosteroid_start_date=steroids,
        discharge_date=discharge,
        death_date=death,
        follow_up_end_date=follow_up,
        age_years=age,
        ethnicity="caucasian",
        charlson_index=charlson,
    )
    for name in FLAG_COLUMNS:
        row[name] = "false"
    row["is_male"] = "true"
    row["received_corticosteroids"] = "true" if steroids else "false"
    return row


def _days(patient_id, first, statuses):
    dates = pd.date_range(first, periods=len(statuses), freq="D").strftime("%Y-%m-%d")
    rows = []
    for date, status in zip(dates, statuses):
        row = dict.fromkeys(DAILY_COLUMNS, "")
        row.update(patient_id=patient_id, date=date, ordinal_status=str(status), temperature_c="37.1", sofa_score="3")
        rows.append(row)
    return rows


def _csv(rows, columns):
    lines = [",".join(columns)] + [",".join(row[name] for name in columns) for row in rows]
    return "\n".join(lines) + "\n"


# Line numbers in patients.csv: P1 is line 2, P2 line 3. daily_status.csv: P1 lines 2-9, P2 lines 10-15.
BASE_PATIENTS = [
    _patient(
        "P1",
        "anakinra",
        "2020-04-01",
        "2020-04-05",
        "2020-04-06",
        anakinra="2020-04-09",
        steroids="2020-04-06",
        discharge="2020-04-12",
        follow_up="2020-05-12",
    ),
    _patient(
        "P2",
        "historical",
        "2020-03-15",
        "2020-03-20",
        "2020-03-21",
        death="2020-03-25",
        follow_up="2020-03-25",
        age="70",
        charlson="5",
    ),
]
BASE_DAILY = _days("P1", "2020-04-05", [3, 4, 4, 4, 4, 3, 2, 2]) + _days("P2", "2020-03-20", [4, 4, 5, 5, 5, 6])


def _write(directory: Path, patients_text: str, daily_text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    as_bytes = patients_text if isinstance(patients_text, bytes) else patients_text.encode("utf-8")
    (directory / "patients.csv").write_bytes(as_bytes)
    (directory / "daily_status.csv").write_bytes(daily_text.encode("utf-8"))
    return directory


def _digest(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(directory.iterdir())}


def _edit_patient(line, **changes):
    rows = [dict(row) for row in BASE_PATIENTS]
    rows[line - 2].update(changes)
    return _csv(rows, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS)


def _edit_daily(line, **changes):
    rows = [dict(row) for row in BASE_DAILY]
    rows[line - 2].update(changes)
    return _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(rows, DAILY_COLUMNS)


def _drop_daily(*lines):
    rows = [row for index, row in enumerate(BASE_DAILY, start=2) if index not in lines]
    return _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(rows, DAILY_COLUMNS)


def _add_daily(**changes):
    row = dict(BASE_DAILY[-1])
    row.update(changes)
    return _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY + [row], DAILY_COLUMNS)


def _patients_text(transform):
    return transform(_csv(BASE_PATIENTS, PATIENT_COLUMNS)), _csv(BASE_DAILY, DAILY_COLUMNS)


# name -> (files, file with the problem, rule, line, column)
BAD_INPUTS = {
    "empty patients file": (_patients_text(lambda text: ""), "patients.csv", "file_empty", None, None),
    "header-only patients file": (
        _patients_text(lambda text: text.splitlines()[0] + "\n"),
        "patients.csv",
        "no_data_rows",
        None,
        None,
    ),
    "semicolon delimiter": (_patients_text(lambda text: text.replace(",", ";")), "patients.csv", "wrong_delimiter", 1, None),
    "duplicated header": (
        _patients_text(lambda text: text.replace("has_diabetes", "has_obesity", 1)),
        "patients.csv",
        "duplicate_header",
        1,
        "has_obesity",
    ),
    "unknown identifying column": (
        _patients_text(lambda text: text.replace("ethnicity", "patient_name", 1)),
        "patients.csv",
        "unknown_column",
        1,
        "patient_name",
    ),
    "missing column": (
        _patients_text(lambda text: text.replace("ethnicity", "patient_name", 1)),
        "patients.csv",
        "missing_column",
        1,
        "ethnicity",
    ),
    "latin-1 byte": (_patients_text(lambda text: text.encode("utf-8") + b"P3\xe9\n"), "patients.csv", "not_utf8", 4, None),
    "too many fields": (
        _patients_text(lambda text: text.replace("\nP2,", "\nP2,extra,", 1)),
        "patients.csv",
        "malformed_csv",
        3,
        None,
    ),
    "too few fields": (_patients_text(lambda text: text + "P3,historical\n"), "patients.csv", "too_few_fields", 4, None),
    "blank line": (_patients_text(lambda text: text.replace("\nP2,", "\n\nP2,", 1)), "patients.csv", "blank_line", 3, None),
    "unparseable date": (_edit_patient(2, admission_date="05/04/2020"), "patients.csv", "unparseable_date", 2, "admission_date"),
    "impossible calendar date": (_edit_patient(3, death_date="2020-02-30"), "patients.csv", "unparseable_date", 3, "death_date"),
    "unparseable number": (_edit_patient(2, age_years="sixty"), "patients.csv", "unparseable_number", 2, "age_years"),
    "fractional integer": (_edit_patient(3, charlson_index="2.5"), "patients.csv", "not_integer", 3, "charlson_index"),
    "bad boolean": (_edit_patient(2, has_diabetes="yes"), "patients.csv", "unparseable_boolean", 2, "has_diabetes"),
    "age below range": (_edit_patient(2, age_years="17"), "patients.csv", "minimum", 2, "age_years"),
    "age above range": (_edit_patient(3, age_years="130"), "patients.csv", "maximum", 3, "age_years"),
    "unknown cohort": (_edit_patient(3, cohort="control"), "patients.csv", "allowed_values", 3, "cohort"),
    "unknown ethnicity": (_edit_patient(2, ethnicity="martian"), "patients.csv", "allowed_values", 2, "ethnicity"),
    "required date empty": (_edit_patient(3, tocilizumab_start_date=""), "patients.csv", "required", 3, "tocilizumab_start_date"),
    "duplicate patient id": (_edit_patient(3, patient_id="P1"), "patients.csv", "duplicate_key", 3, "patient_id"),
    "identifier with a space": (_edit_patient(3, patient_id="P 2"), "patients.csv", "pattern", 3, "patient_id"),
    "ordinal status out of scale": (
        _edit_daily(4, ordinal_status="7"),
        "daily_status.csv",
        "allowed_values",
        4,
        "ordinal_status",
    ),
    "temperature out of range": (_edit_daily(5, temperature_c="50"), "daily_status.csv", "maximum", 5, "temperature_c"),
    "orphan daily row": (_add_daily(patient_id="P9", date="2020-03-26"), "daily_status.csv", "orphan_row", 16, "patient_id"),
    "duplicate patient-day": (_add_daily(date="2020-03-25"), "daily_status.csv", "duplicate_patient_day", 16, "date"),
    "gap in days": (_drop_daily(5), "daily_status.csv", "gap_in_days", 5, "date"),
    "series starts after admission": (_drop_daily(10), "daily_status.csv", "series_not_from_admission", 10, "date"),
    "row after discharge": (
        _add_daily(patient_id="P1", date="2020-04-13", ordinal_status="2"),
        "daily_status.csv",
        "series_not_to_end_of_stay",
        16,
        "date",
    ),
    "status 6 before the death date": (
        _edit_daily(14, ordinal_status="6"),
        "daily_status.csv",
        "death_status_off_death_date",
        14,
        "ordinal_status",
    ),
    "alive on the death date": (
        _edit_daily(15, ordinal_status="5"),
        "daily_status.csv",
        "alive_on_death_date",
        15,
        "ordinal_status",
    ),
    "status 6 on the discharge date": (
        _edit_daily(9, ordinal_status="6"),
        "daily_status.csv",
        "death_status_on_discharge",
        9,
        "ordinal_status",
    ),
    "onset after admission": (
        _edit_patient(2, symptom_onset_date="2020-04-06"),
        "patients.csv",
        "dates_out_of_order",
        2,
        "symptom_onset_date",
    ),
    "tocilizumab before admission": (
        _edit_patient(3, tocilizumab_start_date="2020-03-19"),
        "patients.csv",
        "dates_out_of_order",
        3,
        "tocilizumab_start_date",
    ),
    "follow-up differs from death": (
        _edit_patient(3, follow_up_end_date="2020-04-25"),
        "patients.csv",
        "dates_out_of_order",
        3,
        "follow_up_end_date",
    ),
    "case without anakinra date": (
        _edit_patient(2, anakinra_start_date=""),
        "patients.csv",
        "anakinra_start_missing",
        2,
        "anakinra_start_date",
    ),
    "anakinra before tocilizumab": (
        _edit_patient(2, anakinra_start_date="2020-04-05"),
        "patients.csv",
        "anakinra_not_after_tocilizumab",
        2,
        "anakinra_start_date",
    ),
    "anakinra after the stay": (
        _edit_patient(2, anakinra_start_date="2020-04-20"),
        "patients.csv",
        "anakinra_start_not_in_series",
        2,
        "anakinra_start_date",
    ),
    "historical with anakinra": (
        _edit_patient(3, anakinra_start_date="2020-03-22"),
        "patients.csv",
        "historical_with_anakinra",
        3,
        "anakinra_start_date",
    ),
    "steroid date without steroids": (
        _edit_patient(2, received_corticosteroids="false"),
        "patients.csv",
        "corticosteroid_flag_contradiction",
        2,
        "received_corticosteroids",
    ),
    "patient without daily rows": (_drop_daily(10, 11, 12, 13, 14, 15), "patients.csv", "no_daily_rows", 3, "patient_id"),
}


def test_base_cohort_is_valid(tmp_path):
    directory = _write(tmp_path, _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS))
    cohort = io.load_cohort(directory)
    assert len(cohort.patients) == 2 and len(cohort.daily_status) == 14
    assert cohort.patients["is_male"].dtype == "boolean"
    assert cohort.patients.loc[1, "death_date"] == pd.Timestamp("2020-03-25")


def test_at_least_25_distinct_bad_inputs():
    assert len(BAD_INPUTS) >= 25
    assert len({case[2] for case in BAD_INPUTS.values()}) >= 25


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_reported_precisely_and_left_untouched(case, tmp_path):
    (patients_text, daily_text), file_name, rule, line, column = BAD_INPUTS[case]
    directory = _write(tmp_path, patients_text, daily_text)
    before = _digest(directory)
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(directory)
    located = {(problem.rule, problem.file, problem.line, problem.column) for problem in caught.value.problems}
    assert (rule, str(directory / file_name), line, column) in located, caught.value.report()
    assert _digest(directory) == before
    assert str(directory / file_name) in str(caught.value)


def test_missing_file_is_named(tmp_path):
    directory = _write(tmp_path, _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS))
    (directory / "daily_status.csv").unlink()
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(directory)
    assert [(problem.rule, Path(problem.file).name) for problem in caught.value.problems] == [
        ("file_missing", "daily_status.csv")
    ]


def test_all_problems_are_listed_at_once(tmp_path):
    patients = [dict(row) for row in BASE_PATIENTS]
    patients[0]["age_years"] = "17"
    patients[1]["cohort"] = "control"
    daily = [dict(row) for row in BASE_DAILY]
    daily[3]["ordinal_status"] = "0"
    directory = _write(tmp_path, _csv(patients, PATIENT_COLUMNS), _csv(daily, DAILY_COLUMNS))
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(directory)
    found = {(Path(problem.file).name, problem.line, problem.column) for problem in caught.value.problems}
    assert {("patients.csv", 2, "age_years"), ("patients.csv", 3, "cohort"), ("daily_status.csv", 5, "ordinal_status")} <= found


def test_value_in_message_is_the_csv_text(tmp_path):
    (patients_text, daily_text), *_ = BAD_INPUTS["unparseable date"]
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(_write(tmp_path, patients_text, daily_text))
    assert "value '05/04/2020'" in caught.value.report()


def test_byte_order_mark_is_accepted(tmp_path):
    directory = _write(tmp_path, "\ufeff" + _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS))
    assert len(io.load_cohort(directory).patients) == 2


def test_missing_directory(tmp_path):
    with pytest.raises(CohortValidationError, match="no such directory"):
        io.load_cohort(tmp_path / "nowhere")


EDGE_CASES = {
    "death on the day of admission": (
        [_patient("E1", "historical", "2020-04-01", "2020-04-03", "2020-04-03", death="2020-04-03", follow_up="2020-04-03")],
        _days("E1", "2020-04-03", [6]),
    ),
    "one-day stay": (
        [_patient("E2", "historical", "2020-04-01", "2020-04-03", "2020-04-03", discharge="2020-04-03", follow_up="2020-04-30")],
        _days("E2", "2020-04-03", [2]),
    ),
    "discharge before day 7": (
        [
            _patient(
                "E3",
                "anakinra",
                "2020-04-01",
                "2020-04-02",
                "2020-04-03",
                anakinra="2020-04-05",
                discharge="2020-04-08",
                follow_up="2020-05-01",
            )
        ],
        _days("E3", "2020-04-02", [4, 4, 4, 3, 3, 2, 2]),
    ),
    "death after discharge": (
        [
            _patient(
                "E4",
                "historical",
                "2020-04-01",
                "2020-04-02",
                "2020-04-02",
                discharge="2020-04-04",
                death="2020-04-20",
                follow_up="2020-04-20",
            )
        ],
        _days("E4", "2020-04-02", [4, 3, 2]),
    ),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_are_valid(case, tmp_path):
    patients, daily = EDGE_CASES[case]
    cohort = io.load_cohort(_write(tmp_path, _csv(patients, PATIENT_COLUMNS), _csv(daily, DAILY_COLUMNS)))
    assert len(cohort.patients) == 1


def test_rules_are_described_from_their_docstrings():
    rules = cohort_rules.describe_rules()
    assert len(rules) == len(cohort_rules.RULES) + len(infection_rules.INFECTION_RULES)
    assert rules["statement"].str.len().min() > 20


def _run_cli(*args):
    import cli_runner

    return cli_runner.run(*args)


def test_validate_command_on_valid_and_invalid_data(tmp_path):
    good = _write(tmp_path / "good", _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS))
    result = _run_cli("validate", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert "2 patients (anakinra 1, historical 1), 14 patient-days" in result.stdout

    (patients_text, daily_text), *_ = BAD_INPUTS["age below range"]
    bad = _write(tmp_path / "bad", patients_text, daily_text)
    result = _run_cli("validate", str(bad))
    assert result.returncode == 1
    assert "patients.csv:2, column 'age_years', value '17': must be at least 18 [minimum]" in result.stderr

    result = _run_cli("validate", str(bad), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["problems"][0]["rule"] == "minimum"

    result = _run_cli("validate", str(good), "--format", "json")
    assert json.loads(result.stdout)["patient_days"] == 14


def test_validate_help_explains_the_command():
    result = _run_cli("validate", "--help")
    assert result.returncode == 0
    assert "exits 1" in result.stdout and "--format" in result.stdout


# infections.csv (optional): P1 (line 2 of patients.csv) is flagged infected; the base file has one row, line 2.
INFECTION_HEADER = "patient_id,date,site,organism"
INFECTED_PATIENTS = _csv([{**BASE_PATIENTS[0], "had_bacterial_infection": "true"}, BASE_PATIENTS[1]], PATIENT_COLUMNS)
BASE_INFECTION = "P1,2020-04-08,catheter_bloodstream,Enterococcus faecalis"


def _with_infections(*lines: str, patients: str = INFECTED_PATIENTS) -> tuple[str, str, str]:
    return patients, _csv(BASE_DAILY, DAILY_COLUMNS), "\n".join([INFECTION_HEADER, *lines]) + "\n"


# name -> (files, rule, line, column); every problem is in infections.csv
BAD_INFECTIONS = {
    "orphan infection": (_with_infections(BASE_INFECTION, "P9,2020-04-08,urinary,"), "orphan_row", 3, "patient_id"),
    "duplicate infection": (_with_infections(BASE_INFECTION, BASE_INFECTION), "duplicate_infection", 3, "organism"),
    "infection before admission": (
        _with_infections("P1,2020-04-01,respiratory,Klebsiella pneumoniae"),
        "infection_before_admission",
        2,
        "date",
    ),
    "infection after discharge": (
        _with_infections("P1,2020-04-13,respiratory,Klebsiella pneumoniae"),
        "infection_after_stay",
        2,
        "date",
    ),
    "infection without the flag": (
        _with_infections(BASE_INFECTION, patients=_csv(BASE_PATIENTS, PATIENT_COLUMNS)),
        "infection_flag_contradiction",
        2,
        "patient_id",
    ),
    "unknown site": (_with_infections("P1,2020-04-08,lung,Enterococcus faecalis"), "allowed_values", 2, "site"),
    "organism as a code": (_with_infections("P1,2020-04-08,urinary,123;x"), "pattern", 2, "organism"),
    "impossible infection date": (_with_infections("P1,2020-04-31,urinary,"), "unparseable_date", 2, "date"),
}


def _write_with_infections(directory: Path, files: tuple[str, str, str]) -> Path:
    _write(directory, files[0], files[1])
    (directory / "infections.csv").write_text(files[2], encoding="utf-8")
    return directory


@pytest.mark.parametrize("case", sorted(BAD_INFECTIONS))
def test_bad_infection_is_reported_precisely_and_left_untouched(case, tmp_path):
    files, rule, line, column = BAD_INFECTIONS[case]
    directory = _write_with_infections(tmp_path, files)
    before = _digest(directory)
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(directory)
    located = {(problem.rule, problem.file, problem.line, problem.column) for problem in caught.value.problems}
    assert (rule, str(directory / "infections.csv"), line, column) in located, caught.value.report()
    assert _digest(directory) == before


def test_infections_file_is_optional_and_may_hold_only_its_header(tmp_path):
    without = io.load_cohort(_write(tmp_path / "without", _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS)))
    assert without.infections is None and "no infections.csv" in without.summary()
    empty = io.load_cohort(_write_with_infections(tmp_path / "empty", _with_infections()))
    assert len(empty.infections) == 0 and "0 infections" in empty.summary()
    one = io.load_cohort(_write_with_infections(tmp_path / "one", _with_infections(BASE_INFECTION)))
    assert one.infections.to_dict("records") == [
        {
            "patient_id": "P1",
            "date": pd.Timestamp("2020-04-08"),
            "site": "catheter_bloodstream",
            "organism": "Enterococcus faecalis",
        }
    ]


def test_empty_infections_file_is_reported(tmp_path):
    directory = _write_with_infections(tmp_path, (INFECTED_PATIENTS, _csv(BASE_DAILY, DAILY_COLUMNS), ""))
    with pytest.raises(CohortValidationError) as caught:
        io.load_cohort(directory)
    assert ("file_empty", str(directory / "infections.csv")) in {(p.rule, p.file) for p in caught.value.problems}


def test_midnight_timestamps_read_as_their_day_and_other_times_are_refused_with_a_hint(tmp_path):
    """A spreadsheet export writes 2020-04-06 as 2020-04-06 00:00:00: the same cohort as the ISO dates."""
    midnight = [dict(row) for row in BASE_PATIENTS]
    for row in midnight:
        for name in ("admission_date", "tocilizumab_start_date"):
            row[name] += " 00:00:00"
    midnight[0]["symptom_onset_date"] += "T00:00"
    plain = io.load_cohort(_write(tmp_path / "plain", _csv(BASE_PATIENTS, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS)))
    stamped = io.load_cohort(_write(tmp_path / "stamped", _csv(midnight, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS)))
    pd.testing.assert_frame_equal(stamped.patients, plain.patients)
    afternoon = [dict(row) for row in BASE_PATIENTS]
    afternoon[1]["admission_date"] = "2020-03-20 14:30:00"
    with pytest.raises(CohortValidationError) as raised:
        io.load_cohort(_write(tmp_path / "afternoon", _csv(afternoon, PATIENT_COLUMNS), _csv(BASE_DAILY, DAILY_COLUMNS)))
    assert "patients.csv:3, column 'admission_date', value '2020-03-20 14:30:00'" in raised.value.report()
    assert "hint: the column holds dates, not times of day" in raised.value.report()
