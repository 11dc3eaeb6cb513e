"""Tests of anakinra_rescue.book.article_tables: labels in words, and every differing number flagged with its print."""

import re
from html.parser import HTMLParser

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
