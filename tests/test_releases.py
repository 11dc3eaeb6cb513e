"""Tests of anakinra_rescue.examination.releases: each release keeps its numbers, and CHANGELOG.md tells them."""

import re
import shutil

import pytest

from anakinra_rescue.data.files import PROJECT_ROOT, RELEASES_DIR
from anakinra_rescue.engine import build_record
from anakinra_rescue.examination import changes, releases


def test_every_release_keeps_its_numbers_and_has_a_changelog_entry():
    versions = changes.release_versions()
    assert versions[0] == "0.1.0"
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in versions:
        assert sorted(path.name for path in (RELEASES_DIR / version).iterdir()) == sorted(releases.RELEASE_FILES)
        record = build_record.read_record(RELEASES_DIR / version)
        assert record["package"]["version"] == version and record["package"]["clean"] is True
        assert re.search(rf"^## {re.escape(version)} \(\d{{4}}-\d{{2}}-\d{{2}}\)$", changelog, flags=re.MULTILINE), version


def test_the_latest_release_is_this_versions_or_older():
    from anakinra_rescue import __version__

    latest = changes.release_versions()[-1]
    assert changes.version_key(latest) <= changes.version_key(__version__)
    citation = (PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {__version__}\n" in citation


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A copy of the files a release writes, with the releases folder holding 0.1.0 only, on a clean commit."""
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    version_file = tmp_path / "__init__.py"
    shutil.copy(releases.VERSION_FILE, version_file)
    shutil.copytree(RELEASES_DIR / "0.1.0", tmp_path / "releases" / "0.1.0")
    monkeypatch.setattr(releases, "CHANGELOG", tmp_path / "CHANGELOG.md")
    monkeypatch.setattr(releases, "CITATION", tmp_path / "CITATION.cff")
    monkeypatch.setattr(releases, "VERSION_FILE", version_file)
    monkeypatch.setattr(releases, "RELEASES_DIR", tmp_path / "releases")
    monkeypatch.setattr(changes, "RELEASES_DIR", tmp_path / "releases")
    monkeypatch.setattr(build_record, "source_commit", lambda: ("a" * 40, True))
    monkeypatch.setattr(build_record, "git_output", lambda *arguments: "")
    return tmp_path


def test_a_release_writes_its_numbers_version_citation_and_changelog_entry(sandbox):
    folder = releases.cut_release("7.0.0", "What changed, in words.", date="2030-01-02")
    assert sorted(path.name for path in folder.iterdir()) == sorted(releases.RELEASE_FILES)
    assert build_record.read_record(folder)["package"] | {"code_sha256": ""} == {
        "name": "anakinra-rescue",
        "version": "7.0.0",
        "commit": "a" * 40,
        "clean": True,
        "code_sha256": "",
    }
    assert '__version__ = "7.0.0"' in (sandbox / "__init__.py").read_text(encoding="utf-8")
    citation = (sandbox / "CITATION.cff").read_text(encoding="utf-8")
    assert "\nversion: 7.0.0\n" in citation and '\ndate-released: "2030-01-02"\n' in citation
    changelog = (sandbox / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 7.0.0 (2030-01-02)") < changelog.index("## 0.1.0")  # newest first
    entry = changelog.split("## 7.0.0 (2030-01-02)")[1].split("\n## ")[0]
    assert "What changed, in words." in entry
    # The committed cohort's numbers are the same as in 0.1.0: the code changed since, the numbers did not.
    assert "No number and no verdict changed since 0.1.0." in entry
    with pytest.raises(releases.ReleaseError, match="not newer than the latest release, 7.0.0"):
        releases.cut_release("6.9.9", "older")


def test_a_release_is_refused_on_a_malformed_version_or_uncommitted_changes(sandbox, monkeypatch):
    with pytest.raises(releases.ReleaseError, match="three whole numbers"):
        releases.cut_release("1.0", "no")
    monkeypatch.setattr(build_record, "git_output", lambda *arguments: " M data/reconstructed/patients.csv")
    with pytest.raises(releases.ReleaseError, match="no uncommitted change"):
        releases.cut_release("8.0.0", "no")
    assert not (sandbox / "releases" / "8.0.0").exists()


def test_the_changelog_words_list_each_changed_number(tmp_path):
    """A changelog entry for changed numbers: counts, where, the cause, and each number before and after."""
    old = changes.read_outputs("0.1.0")
    regenerated = old.regenerated.copy()
    row = (regenerated["source"] == "table1") & (regenerated["variable"] == "age_years") & (regenerated["statistic"] == "mean")
    regenerated.loc[row & (regenerated["group"] == "anakinra"), "value"] += 1
    new = changes.Outputs("next", regenerated, old.compared, old.record)
    text = releases.changelog_numbers(old, new)
    assert "Since 0.1.0, 1 number(s) differ: 1 in value, 0 in verdict only, 0 added, 0 removed" in text
    assert "(Table 1: baseline characteristics 1); cause: unknown." in text
    assert "- table1 / age_years / anakinra / mean: value, 65.25 -> 66.25" in text
