"""What changed between two sets of regenerated numbers, and why: the ``diff`` command and the book's "What changed".

Each side is a folder holding ``regenerated.csv``, ``comparison.csv`` and ``build.json``: a ``tables`` output, a
book build's downloads, or a release (``data/releases/<version>/``, also named by its version alone). Numbers are
joined on their key (source, variable, group, statistic). A number has *changed* when its value moved by more than
one part in 10^12 (so that floating-point noise between machines is not a change) or its verdict (the comparison's
status against the printed number) changed; it was *added* or *removed* when only one side has it.

The cause is read from the two build records (:mod:`anakinra_rescue.engine.build_record`):

* ``data``: input files whose SHA-256 differ, by name;
* ``settings``: the keys whose values differ between the two settings files (TOML);
* ``code``: the version or the source digest differ; then, for each number, the functions the provenance registry
  (``book/provenance.csv``) names behind its table whose source differs between the two commits, when both commits
  are recorded and this checkout's git holds them.

When several causes differ, every change is attributed to all of them: two outputs alone cannot separate them.
Pinned by ``tests/test_changes.py``.
"""

import ast
import csv
import functools
import math
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anakinra_rescue.data.files import COMPARISON_FILE, PROJECT_ROOT, REGENERATED_FILE, RELEASES_DIR
from anakinra_rescue.data.published import KEYS
from anakinra_rescue.engine import build_record

CHANGES_FILE = "changes.csv"
CHANGE_COLUMNS = [
    *KEYS,
    "change",
    "before",
    "after",
    "verdict_before",
    "verdict_after",
    "cause",
    "detail",
]
RELATIVE_TOLERANCE = 1e-12
REGISTRY_CSV = Path(__file__).resolve().parents[1] / "book" / "provenance.csv"  # read as text: no book import


class ChangesError(ValueError):
    """A folder ``diff`` cannot read."""


@dataclass(frozen=True)
class Outputs:
    """One side of a comparison: its numbers, their verdicts and its build record."""

    label: str
    regenerated: pd.DataFrame
    compared: pd.DataFrame
    record: dict


def resolve(name: str | Path) -> Path:
    """A folder, or a release named by its version (``0.1.0`` is ``data/releases/0.1.0``)."""
    path = Path(name)
    if path.is_dir():
        return path
    release = RELEASES_DIR / str(name)
    if release.is_dir():
        return release
    raise ChangesError(f"{name}: neither a folder nor a release (releases: {', '.join(release_versions()) or 'none'})")


def release_versions() -> list[str]:
    """The releases in ``data/releases/``, oldest first (by version number)."""
    if not RELEASES_DIR.is_dir():
        return []
    found = [path.name for path in RELEASES_DIR.iterdir() if (path / build_record.RECORD_FILE).is_file()]
    return sorted(found, key=version_key)


def version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def previous_release(current_version: str) -> str | None:
    """The latest release older than ``current_version`` (this build is measured against it); None when none is."""
    older = [version for version in release_versions() if version_key(version) < version_key(current_version)]
    return older[-1] if older else None


def read_outputs(name: str | Path, label: str | None = None) -> Outputs:
    folder = resolve(name)
    frames = []
    for file in (REGENERATED_FILE, COMPARISON_FILE):
        path = folder / file
        try:
            text_columns = [*KEYS, "published", "regenerated", "status", "test", "note"]  # as printed; values are floats
            frame = pd.read_csv(path, dtype={column: str for column in text_columns}, keep_default_na=False, na_values=[""])
        except FileNotFoundError:
            raise ChangesError(f"{path}: missing; `tables DIR --out OUT` writes it") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
            raise ChangesError(f"{path}: not a readable CSV file ({error})") from None
        missing = [column for column in (*KEYS, "value" if file == REGENERATED_FILE else "status") if column not in frame]
        if missing:
            raise ChangesError(f"{path}: missing column(s) {', '.join(missing)}")
        if frame.duplicated(KEYS).any():
            key = frame.loc[frame.duplicated(KEYS), KEYS].iloc[0].tolist()
            raise ChangesError(f"{path}: the number {' / '.join(key)} appears twice")
        frames.append(frame)
    try:
        record = build_record.read_record(folder)
        tomllib.loads(record["settings"])
    except build_record.BuildRecordError as error:
        raise ChangesError(str(error)) from None
    except (tomllib.TOMLDecodeError, TypeError) as error:
        raise ChangesError(f"{folder / build_record.RECORD_FILE}: its settings are not TOML ({error})") from None
    return Outputs(label or str(name), frames[0], frames[1], record)


def _same(before, after) -> bool:
    if pd.isna(before) and pd.isna(after):
        return True
    if pd.isna(before) or pd.isna(after):
        return False
    return math.isclose(float(before), float(after), rel_tol=RELATIVE_TOLERANCE, abs_tol=RELATIVE_TOLERANCE)


def _settings_keys(old: dict, new: dict) -> list[str]:
    before, after = tomllib.loads(old["settings"]), tomllib.loads(new["settings"])
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def _data_files(old: dict, new: dict) -> list[str]:
    before, after = old["inputs"], new["inputs"]
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def _code_label(package: dict) -> str:
    commit = package.get("commit")
    suffix = f" ({commit[:10]}{'' if package.get('clean', True) else ', with uncommitted changes'})" if commit else ""
    return f"{package.get('version', '?')}{suffix}"


def causes(old: dict, new: dict) -> dict[str, str]:
    """{cause: detail} of what differs between two build records: data, settings, code (module docstring)."""
    found = {}
    files = _data_files(old, new)
    if files:
        found["data"] = ", ".join(files)
    keys = _settings_keys(old, new)
    if keys:
        found["settings"] = ", ".join(keys)
    if (old["package"].get("version"), old["package"].get("code_sha256")) != (
        new["package"].get("version"),
        new["package"].get("code_sha256"),
    ):
        found["code"] = f"{_code_label(old['package'])} -> {_code_label(new['package'])}"
    return found


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, tuple[str, ...]]:
    """The provenance registry's functions by artefact; empty where the book's files are not installed."""
    if not REGISTRY_CSV.is_file():
        return {}
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["artefact"]: tuple(row["built_by"].split()) for row in csv.DictReader(handle)}


def functions_behind(source: str) -> list[str]:
    """The functions the provenance registry names behind a number of ``source`` (a table; the registry has no entry
    for the abstract, Results or Discussion), and the comparison's."""
    registry = _registry()
    return [*registry.get(source, ()), *registry.get("comparison", ())[:1]]


@functools.lru_cache(maxsize=1024)
def _function_source(commit: str, dotted: str) -> str | None:
    """The source of a function at ``commit``, from git; None when git cannot give it."""
    module, _, name = dotted.rpartition(".")
    path = "src/" + module.replace(".", "/") + ".py"
    try:
        shown = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if shown.returncode:
        return None
    for node in ast.walk(ast.parse(shown.stdout)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return ast.get_source_segment(shown.stdout, node)
    return ""


def changed_functions(old: dict, new: dict, functions: list[str]) -> list[str] | None:
    """The functions among ``functions`` whose source differs between the two records' commits; None when git cannot
    tell (a commit not recorded, not in this checkout, or uncommitted changes on either side)."""
    commits = [record["package"].get("commit") for record in (old, new)]
    if not all(commits) or not all(record["package"].get("clean", False) for record in (old, new)):
        return None
    changed = []
    for function in functions:
        before, after = (_function_source(commit, function) for commit in commits)
        if before is None or after is None:
            return None
        if before != after:
            changed.append(function)
    return changed


def compare_outputs(old: Outputs, new: Outputs) -> pd.DataFrame:
    """Every number whose value or verdict changed, or that was added or removed, with its cause (columns
    :data:`CHANGE_COLUMNS`), in the order of the newer side (removed numbers last)."""
    before = old.regenerated[[*KEYS, "value"]].assign(position_before=range(len(old.regenerated)))
    after = new.regenerated[[*KEYS, "value"]].assign(position_after=range(len(new.regenerated)))
    values = before.merge(after, on=KEYS, how="outer", suffixes=("_before", "_after"), indicator="side")
    values = values.sort_values(["position_after", "position_before"], na_position="last", kind="stable")
    verdicts = old.compared[[*KEYS, "status"]].merge(
        new.compared[[*KEYS, "status"]], on=KEYS, how="outer", suffixes=("_before", "_after")
    )
    joined = values.merge(verdicts, on=KEYS, how="left")
    change = []
    for side, before, after, verdict_before, verdict_after in zip(
        joined["side"], joined["value_before"], joined["value_after"], joined["status_before"], joined["status_after"]
    ):
        if side == "left_only":
            change.append("removed")
        elif side == "right_only":
            change.append("added")
        elif not _same(before, after):
            change.append("value")
        elif not (pd.isna(verdict_before) and pd.isna(verdict_after)) and verdict_before != verdict_after:
            change.append("verdict")
        else:
            change.append("")
    joined["change"] = change
    changed = joined[joined["change"] != ""].copy()
    found = causes(old.record, new.record)
    changed["cause"] = " + ".join(found) if found else "unknown"
    changed["detail"] = [_detail(found, old.record, new.record, source) for source in changed["source"]]
    return pd.DataFrame(
        {
            **{key: changed[key] for key in KEYS},
            "change": changed["change"],
            "before": changed["value_before"],
            "after": changed["value_after"],
            "verdict_before": changed["status_before"].fillna(""),
            "verdict_after": changed["status_after"].fillna(""),
            "cause": changed["cause"],
            "detail": changed["detail"],
        },
        columns=CHANGE_COLUMNS,
    ).reset_index(drop=True)


def _detail(found: dict[str, str], old: dict, new: dict, source: str) -> str:
    parts = [f"{cause}: {detail}" for cause, detail in found.items()]
    functions = functions_behind(source) if "code" in found else []
    if "code" in found and not functions:
        parts.append("no provenance registry here names the functions behind it")
    elif "code" in found:
        changed = changed_functions(old, new, functions)
        if changed is None:
            parts.append("git cannot tell which of the functions behind it changed")
        else:
            parts.append(
                "functions behind it that changed: "
                + (", ".join(changed) if changed else "none (the change is in code they call)")
            )
    if not found:
        parts.append("the two build records differ in nothing that computes numbers")
    return "; ".join(parts)


def summary_counts(changes: pd.DataFrame) -> dict[str, int]:
    counts = changes["change"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in ("value", "verdict", "added", "removed")}


def shown_value(value) -> str:
    """A number as a change list prints it: six significant digits, a dash when there is none."""
    return "–" if pd.isna(value) else f"{float(value):.6g}"


def change_line(row) -> str:
    """One change in words: ``table1 / male_sex / anakinra / n: 14 -> 13; verdict match -> mismatch``."""
    key = " / ".join(str(getattr(row, key)) for key in KEYS)
    text = f"{key}: {row.change}, {shown_value(row.before)} -> {shown_value(row.after)}"
    if row.verdict_before != row.verdict_after:
        text += f"; verdict {row.verdict_before or '–'} -> {row.verdict_after or '–'}"
    return text


def headline(changes: pd.DataFrame) -> str:
    counts = summary_counts(changes)
    return (
        f"{len(changes)} number(s) differ: {counts['value']} in value, {counts['verdict']} in verdict only, "
        f"{counts['added']} added, {counts['removed']} removed"
    )


def as_text(old: Outputs, new: Outputs, changes: pd.DataFrame) -> str:
    found = causes(old.record, new.record)
    lines = [f"{old.label} -> {new.label}: {headline(changes)}"]
    lines.append(
        "cause: " + ("; ".join(f"{cause} ({detail})" for cause, detail in found.items()) or "none found in the build records")
    )
    lines += ["  " + change_line(row) for row in changes.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def as_json(old: Outputs, new: Outputs, changes: pd.DataFrame) -> dict:
    rows = changes.astype(object).where(changes.notna(), None).to_dict(orient="records")
    return {
        "old": old.label,
        "new": new.label,
        "causes": causes(old.record, new.record),
        "counts": summary_counts(changes),
        "changes": rows,
    }
