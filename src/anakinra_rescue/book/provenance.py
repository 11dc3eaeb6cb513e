"""Where each table and figure of the book comes from: the functions that build it and the test that pins it.

One registry, :data:`ARTEFACTS`, holds the function objects themselves, so a
renamed or moved function breaks the import of this module instead of leaving a
stale name on a page; the tests are named as ``tests/FILE.py::test_name``, and
``tests/test_provenance.py`` checks that each one exists.
"""

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from anakinra_rescue.book import figures
from anakinra_rescue.data import dictionary, published
from anakinra_rescue.engine import comparison, matching, tables
from anakinra_rescue.examination import fidelity


@dataclass(frozen=True)
class Artefact:
    """A table or figure of the book: its title, the functions that build it, and the test that pins it."""

    title: str
    built_by: tuple[Callable, ...]
    pinned_by: str

    @property
    def function_names(self) -> list[str]:
        return [f"{function.__module__}.{function.__qualname__}" for function in self.built_by]


ARTEFACTS = {
    "table1": Artefact("Table 1: baseline characteristics", (tables.table1_tidy, tables.display_tables),
                       "tests/test_tables.py::test_binary_row_reproduces_article_male_sex_row"),
    "table2": Artefact("Table 2: status on day 0", (tables.table2_tidy, tables.display_tables),
                       "tests/test_tables.py::test_tidy_keys_join_the_published_record_one_to_one"),
    "table3": Artefact("Table 3: outcomes", (tables.table3_tidy, tables.display_tables),
                       "tests/test_tables.py::test_interval_is_the_odds_ratio_control_versus_anakinra"),
    "figure1": Artefact("Figure 1: ordinal status by day", (tables.figure1_ordinal_status, figures.figure1_chart),
                        "tests/test_tables.py::test_figure1_counts_add_up_to_group_sizes"),
    "comparison": Artefact("Published versus regenerated marks", (comparison.compare, fidelity.explain),
                           "tests/test_comparison.py::test_status_of"),
    "matching_flow": Artefact("Matching flow and rejection log", (matching.match_controls,),
                              "tests/test_matching.py::test_engine_agrees_with_reference_loop"),
    "ordinal_scale": Artefact("The 6-point ordinal scale", (dictionary.ordinal_scale_table,),
                              "tests/test_dictionary.py::test_ordinal_scale_range_is_rendered_from_the_model"),
    "tests_by_row": Artefact("Test used for each P-value", (tables.compare_groups,),
                             "tests/test_stats.py::test_categorical_rule_switches_on_expected_counts"),
    "fidelity": Artefact("Fidelity of the reconstruction", (fidelity.explain,),
                         "tests/test_fidelity.py::test_ordinal_check_never_rejects_numbers_a_real_dataset_printed"),
    "dictionary": Artefact("Data dictionary", (dictionary.dictionary_table,),
                           "tests/test_dictionary.py::test_committed_datapackage_matches_the_models"),
    "published_record": Artefact("Published record", (published.source_table,),
                                 "tests/test_published.py::test_every_table_row_is_transcribed_in_article_order"),
}


def line(artefact: str) -> str:
    """A one-line Markdown note: how this was made."""
    entry = ARTEFACTS[artefact]
    functions = " and ".join(f"`{name}`" for name in entry.function_names)
    return f"*How this was made:* {functions}; pinned by `{entry.pinned_by}`."


def appendix_table() -> pd.DataFrame:
    """Every table and figure of the book with its functions and its test."""
    return pd.DataFrame([(entry.title, ", ".join(entry.function_names), entry.pinned_by) for entry in ARTEFACTS.values()],
                        columns=["table or figure", "built by", "pinned by"])
