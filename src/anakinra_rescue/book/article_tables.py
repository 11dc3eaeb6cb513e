"""Tables 1-3 as a clinician reads them: the article's layout, human labels, and every differing number flagged.

Each cell holds the regenerated numbers of one row and group with their marks. A cell in which a number is
not reproduced is coloured and weighted by its verdict, and carries a tooltip and an accessible label that
give, for each such number, the printed value, the verdict and the reason (shortened). Hand-written HTML
rather than great-tables: the per-number ``title`` and ``aria-label`` and the verdict classes are the point
of the table, and a plain ``<table>`` keeps them without another dependency.
"""

import html
import re

import pandas as pd

from anakinra_rescue.data.dictionary import UNIT_BY_SUFFIX
from anakinra_rescue.data.published import SOURCE_TITLES
from anakinra_rescue.data.vocabulary import StatisticalTest
from anakinra_rescue.engine import pipeline, tables
from anakinra_rescue.examination import fidelity
from anakinra_rescue.schemas.published import COMPARED_GROUPS

# The page that lists every number that does not match, one anchored row each (book/05_reconstruction).
UNMATCHED_PAGE = "05_reconstruction.html"
REASON_CHARACTERS = 220  # a tooltip gives the start of the reason; the fidelity section gives all of it
TEST_LABELS: dict[str, str] = {
    StatisticalTest.CHI2: "χ²",
    StatisticalTest.CHI2_YATES: "χ² with Yates",
    StatisticalTest.FISHER: "Fisher's exact",
    StatisticalTest.STUDENT_T: "Student's t",
    StatisticalTest.WELCH_T: "Welch's t",
    StatisticalTest.MANN_WHITNEY_ASYMPTOTIC: "Mann–Whitney (asymptotic)",
    StatisticalTest.MANN_WHITNEY_EXACT: "Mann–Whitney (exact)",
}
STATISTIC_LABELS = {
    "n": "n",
    "pct": "%",
    "mean": "mean",
    "sd": "SD",
    "median": "median",
    "q1": "Q1",
    "q3": "Q3",
    "p_value": "P",
    "ci_low": "CI low",
    "ci_high": "CI high",
}
# The article's group headings, by the first row each stands above (Table 3 prints none).
SECTION_HEADINGS = {
    "table1": {
        "ethnicity_hispanic": "Ethnicity",
        "cardiovascular_disease": "Comorbidities",
        "lymphocytes_nadir_1e9_per_l": "Laboratory values",
        "received_hydroxychloroquine": "Prior or concomitant therapies",
        "corticosteroid_to_day0_days": "Intervals",
    },
    "table2": {
        "temperature_c": "Vital signs at day 0",
        "lymphocytes_1e9_per_l": "Laboratory values at day 0",
        "ordinal_status_1": "Six-point ordinal scale",
    },
}
# Verdicts from the least to the most serious: a cell takes the class of its most serious number.
SEVERITY = (
    fidelity.REPRODUCED,
    fidelity.OTHER_TEST,
    fidelity.NOT_COMPUTABLE,
    fidelity.OPEN,
    fidelity.INCONSISTENT,
    fidelity.PROVEN,
)


def row_label(variable: str) -> str:
    """A row name in words, with its unit: ``ferritin_peak_ng_ml`` -> ``Ferritin peak, ng/mL``."""
    unit = ""
    name = variable
    for suffix, words in (*UNIT_BY_SUFFIX, ("_days", "days")):
        if variable.endswith(suffix) and words != "points":  # a score keeps its name ("SOFA score")
            unit, name = words, variable[: -len(suffix)] or suffix.rsplit("_", 1)[0]
            break
    # "day 14" and "n = 20" stay on one line (no-break spaces)
    name = re.sub(r"day(\d+)", "day\u00a0\\1", name.replace("_", " ")).replace("pao2 fio2", "PaO2:FiO2")
    name = name.replace("crp", "CRP").replace("ldh", "LDH").replace("sofa", "SOFA").replace("news", "NEWS")
    name = name.replace("d dimer", "D-dimer").replace(" lt ", " < ").replace(" ge ", " ≥ ")
    name = re.sub(r"(\d+) (\d+)$", r"\1–\2", name)
    name = name[:1].upper() + name[1:]
    return f"{name}, {unit}" if unit and not variable.startswith("ordinal_status") else name


def number_anchor(source: str, variable: str, group: str, statistic: str) -> str:
    """The HTML id of one printed number's row in the list of the numbers that do not match (book.marks)."""
    return re.sub(r"[^a-z0-9_-]", "-", f"n-{source}-{variable}-{group}-{statistic}".lower())


def short_reason(reason: str, characters: int) -> str:
    """The start of a reason for a tooltip, cut at a word, with an ellipsis when cut."""
    return reason if len(reason) <= characters else reason[:characters].rsplit(" ", 1)[0] + " …"


def _tooltip(numbers: pd.DataFrame) -> str:
    parts = []
    for row in numbers.itertuples(index=False):
        reason = short_reason(row.reason, REASON_CHARACTERS)
        parts.append(
            f"{STATISTIC_LABELS.get(row.statistic, row.statistic)}: printed {row.published}, regenerated "
            f"{row.regenerated or 'nothing'}, {row.verdict.replace('_', ' ')}" + (f" ({reason})" if reason else "")
        )
    return "; ".join(parts)


def _cell(text: str, numbers: pd.DataFrame, column: str) -> str:
    """One cell: its text, with the verdict class and, when a number differs, the tooltip, label and link. ``column``
    names its column for a phone, which stacks a row's cells (``data-label``)."""
    label = html.escape(column, quote=True)
    if not text:
        return f'<td data-label="{label}"></td>'
    verdicts = list(numbers["verdict"])
    worst = max(verdicts, key=SEVERITY.index) if verdicts else fidelity.REPRODUCED
    differing = numbers[numbers["verdict"] != fidelity.REPRODUCED]
    if differing.empty:
        return f'<td class="number verdict-{worst}" data-label="{label}">{html.escape(text)}</td>'
    tip = html.escape(_tooltip(differing), quote=True)
    first = differing.iloc[0]
    # The cell links to the first differing number's row in the list of numbers that do not match (book.marks).
    anchor = number_anchor(first.source, first.variable, first.group, first.statistic)
    return (
        f'<td class="number verdict-{worst}" data-label="{label}">'
        f'<a class="flagged" href="{UNMATCHED_PAGE}#{anchor}" title="{tip}" '
        f'aria-label="{tip}">{html.escape(text)}</a></td>'
    )


def article_table_html(analysis: pipeline.Analysis, source: str, shown: pd.DataFrame) -> str:
    """The regenerated table ``shown`` (from :func:`anakinra_rescue.book.views.regenerated_table`) as HTML, with the
    article's group headings as rows that span the table."""
    compared = analysis.compared[analysis.compared["source"] == source]
    by_cell = {key: part for key, part in compared.groupby(["variable", "group"])}
    sizes = analysis.frame["group"].value_counts()
    interval = tables.INTERVAL_COLUMN in shown.columns
    columns = [f"{group.capitalize()} (n\u00a0=\u00a0{int(sizes.get(group, 0))})" for group in COMPARED_GROUPS]
    columns += ["P", "Test"] + (["OR (95% CI), control vs anakinra"] if interval else [])
    head = ["<th>Characteristic</th>", *(f'<th class="{"" if name == "Test" else "number"}">{name}</th>' for name in columns)]
    headings = SECTION_HEADINGS.get(source, {})
    empty = pd.DataFrame(columns=compared.columns)
    body = []
    for row in shown.itertuples(index=False):
        if row.variable in headings:
            body.append(
                f'<tr class="group-heading"><th scope="colgroup" colspan="{len(head)}">'
                f"{html.escape(headings[row.variable])}</th></tr>"
            )
        values = row._asdict()
        cells = [f'<th scope="row">{html.escape(row_label(row.variable))}</th>']
        for group, column in zip(COMPARED_GROUPS, columns):
            cells.append(_cell(values[group], by_cell.get((row.variable, group), empty), column))
        comparison = by_cell.get((row.variable, "comparison"), empty)
        cells.append(_cell(values["p_value"], comparison[comparison["statistic"] == "p_value"], "P"))
        cells.append(f'<td data-label="Test">{html.escape(TEST_LABELS.get(row.test, row.test))}</td>')
        if interval:
            text = values[tables.INTERVAL_COLUMN]
            cells.append(_cell(text, comparison[comparison["statistic"].isin(["ci_low", "ci_high"])], columns[-1]))
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = html.escape(SOURCE_TITLES[source]) + " (regenerated; hover or focus a coloured cell for the printed value)"
    return (
        f'<table class="article-table" id="article-{source}"><caption>{caption}</caption><thead><tr>{"".join(head)}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def table_footnote(source: str, shown: pd.DataFrame, marks: dict[str, str], mark_labels: dict[str, str]) -> str:
    """Markdown under a table: what each mark means, and the rows by name (text the book's search indexes, which
    it does not do for a table drawn as HTML)."""
    legend = "; ".join(f"{marks[verdict]} {mark_labels[verdict]}" for verdict in SEVERITY)
    rows = ", ".join(row_label(variable) for variable in shown["variable"])
    return (
        f"*Marks after each number:* {legend}. A coloured number links to its reason. "
        f"*Rows of {SOURCE_TITLES[source].split(':')[0]}:* {rows}."
    )
