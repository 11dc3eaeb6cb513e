"""Tests of anakinra_rescue.book.article_tables: labels in words, and every differing number flagged with its print."""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from anakinra_rescue.book import article_tables, views
from anakinra_rescue.examination import fidelity


@pytest.mark.parametrize(
    ("variable", "label"),
    [
        ("ferritin_peak_ng_ml", "Ferritin peak, ng/mL"),
        ("age_years", "Age, years"),
        ("temperature_c", "Temperature, °C"),
        ("ordinal_status_day14", "Ordinal status day\u00a014"),
        ("pao2_fio2_lt_100", "PaO2:FiO2 < 100"),
        ("sofa_score", "SOFA score"),
        ("d_dimer_ng_ml", "D-dimer, ng/mL"),
    ],
)
def test_row_labels_are_words_with_units(variable, label):
    assert article_tables.row_label(variable) == label


class _Cells(HTMLParser):
    """Collects each <td>'s class, tooltip, link and text."""

    def __init__(self):
        super().__init__()
        self.cells, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td":
            self.current = {"class": attrs.get("class", ""), "title": "", "text": ""}
        elif tag == "a" and self.current is not None:
            self.current["title"] = attrs.get("title", "")
            self.current["href"] = attrs.get("href", "")
            assert attrs.get("aria-label") == attrs.get("title")

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self.current is not None:
            self.cells.append(self.current)
            self.current = None


@pytest.mark.parametrize("source", ["table1", "table2", "table3"])
def test_every_differing_number_has_a_tooltip_with_its_printed_value(analysis, source):
    page = views.article_table(analysis, source).data
    parser = _Cells()
    parser.feed(page)
    flagged = [cell for cell in parser.cells if "verdict-" in cell["class"] and "verdict-reproduced " not in cell["class"] + " "]
    differing = analysis.compared[(analysis.compared["source"] == source) & (analysis.compared["verdict"] != fidelity.REPRODUCED)]
    tooltips = " ".join(cell["title"] for cell in flagged)
    for row in differing.itertuples(index=False):
        assert f"printed {row.published}, regenerated {row.regenerated or 'nothing'}" in tooltips, row
    assert all(cell["title"] for cell in flagged)
    assert all(cell["href"].startswith("05_reconstruction.html#n-") for cell in flagged)  # each links to its reason
    assert "<th>" not in page.split("<tbody>")[1][:20] and not re.search(r"<th[^>]*>\s*0\s*</th>", page)  # no index column


@pytest.mark.parametrize("source", ["table1", "table2", "table3"])
def test_every_differing_number_shows_its_printed_value_in_the_visible_text_of_its_cell(analysis, source):
    """The printed value is text of the cell itself ("article: 3 (1–3.75)"), not only a tooltip: it shows on paper
    and on a phone. Each cell also carries one mark per number it shows."""
    parser = _Cells()
    parser.feed(views.article_table(analysis, source).data.split('<div class="table-notes"')[0])
    compared = analysis.compared[analysis.compared["source"] == source]
    differing = compared[(compared["verdict"] != fidelity.REPRODUCED) & (compared["statistic"] != "denominator")]
    assert len(differing), "no differing number to look for"
    visible = [cell["text"] for cell in parser.cells]
    for row in differing.itertuples(index=False):
        printed = article_tables._thousands(row.published)
        assert any("article: " in text and printed in text.split("article: ")[1] for text in visible), row
    for cell in re.findall(r'<td class="number[^"]*"[^>]*>(.*?)</td>', views.article_table(analysis, source).data):
        numbers = re.sub(r"<[^>]+>", "", cell.split('<span class="marks"')[0])
        marks = re.search(r'<span class="marks" aria-hidden="true">([^<]*)</span>', cell).group(1)
        assert len(marks) == len(re.findall(r"\d[\d,]*(?:\.\d+)?", numbers)), cell
    pinned = views.article_table(analysis, "table1").data
    assert "1,237 (691–2,595)" in pinned  # the ferritin cell at the article's precision, with its separators
    assert "[mean ± SD]" in pinned and "Male sex" in pinned and "P-values: " in pinned


def test_a_cell_carries_one_mark_per_number_it_shows():
    numbers = pd.DataFrame(
        {
            "source": "table1",
            "variable": "ferritin_peak_ng_ml",
            "group": "anakinra",
            "statistic": ["median", "q1", "q3", "denominator"],
            "published": ["1237", "691", "2595", "18"],
            "regenerated": ["1237", "700", "2595", "18"],
            "verdict": [fidelity.REPRODUCED, fidelity.PROVEN, fidelity.REPRODUCED, fidelity.REPRODUCED],
            "reason": ["", "no data can print it", "", ""],
        }
    )
    cell = article_tables._cell(numbers, "Anakinra", views.MARKS)
    assert ">1,237 (700–2,595)</a>" in cell and "✓⊘✓<" in cell and "article: 1,237 (691–2,595)" in cell
    assert "verdict-proven_impossible" in cell
