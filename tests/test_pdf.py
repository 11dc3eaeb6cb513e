"""Tests of anakinra_rescue.book.pdf: `make pdf` prints the regenerated paper, every sheet saying the data are synthetic."""

from pathlib import Path

import pytest

from anakinra_rescue.book import pdf

pytestmark = [pytest.mark.browser, pytest.mark.needs_book]
HTML_DIR = Path(__file__).resolve().parents[1] / "_build" / "html"


def test_pdf_holds_the_paper_and_the_notice_on_every_sheet():
    from pypdf import PdfReader

    out = pdf.build_pdf(HTML_DIR, HTML_DIR / pdf.PDF_NAME, progress=lambda message: None)
    sheets = [sheet.extract_text() or "" for sheet in PdfReader(out).pages]
    text = "\n".join(sheets)
    assert len(sheets) >= len(pdf.PAGES)
    for heading in ("A living reproduction", "Table 1: baseline characteristics", "Table 3: outcomes", "Fidelity", "Figure 1"):
        assert heading in text, f"the PDF lacks {heading!r}"
    # Every sheet names the data and the build (print_notice.css's page-margin boxes). These chapters' sheets are
    # checked here only: test_browser's print check reads the sheets of the printed pages outside this PDF.
    unmarked = [number for number, sheet in enumerate(sheets, start=1) if not ("Synthetic data" in sheet and "Commit " in sheet)]
    assert unmarked == [], f"sheets {unmarked} of {len(sheets)} lack the synthetic-data notice or the commit"


def test_pdf_refuses_a_missing_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make book` first"):
        pdf.build_pdf(tmp_path, tmp_path / "out.pdf")
