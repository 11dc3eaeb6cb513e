"""Tests of anakinra_rescue.data.dictionary and the committed data/datapackage.json."""

import json

import pytest

from anakinra_rescue.data import dictionary
from anakinra_rescue.schemas.cohort import DailyStatus, Infection, Patient


def test_committed_datapackage_matches_the_models():
    committed = dictionary.DATAPACKAGE_JSON.read_text(encoding="utf-8")
    assert committed == dictionary.datapackage_text(), "run: python -m anakinra_rescue datapackage"


def test_datapackage_declares_keys_and_every_column():
    descriptor = json.loads(dictionary.datapackage_text())
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert set(resources) == {"patients", "daily_status", "infections"}
    assert [field["name"] for field in resources["infections"]["schema"]["fields"]] == list(Infection.to_schema().columns)
    assert resources["infections"]["schema"]["primaryKey"] == ["patient_id", "date", "organism"]
    assert resources["infections"]["schema"]["foreignKeys"] == resources["daily_status"]["schema"]["foreignKeys"]
    assert [field["name"] for field in resources["patients"]["schema"]["fields"]] == list(Patient.to_schema().columns)
    assert [field["name"] for field in resources["daily_status"]["schema"]["fields"]] == list(DailyStatus.to_schema().columns)
    assert resources["patients"]["schema"]["primaryKey"] == ["patient_id"]
    assert resources["daily_status"]["schema"]["foreignKeys"] == [
        {"fields": ["patient_id"], "reference": {"resource": "patients", "fields": ["patient_id"]}}
    ]


def test_datapackage_constraints_follow_the_model():
    descriptor = json.loads(dictionary.datapackage_text())
    fields = {field["name"]: field for field in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["age_years"]["constraints"] == {"minimum": 18, "maximum": 120, "required": True}
    assert fields["cohort"]["constraints"]["enum"] == ["anakinra", "historical"]
    assert fields["death_date"]["type"] == "date" and "required" not in fields["death_date"].get("constraints", {})


@pytest.mark.parametrize("model", [Patient, DailyStatus, Infection], ids=["patients", "daily_status", "infections"])
def test_dictionary_table_has_a_row_per_column_with_a_description(model):
    table = dictionary.dictionary_table(model)
    assert list(table["column"]) == list(model.to_schema().columns)
    assert table["description"].str.len().min() > 10
    assert set(table["may be empty"]) <= {"yes", "no"}


@pytest.mark.parametrize(
    ("column", "unit"),
    [
        ("crp_mg_dl", "mg/dL"),
        ("lymphocytes_1e9_per_l", "10^9 cells/L"),
        ("age_years", "years"),
        ("temperature_c", "°C"),
        ("charlson_index", "points"),
        ("is_male", ""),
    ],
)
def test_unit_comes_from_the_name_suffix(column, unit):
    assert dictionary.unit_of(column) == unit


def test_ordinal_scale_range_is_rendered_from_the_model():
    table = dictionary.dictionary_table(DailyStatus).set_index("column")
    assert table.loc["ordinal_status", "allowed values or range"] == "1, 2, 3, 4, 5, 6"
    assert table.loc["temperature_c", "allowed values or range"] == "30.0 to 45.0"
