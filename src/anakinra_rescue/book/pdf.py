"""`make pdf`: one PDF of the regenerated paper, printed from the built HTML by Debian's Chromium.

``python -m anakinra_rescue.book.pdf [--html _build/html] [--out FILE]`` serves the built book from
127.0.0.1, opens each page of :data:`PAGES` in headless Chromium (driven by Playwright, no browser download),
prints it with the book's print stylesheet (the data notice, commit and build date on every sheet, no
interactive chrome) and joins the pages into one file with pypdf. No LaTeX is involved. The default output
lies inside the built HTML, so that the landing page's link to it works. Pinned by ``tests/test_pdf.py``.
"""

import argparse
import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

from anakinra_rescue.data.files import PROJECT_ROOT

PDF_NAME = "anakinra_rescue_regenerated_paper.pdf"
# The regenerated paper: title page, Methods, Results, Tables 1-3, Figure 1, and the fidelity summary.
PAGES = (
    "book/intro.html",
    "book/01_methods.html",
    "book/02_results.html",
    "book/03_tables.html",
    "book/04_figure1.html",
    "book/05_reconstruction.html",
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


def build_pdf(html_dir: Path, out: Path, chromium: str = CHROMIUM, progress=print) -> Path:
    """Print :data:`PAGES` of the book in ``html_dir`` to one PDF at ``out``; raise if a page is missing."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    missing = [page for page in PAGES if not (html_dir / page).is_file()]
    if missing:
        raise FileNotFoundError(f"{html_dir} lacks {', '.join(missing)}: run `make book` first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    writer = PdfWriter()
    scratch = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            # One tab for every chapter: each navigation loads its page afresh, without a new renderer process
            # (about 2 CPU-seconds a page).
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # Only the local server: anything else is refused, as in the browser check.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(f"http://127.0.0.1:{server.server_address[1]}/")
                    or route.request.url.startswith("data:")
                    else route.abort()
                ),
            )
            for number, page_path in enumerate(PAGES, start=1):
                page.emulate_media(media="screen")  # each chapter loads and draws its charts on screen, then prints
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_path}", wait_until="networkidle")
                page.emulate_media(media="print")
                part = scratch / f"{number:02d}.pdf"
                page.pdf(
                    path=str(part),
                    format="A4",
                    print_background=False,
                    margin={"top": "18mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                )
                writer.append(str(part))
                progress(f"  printed {page_path}")
            page.close()
            browser.close()
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
    parser.add_argument("--out", type=Path, default=None, help=f"the PDF (default: HTML/{PDF_NAME})")
    args = parser.parse_args(argv)
    out = build_pdf(args.html, args.out or args.html / PDF_NAME)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB, {len(PAGES)} chapters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
