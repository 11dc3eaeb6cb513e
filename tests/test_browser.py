"""Browser check of the built book: every page opens offline, without console errors.

Run after ``make book``; ``make test`` does both. Each page of ``_build/html`` is
served from 127.0.0.1 and opened in headless Debian Chromium driven by
Playwright. A page fails when it asks for anything outside the machine, logs a
console error, raises an uncaught exception, shows a chart that did not draw,
or lacks the tables it is expected to show. A screenshot of every page is
written to ``_build/screenshots/`` for a person to look at.
"""

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.needs_book]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HTML_DIR = PROJECT_ROOT / "_build" / "html"
SCREENSHOT_DIR = PROJECT_ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
# Flags from the machine notes: without the background-networking ones Chromium
# itself tries to reach Google's hosts, which this check would report.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# No console message is allowed. (The theme's "Got invalid theme mode" is gone: _config.yml sets default_mode.)
ALLOWED_CONSOLE_MESSAGES: set[str] = set()
# Minimum number of <table> elements a page must show; pages not listed need none.
EXPECTED_MIN_TABLES = {
    "book/01_methods.html": 5,
    "book/03_tables.html": 7,
    "book/04_figure1.html": 1,
    "book/05_reconstruction.html": 4,
    "book/06_audit.html": 4,
    "book/07_reanalysis.html": 3,
    "book/08_strobe.html": 1,
    "book/80_data_dictionary.html": 4,
    "book/90_published_record.html": 11,
}


def _pages() -> list[str]:
    """The pages the build must hold, from the book's sources (known before the build, which make test runs
    beside the tests): one per chapter file, plus Sphinx's own index, search and general-index pages."""
    chapters = sorted(path for path in (PROJECT_ROOT / "book").iterdir() if path.suffix in (".ipynb", ".md"))
    return sorted([f"book/{path.stem}.html" for path in chapters] + ["genindex.html", "index.html", "search.html"])


def _built_pages() -> list[str]:
    skip = {"_static", "_sources", "_images"}
    return sorted(
        str(path.relative_to(HTML_DIR))
        for path in HTML_DIR.rglob("*.html")
        if not skip.intersection(path.relative_to(HTML_DIR).parts)
    )


@pytest.fixture(scope="module")
def server_url():
    handler = functools.partial(_QuietHandler, directory=str(HTML_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make chromium` (Debian package 'chromium').")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_book_is_built():
    assert (HTML_DIR / "index.html").is_file(), f"{HTML_DIR} has no index.html: run `make book` first"
    assert _built_pages() == _pages(), "the built pages and the pages this check opens differ"


@pytest.mark.parametrize("page_path", _pages())
def test_page_is_offline_and_clean(page_path, server_url, browser):
    assert HTML_DIR.is_dir(), f"{HTML_DIR} is missing: run `make book` first"
    outside_requests: list[str] = []
    console_errors: list[str] = []

    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route_request):
        url = route_request.request.url
        parsed = urlparse(url)
        if parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS:
            route_request.continue_()
        else:
            outside_requests.append(url)
            route_request.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error"
        and message.text not in ALLOWED_CONSOLE_MESSAGES
        and console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    response = page.goto(f"{server_url}/{page_path}", wait_until="networkidle")
    assert response is not None and response.ok, f"{page_path}: HTTP {response.status if response else 'none'}"
    page.wait_for_timeout(300)  # let charts and MathJax finish drawing

    charts = page.locator("div.vega-chart")
    loads_vega = page.locator("script[src*='vega-bundle']").count() > 0
    loads_mathjax = page.locator("script[src*='mathjax']").count() > 0
    has_maths = page.locator(".math, mjx-container").count() > 0
    assert loads_vega == (charts.count() > 0), f"{page_path}: Vega bundle loaded {loads_vega}, charts {charts.count()}"
    assert not loads_mathjax or has_maths, f"{page_path}: loads MathJax but shows no mathematics"
    for index in range(charts.count()):
        marks = charts.nth(index).locator("svg .role-mark, canvas")
        assert marks.count() > 0, f"{page_path}: chart {index + 1} did not draw"
    table_count = page.locator("article table, main table").count()
    expected_tables = EXPECTED_MIN_TABLES.get(page_path, 0)

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / (page_path.replace("/", "__") + ".png")), full_page=True)
    banner = page.locator(".bd-header-announcement").inner_text() if page.locator(".bd-header-announcement").count() else ""
    # A reader moves between chapters from the text itself, not only from the sidebar.
    internal_links = page.eval_on_selector_all(
        "article.bd-article a[href]",
        "links => links.map(link => link.getAttribute('href')).filter(href => !href.startsWith('#')"
        " && !/^[a-z]+:/.test(href) && !href.startsWith('../_'))")
    context.close()

    assert outside_requests == [], f"{page_path} asked for outside resources: {outside_requests}"
    assert console_errors == [], f"{page_path} logged console errors: {console_errors}"
    assert table_count >= expected_tables, f"{page_path}: {table_count} tables shown, expected at least {expected_tables}"
    assert "synthetic" in banner.lower() or "built from the data in" in banner.lower(), (
        f"{page_path}: the data banner is missing (found {banner!r})"
    )
    assert internal_links or not page_path.startswith("book/"), f"{page_path} has no link to another chapter in its text"


PRINTED_PAGES = ["book/02_results.html", "book/03_tables.html", "book/04_figure1.html", "book/06_audit.html"]


@pytest.mark.parametrize("page_path", PRINTED_PAGES)
def test_printed_page_carries_the_data_notice_and_provenance_without_chrome(page_path, server_url, browser):
    """With print media, the synthetic-data banner and the commit/date footer show; filter boxes and code toggles do not."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server_url}/{page_path}", wait_until="networkidle")
    page.emulate_media(media="print")
    banner = page.locator(".bd-header-announcement")
    provenance = page.locator(".build-provenance")
    shown = {
        "banner": banner.count() == 1 and banner.is_visible(),
        "build provenance": provenance.count() == 1 and provenance.is_visible(),
    }
    chrome = page.locator("input.table-filter, details.above-input")
    visible_chrome = sum(chrome.nth(index).is_visible() for index in range(chrome.count()))
    banner_text = banner.inner_text().lower() if shown["banner"] else ""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOT_DIR / (page_path.replace("/", "__") + ".pdf")
    page.pdf(path=str(pdf_path))
    context.close()
    assert all(shown.values()), f"{page_path} prints without: {[name for name, ok in shown.items() if not ok]}"
    assert "synthetic" in banner_text or "built from the data in" in banner_text, banner_text
    assert visible_chrome == 0, f"{page_path}: {visible_chrome} filter boxes or code toggles are printed"
    # Every printed sheet, not only the first, names the data and the build (page-margin boxes of print_notice.css).
    from pypdf import PdfReader

    sheets = [sheet.extract_text() or "" for sheet in PdfReader(pdf_path).pages]
    unmarked = [number for number, text in enumerate(sheets, start=1)
                if not (("Synthetic data" in text or "Built from the data in" in text) and "Commit " in text)]
    assert sheets and not unmarked, f"{page_path}: printed pages {unmarked} of {len(sheets)} lack the data notice or commit"


def test_tables_page_keeps_numbers_on_one_line_and_flags_every_differing_number(server_url, browser):
    """At 1400 px no number of Tables 1-3 wraps, and each cell whose number differs from the print has a tooltip
    (and an accessible label) holding the printed value."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{server_url}/book/03_tables.html", wait_until="networkidle")
    # Lines a cell's text occupies: the distinct tops of the line boxes of its contents (the row's height would
    # count the wrapping of the characteristic column instead).
    lines = page.eval_on_selector_all(
        "table.article-table td.number",
        "cells => cells.map(cell => { const range = document.createRange(); range.selectNodeContents(cell);"
        " const tops = new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top)));"
        " return [tops.size, cell.innerText] })")
    # The measure can fail: squeezed into a narrow, wrapping cell, the first number does take several lines.
    squeezed = page.eval_on_selector(
        "table.article-table td.number",
        "cell => { const table = cell.closest('table'); table.style.tableLayout = 'fixed'; table.style.width = '200px';"
        " cell.style.whiteSpace = 'normal';"
        " const range = document.createRange();"
        " range.selectNodeContents(cell); return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size }")
    flagged = page.eval_on_selector_all(
        "table.article-table td[class*='verdict-']:not(.verdict-reproduced)",
        "cells => cells.map(cell => { const span = cell.querySelector('span.flagged');"
        " return [cell.innerText, span ? span.title : '', span ? span.getAttribute('aria-label') : ''] })")
    context.close()
    assert len(lines) > 100, f"only {len(lines)} numeric cells found"
    assert squeezed > 1, "the line count does not see a wrapped number"
    wrapped = [text for count, text in lines if count > 1]
    assert wrapped == [], f"numbers broken over lines at 1400 px: {wrapped[:5]}"
    assert flagged, "no differing number is flagged on the Tables page"
    missing = [text for text, title, label in flagged if "printed " not in title or label != title]
    assert missing == [], f"differing numbers without a tooltip holding the printed value: {missing[:5]}"

