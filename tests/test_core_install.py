"""The core installs alone from a wheel and runs validate, match and tables anywhere.

``pip install anakinra-rescue`` (no extra) must give the engine and the command
line with pandas, pandera, pyarrow and scipy only: no Altair, no Jupyter Book. The test
builds a wheel from a copy of the sources, installs it non-editable into a clean
venv from the local wheelhouse that ``make`` downloads beside ``.venv`` (so the
test itself needs no network), and runs the commands from an unrelated working
directory on the fixture cohort.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = PROJECT_ROOT / ".venv" / "wheelhouse"
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "small_cohort"
BOOK_ONLY = {"altair", "jupyter-book", "myst-nb", "nbclient", "vl-convert-python", "django-static-mathjax", "sphinx"}


# The venv's modules are compiled on first import (it is installed without byte-compiling); letting that first
# import write its .pyc files spares every later command of the run from compiling pandas again.
WRITE_BYTECODE = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _run(command, cwd, timeout=600):
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=WRITE_BYTECODE
    )
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory):
    """One clean venv per test run, shared by the pytest-xdist workers: the first builds it under a lock."""
    if not WHEELHOUSE.is_dir():
        pytest.fail(f"{WHEELHOUSE} is missing: `make test` downloads the core's wheels there when it builds .venv")
    run_root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_root = run_root.parent  # this run's temporary root, common to its workers (never to another run)
    work = run_root / "core-install"
    work.mkdir(exist_ok=True)
    with (work / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / "ready").exists():
            _build_core_venv(work)
            (work / "ready").touch()
    return work / "venv" / "bin" / "python", work


def _build_core_venv(work: Path) -> None:
    source = work / "source"  # a copy, so that building the wheel writes nothing into the checkout
    for name in ("src", "schemas", "data/published", "data/reconstructed", "pyproject.toml", "README.md"):
        origin, target = PROJECT_ROOT / name, source / name
        if origin.is_dir():
            shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", work / "dist", source], work
    )
    (wheel,) = (work / "dist").glob("anakinra_rescue-*.whl")
    environment = work / "venv"
    # No pip inside: this run's pip installs into it (--python), and without byte-compiling every module of
    # pandas and scipy up front (imports compile what they use): 6 s instead of 25.
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            WHEELHOUSE,
            wheel,
        ],
        work,
    )


def test_core_install_holds_no_book_tooling(core_venv):
    python, work = core_venv
    listed = _run([sys.executable, "-m", "pip", "--python", python, "list", "--format=freeze"], work).stdout.lower()
    installed = {line.split("==")[0].replace("_", "-") for line in listed.splitlines()}
    assert {"pandas", "pandera", "pyarrow", "scipy", "anakinra-rescue"} <= installed
    assert not (installed & BOOK_ONLY), f"the core install pulled book packages: {sorted(installed & BOOK_ONLY)}"


def test_core_install_is_not_editable(core_venv):
    python, work = core_venv
    location = _run([python, "-c", "import anakinra_rescue; print(anakinra_rescue.__file__)"], work).stdout.strip()
    assert "site-packages" in location and str(PROJECT_ROOT) not in location


def test_core_commands_run_from_another_directory(core_venv, tmp_path):
    python, _ = core_venv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    validated = _run([python, "-m", "anakinra_rescue", "validate", FIXTURE], elsewhere)
    assert "valid" in validated.stdout
    matched = _run([python, "-m", "anakinra_rescue", "match", FIXTURE, "--out", "matched"], elsewhere)
    assert (elsewhere / "matched" / "pairs.csv").read_text(encoding="utf-8").count("\n") > 1, matched.stdout
    tabled = _run([python, "-m", "anakinra_rescue", "tables", FIXTURE, "--out", "tables"], elsewhere)
    comparison = (elsewhere / "tables" / "comparison.csv").read_text(encoding="utf-8")
    record_rows = (PROJECT_ROOT / "data" / "published" / "article_numbers.csv").read_text(encoding="utf-8").count("\n")
    assert comparison.count("\n") == record_rows, tabled.stdout  # the packaged record travelled with the wheel


def test_core_install_carries_its_data_files(core_venv):
    """The tables the core reads at import (row domains, STROBE checklist) travel in the wheel."""
    python, work = core_venv
    _run(
        [
            python,
            "-c",
            "from anakinra_rescue.reconstruction import reconstruct; from anakinra_rescue.examination import strobe; "
            "assert len(reconstruct.ROW_DOMAINS) > 10 and len(strobe.ITEMS) > 20",
        ],
        work,
    )


def test_core_command_reports_invalid_input_with_exit_1(core_venv, tmp_path):
    python, _ = core_venv
    result = subprocess.run(
        [str(python), "-m", "anakinra_rescue", "validate", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=120,
        env=WRITE_BYTECODE,
    )
    assert result.returncode == 1 and "directory_missing" in result.stderr


def test_the_installed_tool_names_itself_and_its_version_and_installs_no_top_level_schemas(core_venv, tmp_path):
    from anakinra_rescue import __version__

    python, _ = core_venv
    script = python.parent / "anakinra-rescue"
    assert _run([script, "--version"], tmp_path).stdout.strip() == f"anakinra-rescue {__version__}"
    assert _run([script, "tables", "--help"], tmp_path).stdout.startswith("usage: anakinra-rescue tables")
    assert _run([python, "-m", "anakinra_rescue", "--version"], tmp_path).stdout.strip() == (
        f"python -m anakinra_rescue {__version__}"
    )
    found = subprocess.run(
        [str(python), "-c", "import schemas"], cwd=tmp_path, capture_output=True, text=True, env=WRITE_BYTECODE
    )
    assert found.returncode == 1 and "No module named 'schemas'" in found.stderr
    _run([python, "-c", "from anakinra_rescue.schemas.cohort import Patient"], tmp_path)


def test_audit_and_settings_run_from_a_wheel_in_another_folder(core_venv, tmp_path):
    """The defaults (the committed cohort for audit, the current folder for datapackage) work from site-packages."""
    python, _ = core_venv
    audited = _run([python, "-m", "anakinra_rescue", "audit", "--out", "aud"], tmp_path)
    assert (tmp_path / "aud" / "audit.csv").read_text(encoding="utf-8").count("\n") > 400, audited.stdout
    settings_file = tmp_path / "two_weeks.toml"
    settings_file.write_text("outcome_days = [7, 14]\nmortality_days = [14]\ndischarge_days = [14]\n", encoding="utf-8")
    _run([python, "-m", "anakinra_rescue", "tables", FIXTURE, "--out", "t", "--config", settings_file], tmp_path)
    assert "day21" not in (tmp_path / "t" / "table3.csv").read_text(encoding="utf-8")
    _run([python, "-m", "anakinra_rescue", "datapackage"], tmp_path)
    assert (tmp_path / "datapackage.json").is_file()
