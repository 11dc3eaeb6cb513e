"""Tests of anakinra_rescue.book.marks: the Results prose's numbers carry their verdict, printed value and link."""

import html
import re

import pytest

from anakinra_rescue.book import chapter_numbers, marks
from anakinra_rescue.book.article_tables import number_anchor


@pytest.fixture(scope="module")
def marked(analysis):
    return marks.marked_numbers(analysis, chapter_numbers.RESULTS_NUMBERS)


def test_every_results_number_is_marked_with_its_printed_value(analysis, marked):
    assert set(marked) == set(chapter_numbers.RESULTS_NUMBERS)
    assert str(marked["res_n_cases"]) == "20" and str(marked["res_improved7_n_cases"]) == "5"
    for key, number in marked.items():
        title = re.search(r'title="([^"]*)"', number._repr_html_()).group(1)
        published = analysis.compared.set_index(["source", "variable", "group", "statistic"]).loc[
            chapter_numbers.RESULTS_NUMBERS[key], "published"
        ]
        assert html.unescape(title).startswith(f"Printed {published};"), (key, title)


def test_a_differing_number_is_flagged_and_links_to_its_reason(marked, analysis):
    """The onset P is reproduced with another test (the asymptotic P, as no exact P prints 0.771 at 20 vs 20): it is
    flagged with its mark and links to the reason."""
    shown = marked["res_onset_p"]._repr_html_()
    assert 'class="glued flagged verdict-reproduced_with_other_test"' in shown and "Printed 0.771; regenerated 0.771" in shown
    assert '0.771<sup class="verdict-mark" aria-hidden="true">†</sup>' in shown
    anchor = number_anchor("table1", "symptom_onset_to_day0_days", "comparison", "p_value")
    assert f'href="05_reconstruction.html#{anchor}"' in shown
    assert f'<tr id="{anchor}">' in marks.unmatched_table(analysis).data
    reproduced = marked["res_n_cases"]._repr_html_()
    assert "flagged" not in reproduced and "href" not in reproduced and "✓" in reproduced


def test_every_anchor_in_the_unmatched_list_is_unique_and_every_unmatched_number_has_one(analysis):
    table = marks.unmatched_table(analysis).data
    anchors = re.findall(r'<tr id="([^"]+)">', table)
    assert len(anchors) == len(set(anchors)) == int((analysis.compared["verdict"] != "reproduced").sum()) > 0


def test_a_number_the_comparison_does_not_hold_is_an_error(analysis):
    with pytest.raises(KeyError, match="res_nowhere"):
        marks.marked_numbers(analysis, {"res_nowhere": ("table1", "no_such_variable", "anakinra", "n")})


def test_a_percentage_carries_its_sign_before_its_mark(marked):
    """ "70%✓", never "70✓%": the glued percentage holds its sign, and the Results prose writes none after it."""
    from anakinra_rescue.data.files import PROJECT_ROOT

    shown = marked["res_male_pct_cases"]._repr_html_()
    assert re.search(r">70%<sup class=\"verdict-mark\"", shown), shown
    prose = (PROJECT_ROOT / "book" / "02_results.ipynb").read_text(encoding="utf-8")
    assert not re.search(r"\{glue\}`\w*pct\w*`%", prose)
