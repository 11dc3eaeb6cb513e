"""The landing page: what the study reported, the headline counts, and the numbers that did not reproduce.

Called by ``book/intro.ipynb``; like :mod:`anakinra_rescue.book.views`, it computes nothing of its own
beyond arranging what the pipeline, fidelity, the audit and the reanalysis return.
"""

from anakinra_rescue.book.chapter_numbers import summary_numbers
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import fidelity


def landing_numbers(analysis: pipeline.Analysis) -> dict[str, float]:
    """The landing page's headline: the verdict counts, and the counts behind its three findings."""
    from anakinra_rescue.examination import audit, reanalysis

    compared = analysis.compared
    table3 = compared[compared["source"] == "table3"]
    return {
        **{f"land_{key.removeprefix('sum_')}": value for key, value in summary_numbers(analysis).items()},
        "land_table3_printed": len(table3),
        "land_table3_unattainable": int(table3["verdict"].isin([fidelity.PROVEN, fidelity.INCONSISTENT]).sum()),
        "land_table3_attainable": int((table3["verdict"] == fidelity.ATTAINABLE).sum()),
        "land_table3_open": int((table3["verdict"] == fidelity.OPEN).sum()),
        "land_repeated_p": len(audit.repeated_p_values(analysis.record)),
        "land_paired_changes": len(reanalysis.conclusion_changes(reanalysis.paired_reanalysis(analysis))),
        "land_alpha": reanalysis.ALPHA,
    }


# The rows the landing page leads with: the primary outcome (improvement by day 21) and in-hospital mortality.
HEADLINE_ROWS = ("improvement_day21", "in_hospital_mortality")


def headline_table(analysis: pipeline.Analysis):
    """What the study reported, as printed and as regenerated: the primary outcome and in-hospital mortality by
    group with their P-values, each number marked, and the printed value beside any that differs."""
    from IPython.display import Markdown

    from anakinra_rescue.book.article_tables import group_columns, row_html

    compared = analysis.compared[(analysis.compared["source"] == "table3")]
    columns = group_columns(analysis)
    body = [
        row_html(compared[compared["variable"] == variable], variable, [*columns, "P‑value"], {})
        for variable in HEADLINE_ROWS
        if (compared["variable"] == variable).any()
    ]
    head = "".join(f'<th scope="col" class="number">{name}</th>' for name in [*columns, "P‑value"])
    return Markdown(
        f'<div class="article-table-scroll"><table class="article-table headline"><thead><tr><th scope="col">Outcome</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def unmatched_compact(analysis: pipeline.Analysis):
    """The printed numbers that did not reproduce, one line each with the reason's first sentence; the number links
    to its whole reason in the fidelity section."""
    from anakinra_rescue.book.marks import unmatched_table

    return unmatched_table(analysis, compact=True)


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
