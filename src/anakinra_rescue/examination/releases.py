"""Releases: each keeps the committed cohort's numbers, so that a later build can say which numbers moved since.

A release is a version a reader can cite. ``make release VERSION=x.y.z`` runs :func:`cut_release`, which:

1. sets the version in ``src/anakinra_rescue/__init__.py`` (``pyproject.toml`` reads it from there) and in
   ``CITATION.cff`` with the date;
2. computes the committed cohort's numbers under the article's reading, as ``tables`` does, and writes
   ``regenerated.csv``, ``comparison.csv`` and the build record into ``data/releases/<version>/``; the record names
   the commit the release is cut from (the release commit adds only the version and these files);
3. writes the version's entry at the top of ``CHANGELOG.md``: a heading, a line for the maintainer to say what
   changed in words, and :func:`changelog_numbers`, the numbers that changed since the previous release, from
   ``diff``.

It refuses a version that is not newer than every release, and a checkout with uncommitted changes to the code
or the data (the release must be reproducible from its commit). Pinned by ``tests/test_releases.py``.
"""

import datetime
import re
import sys
from pathlib import Path

from anakinra_rescue.data.files import (
    COMPARISON_FILE,
    PROJECT_ROOT,
    RECONSTRUCTED_DIR,
    REGENERATED_FILE,
    RELEASES_DIR,
)
from anakinra_rescue.data.published import SOURCE_TITLES
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.engine import build_record, pipeline
from anakinra_rescue.examination import changes

CHANGELOG = PROJECT_ROOT / "CHANGELOG.md"
CITATION = PROJECT_ROOT / "CITATION.cff"
VERSION_FILE = PROJECT_ROOT / "src" / "anakinra_rescue" / "__init__.py"
RELEASE_FILES = (REGENERATED_FILE, COMPARISON_FILE, build_record.RECORD_FILE)
LISTED_CHANGES = 30  # a changelog entry lists at most this many changed numbers one by one; diff lists them all
VERSION_PATTERN = re.compile(r"\d+\.\d+\.\d+")


class ReleaseError(ValueError):
    """A release that cannot be cut as asked."""


def write_release_numbers(folder: Path, record: dict) -> Path:
    """The committed cohort's regenerated and compared numbers, with ``record``, into ``folder``."""
    analysis = pipeline.run(RECONSTRUCTED_DIR, with_log=False)
    folder.mkdir(parents=True, exist_ok=True)
    pipeline.write_csv(analysis.regenerated, folder / REGENERATED_FILE)
    pipeline.write_csv(analysis.compared, folder / COMPARISON_FILE)
    build_record.write_record(record, folder)
    return folder


def _source_title(source: str) -> str:
    return SOURCE_TITLES.get(source, source)


def changelog_numbers(old: changes.Outputs | None, new: changes.Outputs) -> str:
    """What a release's numbers are, and which changed since ``old``, in words (Markdown)."""
    counts = new.compared["status"].value_counts()
    matched, printed = int(counts.get(Status.MATCH, 0)), len(new.compared)
    state = (
        f"The committed synthetic cohort regenerates {len(new.regenerated)} numbers; {matched} of the article's "
        f"{printed} printed numbers print the same."
    )
    if old is None:
        return f"{state} This is the first release: there is no earlier one to compare with.\n"
    found = changes.compare_outputs(old, new)
    if found.empty:
        return f"{state} No number and no verdict changed since {old.label}.\n"
    by_source = found["source"].value_counts()
    where = ", ".join(f"{_source_title(source)} {int(count)}" for source, count in by_source.items())
    lines = [
        f"{state} Since {old.label}, {changes.headline(found)} ({where}); cause: {found['cause'].iloc[0]}.",
        "",
    ]
    lines += [f"- {changes.change_line(row)}" for row in found.head(LISTED_CHANGES).itertuples(index=False)]
    if len(found) > LISTED_CHANGES:
        lines.append(f"- and {len(found) - LISTED_CHANGES} more: `python -m anakinra_rescue diff {old.label} {new.label}`")
    return "\n".join(lines) + "\n"


def _replace_once(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    updated, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise ReleaseError(f"{path}: found no line matching {pattern!r} to update")
    path.write_text(updated, encoding="utf-8")


def set_version(version: str, date: str) -> None:
    """The version in the package and in CITATION.cff, with the release date."""
    _replace_once(VERSION_FILE, r'^__version__ = "[^"]*"$', f'__version__ = "{version}"')
    _replace_once(CITATION, r"^version: .*$", f"version: {version}")
    text = CITATION.read_text(encoding="utf-8")
    if re.search(r"^date-released: ", text, flags=re.MULTILINE):
        _replace_once(CITATION, r"^date-released: .*$", f'date-released: "{date}"')
    else:
        _replace_once(CITATION, r"^version: .*$", f'version: {version}\ndate-released: "{date}"')


def add_changelog_entry(version: str, date: str, numbers: str, summary: str) -> None:
    """The version's entry, newest first, under the file's title."""
    entry = f"## {version} ({date})\n\n{summary.strip()}\n\n### Numbers\n\n{numbers.strip()}\n\n"
    text = CHANGELOG.read_text(encoding="utf-8") if CHANGELOG.is_file() else "# Changelog\n\n"
    if re.search(rf"^## {re.escape(version)} ", text, flags=re.MULTILINE):
        raise ReleaseError(f"{CHANGELOG}: already has an entry for {version}")
    heading, _, rest = text.partition("\n## ")
    CHANGELOG.write_text(heading.rstrip("\n") + "\n\n" + entry + ("## " + rest if rest else ""), encoding="utf-8")


def cut_release(version: str, summary: str, date: str | None = None) -> Path:
    """Cut release ``version`` (module docstring) and return its folder."""
    if not VERSION_PATTERN.fullmatch(version):
        raise ReleaseError(f"{version}: a version is three whole numbers, e.g. 0.2.0")
    existing = changes.release_versions()
    if existing and changes.version_key(version) <= changes.version_key(existing[-1]):
        raise ReleaseError(f"{version}: not newer than the latest release, {existing[-1]}")
    commit, clean = build_record.source_commit()
    dirty = build_record.git_output("status", "--porcelain", "--", "src", "schemas", "data") if commit else None
    if commit is None or dirty:
        raise ReleaseError("a release is cut from a git checkout with no uncommitted change to src/, schemas/ or data/")
    date = date or datetime.date.today().isoformat()
    set_version(version, date)
    folder = RELEASES_DIR / version
    from anakinra_rescue.engine.config import DEFAULT

    record = build_record.build_record(RECONSTRUCTED_DIR, DEFAULT, commit=(commit, clean))
    record["package"]["version"] = version  # this process imported the version before set_version wrote it
    write_release_numbers(folder, record)
    old = changes.read_outputs(existing[-1]) if existing else None
    numbers = changelog_numbers(old, changes.read_outputs(version))
    add_changelog_entry(version, date, numbers, summary)
    return folder


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 2:
        print("usage: python -m anakinra_rescue.examination.releases VERSION 'what changed, in one sentence'", file=sys.stderr)
        return 2
    try:
        folder = cut_release(arguments[0], arguments[1])
    except (ReleaseError, changes.ChangesError) as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    print(f"release {arguments[0]}: wrote {folder}, set the version in {VERSION_FILE.name} and {CITATION.name}, and")
    print(f"added its entry to {CHANGELOG.name}; review them, re-execute the notebooks (make release does), commit and tag")
    return 0


if __name__ == "__main__":
    sys.exit(main())
