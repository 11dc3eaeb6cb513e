"""The data dictionary, rendered from the pandera models, and its Frictionless descriptor.

Nothing here restates a column: type, range, allowed values, nullability and
description are read from ``Model.to_schema().columns``; the unit comes from the
column's name suffix (the naming convention of the data model).
"""

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from anakinra_rescue.data.files import DAILY_STATUS_FILE, DATAPACKAGE_JSON, INFECTIONS_FILE, PATIENTS_FILE
from anakinra_rescue.schemas.cohort import DailyStatus, Infection, Patient

# Unit by column-name suffix, longest suffix first.
UNIT_BY_SUFFIX = (
    ("_1e9_per_l", "10^9 cells/L"),
    ("_mg_dl", "mg/dL"),
    ("_ng_ml", "ng/mL"),
    ("_u_l", "U/L"),
    ("_ratio", "mmHg"),
    ("_rpm", "breaths/min"),
    ("_bpm", "beats/min"),
    ("_years", "years"),
    ("_date", "calendar date (YYYY-MM-DD)"),
    ("_score", "points"),
    ("_index", "points"),
    ("temperature_c", "°C"),
    ("ordinal_status", "level of the 6-point scale"),
)
TYPE_WORDS = {
    "str": "text",
    "string[python]": "text",
    "string[pyarrow]": "text",
    "string": "text",
    "object": "text",
    "Int64": "integer",
    "float64": "decimal",
    "boolean": "boolean",
    "datetime64[ns]": "date",
}
TABLE_SCHEMA_TYPES = {"text": "string", "integer": "integer", "decimal": "number", "boolean": "boolean", "date": "date"}
MODELS = {PATIENTS_FILE: Patient, DAILY_STATUS_FILE: DailyStatus, INFECTIONS_FILE: Infection}


def unit_of(column: str) -> str:
    """The unit implied by a column's name, or '' for identifiers, categories and flags."""
    for suffix, unit in UNIT_BY_SUFFIX:
        if column.endswith(suffix):
            return unit
    return ""


def _constraints(column: pa.Column) -> dict:
    found: dict[str, object] = {}
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            found["enum"] = list(stats["allowed_values"])
        elif check.name == "greater_than_or_equal_to":
            found["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            found["maximum"] = stats["max_value"]
        elif check.name == "str_matches":
            found["pattern"] = str(stats["pattern"])
    return found


def _as_text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _allowed_in_words(constraints: dict, type_word: str) -> str:
    if "enum" in constraints:
        return ", ".join(_as_text(value) for value in constraints["enum"])
    if "minimum" in constraints or "maximum" in constraints:
        return f"{_as_text(constraints.get('minimum', '…'))} to {_as_text(constraints.get('maximum', '…'))}"
    if "pattern" in constraints:
        return f"pattern {constraints['pattern']}"
    if type_word == "boolean":
        return "true, false"
    return ""


def dictionary_table(model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """One row per column of ``model``: column, type, unit, allowed values or range, may be empty, description."""
    rows = []
    for name, column in model.to_schema().columns.items():
        type_word = TYPE_WORDS.get(str(column.dtype), str(column.dtype))
        rows.append(
            {
                "column": name,
                "type": type_word,
                "unit": unit_of(name),
                "allowed values or range": _allowed_in_words(_constraints(column), type_word),
                "may be empty": "yes" if column.nullable else "no",
                "description": column.description,
            }
        )
    return pd.DataFrame(rows)


def _field_descriptor(name: str, column: pa.Column) -> dict:
    type_word = TYPE_WORDS.get(str(column.dtype), str(column.dtype))
    constraints = {
        key: _as_text(value) if isinstance(value, pd.Timestamp) else value for key, value in _constraints(column).items()
    }
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    field = {"name": name, "type": TABLE_SCHEMA_TYPES[type_word], "description": column.description}
    if type_word == "date":
        field["format"] = "default"  # Table Schema: ISO 8601 YYYY-MM-DD
    if type_word == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if unit_of(name):
        field["unit"] = unit_of(name)
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage_descriptor() -> dict:
    """A Frictionless Data Package descriptor for the input files, with the patient foreign keys."""
    resources = []
    for path, model in MODELS.items():
        schema = {
            "fields": [_field_descriptor(name, column) for name, column in model.to_schema().columns.items()],
            "missingValues": [""],
        }
        if model is Patient:
            schema["primaryKey"] = ["patient_id"]
        else:
            schema["primaryKey"] = ["patient_id", "date", "organism"] if model is Infection else ["patient_id", "date"]
            schema["foreignKeys"] = [{"fields": ["patient_id"], "reference": {"resource": "patients", "fields": ["patient_id"]}}]
        resources.append(
            {
                "name": path.removesuffix(".csv"),
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": " ".join((model.__doc__ or "").split()),
                "schema": schema,
            }
        )
    return {
        "name": "anakinra-rescue-cohort",
        "title": "Input tables of the anakinra rescue reproduction",
        "description": "Generated from the pandera models in schemas/cohort.py by "
        "`python -m anakinra_rescue datapackage`; do not edit by hand.",
        "profile": "tabular-data-package",
        "resources": resources,
    }


def datapackage_text() -> str:
    """The descriptor as stable JSON text (sorted keys, two-space indent, final newline)."""
    return json.dumps(datapackage_descriptor(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_datapackage(path: Path = DATAPACKAGE_JSON) -> Path:
    """Write the descriptor to ``path`` and return it."""
    path.write_text(datapackage_text(), encoding="utf-8")
    return path


def ordinal_scale_table() -> pd.DataFrame:
    """The 6-point ordinal scale as defined in the schema: level and meaning."""
    from anakinra_rescue.schemas.cohort import ORDINAL_SCALE

    return pd.DataFrame({"level": list(ORDINAL_SCALE), "meaning": list(ORDINAL_SCALE.values())})


def dictionary_counts() -> dict[str, int]:
    """Numbers quoted in the dictionary chapter: columns per file, required columns, cross-table rules."""
    from anakinra_rescue.data.cohort_rules import RULES
    from anakinra_rescue.data.infection_rules import INFECTION_RULES

    patient_columns = Patient.to_schema().columns
    daily_columns = DailyStatus.to_schema().columns
    return {
        "patient_columns": len(patient_columns),
        "patient_required_columns": sum(not column.nullable for column in patient_columns.values()),
        "daily_columns": len(daily_columns),
        "daily_required_columns": sum(not column.nullable for column in daily_columns.values()),
        "cross_table_rules": len(RULES) + len(INFECTION_RULES),
        "infection_columns": len(Infection.to_schema().columns),
    }
