"""Everything a chapter notebook shows, computed once per kernel from the book's data folder.

Notebooks call these functions and display or glue what they return; they hold
no analysis logic of their own. The data folder is ``data/reconstructed`` unless
``ANAKINRA_DATA_DIR`` names another (``make book DATA=path`` sets it).
"""

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import context

# One mark per verdict, and its words (defined with the article tables, which are their first reader).
from anakinra_rescue.book.article_tables import MARK_LABELS, MARKS  # noqa: E402
from anakinra_rescue.data.files import SENSITIVITY_FILE
from anakinra_rescue.data.vocabulary import StatisticalTest
from anakinra_rescue.engine import pipeline, settings
from anakinra_rescue.examination import fidelity
from anakinra_rescue.schemas.published import COMPARED_GROUPS


def mark(verdict: str) -> str:
    """The symbol shown beside a regenerated number."""
    return MARKS[verdict]


def side_by_side(analysis: pipeline.Analysis, source: str) -> pd.DataFrame:
    """A table as the article printed it and as regenerated, one row per variable and statistic, with marks."""
    rows = analysis.compared[analysis.compared["source"] == source]
    shown = pd.DataFrame(
        {
            "variable": rows["variable"],
            "group": rows["group"],
            "statistic": rows["statistic"],
            "published": rows["published"],
            "regenerated": rows["regenerated"],
            "mark": [mark(verdict) for verdict in rows["verdict"]],
            "test": rows["test"],
        }
    )
    return shown.reset_index(drop=True)


def collapsed(frame, summary: str, open_wide: bool = False):
    """A long table behind a disclosure the reader opens ("Show all 154 numbers ..."; ``{n}`` in ``summary`` is the
    table's row count): a phone page stays short, and the appendix PDF opens every disclosure before it prints.
    ``open_wide`` starts it open on a wide screen. A sentence (no table to show) stays as it is; an HTML table
    (:func:`anakinra_rescue.book.marks.unmatched_table`) is collapsed as it is."""
    from IPython.display import HTML

    from anakinra_rescue.book.render import table_html

    if isinstance(frame, pd.DataFrame):
        rows, body = len(frame), table_html(frame)
    elif isinstance(frame, HTML):
        rows, body = frame.data.count("<tr") - 1, frame.data
    else:
        return frame
    attribute = " data-open-wide" if open_wide else ""
    return HTML(f'<details class="long-list"{attribute}><summary>{summary.format(n=rows)}</summary>{body}</details>')


def number_by_number(analysis: pipeline.Analysis, source: str):
    """One table's printed numbers one by one beside the regenerated ones, with each P-value's test, collapsed."""
    from anakinra_rescue.data.published import SOURCE_TITLES

    shown = side_by_side(analysis, source)
    name = SOURCE_TITLES[source].split(":")[0]
    return collapsed(shown, f"Show all {len(shown)} printed numbers of {name} one by one, with the test behind each P-value")


def regenerated_table(analysis: pipeline.Analysis, source: str) -> pd.DataFrame:
    """The regenerated table in the article's layout, each cell followed by the marks of its numbers."""
    shown = analysis.displayed(source, context.min_cell())
    marks = analysis.compared[analysis.compared["source"] == source]
    symbol = {(row.variable, row.group): "" for row in marks.itertuples(index=False)}
    for row in marks.itertuples(index=False):
        symbol[(row.variable, row.group)] += mark(row.verdict)
    for group in COMPARED_GROUPS:
        shown[group] = [
            f"{cell} {symbol.get((variable, group), '')}".rstrip() for variable, cell in zip(shown["variable"], shown[group])
        ]
    shown["p_value"] = [
        f"{cell} {symbol.get((variable, 'comparison'), '')[:1]}".rstrip() if cell else ""
        for variable, cell in zip(shown["variable"], shown["p_value"])
    ]
    return shown


def figure1(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Figure 1's counts as the book shows and offers them: small counts withheld in an aggregate report."""
    from anakinra_rescue.book import disclosure

    return disclosure.suppress_figure(analysis.figure1(), context.min_cell())


def mark_counts(analysis: pipeline.Analysis, source: str | None = None) -> pd.DataFrame:
    """How many printed numbers carry each mark, for one source or all."""
    rows = analysis.compared if source is None else analysis.compared[analysis.compared["source"] == source]
    counts = [
        (f"{MARKS[verdict]} {MARK_LABELS[verdict]}", int((rows["verdict"] == verdict).sum())) for verdict in fidelity.VERDICTS
    ]
    return pd.DataFrame(counts, columns=["mark", "printed numbers"])


def fidelity_table(analysis: pipeline.Analysis, only_unmatched: bool = False) -> pd.DataFrame:
    """Published, regenerated, verdict and reason for every printed number."""
    rows = analysis.compared
    if only_unmatched:
        rows = rows[rows["verdict"] != fidelity.REPRODUCED]
    return rows[["source", "variable", "group", "statistic", "published", "regenerated", "verdict", "reason"]].reset_index(
        drop=True
    )


def ordinal_scale() -> pd.DataFrame:
    """The 6-point scale, from the schema the loader enforces."""
    from anakinra_rescue.data.dictionary import ordinal_scale_table

    return ordinal_scale_table()


def settings_used(analysis: pipeline.Analysis) -> Markdown:
    """The settings this build ran under, as a settings file, with every key that departs from the article's reading."""
    changed = settings.differences(analysis.config)
    if changed:
        lines = [
            f"This build departs from the article's reading in {len(changed)} setting"
            f"{'s' if len(changed) != 1 else ''} (`make book CONFIG=...`):",
            "",
            "| setting | this build | the article's reading |",
            "|---|---|---|",
            *(f"| `{key}` | `{mine}` | `{theirs}` |" for key, mine, theirs in changed),
        ]
    else:
        lines = ["This build uses the article's reading of every setting (no `CONFIG=` file was given)."]
    lines += [
        "",
        "The settings in full, as a file that `--config` and `make book CONFIG=...` accept:",
        "",
        "```toml",
        settings.settings_toml(analysis.config).rstrip(),
        "```",
    ]
    return Markdown("\n".join(lines))


def tests_by_row(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Which test produced each P-value, and why that test (the stated methods, read as configured)."""
    why = {
        StatisticalTest.CHI2: "n (%) row, every expected count at least 5: Pearson chi-squared without correction",
        StatisticalTest.FISHER: "n (%) row with an expected count below 5: Fisher's exact test, two-sided",
        StatisticalTest.STUDENT_T: "mean ± SD row: Student's t with pooled variance",
        StatisticalTest.WELCH_T: "mean ± SD row: Welch's t",
        StatisticalTest.MANN_WHITNEY_ASYMPTOTIC: "median (IQR) row: Mann-Whitney U, asymptotic with tie correction (SPSS)",
        StatisticalTest.MANN_WHITNEY_EXACT: "median (IQR) row: Mann-Whitney U, exact",
    }
    rows = analysis.regenerated[
        (analysis.regenerated["statistic"] == "p_value") & analysis.regenerated["source"].str.startswith("table")
    ]
    return pd.DataFrame(
        {"table": rows["source"], "variable": rows["variable"], "test": rows["test"], "why": rows["test"].map(why)}
    ).reset_index(drop=True)


def sensitivity_chart():
    """Where the book's cohort sits among the seeded cohorts, per outcome (a sentence when built from other data)."""
    from IPython.display import Markdown

    from anakinra_rescue.book import figures
    from anakinra_rescue.examination import reanalysis
    from anakinra_rescue.reconstruction.reconstruct import DEFAULT_SEED

    path = context.DEFAULT_DATA_DIR / SENSITIVITY_FILE
    if not context.is_default_data() or not path.exists():
        return Markdown("*The seeded cohorts describe the synthetic reconstruction only; this book was built from other data.*")
    return figures.sensitivity_strip(pd.read_csv(path), DEFAULT_SEED, reanalysis.ALPHA)


def organism_text(analysis: pipeline.Analysis) -> str:
    """The Results' organism sentence, from infections.csv when the folder has one (its counts glued in)."""
    from anakinra_rescue.engine.outcomes import INFECTION_ROWS

    if analysis.cohort.infections is None:
        return "The article also names the organisms; this folder has no `infections.csv`, so those counts are not computed."
    counts = {name: int(analysis.frame[name].fillna(False).astype(bool).sum()) for name in INFECTION_ROWS}
    named = [
        f"**{count}** with {site.replace('_', ' ')} *{organism}*"
        for (name, count), (site, organism) in zip(counts.items(), INFECTION_ROWS.values())
    ]
    return (
        "Among the infected patients, `infections.csv` records "
        + ", ".join(named[:-1])
        + " and "
        + named[-1]
        + ": the reading of the organisms the article names that the audit takes."
    )


def article_table(analysis: pipeline.Analysis, source: str) -> Markdown:
    """Table 1, 2 or 3 in the article's layout, each differing number followed by the printed one. Given as Markdown
    holding the HTML table, so that the book's search indexes its words (it skips a plain HTML output)."""
    from anakinra_rescue.book.article_tables import article_table_html

    return Markdown(article_table_html(analysis, source))
