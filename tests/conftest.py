"""Test configuration: hypothesis runs derandomised, so every run of the suite draws the same examples.

Set HYPOTHESIS_EXPLORE=1 to draw fresh random examples (and more of them) when hunting for bugs.
"""

import os
import time
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("project", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200, print_blob=True)
settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "project")

# How make test spreads the suite over pytest-xdist's workers (one more worker than cores, --dist loadgroup):
# - every test that reads the built book (marked needs_book) joins one xdist group, "built-book", so that one worker
#   runs them all, one after another, with one Chromium. That worker waits for the build, then spends most of its
#   time waiting on Chromium (the browser tests used 44 s of CPU in 59 s on two workers), which the other
#   workers' CPU-bound tests fill. xdist hands out the largest group first, so the book's worker is chosen at once.
# - the other workers take the rest one test at a time, longest first (measured durations on the 2-core machine),
#   so that the byte-for-byte reconstruction and the other-data book build start in the first second.
LONGEST_FIRST = (
    "tests/test_reconstruct.py::test_committed_cohort_regenerates_byte_identically",  # ~45 s
    "tests/test_views.py::test_book_builds_from_other_data_and_its_numbers_differ",  # ~55 s, beside the default build
    "tests/test_fuzz_validate.py::test_validate_never_crashes_and_never_modifies_its_input",  # 4 shards, ~20 s each
    "tests/test_core_install.py::test_core_install_holds_no_book_tooling",  # ~25 s: builds the venv the others share
    "tests/test_trajectories.py",  # ~15 s
)
BOOK_GROUP = "built-book"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups
def pytest_collection_modifyitems(config, items):
    def rank(item):
        if item.get_closest_marker("needs_book"):
            return len(LONGEST_FIRST) + 1  # last when run without groups: by then the book is ready
        for position, prefix in enumerate(LONGEST_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(LONGEST_FIRST)

    for item in items:
        if item.get_closest_marker("needs_book"):
            item.add_marker(pytest.mark.xdist_group(BOOK_GROUP))
    items.sort(key=rank)  # stable: the rest keep their order


BOOK_BUILD_STATUS = Path(__file__).resolve().parents[1] / "_book-build.status"
BOOK_BUILD_WAIT_SECONDS = 900


@pytest.fixture(autouse=True)
def _wait_for_the_book_build(request):
    """make test builds the book in the background (ANAKINRA_BOOK_BUILD_PENDING=1) while the tests run; a test
    marked needs_book waits here until the build has written its exit status, and fails if the build failed."""
    if not (request.node.get_closest_marker("needs_book") and os.environ.get("ANAKINRA_BOOK_BUILD_PENDING")):
        return
    deadline = time.monotonic() + BOOK_BUILD_WAIT_SECONDS
    while not BOOK_BUILD_STATUS.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the book build wrote no {BOOK_BUILD_STATUS.name} within {BOOK_BUILD_WAIT_SECONDS} s")
        time.sleep(1)
    status = BOOK_BUILD_STATUS.read_text().strip()
    if status != "0":
        pytest.fail(f"the book build failed (exit {status}); see _book-build.log")
