"""Tests of anakinra_rescue.book.what_changed: the book's page of the numbers that moved since an earlier set."""

import shutil

import pandas as pd
import pytest

from anakinra_rescue.book import what_changed
from anakinra_rescue.data.files import DATA_DIR_ENV, MIN_CELL_ENV, SINCE_ENV
from anakinra_rescue.examination import changes


@pytest.fixture
def earlier(tmp_path):
    """Release 0.1.0 with Table 1's anakinra male-sex count one lower and a verdict turned, as an earlier output."""
    folder = tmp_path / "earlier"
    shutil.copytree(changes.resolve("0.1.0"), folder)
    regenerated = pd.read_csv(folder / "regenerated.csv", dtype=str, keep_default_na=False)
    row = (regenerated["source"] == "table1") & (regenerated["variable"] == "male_sex") & (regenerated["group"] == "anakinra")
    regenerated.loc[row & (regenerated["statistic"] == "n"), "value"] = "13.0"
    regenerated.to_csv(folder / "regenerated.csv", index=False, lineterminator="\n")
    return folder


def test_the_page_lists_each_changed_number_in_words_by_table_and_cause(analysis, earlier, monkeypatch):
    monkeypatch.setenv(SINCE_ENV, str(earlier))
    comparison = what_changed.compare(analysis)
    assert comparison is not None and comparison.base == "earlier"  # the folder's name, never its full path
    numbers = what_changed.numbers(comparison)
    assert numbers["changed_value"] == 1 and numbers["changed_total"] == len(comparison.changes)
    words = what_changed.change_list(comparison).data
    assert "- Table 1: baseline characteristics, Male sex, anakinra, n: 13 → 14" in words
    table = what_changed.by_table(comparison).set_index("where")
    assert table.loc["Table 1: baseline characteristics", "value"] == 1
    causes = what_changed.causes_text(comparison).data
    assert "**code**: the code differs (version 0.1.0" in causes  # release 0.1.0's code is older than this build's
    assert "**data**" not in causes and "**settings**" not in causes


def test_the_committed_cohort_is_compared_with_the_release_before_this_version(monkeypatch):
    monkeypatch.delenv(SINCE_ENV, raising=False)
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setattr("anakinra_rescue.__version__", "99.0.0")
    assert what_changed.base() == changes.release_versions()[-1]
    monkeypatch.setattr("anakinra_rescue.__version__", "0.1.0")
    assert what_changed.base() is None  # nothing older than the first release
    assert "no release older" in what_changed.causes_text(None).data


def test_other_data_are_compared_only_with_their_own_earlier_output_and_small_counts_stay_withheld(
    analysis, earlier, monkeypatch, tmp_path
):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(SINCE_ENV, raising=False)
    assert what_changed.base() is None
    assert "SINCE=folder" in what_changed.causes_text(None).data
    monkeypatch.setenv(MIN_CELL_ENV, "15")  # the earlier male-sex count of 13 is now small
    withheld = what_changed._withheld_like_this_build(changes.read_outputs(earlier))
    rows = withheld.regenerated.set_index(["source", "variable", "group", "statistic"])
    assert pd.isna(rows.loc[("table1", "male_sex", "anakinra", "n"), "value"])
    assert pd.isna(rows.loc[("table1", "male_sex", "anakinra", "pct"), "value"])
    assert rows.loc[("table1", "group_size", "anakinra", "n"), "value"] == 20  # denominators are never withheld


@pytest.mark.needs_book
def test_the_built_book_has_the_page_and_its_build_record():
    import hashlib

    from anakinra_rescue.data.files import PROJECT_ROOT, RECONSTRUCTED_DIR
    from anakinra_rescue.engine import build_record

    html = PROJECT_ROOT / "_build" / "html"
    record = build_record.read_record(html)
    assert record["inputs"]["patients.csv"] == hashlib.sha256((RECONSTRUCTED_DIR / "patients.csv").read_bytes()).hexdigest()
    assert build_record.read_record(html / "downloads") == record
    page = (html / "book" / "96_what_changed.html").read_text(encoding="utf-8")
    expected = what_changed.base() or "no earlier set"
    assert f"This build is compared with <strong>{expected}</strong>" in page.replace('<span class="pasted-text">', "").replace(
        "</span>", ""
    )
