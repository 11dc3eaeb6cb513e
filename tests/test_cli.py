"""Tests of anakinra_rescue.cli: the exit codes, no traceback for any misuse, and sensitivity run end to end (audit runs
from the command line in tests/test_core_install.py, from a wheel, on the committed cohort)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue import __version__, cli
from anakinra_rescue.data.files import RECONSTRUCTED_DIR

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small_cohort"


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "anakinra_rescue", *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_version_and_help_name_the_program_and_list_the_exit_codes(capsys):
    assert _run("--version").stdout.strip() == f"python -m anakinra_rescue {__version__}"
    with pytest.raises(SystemExit) as raised:
        cli.main(["--help"])
    shown = capsys.readouterr().out
    assert raised.value.code == 0 and shown.startswith("usage: ")
    for code, meaning in cli.EXIT_CODES.items():
        assert f"  {code}  {meaning}" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sensitivity", "--seeds", "abc", "--out", "x.csv"), "'abc' in 'abc' is not a seed or a range"),
        (("sensitivity", "--seeds", "5-1", "--out", "x.csv"), "runs backwards"),
        (("tables", FIXTURE), "the following arguments are required: --out"),
        (("nosuchcommand",), "invalid choice: 'nosuchcommand'"),
        (("tables", FIXTURE, "--out", "{file}"), "is a file; give a folder to write into"),
        (("tables", FIXTURE, "--out", "out", "--config", "{bad_config}"), "outcome_dayz: unknown setting"),
        (("match", FIXTURE, "--out", "out", "--config", "missing.toml"), "no such settings file"),
        (("settings", "--config", "{bad_config}"), "outcome_dayz: unknown setting"),
    ],
)
def test_a_misuse_exits_2_with_one_message_and_no_traceback(tmp_path, monkeypatch, capsys, args, message):
    """In the process (argparse and the usage checks end in SystemExit 2); the next test runs one in a real process."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("outcome_dayz = [7]\n", encoding="utf-8")
    args = [str(arg).format(file=tmp_path / "afile", bad_config=tmp_path / "bad.toml") for arg in args]
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        cli.main(args)
    stderr = capsys.readouterr().err
    assert raised.value.code == cli.EXIT_USAGE, stderr
    assert message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_misuse_in_a_real_process_exits_2_without_a_traceback(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = _run("tables", FIXTURE, "--out", tmp_path / "afile")
    assert result.returncode == cli.EXIT_USAGE and "is a file" in result.stderr and "Traceback" not in result.stderr


def test_invalid_data_exits_1_and_a_defect_exits_3(tmp_path, monkeypatch, capsys):
    assert _run("validate", tmp_path / "nowhere").returncode == cli.EXIT_INVALID_INPUT

    def broken(args):
        raise RuntimeError("a defect")

    monkeypatch.setitem(cli.COMMANDS, "settings", broken)
    assert cli.main(["settings"]) == cli.EXIT_DEFECT
    assert "unexpected failure (exit 3)" in capsys.readouterr().err


def test_sensitivity_reuses_a_cohort_folder_and_writes_its_rows(tmp_path):
    """One seed, its cohort already in --work (the committed one), so nothing is reconstructed: seconds, not minutes."""
    work = tmp_path / "work"
    shutil.copytree(RECONSTRUCTED_DIR, work / "s1", ignore=shutil.ignore_patterns("*.md", "*.json", "sensitivity.csv"))
    result = _run("sensitivity", "--seeds", "1", "--work", work, "--out", tmp_path / "runs" / "sensitivity.csv")
    assert result.returncode == 0, result.stderr
    assert "reusing" in result.stdout and "1 cohorts" in result.stdout
    rows = pd.read_csv(tmp_path / "runs" / "sensitivity.csv")
    committed = pd.read_csv(RECONSTRUCTED_DIR / "sensitivity.csv")
    seed = committed[committed["seed"] == committed["seed"].iloc[0]]
    assert len(rows) == len(seed) and set(rows["outcome"]) == set(seed["outcome"])


def test_settings_prints_a_file_that_reads_back(tmp_path, capsys):
    assert cli.main(["settings"]) == cli.EXIT_OK
    printed = capsys.readouterr().out
    assert printed.startswith("# 0 settings differ from the article's reading")
    (tmp_path / "all.toml").write_text(printed, encoding="utf-8")
    assert cli.main(["settings", "--config", str(tmp_path / "all.toml")]) == cli.EXIT_OK
    assert capsys.readouterr().out == printed
