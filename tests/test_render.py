"""Tests of anakinra_rescue.book.render: the book's display helpers."""

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import render


def test_an_empty_table_becomes_its_sentence_and_a_full_one_stays_a_table():
    empty = render.table_or_sentence(pd.DataFrame(columns=["outcome", "paired P"]), "*Nothing changes.*")
    assert isinstance(empty, Markdown) and empty.data == "*Nothing changes.*"
    full = pd.DataFrame({"outcome": ["improvement_day7"], "paired P": [0.04]})
    assert render.table_or_sentence(full, "*Nothing changes.*") is full


def test_a_table_has_no_row_numbers_no_nan_and_labels_each_cell_with_its_column():
    frame = pd.DataFrame({"what is missing": ["a <b>", None], "count": [1.0, float("nan")]})
    shown = render.table_html(frame)
    assert "NaN" not in shown and "<th>0</th>" not in shown and "<tbody>\n    <tr>\n      <th>" not in shown
    assert shown.count('<td data-label="what is missing">') == 2 and shown.count('<td data-label="count">') == 2
    assert "a &lt;b&gt;" in shown  # cell text stays escaped
    indexed = render.table_html(frame.set_index("what is missing"))  # an index that means something is kept
    assert "<th>a &lt;b&gt;</th>" in indexed


def test_a_table_shows_variables_tests_and_verdicts_in_words_and_keeps_its_keys():
    frame = pd.DataFrame(
        {
            "variable": ["ferritin_peak_ng_ml"],
            "test": ["mann_whitney_exact"],
            "verdict": ["proven_impossible"],
            "regenerated_value": [1.5],
        }
    )
    shown = render.table_html(frame)
    assert "Ferritin peak, ng/mL" in shown and "Mann–Whitney (exact)" in shown and "proven impossible" in shown
    assert "<th>regenerated value</th>" in shown and "_" not in shown.split("<tbody>")[1]
    assert list(frame["variable"]) == ["ferritin_peak_ng_ml"]  # the caller's frame is not changed


def test_reader_words_replace_machine_names_but_keep_code_names_as_code():
    import pandas as pd

    from anakinra_rescue.book import render

    assert render.value_in_words("improvement_day7") == "Improvement day\u00a07"
    assert render.value_in_words("p_value") == "P" and render.value_in_words(True) == "yes"
    assert render.value_in_words("chi2_yates") == "χ² with Yates"
    sentence = "the search (anakinra_rescue.reconstruction.solver) found chi2_yates for crp_peak_mg_dl, control q1"
    assert render.prose_in_words(sentence) == (
        "the search (<code>anakinra_rescue.reconstruction.solver</code>) found χ² with Yates for CRP peak, mg/dL, control Q1"
    )
    shown = render.table_html(
        pd.DataFrame({"pinned by": ["tests/test_tables.py::test_x"], "status": ["article_inconsistent"], "ok": [False]})
    )
    assert "<code>tests/test_tables.py::test_x</code>" in shown and ">no<" in shown
    assert render.prose_in_words("with 20/20 vs 19/20, in mg/dL") == "with 20/20 vs 19/20, in mg/dL"  # not code names
    assert "clashes with other printed numbers" in shown  # an audit status in the audit's own words


def test_a_data_dictionary_keeps_its_column_names_as_code():
    import pandas as pd

    from anakinra_rescue.book import render

    descriptions = ["Unique; see had_bacterial_infection.", "the cohort"]
    frame = pd.DataFrame({"column": ["patient_id", "cohort"], "description": descriptions})
    shown = render.table_html(frame)
    assert "<code>patient_id</code>" in shown and "<code>had_bacterial_infection</code>" in shown
    assert "the cohort<" in shown  # a plain word inside a description stays a word
