"""Where each table and figure of the book comes from: the function that builds it and the test that pins it."""

import pandas as pd

ARTEFACTS = {
    "table1": ("Table 1: baseline characteristics", "anakinra_rescue.engine.tables.table1_tidy (display: display_tables)",
               "tests/test_tables.py::test_binary_row_reproduces_article_male_sex_row"),
    "table2": ("Table 2: status on day 0", "anakinra_rescue.engine.tables.table2_tidy (display: display_tables)",
               "tests/test_tables.py::test_tidy_keys_join_the_published_record_one_to_one"),
    "table3": ("Table 3: outcomes", "anakinra_rescue.engine.tables.table3_tidy (display: display_tables)",
               "tests/test_tables.py::test_interval_is_the_odds_ratio_control_versus_anakinra"),
    "figure1": ("Figure 1: ordinal status by day", "anakinra_rescue.book.figures.figure1_chart on tables.figure1_ordinal_status",
                "tests/test_tables.py::test_figure1_counts_add_up_to_group_sizes"),
    "comparison": ("Published versus regenerated marks", "anakinra_rescue.engine.comparison.compare and fidelity.explain",
                   "tests/test_comparison.py::test_status_of"),
    "matching_flow": ("Matching flow and rejection log", "anakinra_rescue.engine.matching.match_controls",
                      "tests/test_matching.py::test_engine_agrees_with_reference_loop"),
    "ordinal_scale": ("The 6-point ordinal scale", "anakinra_rescue.data.dictionary.ordinal_scale_table",
                      "tests/test_dictionary.py::test_ordinal_scale_range_is_rendered_from_the_model"),
    "tests_by_row": ("Test used for each P-value", "anakinra_rescue.engine.tables.compare_groups",
                     "tests/test_stats.py::test_categorical_rule_switches_on_expected_counts"),
    "fidelity": ("Fidelity of the reconstruction", "anakinra_rescue.examination.fidelity.explain",
                 "tests/test_fidelity.py::test_ordinal_check_never_rejects_numbers_a_real_dataset_printed"),
    "dictionary": ("Data dictionary", "anakinra_rescue.data.dictionary.dictionary_table",
                   "tests/test_dictionary.py::test_committed_datapackage_matches_the_models"),
    "published_record": ("Published record", "anakinra_rescue.data.published.source_table",
                         "tests/test_published.py::test_every_table_row_is_transcribed_in_article_order"),
}


def line(artefact: str) -> str:
    """A one-line Markdown note: how this was made."""
    title, function, test = ARTEFACTS[artefact]
    return f"*How this was made:* `{function}`; pinned by `{test}`."


def appendix_table() -> pd.DataFrame:
    """Every table and figure of the book with its function and its test."""
    return pd.DataFrame([(title, function, test) for title, function, test in ARTEFACTS.values()],
                        columns=["table or figure", "built by", "pinned by"])
