"""Tests of anakinra_rescue.book.context: what a build is built from, and the fingerprint that re-executes every page
when any of it changes."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from anakinra_rescue.book import context
from anakinra_rescue.data.files import CONFIG_ENV, DATA_DIR_ENV, MIN_CELL_ENV, PATIENT_LEVEL_ENV, RECONSTRUCTED_DIR, SINCE_ENV

SWITCHES = (DATA_DIR_ENV, PATIENT_LEVEL_ENV, MIN_CELL_ENV, CONFIG_ENV, SINCE_ENV)


@pytest.fixture
def clean(monkeypatch):
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def other_data(tmp_path):
    folder = tmp_path / "my data"
    shutil.copytree(RECONSTRUCTED_DIR, folder, ignore=shutil.ignore_patterns("*.md", "*.json", "sensitivity.csv", "fidelity.csv"))
    return folder


def test_defaults_are_the_committed_cohort_shown_in_full(clean):
    assert context.is_default_data() and context.patient_level_shown() and context.min_cell() == 0
    assert context.data_label() == "reconstructed"


def test_other_data_is_aggregate_unless_asked_and_named_by_its_folder(clean, other_data):
    clean.setenv(DATA_DIR_ENV, str(other_data))
    assert not context.is_default_data() and not context.patient_level_shown() and context.data_label() == "my data"
    clean.setenv(MIN_CELL_ENV, "5")
    assert context.min_cell() == 5
    clean.setenv(PATIENT_LEVEL_ENV, "1")
    assert context.patient_level_shown() and context.min_cell() == 0  # per-patient rows shown: nothing to withhold
    clean.setenv(PATIENT_LEVEL_ENV, "")
    clean.setenv(MIN_CELL_ENV, "five")
    with pytest.raises(ValueError, match="MIN_CELL must be a whole number"):
        context.min_cell()


def test_the_fingerprint_changes_with_each_input_and_only_then(clean, other_data, tmp_path):
    clean.setenv(DATA_DIR_ENV, str(other_data))
    seen = {"start": context.fingerprint()}
    assert context.fingerprint() == seen["start"]
    clean.setenv(PATIENT_LEVEL_ENV, "1")
    seen["patient level"] = context.fingerprint()
    clean.delenv(PATIENT_LEVEL_ENV)
    clean.setenv(MIN_CELL_ENV, "5")
    seen["min cell"] = context.fingerprint()
    clean.delenv(MIN_CELL_ENV)
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text("outcome_days = [7, 14]\n", encoding="utf-8")
    clean.setenv(CONFIG_ENV, str(settings_file))
    seen["settings"] = context.fingerprint()
    clean.delenv(CONFIG_ENV)
    clean.setenv(SINCE_ENV, "0.1.0")  # the "What changed" page compares with another set
    seen["since"] = context.fingerprint()
    clean.delenv(SINCE_ENV)
    assert context.fingerprint() == seen["start"]
    with (other_data / "patients.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    seen["data"] = context.fingerprint()
    clean.delenv(DATA_DIR_ENV)
    seen["default data"] = context.fingerprint()
    assert len(set(seen.values())) == len(seen), seen


def test_a_second_build_in_the_same_folder_rereads_every_page_when_the_fingerprint_changes(tmp_path, other_data):
    """The mechanism behind three builds in a row: Sphinx keeps its environment between builds and re-reads only the
    pages whose source changed ("0 changed"), unless a configuration value marked "env" changed: the fingerprint."""
    source = tmp_path / "project"
    source.mkdir()
    (source / "conf.py").write_text("extensions = ['anakinra_rescue.book.context']\n", encoding="utf-8")
    (source / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   page\n", encoding="utf-8")
    (source / "page.rst").write_text("Page\n====\n\nText.\n", encoding="utf-8")
    out, doctrees = tmp_path / "html", tmp_path / "html" / ".doctrees"
    base = {name: value for name, value in os.environ.items() if name not in SWITCHES}

    def reread(environment) -> int:
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), str(source), str(out)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        added, changed = re.search(r"(\d+) added, (\d+) changed, \d+ removed", result.stdout).groups()
        return int(added) + int(changed)

    hospital = {**base, DATA_DIR_ENV: str(other_data), PATIENT_LEVEL_ENV: "1"}
    assert reread(hospital) == 2  # the first build reads both pages
    assert reread(hospital) == 0  # nothing changed: nothing re-read (Sphinx's own incremental build)
    assert reread({**base, DATA_DIR_ENV: str(other_data)}) == 2  # aggregate now: every page again
    assert reread(base) == 2  # the committed cohort: every page again


def test_a_folder_that_forms_no_pair_stops_the_build_before_any_page_runs(clean, tmp_path):
    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    from anakinra_rescue.data import csv_writer, simulate

    patients, daily = simulate.random_cohort(5, seed=3)  # no case finds a control
    csv_writer.write_cohort(patients, daily, tmp_path / "tiny")
    clean.setenv(DATA_DIR_ENV, str(tmp_path / "tiny"))
    with pytest.raises(ExtensionError, match="the data in the folder 'tiny' form no pair"):
        context._on_config_inited(None, SimpleNamespace())


def test_a_since_that_names_nothing_stops_the_build_before_any_page_runs(clean, tmp_path):
    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    clean.setenv(SINCE_ENV, str(tmp_path / "no such build"))
    with pytest.raises(ExtensionError, match="SINCE=.*no such build: neither a folder nor a release"):
        context._on_config_inited(None, SimpleNamespace())
