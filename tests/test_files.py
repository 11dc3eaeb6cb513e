"""Tests of anakinra_rescue.data.files: the names and default folders, in a checkout (the wheel's are tested in
tests/test_core_install.py)."""

from pathlib import Path

from anakinra_rescue.data import files

ROOT = Path(__file__).resolve().parents[1]


def test_in_a_checkout_the_defaults_are_the_committed_folders():
    assert files.SOURCE_CHECKOUT and files.PROJECT_ROOT == ROOT
    assert files.RECONSTRUCTED_DIR == ROOT / "data" / "reconstructed"
    assert (files.RECONSTRUCTED_DIR / files.PATIENTS_FILE).is_file()
    assert (files.RECONSTRUCTED_DIR / files.DAILY_STATUS_FILE).is_file()
    assert files.PUBLISHED_RECORD_CSV.is_file() and files.PUBLISHED_RECORD_CSV.name == files.PUBLISHED_RECORD_FILE
    assert files.DATAPACKAGE_JSON == ROOT / "data" / "datapackage.json"


def test_every_environment_variable_is_named_once_and_distinctly():
    names = [files.DATA_DIR_ENV, files.PATIENT_LEVEL_ENV, files.MIN_CELL_ENV, files.CONFIG_ENV]
    assert len(set(names)) == len(names) and all(name.startswith("ANAKINRA_") for name in names)
