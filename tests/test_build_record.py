"""Tests of anakinra_rescue.engine.build_record: what one set of regenerated numbers was computed from."""

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

import anakinra_rescue
from anakinra_rescue.data.files import PUBLISHED_RECORD_CSV
from anakinra_rescue.engine import build_record, settings
from anakinra_rescue.engine.config import DEFAULT, STATED_RULE

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small_cohort"


def test_the_record_names_each_input_by_its_sha256_and_the_settings_version_and_packages(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    record = build_record.build_record(FIXTURE, STATED_RULE)
    expected = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(FIXTURE.glob("*.csv"))}
    expected[PUBLISHED_RECORD_CSV.name] = hashlib.sha256(PUBLISHED_RECORD_CSV.read_bytes()).hexdigest()
    assert record["inputs"] == expected
    assert settings.config_from_mapping(tomllib.loads(record["settings"])) == STATED_RULE
    assert record["date"] == "1970-01-02T00:00:00Z"
    assert record["package"]["version"] == anakinra_rescue.__version__
    assert len(record["package"]["code_sha256"]) == 64
    assert {"pandas", "pandera", "scipy"} <= set(record["packages"]) and record["python"].startswith("3.11")
    assert record["data_folder"] == "small_cohort"  # the last part only: never a full path


def test_the_commit_is_this_checkouts_when_git_knows_it():
    commit, clean = build_record.source_commit()
    if commit is None:
        pytest.skip("not a git checkout")
    assert len(commit) == 40 and isinstance(clean, bool)


def test_written_records_read_back_and_other_settings_change_only_the_settings():
    record = build_record.build_record(FIXTURE, DEFAULT)
    other = build_record.build_record(FIXTURE, STATED_RULE)
    differing = {key for key in record if record[key] != other[key]} - {"date"}
    assert differing == {"settings"}


def test_read_record_round_trips_and_names_the_file_of_each_fault(tmp_path):
    record = build_record.build_record(FIXTURE)
    path = build_record.write_record(record, tmp_path)
    assert path.name == "build.json" and build_record.read_record(tmp_path) == record
    assert path.read_text(encoding="utf-8").endswith("}\n")
    with pytest.raises(build_record.BuildRecordError, match=r"nowhere/build.json: no build record"):
        build_record.read_record(tmp_path / "nowhere")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(build_record.BuildRecordError, match="not a readable build record"):
        build_record.read_record(tmp_path)
    path.write_text(json.dumps({"format": 1}), encoding="utf-8")
    with pytest.raises(build_record.BuildRecordError, match="missing: package, inputs, settings"):
        build_record.read_record(tmp_path)
    path.write_text(json.dumps({**record, "format": 99}), encoding="utf-8")
    with pytest.raises(build_record.BuildRecordError, match="format 99"):
        build_record.read_record(tmp_path)


def test_the_code_digest_moves_with_the_source(tmp_path, monkeypatch):
    before = build_record.code_digest()
    copy = tmp_path / "anakinra_rescue"
    copy.mkdir()
    (copy / "module.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(build_record, "PACKAGE", copy)
    first = build_record.code_digest()
    (copy / "module.py").write_text("x = 2\n", encoding="utf-8")
    assert len({before, first, build_record.code_digest()}) == 3
