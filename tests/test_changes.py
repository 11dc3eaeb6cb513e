"""Tests of anakinra_rescue.examination.changes and the `diff` command: which numbers changed, and why."""

import json
import shutil
import subprocess

import pandas as pd
import pytest

from anakinra_rescue import cli
from anakinra_rescue.data.files import PROJECT_ROOT, RECONSTRUCTED_DIR
from anakinra_rescue.engine import build_record
from anakinra_rescue.examination import changes


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """`tables` outputs of the committed cohort, of a copy with one anakinra case's sex flipped, and of the committed
    cohort under test_overrides = [] (every P-value by the stated rule)."""
    root = tmp_path_factory.mktemp("outputs")
    flipped = root / "flipped-data"
    shutil.copytree(RECONSTRUCTED_DIR, flipped)
    patients = pd.read_csv(flipped / "patients.csv", dtype=str, keep_default_na=False)
    first_case = patients.index[patients["cohort"] == "anakinra"][0]
    patients.loc[first_case, "is_male"] = {"true": "false", "false": "true"}[patients.loc[first_case, "is_male"]]
    patients.to_csv(flipped / "patients.csv", index=False, lineterminator="\n")
    settings_file = root / "no_overrides.toml"
    settings_file.write_text("test_overrides = []\n", encoding="utf-8")
    runs = {
        "committed": [str(RECONSTRUCTED_DIR)],
        "flipped": [str(flipped)],
        "no_overrides": [str(RECONSTRUCTED_DIR), "--config", str(settings_file)],
    }
    for name, arguments in runs.items():
        assert cli.main(["tables", *arguments, "--out", str(root / name)]) == 0
    return root


def test_a_flipped_sex_changes_only_the_male_sex_numbers_and_blames_patients_csv(outputs, tmp_path, capsys):
    assert cli.main(["diff", str(outputs / "committed"), str(outputs / "flipped"), "--out", str(tmp_path / "changes.csv")]) == 0
    printed = capsys.readouterr().out
    found = pd.read_csv(tmp_path / "changes.csv", keep_default_na=False)
    assert set(found["variable"]) == {"male_sex"}
    assert {"table1", "abstract", "results"} <= set(found["source"])
    assert set(found["cause"]) == {"data"} and set(found["detail"]) == {"data: patients.csv"}
    assert (found["change"] == "value").all()
    row = found.set_index(["source", "group", "statistic"]).loc[("table1", "anakinra", "n")]
    assert abs(row["after"] - row["before"]) == 1  # one patient moved
    assert "cause: data (patients.csv)" in printed and "table1 / male_sex / anakinra / n" in printed


def test_other_settings_are_the_cause_of_every_change_and_the_key_is_named(outputs, capsys):
    assert cli.main(["diff", str(outputs / "committed"), str(outputs / "no_overrides"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["causes"] == {"settings": "test_overrides"}
    assert report["changes"] and {row["cause"] for row in report["changes"]} == {"settings"}
    assert all(row["detail"] == "settings: test_overrides" for row in report["changes"])
    assert {row["statistic"] for row in report["changes"]} == {"p_value"}  # the overrides choose tests only


def test_the_same_numbers_twice_list_no_change(outputs, capsys):
    assert cli.main(["diff", str(outputs / "committed"), str(outputs / "committed")]) == 0
    assert "0 number(s) differ" in capsys.readouterr().out


def test_added_removed_and_verdict_only_changes_are_told_apart(outputs, tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(outputs / "committed", changed)
    regenerated = pd.read_csv(changed / "regenerated.csv", dtype=str, keep_default_na=False)
    removed = regenerated.iloc[0]
    added = regenerated.iloc[[1]].assign(statistic="a_new_statistic")
    pd.concat([regenerated.iloc[1:], added]).to_csv(changed / "regenerated.csv", index=False, lineterminator="\n")
    compared = pd.read_csv(changed / "comparison.csv", dtype=str, keep_default_na=False)
    compared.loc[5, "status"] = "mismatch" if compared.loc[5, "status"] == "match" else "match"
    compared.to_csv(changed / "comparison.csv", index=False, lineterminator="\n")
    found = changes.compare_outputs(changes.read_outputs(outputs / "committed"), changes.read_outputs(changed))
    kinds = dict(zip(found["statistic"] + "/" + found["variable"], found["change"]))
    assert kinds[f"{removed['statistic']}/{removed['variable']}"] == "removed"
    assert kinds[f"a_new_statistic/{added['variable'].iloc[0]}"] == "added"
    assert kinds[f"{compared.loc[5, 'statistic']}/{compared.loc[5, 'variable']}"] == "verdict"
    assert changes.summary_counts(found) == {"value": 0, "verdict": 1, "added": 1, "removed": 1}
    assert set(found["cause"]) == {"unknown"}  # the build records are the same: nothing to blame


def test_a_folder_diff_cannot_read_exits_1_naming_the_file(outputs, tmp_path, capsys):
    assert cli.main(["diff", str(tmp_path / "nowhere"), str(outputs / "committed")]) == 1
    assert "nowhere: neither a folder nor a release" in capsys.readouterr().err
    broken = tmp_path / "broken"
    shutil.copytree(outputs / "committed", broken)
    (broken / "build.json").unlink()
    assert cli.main(["diff", str(broken), str(outputs / "committed")]) == 1
    assert "broken/build.json: no build record" in capsys.readouterr().err
    shutil.copy(outputs / "committed" / "build.json", broken / "build.json")
    (broken / "regenerated.csv").write_text("source,variable\ntable1,age_years\n", encoding="utf-8")
    assert cli.main(["diff", str(broken), str(outputs / "committed")]) == 1
    assert "broken/regenerated.csv: missing column(s) group, statistic, value" in capsys.readouterr().err


def test_a_release_is_named_by_its_version_and_the_code_is_blamed_against_it(outputs, capsys):
    assert cli.main(["diff", "0.1.0", str(outputs / "committed")]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("0.1.0 -> ") and "code (0.1.0 (f5bc0f4ce5)" in printed


def _known(commit: str) -> bool:
    return subprocess.run(["git", "-C", str(PROJECT_ROOT), "cat-file", "-e", f"{commit}^{{commit}}"]).returncode == 0


def test_functions_whose_source_changed_between_two_commits_are_named():
    """Between f5bc0f4 (release 0.1.0) and 1caac32, pipeline.table_outputs gained ard.csv; table1_tidy did not change."""
    before, after = "f5bc0f4ce5362df3ec1b4e90b385b282fe4bd91b", "1caac32"
    if not (_known(before) and _known(after)):
        pytest.skip("this clone does not hold both commits")
    records = [{"package": {"commit": commit, "clean": True}} for commit in (before, after)]
    named = ["anakinra_rescue.engine.pipeline.table_outputs", "anakinra_rescue.engine.tables.table1_tidy"]
    assert changes.changed_functions(*records, named) == ["anakinra_rescue.engine.pipeline.table_outputs"]
    assert changes.changed_functions({"package": {"commit": None}}, records[1], named) is None


def test_causes_name_the_files_the_keys_and_the_versions():
    record = build_record.build_record(RECONSTRUCTED_DIR)
    other = json.loads(json.dumps(record))
    other["inputs"]["daily_status.csv"] = "0" * 64
    other["settings"] = record["settings"].replace("improvement_points = 1", "improvement_points = 2")
    other["package"] = {**record["package"], "version": "9.9.9", "commit": None}
    found = changes.causes(record, other)
    assert found["data"] == "daily_status.csv" and found["settings"] == "improvement_points"
    assert found["code"].endswith("-> 9.9.9")
