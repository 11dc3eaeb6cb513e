"""Tests of anakinra_rescue.book.landing: the landing page's headline adds up and names every open question."""

from anakinra_rescue.book import landing


def test_landing_headline_adds_up_and_lists_every_open_question(analysis):
    numbers = landing.landing_numbers(analysis)
    parts = ("reproduced", "other_test", "proven", "inconsistent", "not_computable", "open")
    assert sum(numbers[f"land_{part}"] for part in parts) == numbers["land_printed"] == len(analysis.compared)
    assert numbers["land_match"] == numbers["land_reproduced"] + numbers["land_other_test"] >= 400
    questions = landing.open_questions(analysis)
    assert len(questions) == numbers["land_open"]
    assert questions["what was tried"].str.contains("search").all()
    listed = landing.open_questions_list(analysis).data.splitlines()
    assert len(listed) == len(questions) and all(
        f"printed {printed}," in line for printed, line in zip(questions["printed"], listed)
    )
    assert numbers["land_table3_unattainable"] <= numbers["land_table3_printed"]


def test_citation_box_is_written_from_citation_cff():
    import yaml

    from anakinra_rescue.data.files import PROJECT_ROOT

    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    text = landing.citation_bibtex().data
    article = cff["preferred-citation"]
    assert f"doi = {{{article['doi']}}}" in text and f"volume = {{{article['volume']}}}" in text
    assert f"version = {{{cff['version']}}}" in text and text.count("@") == 2
