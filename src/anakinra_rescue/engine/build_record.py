"""The build record: what one set of regenerated numbers was computed from, written beside them as ``build.json``.

Every ``tables`` output folder, every book build and every release holds one. It names, in JSON:

* ``inputs``: the SHA-256 of each input file (the cohort's CSV files and the published record), by file name;
* ``settings``: the settings in their TOML form (:func:`anakinra_rescue.engine.settings.settings_toml`);
* ``package``: the version, the git commit when the code runs from a checkout (``null`` from a wheel), whether the
  checkout had uncommitted changes, and the SHA-256 of the package's source (:func:`code_digest`, the code part of
  the book's fingerprint), which tells two code versions apart even where git cannot;
* ``date``: when the numbers were computed (UTC), or ``SOURCE_DATE_EPOCH`` when it is set, as reproducible builds do;
* ``python`` and ``packages``: the versions of Python and of the packages that compute the numbers.

The data folder is named by its last part only, never by its full path. :func:`write_record` writes it and
:func:`read_record` reads one back, with a clear error for a missing or malformed file. ``diff``
(:mod:`anakinra_rescue.examination.changes`) compares two of them to say why numbers changed.
Pinned by ``tests/test_build_record.py``.
"""

import datetime
import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from anakinra_rescue.data.files import (
    DAILY_STATUS_FILE,
    INFECTIONS_FILE,
    PATIENTS_FILE,
    PROJECT_ROOT,
    PUBLISHED_RECORD_CSV,
    SOURCE_CHECKOUT,
)
from anakinra_rescue.engine import settings
from anakinra_rescue.engine.config import DEFAULT, StudyConfig

RECORD_FILE = "build.json"
RECORD_FORMAT = 1
DATA_FILES = (PATIENTS_FILE, DAILY_STATUS_FILE, INFECTIONS_FILE)
PACKAGE = Path(__file__).resolve().parents[1]
# The packages whose versions can move a number (the core) and that draw the book; absent ones are left out.
KEY_PACKAGES = ("numpy", "pandas", "pandera", "pyarrow", "scipy", "altair", "jupyter-book", "myst-nb", "sphinx")


class BuildRecordError(ValueError):
    """A build record that is missing, unreadable or not one this package writes."""


def hash_files(digest, paths) -> None:
    """Feed each file's name and bytes into ``digest``, in the order given."""
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_digest() -> str:
    """SHA-256 of the package's and the schemas' source and package data: the code a build ran."""
    from anakinra_rescue import schemas  # type: ignore[attr-defined]  # mapped from schemas/ by setuptools

    digest = hashlib.sha256()
    hash_files(
        digest,
        sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.csv")) + sorted(Path(schemas.__file__).parent.glob("*.py")),
    )
    return digest.hexdigest()


def git_output(*arguments: str) -> str | None:
    """What ``git ARGUMENTS`` prints in the checkout, stripped; None without git or on its failure."""
    try:
        result = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), *arguments], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def source_commit() -> tuple[str | None, bool | None]:
    """(commit, clean) of the checkout the code runs from; (None, None) from a wheel or without git. ``clean`` is
    False when src/ or schemas/ hold changes not committed."""
    if not (SOURCE_CHECKOUT and (PROJECT_ROOT / ".git").exists()):
        return None, None
    commit = git_output("rev-parse", "HEAD")
    if commit is None:
        return None, None
    changed = git_output("status", "--porcelain", "--", "src", "schemas")
    return commit, changed == ""


def build_date() -> str:
    """Now in UTC to the second, or ``SOURCE_DATE_EPOCH`` (seconds since 1970) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch and epoch.isdigit()
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def package_versions() -> dict[str, str]:
    found = {}
    for name in KEY_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def build_record(
    data_dir: Path | str,
    config: StudyConfig = DEFAULT,
    *,
    record_csv: Path | str = PUBLISHED_RECORD_CSV,
    commit: tuple[str | None, bool | None] | None = None,
) -> dict:
    """The build record of numbers computed from the cohort in ``data_dir`` under ``config`` (module docstring);
    ``commit`` overrides the checkout's (commit, clean) pair, for a release recorded from another commit."""
    import anakinra_rescue  # the package's own __init__, which every layer may read

    folder = Path(data_dir)
    inputs = {name: file_sha256(folder / name) for name in DATA_FILES if (folder / name).is_file()}
    inputs[Path(record_csv).name] = file_sha256(Path(record_csv))
    revision, clean = source_commit() if commit is None else commit
    return {
        "format": RECORD_FORMAT,
        "package": {
            "name": "anakinra-rescue",
            "version": anakinra_rescue.__version__,
            "commit": revision,
            "clean": clean,
            "code_sha256": code_digest(),
        },
        "date": build_date(),
        "data_folder": folder.resolve().name,
        "inputs": inputs,
        "settings": settings.settings_toml(config),
        "python": platform.python_version(),
        "packages": package_versions(),
    }


def write_record(record: dict, folder: Path | str) -> Path:
    """Write ``record`` as ``folder/build.json`` (sorted keys, LF, a final newline) and return its path."""
    path = Path(folder) / RECORD_FILE
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_record(folder: Path | str) -> dict:
    """The build record in ``folder`` (a ``tables`` output, a release or a book build)."""
    path = Path(folder) / RECORD_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildRecordError(f"{path}: no build record; `tables` writes one beside its numbers") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BuildRecordError(f"{path}: not a readable build record ({error})") from None
    missing = [key for key in ("format", "package", "inputs", "settings") if not isinstance(record, dict) or key not in record]
    if missing:
        raise BuildRecordError(f"{path}: not a build record of this package (missing: {', '.join(missing)})")
    if record["format"] != RECORD_FORMAT:
        raise BuildRecordError(f"{path}: build record format {record['format']}; this version reads format {RECORD_FORMAT}")
    return record
