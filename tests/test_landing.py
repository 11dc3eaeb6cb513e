"""Tests of anakinra_rescue.book.landing: the landing page's headline adds up and lists every number that did not reproduce."""

import re

from anakinra_rescue.book import landing


def test_landing_headline_adds_up_and_lists_every_open_question(analysis):
    numbers = landing.landing_numbers(analysis)
    parts = ("reproduced", "other_test", "proven", "inconsistent", "attainable", "not_computable", "open")
    assert sum(numbers[f"land_{part}"] for part in parts) == numbers["land_printed"] == len(analysis.compared)
    assert numbers["land_match"] == numbers["land_reproduced"] + numbers["land_other_test"] >= 400
    listed = landing.unmatched_compact(analysis).data
    unmatched = analysis.compared[analysis.compared["verdict"] != "reproduced"]
    assert listed.count("<tr>") == len(unmatched) + 1 == numbers["land_printed"] - numbers["land_reproduced"] + 1
    assert listed.count('href="05_reconstruction.html#n-') == len(unmatched)  # each row links to its whole reason
    assert numbers["land_table3_unattainable"] <= numbers["land_table3_printed"]
    assert "_" not in re.sub(r'href="[^"]*"|class="[^"]*"|<code>.*?</code>', "", listed)  # labels in words, no machine names


def test_landing_leads_with_the_primary_outcome_as_printed_and_regenerated(analysis):
    table = landing.headline_table(analysis).data
    assert "Clinical improvement at day 21" in table and "In-hospital mortality" in table
    assert table.count("<td") == 6  # two rows: both groups and the P-value


def test_citation_box_is_written_from_citation_cff():
    import yaml

    from anakinra_rescue.data.files import PROJECT_ROOT

    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    text = landing.citation_bibtex().data
    article = cff["preferred-citation"]
    assert f"doi = {{{article['doi']}}}" in text and f"volume = {{{article['volume']}}}" in text
    assert f"version = {{{cff['version']}}}" in text and text.count("@") == 2
