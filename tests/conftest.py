"""Test configuration: hypothesis runs derandomised, so every run of the suite draws the same examples.

Set HYPOTHESIS_EXPLORE=1 to draw fresh random examples (and more of them) when hunting for bugs.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("project", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200, print_blob=True)
settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "project")

# make test runs the tests marked needs_book in a process of their own, after the book build, and the rest here on
# every core. The longest start first, so that with two workers the other-data book build starts in the first
# second (the byte-for-byte reconstruction, marked after_book, runs in the book's process). That needs --maxschedchunk 1: --dist
# load alone hands each worker a contiguous quarter of the list first, and one worker got every long test in a row
# (215 s against 188 s for the other). Measured durations on the 2-core machine.
LONGEST_FIRST = (
    "tests/test_context.py::test_a_second_build_in_the_same_folder_rereads_every_page_when_the_fingerprint_changes",
    "tests/test_core_install.py::test_audit_and_settings_run_from_a_wheel_in_another_folder",
    "tests/test_fuzz_validate.py::test_validate_never_crashes_and_never_modifies_its_input",  # 4 shards, ~15-30 s each
    "tests/test_core_install.py::test_core_install_holds_no_book_tooling",  # ~15 s: builds the venv the others share
    "tests/test_trajectories.py",  # ~15 s
)


def pytest_collection_modifyitems(config, items):
    def rank(item):
        if item.get_closest_marker("after_book"):
            return -1  # first in the book's process: it needs no book, and the browser tests wait behind it
        if item.get_closest_marker("needs_book"):
            return len(LONGEST_FIRST) + 1  # last, when a run holds them: by then a book built beside is ready
        for position, prefix in enumerate(LONGEST_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order
    _contrast_after_offline_check(items)


OFFLINE_CHECK = "test_page_is_offline_and_clean"
CONTRAST_CHECK = "test_reader_page_reads_in_words_and_meets_wcag_aa_contrast_in_both_themes"


def _contrast_after_offline_check(items) -> None:
    """Each page's contrast check right after its offline check, which leaves the page loaded at the same size: one
    page load serves both (tests/test_browser.py, Tab.open(reuse=True)); a check run alone loads its page itself."""
    contrast = {item.callspec.params["page_path"]: item for item in items if item.originalname == CONTRAST_CHECK}
    if not contrast:
        return
    ordered = []
    for item in items:
        if item.originalname == CONTRAST_CHECK:
            continue
        ordered.append(item)
        if item.originalname == OFFLINE_CHECK and item.callspec.params["page_path"] in contrast:
            ordered.append(contrast.pop(item.callspec.params["page_path"]))
    items[:] = ordered + list(contrast.values())


@pytest.fixture(scope="session")
def analysis():
    """The book's analysis of the committed synthetic cohort under the article's reading, with its verdicts: computed
    once per worker and shared by every test file that reads it (tests must not change it)."""
    from anakinra_rescue.book import context

    return context.book_analysis(str(context.DEFAULT_DATA_DIR))
