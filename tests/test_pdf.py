"""Tests of anakinra_rescue.book.pdf: `make pdf` prints the regenerated paper (at most 16 sheets, with an outline, a
title, the notice and the commit on every sheet, its tables as rows) and the appendix."""

import re
from pathlib import Path

import pytest

from anakinra_rescue.book import pdf

pytestmark = [pytest.mark.browser, pytest.mark.needs_book]
HTML_DIR = Path(__file__).resolve().parents[1] / "_build" / "html"


def _sheets(out: Path):
    from pypdf import PdfReader

    reader = PdfReader(out)
    return reader, [sheet.extract_text() or "" for sheet in reader.pages]


def test_the_paper_is_short_outlined_titled_and_marked_on_every_sheet():
    out = pdf.build_pdf(HTML_DIR, HTML_DIR / pdf.PAPER.file_name, pdf.PAPER, progress=lambda message: None)
    reader, sheets = _sheets(out)
    text = "\n".join(sheets)
    assert 5 <= len(sheets) <= 16, f"the paper has {len(sheets)} sheets"
    assert reader.metadata.title == pdf.PAPER.title and reader.metadata.author == pdf.AUTHOR

    def titles(items):
        return [title for item in items for title in (titles(item) if isinstance(item, list) else [item.title])]

    outline = titles(reader.outline)
    chapters = [item.title for item in reader.outline if not isinstance(item, list)]
    # a bookmark per chapter (each chapter keeps its printed title) and one per section below it
    assert len(chapters) == len(pdf.PAPER.pages) and len(outline) > 2 * len(chapters), outline
    assert any(title.startswith("Methods") for title in chapters) and any("Table 1" in title for title in outline)
    for heading in ("Table 1. ", "Table 2. ", "Table 3. ", "Figure 1", "Methods", "Results", "What the study reported"):
        assert heading in text, f"the paper lacks {heading!r}"
    unmarked = [number for number, sheet in enumerate(sheets, start=1) if not ("Synthetic data" in sheet and "Commit " in sheet)]
    assert unmarked == [], f"sheets {unmarked} of {len(sheets)} lack the synthetic-data notice or the commit"
    numbered = [number for number, sheet in enumerate(sheets, start=1) if f"Page {number} of {len(sheets)}" not in sheet]
    assert numbered == [], f"sheets without their page number: {numbered}"
    # The tables print as tables: a row's label and its groups' numbers are one line of text, not "label: value" cards.
    assert re.search(r"Male sex \[n \(%\)\]\s+14 \(70\)\s+✓✓\s+12 \(60\)\s+✓✓\s+0\.507", text), "Table 1 does not print as rows"
    table3_row = r"In-hospital mortality \[n \(%\)\]\s+11 \(55\)\s+✓✓\s+9 \(45\)\s+✓✓\s+0\.527"
    assert re.search(table3_row, text), "Table 3 does not print as rows"
    assert "article: " in text  # the printed value under each differing number
    assert "Hover" not in text and "hover" not in text


@pytest.mark.slow  # 61 sheets, about 20 s: make test-slow prints it (make test keeps under 4 minutes)
def test_the_appendix_holds_every_number_the_matching_log_the_audit_and_strobe():
    out = pdf.build_pdf(HTML_DIR, HTML_DIR / pdf.APPENDIX.file_name, pdf.APPENDIX, progress=lambda message: None)
    reader, sheets = _sheets(out)
    text = "\n".join(sheets)
    assert reader.metadata.title == pdf.APPENDIX.title
    for heading in ("Tables 1 to 3", "Methods", "Audit", "STROBE"):
        assert heading in text, f"the appendix lacks {heading!r}"
    unmarked = [number for number, sheet in enumerate(sheets, start=1) if not ("Synthetic data" in sheet and "Commit " in sheet)]
    assert unmarked == [], f"sheets {unmarked} of {len(sheets)} lack the synthetic-data notice or the commit"


def test_pdf_refuses_a_missing_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make book` first"):
        pdf.build_pdf(tmp_path, tmp_path / "out.pdf")
