"""Test configuration: hypothesis runs derandomised, so every run of the suite draws the same examples.

Set HYPOTHESIS_EXPLORE=1 to draw fresh random examples (and more of them) when hunting for bugs.
"""

import os

from hypothesis import settings

settings.register_profile("project", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200, print_blob=True)
settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "project")
