"""Test configuration: hypothesis runs derandomised, so every run of the suite draws the same examples.

Set HYPOTHESIS_EXPLORE=1 to draw fresh random examples (and more of them) when hunting for bugs.
"""

import os

from hypothesis import settings

settings.register_profile("project", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200, print_blob=True)
settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "project")

# The longest tests start first, so that with two workers one of them runs the byte-for-byte
# reconstruction from the first second while the other works through everything else.
# (pytest-xdist hands tests out in collection order.) Measured durations on the 2-core machine.
LONGEST_FIRST = (
    "tests/test_reconstruct.py::test_committed_cohort_regenerates_byte_identically",  # ~150 s
    "tests/test_views.py::test_book_builds_from_other_data_and_its_numbers_differ",  # ~60 s
    "tests/test_fuzz_validate.py::test_validate_never_crashes_and_never_modifies_its_input",  # ~40 s
    "tests/test_core_install.py",  # ~35 s, the venv is built once per module
    "tests/test_trajectories.py",  # ~20 s
)


def pytest_collection_modifyitems(config, items):
    def rank(item):
        for position, prefix in enumerate(LONGEST_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order
