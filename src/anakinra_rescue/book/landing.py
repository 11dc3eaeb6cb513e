"""The landing page: the headline counts, the three findings' numbers and the open questions by name.

Called by ``book/intro.ipynb``; like :mod:`anakinra_rescue.book.views`, it computes nothing of its own
beyond arranging what the pipeline, fidelity, the audit and the reanalysis return.
"""

import pandas as pd

from anakinra_rescue.book.chapter_numbers import summary_numbers
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import fidelity


def open_questions(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Printed numbers neither reproduced nor proven, by name, with what was tried (the landing page's list)."""
    from anakinra_rescue.data.published import SOURCE_TITLES

    rows = analysis.compared[analysis.compared["verdict"] == fidelity.OPEN]
    return pd.DataFrame(
        {
            "where": rows["source"].map(SOURCE_TITLES).str.split(":").str[0],
            "row": rows["variable"],
            "group": rows["group"],
            "statistic": rows["statistic"],
            "printed": rows["published"],
            "regenerated": rows["regenerated"],
            "what was tried": rows["reason"],
        }
    ).reset_index(drop=True)


def landing_numbers(analysis: pipeline.Analysis) -> dict[str, float]:
    """The landing page's headline: the verdict counts, and the counts behind its three findings."""
    from anakinra_rescue.examination import audit, reanalysis

    compared = analysis.compared
    table3 = compared[compared["source"] == "table3"]
    return {
        **{f"land_{key.removeprefix('sum_')}": value for key, value in summary_numbers(analysis).items()},
        "land_table3_printed": len(table3),
        "land_table3_unattainable": int(table3["verdict"].isin([fidelity.PROVEN, fidelity.INCONSISTENT]).sum()),
        "land_repeated_p": len(audit.repeated_p_values(analysis.record)),
        "land_paired_changes": len(reanalysis.conclusion_changes(reanalysis.paired_reanalysis(analysis))),
        "land_alpha": reanalysis.ALPHA,
    }


def open_questions_list(analysis: pipeline.Analysis):
    """The open questions as a readable list (long reasons do not fit a table column, least of all on a phone)."""
    from IPython.display import Markdown

    questions = open_questions(analysis)
    if questions.empty:
        return Markdown("*Every printed number is either regenerated or proven impossible.*")
    items = [
        f"- **{row.where}, {row.row}, {row.group} {row.statistic.replace('_', ' ')}**: printed {row.printed}, "
        f"regenerated {row.regenerated or 'nothing'}. {row[6][0].upper()}{row[6][1:]}."
        for row in questions.itertuples(index=False)
    ]
    return Markdown("\n".join(items))


def citation_bibtex():
    """BibTeX for the article and for this reproduction, written from ``CITATION.cff`` (one source for both)."""
    import yaml
    from IPython.display import Markdown

    from anakinra_rescue.data.files import PROJECT_ROOT

    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    article = cff["preferred-citation"]
    names = " and ".join(
        f"{author['family-names']}, {author['given-names']}" if "family-names" in author else "others"
        for author in article["authors"]
    )
    article_entry = (
        f"@article{{delacalle{article['year']},\n  author = {{{names}}},\n  title = {{{article['title']}}},\n"
        f"  journal = {{{article['journal']}}},\n  year = {{{article['year']}}},\n  volume = {{{article['volume']}}},\n"
        f"  pages = {{{article['start']}--{article['end']}}},\n  doi = {{{article['doi']}}}\n}}"
    )
    software_entry = (
        f"@software{{anakinra_rescue_reproduction,\n  author = {{{{{cff['authors'][0]['name']}}}}},\n"
        f"  title = {{{cff['title']}}},\n  version = {{{cff['version']}}},\n"
        "  note = {Synthetic reconstruction; cite the commit used}\n}"
    )
    return Markdown(f"```bibtex\n{article_entry}\n\n{software_entry}\n```")
