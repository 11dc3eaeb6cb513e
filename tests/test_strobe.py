"""Tests of anakinra_rescue.examination.strobe: the checklist is complete and links only to chapters that exist."""

from pathlib import Path

from anakinra_rescue.examination import strobe

ROOT = Path(__file__).resolve().parents[1]


def test_checklist_covers_the_22_items():
    items = strobe.checklist()["item"]
    assert sorted({int(item.rstrip("abcde")) for item in items}) == list(range(1, 23))
    assert items.is_unique


def test_linked_chapters_exist_and_unaddressed_items_are_marked():
    table = strobe.checklist()
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for chapter in set(table["book chapter"]) - {""}:
        assert f"book/{chapter}" in toc, chapter
    assert (table.loc[table["unaddressed by the article"], "what is missing"].str.len() > 0).all()
    assert sum(strobe.counts().values()) == len(table)


def test_markdown_links_every_addressed_item():
    text = strobe.checklist_markdown()
    assert text.count("\n") == len(strobe.checklist()) + 1
    assert "[Methods](01_methods.ipynb)" in text and "[01_methods]" not in text  # a chapter by its title
