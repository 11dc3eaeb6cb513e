"""Browser check of the built book: every page opens offline, without console errors.

Run after ``make book``; ``make test`` does both. Each page of ``_build/html`` is
served from 127.0.0.1 and opened in headless Debian Chromium driven by
Playwright. A page fails when it asks for anything outside the machine, logs a
console error, raises an uncaught exception, shows a chart that did not draw,
or lacks the tables it is expected to show. A screenshot of every page's first
screen is written to ``_build/screenshots/`` for a person to look at; ``make
screenshots`` writes whole pages instead (FULL_SCREENSHOTS=1: the long audit page
alone takes 5-6 s to capture, which make test does not spend on a picture).
"""

import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from anakinra_rescue.book import pdf

pytestmark = [pytest.mark.browser, pytest.mark.needs_book]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HTML_DIR = PROJECT_ROOT / "_build" / "html"
SCREENSHOT_DIR = PROJECT_ROOT / "_build" / "screenshots"
FULL_SCREENSHOTS = os.environ.get("FULL_SCREENSHOTS") == "1"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
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
    beside the tests): one per chapter file, plus Sphinx's own index, search, general-index and module-index pages."""
    chapters = sorted(path for path in (PROJECT_ROOT / "book").iterdir() if path.suffix in (".ipynb", ".md"))
    return sorted(
        [f"book/{path.stem}.html" for path in chapters] + ["genindex.html", "index.html", "search.html", "py-modindex.html"]
    )  # autodoc's module index


def _built_pages() -> list[str]:
    skip = {"_static", "_sources", "_images"}
    return sorted(
        str(path.relative_to(HTML_DIR))
        for path in HTML_DIR.rglob("*.html")
        if not skip.intersection(path.relative_to(HTML_DIR).parts)
    )


@pytest.fixture(scope="module")
def server_url():
    handler = functools.partial(pdf.QuietHandler, directory=str(HTML_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(pdf.CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {pdf.CHROMIUM}; run `make chromium` (Debian package 'chromium').")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=pdf.CHROMIUM, headless=True, args=pdf.CHROMIUM_ARGS)
        yield launched
        launched.close()


# Every chart of the page has drawn its marks; MathJax (where a page loads it) has typeset the page.
DRAWN = "() => Array.from(document.querySelectorAll('div.vega-chart')).every(c => c.querySelector('svg .role-mark, canvas'))"
TYPESET = "() => (window.MathJax && MathJax.startup && MathJax.startup.promise) ? MathJax.startup.promise.then(() => true) : true"


class Tab:
    """The one Chromium tab each test navigates. A fresh page per test costs a renderer process: about 2 core-seconds
    a test on the 2-core machine, against 0.4-0.9 to navigate an open tab. Every navigation still loads its page
    from nothing, at the width the test sets first; every request of every test passes through ``route``, which
    lets only this machine's addresses through and records the others."""

    def __init__(self, context, server_url: str):
        self.server_url = server_url
        self.outside_requests: list[str] = []
        self.untouched: tuple | None = None
        context.route("**/*", self._route)
        self.page = context.new_page()

    def _route(self, route_request):
        url = route_request.request.url
        parsed = urlparse(url)
        if parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS:
            route_request.continue_()
        else:
            self.outside_requests.append(url)
            route_request.abort()

    def open(self, page_path: str, width: int = 1280, height: int = 900, until: str = "load", reuse: bool = False):
        """Load ``page_path`` afresh at ``width`` x ``height`` on screen media; the page, once it has loaded and drawn
        every chart and typeset its mathematics. ``until="networkidle"`` also waits for 500 ms without a request (the
        offline check, which must see a request made late); the other checks need not pay that wait on every page.
        ``reuse=True`` takes the page as the previous test left it when that test loaded the same page at the same
        size and only read it (conftest.py runs the contrast check of a page right after its offline check)."""
        if reuse and self.untouched == (page_path, width, height):
            self.untouched = None  # the caller may change the page
            return self.page
        self.untouched = None
        self.outside_requests.clear()
        self.page.emulate_media(media="screen")
        self.page.set_viewport_size({"width": width, "height": height})
        response = self.page.goto(f"{self.server_url}/{page_path}", wait_until=until)
        assert response is not None and response.ok, f"{page_path}: HTTP {response.status if response else 'none'}"
        self.page.wait_for_function(DRAWN, timeout=15_000)
        self.page.evaluate(TYPESET)
        return self.page

    def leave_untouched(self, page_path: str, width: int = 1280, height: int = 900) -> None:
        """The test that loaded ``page_path`` only read it: the next test may take it as it is."""
        self.untouched = (page_path, width, height)


@pytest.fixture(scope="module")
def tab(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Tab(context, server_url)
    context.close()


def test_book_is_built():
    assert (HTML_DIR / "index.html").is_file(), f"{HTML_DIR} has no index.html: run `make book` first"
    assert _built_pages() == _pages(), "the built pages and the pages this check opens differ"


@pytest.mark.parametrize("page_path", _pages())
def test_page_is_offline_and_clean(page_path, tab):
    assert HTML_DIR.is_dir(), f"{HTML_DIR} is missing: run `make book` first"
    console_errors: list[str] = []

    def on_console(message):
        if message.type == "error" and message.text not in ALLOWED_CONSOLE_MESSAGES:
            console_errors.append(message.text)

    def on_page_error(error):
        console_errors.append(f"uncaught: {error}")

    tab.page.on("console", on_console)
    tab.page.on("pageerror", on_page_error)
    try:
        page = tab.open(page_path, until="networkidle")
        charts = page.locator("div.vega-chart")
        loads_vega = page.locator("script[src*='vega-bundle']").count() > 0
        loads_mathjax = page.locator("script[src*='mathjax']").count() > 0
        has_maths = page.locator(".math, mjx-container").count() > 0
        assert loads_vega == (charts.count() > 0), f"{page_path}: Vega bundle loaded {loads_vega}, charts {charts.count()}"
        assert not loads_mathjax or has_maths, f"{page_path}: loads MathJax but shows no mathematics"
        # The theme's icons come from its web fonts; its 1.5 MB Font Awesome script is removed from every page.
        assert page.locator("script[src*='fontawesome.js']").count() == 0, f"{page_path}: loads the Font Awesome script"
        for index in range(charts.count()):
            marks = charts.nth(index).locator("svg .role-mark, canvas")
            assert marks.count() > 0, f"{page_path}: chart {index + 1} did not draw"
        table_count = page.locator("article table, main table").count()
        expected_tables = EXPECTED_MIN_TABLES.get(page_path, 0)

        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / (page_path.replace("/", "__") + ".png")), full_page=FULL_SCREENSHOTS)
        banner = page.locator(".bd-header-announcement").inner_text() if page.locator(".bd-header-announcement").count() else ""
        # A reader moves between chapters from the text itself, not only from the sidebar.
        internal_links = page.eval_on_selector_all(
            "article.bd-article a[href]",
            "links => links.map(link => link.getAttribute('href')).filter(href => !href.startsWith('#')"
            " && !/^[a-z]+:/.test(href) && !href.startsWith('../_'))",
        )
    finally:
        tab.page.remove_listener("console", on_console)
        tab.page.remove_listener("pageerror", on_page_error)
    outside_requests = list(tab.outside_requests)

    assert outside_requests == [], f"{page_path} asked for outside resources: {outside_requests}"
    assert console_errors == [], f"{page_path} logged console errors: {console_errors}"
    assert table_count >= expected_tables, f"{page_path}: {table_count} tables shown, expected at least {expected_tables}"
    assert "synthetic" in banner.lower() or "built from the data in" in banner.lower(), (
        f"{page_path}: the data banner is missing (found {banner!r})"
    )
    assert internal_links or not page_path.startswith("book/"), f"{page_path} has no link to another chapter in its text"
    tab.leave_untouched(page_path)


PRINTED_PAGES = ["book/02_results.html", "book/03_tables.html", "book/04_figure1.html", "book/06_audit.html"]


@pytest.mark.parametrize("page_path", PRINTED_PAGES)
def test_printed_page_carries_the_data_notice_and_provenance_without_chrome(page_path, tab):
    """With print media, the synthetic-data banner and the commit/date footer show; filter boxes and code toggles do not."""
    page = tab.open(page_path)
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
    # The chapters of `make pdf` are printed, and every one of their sheets read, by test_pdf.py; the others here.
    printed_here = all(page_path not in document.pages for document in pdf.DOCUMENTS)
    pdf_path = SCREENSHOT_DIR / (page_path.replace("/", "__") + ".pdf")
    if printed_here:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(pdf_path))
    assert all(shown.values()), f"{page_path} prints without: {[name for name, ok in shown.items() if not ok]}"
    assert "synthetic" in banner_text or "built from the data in" in banner_text, banner_text
    assert visible_chrome == 0, f"{page_path}: {visible_chrome} filter boxes or code toggles are printed"
    if printed_here:
        # Every printed sheet, not only the first, names the data and the build (page-margin boxes of print_notice.css).
        from pypdf import PdfReader

        sheets = [sheet.extract_text() or "" for sheet in PdfReader(pdf_path).pages]
        unmarked = [
            number
            for number, text in enumerate(sheets, start=1)
            if not (("Synthetic data" in text or "Built from the data in" in text) and "Commit " in text)
        ]
        assert sheets and not unmarked, f"{page_path}: printed pages {unmarked} of {len(sheets)} lack the data notice or commit"


def test_tables_page_keeps_numbers_on_one_line_and_flags_every_differing_number(tab):
    """At 1400 px no number of Tables 1-3 wraps, and each cell whose number differs from the print has a tooltip
    (and an accessible label) holding the printed value, and links to the row that gives the reason."""
    page = tab.open("book/03_tables.html", 1400)
    # Lines a cell's text occupies: the distinct tops of the line boxes of its contents (the row's height would
    # count the wrapping of the characteristic column instead).
    lines = page.eval_on_selector_all(
        "table.article-table td.number",
        "cells => cells.map(cell => { const range = document.createRange(); range.selectNodeContents(cell.firstChild);"
        " const tops = new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top)));"
        " return [tops.size, cell.innerText] })",
    )
    # The measure can fail: squeezed into a narrow, wrapping cell, the first number does take several lines.
    squeezed = page.eval_on_selector(
        "table.article-table td.number",
        "cell => { const table = cell.closest('table'); table.style.tableLayout = 'fixed'; table.style.width = '200px';"
        " cell.style.whiteSpace = 'normal';"
        " const range = document.createRange();"
        " range.selectNodeContents(cell); return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size }",
    )
    flagged = page.eval_on_selector_all(
        "table.article-table td[class*='verdict-']:not(.verdict-reproduced)",
        "cells => cells.map(cell => { const span = cell.querySelector('.flagged');"
        " return [cell.innerText, span ? span.title : '', span ? span.getAttribute('aria-label') : '',"
        " span ? span.getAttribute('href') || '' : ''] })",
    )
    assert len(lines) > 100, f"only {len(lines)} numeric cells found"
    assert squeezed > 1, "the line count does not see a wrapped number"
    wrapped = [text for count, text in lines if count > 1]
    assert wrapped == [], f"numbers broken over lines at 1400 px: {wrapped[:5]}"
    assert flagged, "no differing number is flagged on the Tables page"
    missing = [text for text, title, label, _ in flagged if "printed " not in title or label != title]
    assert missing == [], f"differing numbers without a tooltip holding the printed value: {missing[:5]}"
    anchors = set(re.findall(r'<tr id="([^"]+)"', (HTML_DIR / "book" / "05_reconstruction.html").read_text(encoding="utf-8")))
    unlinked = [text for text, _, _, href in flagged if href.partition("#")[2] not in anchors]
    assert unlinked == [], f"differing numbers without a link to their reason: {unlinked[:5]}"


def test_every_download_link_resolves_to_a_file_of_the_build():
    """Pages link to ../downloads/NAME only for the files the build wrote (book/downloads.py)."""
    linked = {}
    for page in _built_pages():
        for name in re.findall(r'href="\.\./downloads/([^"]+)"', (HTML_DIR / page).read_text(encoding="utf-8")):
            linked.setdefault(name, []).append(page)
    assert {"table1.csv", "comparison.csv", "audit.csv", "figure1.csv", "patients.csv"} <= set(linked), linked
    missing = {name: pages for name, pages in linked.items() if not (HTML_DIR / "downloads" / name).is_file()}
    assert missing == {}, f"download links without a file: {missing}"


def test_results_prose_marks_every_number_with_its_printed_value_and_links_each_differing_one(tab):
    page = tab.open("book/02_results.html", 1400)
    numbers = page.eval_on_selector_all(
        "article .glued",
        "spans => spans.map(s => [s.innerText, s.title, s.getAttribute('aria-label'), "
        "s.getAttribute('href') || '', s.className])",
    )
    assert len(numbers) > 50, f"only {len(numbers)} marked numbers in the Results prose"
    unlabelled = [text for text, title, label, _, _ in numbers if not title.startswith("Printed ") or label != title]
    assert unlabelled == [], f"numbers without the printed value on hover: {unlabelled[:5]}"
    flagged = [(text, href) for text, _, _, href, classes in numbers if "flagged" in classes]
    assert flagged, "no differing number is flagged in the Results prose"
    anchors = set(re.findall(r'<tr id="([^"]+)"', (HTML_DIR / "book" / "05_reconstruction.html").read_text(encoding="utf-8")))
    broken = [
        (text, href)
        for text, href in flagged
        if not href.startswith("05_reconstruction.html#") or href.split("#", 1)[1] not in anchors
    ]
    assert broken == [], f"flagged numbers whose link finds no reason: {broken}"


CHART_PAGES = ["book/04_figure1.html", "book/07_reanalysis.html"]


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("page_path", CHART_PAGES)
def test_charts_draw_every_label_whole_and_fit_the_screen(page_path, width, tab):
    """No legend or axis label is cut short with an ellipsis, and a shown chart is no wider than the window. Figure 1
    has alt text, and on a phone its four days stay in view (two by two)."""
    page = tab.open(page_path, width, 844 if width < 500 else 900)
    shown = page.eval_on_selector_all(
        "div.vega-chart svg.marks",
        "svgs => svgs.filter(s => s.getBoundingClientRect().width > 0).map(s => ["
        "Array.from(s.querySelectorAll('text')).map(t => t.textContent), Math.round(s.getBoundingClientRect().right)])",
    )
    figure = page.locator("div.figure1")
    alt_text = figure.get_attribute("aria-label") if figure.count() else None
    # The measure can fail: the same bundle, given a 40 px label limit, draws a long legend label cut, with an ellipsis.
    probe = page.evaluate(
        "async () => { const node = document.createElement('div'); document.body.appendChild(node);"
        " await vegaEmbed(node, {data: {values: [{level: '4: hospitalised, high-flow oxygen or non-invasive ventilation'}]},"
        " mark: 'point', encoding: {color: {field: 'level', type: 'nominal', legend: {labelLimit: 40}}}},"
        " {actions: false, renderer: 'svg'});"
        " return Array.from(node.querySelectorAll('text')).map(t => t.textContent) }"
    )
    assert any(text.endswith("…") for text in probe), f"the ellipsis check sees no cut label in {probe}"
    assert shown, f"{page_path}: no chart shown at {width} px"
    cut = [text for texts, _ in shown for text in texts if text.endswith("…")]
    assert cut == [], f"{page_path} at {width} px: labels cut short: {cut[:5]}"
    too_wide = [right for _, right in shown if right > width]
    assert too_wide == [], f"{page_path} at {width} px: a chart runs past the window's right edge ({too_wide})"
    if page_path == "book/04_figure1.html":
        days = [text for texts, _ in shown for text in texts if text.startswith("Day ")]
        assert sorted(set(days)) == ["Day 0", "Day 14", "Day 21", "Day 7"] and len(shown) == 1, (days, len(shown))
        assert alt_text and "Day 21" in alt_text and "dead" in alt_text, alt_text


# Every reader page (book/ except the API page), and the two reference pages a phone reader may open.
READER_PAGES = [page for page in _pages() if page.startswith("book/") and page != "book/api.html"]
PHONE_PAGES = [*READER_PAGES, "book/api.html", "genindex.html"]


@pytest.mark.parametrize("page_path", PHONE_PAGES)
def test_phone_width_hides_no_column_and_the_banner_stays_small(page_path, tab):
    """At 390 x 844 px the banner takes at most a fifth of the first screen, the page does not scroll sideways, and
    every cell of a data table stays inside the window (rows are stacked, each value led by its column's name; Tables
    1-3 scroll sideways in their own box); a reader page is at most 20 screens long (long lists wait behind a
    disclosure)."""
    page = tab.open(page_path, 390, 844)
    screens = page.evaluate("document.documentElement.scrollHeight") / 844
    assert screens <= 20 or page_path not in READER_PAGES, f"{page_path} is {screens:.1f} phone screens long"
    banner = page.locator(".bd-header-announcement").bounding_box()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    outside = page.eval_on_selector_all(
        # Tables 1-3 keep their columns on a phone and scroll sideways inside their own box (checked below)
        "article table.dataframe td, article table.unmatched-numbers td, article table.article-table td"
        ":not(.article-table-scroll td)",
        "cells => cells.filter(c => c.offsetParent !== null && c.innerText.trim() !== '')"
        ".filter(c => c.getBoundingClientRect().right > window.innerWidth + 1 || c.getBoundingClientRect().left < -1)"
        ".map(c => c.getAttribute('data-label') + ': ' + c.innerText.slice(0, 40))",
    )
    labelled = page.eval_on_selector_all("article td[data-label]", "cells => cells.length")
    unscrolled = page.eval_on_selector_all(
        "div.article-table-scroll", "boxes => boxes.filter(box => getComputedStyle(box).overflowX !== 'auto').length"
    )
    assert unscrolled == 0, f"{page_path}: {unscrolled} wide tables cannot scroll sideways on a phone"
    assert banner is not None and banner["height"] <= 844 / 5, f"{page_path}: banner {banner} takes more than a fifth"
    assert page_width <= 391, f"{page_path}: the page is {page_width} px wide at 390 px"
    assert outside == [], f"{page_path}: cells outside the window at 390 px: {outside[:5]}"
    assert labelled or not page.locator("article table.dataframe").count(), f"{page_path}: no labelled cell"


def test_provenance_lines_and_the_footer_link_to_targets_that_exist():
    """Each "How this was made" line links its functions and its test to the API page, and the footer's commit to
    the provenance page's "This build" section; every such link finds its target."""
    ids_by_page = {}

    def ids(page: str) -> set[str]:
        if page not in ids_by_page:
            ids_by_page[page] = set(re.findall(r'id="([^"]+)"', (HTML_DIR / page).read_text(encoding="utf-8")))
        return ids_by_page[page]

    broken, api_links, footer_links = [], 0, 0
    for page in _built_pages():
        text = (HTML_DIR / page).read_text(encoding="utf-8")
        for href in re.findall(r'href="((?:\.\./)?(?:book/)?(?:api|95_provenance)\.html#[^"]+)"', text):
            target = (HTML_DIR / page).parent.joinpath(href.split("#")[0]).resolve().relative_to(HTML_DIR.resolve())
            api_links += "api.html" in href
            footer_links += href.endswith("#this-build")
            if href.split("#")[1] not in ids(str(target)):
                broken.append((page, href))
    assert api_links > 20 and footer_links >= len(_pages()) - 1, (api_links, footer_links)
    assert broken == [], f"links to missing targets: {broken[:5]}"


def test_search_finds_a_variable_by_its_clinical_name_on_the_tables_page():
    """The tables are drawn as HTML, which Sphinx's search does not index; each table's footnote names its rows in
    words, so a search for a clinical name finds the page that shows it."""
    text = (HTML_DIR / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])

    def pages_for(word: str) -> set[str]:
        found = set()
        for term, documents in index["terms"].items():
            if term.startswith(word):
                found |= {index["docnames"][number] for number in ([documents] if isinstance(documents, int) else documents)}
        return found

    assert {"book/03_tables", "book/06_audit"} <= pages_for("ferritin"), pages_for("ferritin")
    assert "book/03_tables" in pages_for("azithromycin") and "book/03_tables" in pages_for("immunosuppress")


AXE_SCRIPT = Path(__file__).resolve().parents[1] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"


AXE_CONTRAST = (
    "async () => { const result = await axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']});"
    " return result.violations.flatMap(rule => rule.nodes.map(node => [node.target.join(' '), node.any.map(check =>"
    " check.message).join(' ')])) }"
)


@pytest.mark.parametrize("page_path", READER_PAGES)
def test_reader_page_reads_in_words_and_meets_wcag_aa_contrast_in_both_themes(page_path, tab):
    """The page's text is in a reader's words (:func:`_check_reader_words`), and axe-core (injected from .venv,
    fetched by make from the npm registry) finds no text below WCAG AA contrast (4.5:1, 3:1 for large text), in the
    light theme and then, switched as the theme's button does, in the dark one. One page load serves both checks."""
    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} is missing: run `make chromium`, which fetches axe-core"
    page = tab.open(page_path, 1280, reuse=True)
    _check_reader_words(page, page_path)
    page.add_script_tag(path=str(AXE_SCRIPT))
    # colours switch at once: the theme's transitions would otherwise let axe read a colour halfway between themes
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    failures = {}
    for theme in ("light", "dark"):
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'; document.documentElement.dataset.mode = '{theme}'")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (theme == "light") == (background == "rgb(255, 255, 255)"), f"{page_path}: the {theme} theme did not apply"
        failures[theme] = page.evaluate(AXE_CONTRAST)
    assert failures == {"light": [], "dark": []}, f"{page_path}: texts below AA contrast: {failures}"


# The reader's text of a page: what is shown, without code, file listings, the search box or the hidden menus.
READER_TEXT = """() => {
  const root = document.querySelector('article.bd-article').cloneNode(true);
  root.querySelectorAll('code, pre, kbd, script, style, .highlight, .cell_input, details:not([open]) > :not(summary)')
    .forEach(node => node.remove());
  return root.innerText;
}"""
FILE_NAME = re.compile(r"\.(csv|json|toml|py|ipynb|md|pdf|svg|png|html|txt|cff)$")


def _check_reader_words(page, page_path: str) -> None:
    """A reader page names variables, statistics and tests in words: no snake_case word outside code and file names,
    no True/False cell; the paper's chapters show no code toggle; no table header breaks inside a word."""
    text = page.evaluate(READER_TEXT)
    words = {word for word in re.findall(r"[\w./-]+", text) if "_" in word and not FILE_NAME.search(word)}
    # a module's dotted path is a code name, shown as such (the provenance page lists the functions by their path)
    snake = sorted(word for word in words if re.search(r"[a-z0-9]_[a-z0-9]", word) and not word.startswith("anakinra_rescue."))
    assert snake == [], f"{page_path}: machine names in the reader's text: {snake[:12]} ({len(snake)} in all)"
    cells = page.eval_on_selector_all("td", "cells => cells.map(cell => cell.innerText.trim())")
    assert not {"True", "False"} & set(cells), f"{page_path}: True/False shown in a table"
    if page_path in [f"book/{name}.html" for name in ("intro", "01_methods", "02_results", "03_tables", "04_figure1")]:
        toggles = page.locator("details.above-input, details.hide, .toggle-details").count()
        assert toggles == 0, f"{page_path}: {toggles} code toggles in a chapter of the paper"
    # A header broken inside a word: a word of its text whose letters sit on more than one line.
    broken = page.eval_on_selector_all(
        "th",
        "heads => heads.flatMap(head => { const out = []; const walker = document.createTreeWalker(head, NodeFilter.SHOW_TEXT);"
        " while (walker.nextNode()) { const node = walker.currentNode; const re = /\\S+/g; let m;"
        " while ((m = re.exec(node.data))) { const range = document.createRange(); range.setStart(node, m.index);"
        " range.setEnd(node, m.index + m[0].length); const tops = new Set(Array.from(range.getClientRects())"
        ".filter(r => r.width > 0).map(r => Math.round(r.top))); if (tops.size > 1) out.push(m[0]); } } return out; })",
    )
    assert broken == [], f"{page_path}: header words broken over lines: {broken[:8]}"


def test_the_landing_page_leads_with_the_citation_and_what_the_study_reported(tab):
    """At 1400 x 900 px the article's citation is on the first screen; the primary outcome, as printed and as
    regenerated, comes before the counts and the list of the numbers that did not reproduce."""
    page = tab.open("book/intro.html", 1400, 900)
    citation = page.locator("article blockquote").first.bounding_box()
    assert citation is not None and citation["y"] + citation["height"] <= 900, f"citation below the first screen: {citation}"
    assert "doi.org/10.1016/j.ijid.2021.02.041" in page.locator("article blockquote").first.inner_html()
    order = page.evaluate(
        "['table.headline', 'table.unmatched-numbers.compact'].map(s => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert order[0] < order[1], order
