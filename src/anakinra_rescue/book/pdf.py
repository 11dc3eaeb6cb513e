"""`make pdf`: the regenerated paper and its appendix, two PDFs printed from the built HTML by Debian's Chromium.

``python -m anakinra_rescue.book.pdf [--html _build/html] [--out-dir DIR]`` serves the built book from 127.0.0.1,
opens each chapter of a :class:`Document` in headless Chromium (driven by Playwright, no browser download), lets its
charts draw, takes the chapter's text (leaving out what :attr:`Document.skip` names, opening every disclosure for the
appendix), joins the chapters into one page, each starting on a new sheet, and prints that page once with the
book's print stylesheet: the data notice on top of every sheet, the commit, build date and page number at its foot,
a document outline (bookmarks) from the headings, and the title and author in the PDF's metadata. No LaTeX is
involved. The PDFs lie inside the built HTML, so that the landing page's links to them work. Pinned by
``tests/test_pdf.py``.
"""

import argparse
import functools
import http.server
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from anakinra_rescue.data.files import PROJECT_ROOT


@dataclass(frozen=True)
class Document:
    """One PDF: its file name, title, chapters (built HTML pages, in order) and what it leaves out of them."""

    file_name: str
    title: str
    pages: tuple[str, ...]
    skip: tuple[str, ...] = ()  # CSS selectors of the parts of the chapters this document leaves out
    open_details: bool = False  # open every collapsed list ("Show all 154 numbers") before printing
    scale: float = 1.0  # Chromium's print scale (the paper prints at 90%, as a journal sets its text small)


# The paper: the landing page's summary (citation, what the study reported, the numbers that did not reproduce),
# Methods without its logs, Results, Tables 1-3 and Figure 1. The long lists, logs and how-to sections go to the
# appendix or stay on screen.
PAPER = Document(
    "anakinra_rescue_regenerated_paper.pdf",
    "Anakinra rescue after tocilizumab failure in severe COVID-19, regenerated",
    ("book/intro.html", "book/01_methods.html", "book/02_results.html", "book/03_tables.html", "book/04_figure1.html"),
    skip=(
        ".onlyprint",  # the theme's printed list of a page's sections: the PDF's outline replaces it
        ".tag_paper-skip",
        "p.downloads",  # links to CSV files mean nothing on paper
        "section#three-findings",
        "section#the-study",
        "section#how-to-cite",
        "section#what-living-reproduction-means-here",
        "section#how-to-read-the-book",
        "section#building-the-book-from-your-own-data",
        "section#settings-of-this-build",
        "details.long-list",
    ),
    scale=0.9,
)
# The appendix: the number-by-number comparison as tables, the matching log, the audit and STROBE.
APPENDIX = Document(
    "anakinra_rescue_appendix.pdf",
    "Appendix to the regenerated paper: every number, the matching log, the audit and STROBE",
    ("book/03_tables.html", "book/01_methods.html", "book/06_audit.html", "book/08_strobe.html"),
    skip=(".onlyprint", "p.downloads"),
    open_details=True,
)
DOCUMENTS = (PAPER, APPENDIX)
AUTHOR = "The anakinra-rescue reproduction team"
SUBJECT = (
    "A regenerated edition of de la Calle et al., Int J Infect Dis 2021; the data are synthetic unless the notice says otherwise"
)
# Debian's Chromium, and its flags, shared with the browser check and the bench: without the background-networking
# ones Chromium itself tries to reach Google's hosts, which the browser check would report.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built book from 127.0.0.1 without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


# In the page: take the chapter's article, without the parts the document leaves out, every chart already drawn.
TAKE_CHAPTER = """([skip, openDetails]) => {
  const article = document.querySelector('article.bd-article');
  for (const selector of skip) article.querySelectorAll(selector).forEach(node => node.remove());
  if (openDetails) article.querySelectorAll('details').forEach(node => node.open = true);
  return article.innerHTML;
}"""
CHARTS_DRAWN = "Array.from(document.querySelectorAll('.vega-embed')).every(chart => chart.querySelector('svg'))"
JOIN_CHAPTERS = """([chapters, title]) => {
  const article = document.querySelector('article.bd-article');
  article.innerHTML = chapters.map(html => '<section class="pdf-chapter">' + html + '</section>').join('');
  document.title = title;
}"""


def build_pdf(html_dir: Path, out: Path, document: Document = PAPER, chromium: str = CHROMIUM, progress=print) -> Path:
    """Print ``document``'s chapters of the book in ``html_dir`` as one PDF at ``out``; raise if a chapter is missing."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    missing = [page for page in document.pages if not (html_dir / page).is_file()]
    if missing:
        raise FileNotFoundError(f"{html_dir} lacks {', '.join(missing)}: run `make book` first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    scratch = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # Only the local server: anything else is refused, as in the browser check.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(base) or route.request.url.startswith("data:")
                    else route.abort()
                ),
            )
            chapters = []
            for page_path in document.pages:
                page.goto(base + page_path, wait_until="networkidle")
                page.wait_for_function(
                    "Array.from(document.querySelectorAll('.vega-embed')).every(chart => chart.querySelector('svg'))"
                )
                chapters.append(page.evaluate(TAKE_CHAPTER, [list(document.skip), document.open_details]))
                progress(f"  took {page_path}")
            page.goto(base + document.pages[0], wait_until="networkidle")
            page.evaluate(JOIN_CHAPTERS, [chapters, document.title])
            page.emulate_media(media="print")
            part = scratch / "document.pdf"
            page.pdf(
                path=str(part),
                format="A4",
                print_background=False,
                margin={"top": "18mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                outline=True,
                scale=document.scale,
                tagged=True,
            )
            page.close()
            browser.close()
        writer = PdfWriter(clone_from=PdfReader(part))
        writer.add_metadata(
            {"/Title": document.title, "/Author": AUTHOR, "/Subject": "Synthetic data; see the notice on every sheet"}
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            writer.write(handle)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(scratch, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m anakinra_rescue.book.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=PROJECT_ROOT / "_build" / "html", help="the built book")
    parser.add_argument("--out-dir", type=Path, default=None, help="where to write the PDFs (default: the built book)")
    args = parser.parse_args(argv)
    from pypdf import PdfReader

    for document in DOCUMENTS:
        print(f"printing {document.file_name} ({len(document.pages)} chapters) ...")
        out = build_pdf(args.html, (args.out_dir or args.html) / document.file_name, document)
        print(f"wrote {out} ({len(PdfReader(out).pages)} pages, {out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
