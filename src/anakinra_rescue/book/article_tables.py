"""Tables 1-3 as a clinician reads them: the article's layout, labels, markers and notes, and every differing
number shown beside the number the article printed.

Each cell holds the regenerated numbers the article printed in that cell, at the article's printed precision, each
followed by one verdict mark. A cell in which a number is not reproduced is coloured by its verdict and shows the
printed numbers on a second line ("article: 3 (1–3.75)"), visible on screen, on a phone and on paper; its tooltip
and accessible label add the verdict and the start of the reason, and it links to the full reason. The test behind
each P-value is a note letter, and each denominator the article gives is a note. Hand-written HTML rather than
great-tables: the verdict classes, the per-number labels and the second line are the point of the table, and a
plain ``<table>`` keeps them without another dependency.
"""

import html
import re

import pandas as pd

from anakinra_rescue.data.dictionary import UNIT_BY_SUFFIX
from anakinra_rescue.data.published import SOURCE_TITLES, printed_decimals, round_as_printed
from anakinra_rescue.data.vocabulary import StatisticalTest
from anakinra_rescue.engine import pipeline
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
# One mark per verdict (examination.fidelity.VERDICTS), with the words every legend of the book uses.
MARKS: dict[str, str] = {
    fidelity.REPRODUCED: "✓",
    fidelity.OTHER_TEST: "†",
    fidelity.PROVEN: "⊘",
    fidelity.INCONSISTENT: "≠",
    fidelity.ATTAINABLE: "◇",
    fidelity.NOT_COMPUTABLE: "–",
    fidelity.OPEN: "?",
}
MARK_LABELS: dict[str, str] = {
    fidelity.REPRODUCED: "reproduced",
    fidelity.OTHER_TEST: "reproduced with another test",
    fidelity.PROVEN: "proven impossible",
    fidelity.INCONSISTENT: "article inconsistent",
    fidelity.ATTAINABLE: "attainable, not reached",
    fidelity.NOT_COMPUTABLE: "not computable",
    fidelity.OPEN: "open question",
}
VERDICT_WORDS = MARK_LABELS
# The tables' captions, in our words.
ARTICLE_CAPTIONS = {
    "table1": "Table 1. Demographic, clinical and laboratory characteristics by group, regenerated",
    "table2": "Table 2. Vital signs, respiratory status and laboratory values at day 0, regenerated",
    "table3": "Table 3. Outcomes by group, regenerated",
}
# Verdicts from the least to the most serious: a cell takes the class of its most serious number.
SEVERITY = (
    fidelity.REPRODUCED,
    fidelity.OTHER_TEST,
    fidelity.NOT_COMPUTABLE,
    fidelity.ATTAINABLE,
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


def _thousands(text: str) -> str:
    """A printed number with the article's thousands separator and a true minus sign: ``-2`` -> ``−2``,
    ``2595`` -> ``2,595``."""
    sign, digits = ("−", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    if whole.isdigit() and len(whole) > 3:
        whole = f"{int(whole):,}"
    return sign + whole + dot + fraction


# How a cell joins its statistics, by the statistics the article printed in it.
LAYOUTS = (
    (("mean", "sd"), "{mean} ± {sd}"),
    (("median", "q1", "q3"), "{median} ({q1}–{q3})"),
    (("n", "pct"), "{n} ({pct})"),
    (("ci_low", "ci_high"), "{ci_low}–{ci_high}"),
)


def _as_shown(row, column: str) -> str:
    """One number's text: the printed one as printed; a regenerated one that reproduces it at the printed precision
    (the comparison may carry more decimals, "691.25" for a printed 691); a differing one without trailing zeros
    ("4", "2.25"), a P-value as computed."""
    text = str(getattr(row, column) or "")
    if not text:
        return "—"
    if column == "published":
        return text
    value = getattr(row, "regenerated_value", float("nan"))
    if row.verdict in (fidelity.REPRODUCED, fidelity.OTHER_TEST) and not pd.isna(value):
        return str(round_as_printed(value, printed_decimals(str(row.published))))
    if "." in text and row.statistic != "p_value" and text.replace(".", "").replace("-", "").isdigit():
        return text.rstrip("0").rstrip(".")
    return text


def cell_text(numbers: pd.DataFrame, column: str) -> str:
    """The numbers of one cell joined as the article prints them, from ``column`` (``published`` or
    ``regenerated``); a number with no value prints as "—"."""
    values = {row.statistic: _thousands(_as_shown(row, column)) for row in numbers.itertuples(index=False)}
    for statistics, layout in LAYOUTS:
        if set(statistics) <= set(values):
            return layout.format(**values)
    return " ".join(values.values())


CELL_ORDER = ("n", "pct", "mean", "sd", "median", "q1", "q3", "p_value", "ci_low", "ci_high")


def _shown(numbers: pd.DataFrame) -> pd.DataFrame:
    """The numbers a cell shows, in the order it shows them (a denominator goes to the notes)."""
    order = {
        statistic: rank
        for rank, statistic in enumerate(("n", "pct", "mean", "sd", "median", "q1", "q3", "p_value", "ci_low", "ci_high"))
    }
    shown = numbers[numbers["statistic"].isin(order)]
    return shown.iloc[sorted(range(len(shown)), key=lambda i: order[shown["statistic"].iloc[i]])]


def _tooltip(numbers: pd.DataFrame) -> str:
    parts = []
    for row in numbers.itertuples(index=False):
        from anakinra_rescue.book.render import plain_words

        reason = short_reason(plain_words(row.reason), REASON_CHARACTERS)
        parts.append(
            f"{STATISTIC_LABELS.get(row.statistic, row.statistic)}: printed {row.published}, regenerated "
            f"{row.regenerated or 'nothing'}, {VERDICT_WORDS.get(row.verdict, row.verdict)}" + (f" ({reason})" if reason else "")
        )
    return "; ".join(parts)


def _cell(numbers: pd.DataFrame, column: str, marks: dict[str, str], extra: str = "") -> str:
    """One cell: the regenerated numbers at the article's precision, one verdict mark per number, and, when a number
    differs, the printed numbers on a second line and a link to the reasons. ``column`` names its column
    (``data-label``, read out on a phone); ``extra`` follows the marks (a test's note letter)."""
    label = html.escape(column, quote=True)
    shown = _shown(numbers)
    if shown.empty:
        return f'<td data-label="{label}"></td>'
    verdicts = list(shown["verdict"])
    worst = max(verdicts, key=SEVERITY.index)
    text = html.escape(cell_text(shown, "regenerated"))
    symbols = "".join(marks[verdict] for verdict in verdicts)
    marks_html = f'<span class="marks" aria-hidden="true">{symbols}</span>{extra}'
    differing = shown[shown["verdict"] != fidelity.REPRODUCED]
    if differing.empty:
        return f'<td class="number verdict-{worst}" data-label="{label}">{text}\u00a0{marks_html}</td>'
    tip = html.escape(_tooltip(differing), quote=True)
    first = differing.iloc[0]
    anchor = number_anchor(first.source, first.variable, first.group, first.statistic)
    printed = html.escape(cell_text(shown, "published"))
    return (
        f'<td class="number verdict-{worst}" data-label="{label}">'
        f'<a class="flagged" href="{UNMATCHED_PAGE}#{anchor}" title="{tip}" aria-label="{tip}">{text}</a>'
        f'\u00a0{marks_html}<span class="printed">article: {printed}</span></td>'
    )


def _test_letters(comparison: pd.DataFrame) -> dict[str, str]:
    """A note letter for each test behind the table's P-values, in the order the rows first use them."""
    tests = comparison.loc[comparison["statistic"] == "p_value", "test"].dropna()
    return {test: "abcdefghij"[rank] for rank, test in enumerate(dict.fromkeys(test for test in tests if test))}


def _denominator_note(numbers: pd.DataFrame, marks: dict[str, str]) -> str:
    """The patients with a value, as the article's note gives them and as regenerated, each number with its mark."""
    by_group = {row.group: row for row in numbers.itertuples(index=False)}
    if set(by_group) == {"overall"}:
        row = by_group["overall"]
        return f"values for {row.published} patients in the article; {row.regenerated or '—'}\u00a0{marks[row.verdict]} here."
    printed = " and ".join(f"{by_group[group].published} {group}" for group in COMPARED_GROUPS if group in by_group)
    regenerated = " and ".join(
        f"{by_group[group].regenerated or '—'}\u00a0{marks[by_group[group].verdict]}"
        for group in COMPARED_GROUPS
        if group in by_group
    )
    return f"values for {printed} patients in the article; {regenerated} here."


def group_columns(analysis: pipeline.Analysis) -> list[str]:
    """The groups' column headings, as the article heads them: "Anakinra group (n = 20)", "Control group (n = 20)"."""
    sizes = analysis.frame["group"].value_counts()
    return [f"{group.capitalize()} group (n\u00a0=\u00a0{int(sizes.get(group, 0))})" for group in COMPARED_GROUPS]


def row_html(numbers: pd.DataFrame, variable: str, columns: list[str], letters: dict[str, str], note: int = 0) -> str:
    """One row of a table in the article's layout: the article's label and marker (with note ``note`` when not 0),
    a cell per group, the P-value with its test's note letter, and the interval when ``columns`` has a fourth."""
    from anakinra_rescue.book import article_labels

    label, marker = article_labels.article_label(variable)
    label_html = html.escape(label) + (f' <span class="marker">{html.escape(marker)}</span>' if marker else "")
    label_html += f'<sup class="note-ref">{note}</sup>' if note else ""
    cells = [f'<th scope="row">{label_html}</th>']
    for group, column in zip(COMPARED_GROUPS, columns):
        cells.append(_cell(numbers[numbers["group"] == group], column, MARKS))
    p_values = numbers[(numbers["group"] == "comparison") & (numbers["statistic"] == "p_value")]
    test = p_values["test"].iloc[0] if len(p_values) else ""
    letter = ""
    if test in letters:
        letter = f'<sup class="test-ref" title="{html.escape(TEST_LABELS.get(test, test))}">{letters[test]}</sup>'
    cells.append(_cell(p_values, "P‑value", MARKS, letter))
    if len(columns) > len(COMPARED_GROUPS) + 1:
        ci = numbers[(numbers["group"] == "comparison") & numbers["statistic"].isin(["ci_low", "ci_high"])]
        cells.append(_cell(ci, columns[-1], MARKS))
    return "<tr>" + "".join(cells) + "</tr>"


def article_table_html(analysis: pipeline.Analysis, source: str) -> str:
    """Table 1, 2 or 3 as HTML in the article's layout: its row labels and markers, its group headings, one cell
    per group and the P-value, every printed value visible where it differs, and numbered notes in a footer."""
    from anakinra_rescue.book import article_labels

    compared = analysis.compared[analysis.compared["source"] == source]
    if "verdict" not in compared.columns:
        raise ValueError("article_table_html needs the analysis with verdicts (anakinra_rescue.book.context.book_analysis)")
    comparison = compared[compared["group"] == "comparison"]
    interval = comparison["statistic"].isin(["ci_low", "ci_high"]).any()
    letters = _test_letters(comparison)
    columns = [*group_columns(analysis), "P‑value"] + ([article_labels.INTERVAL_HEADING] if interval else [])
    head = "".join(f'<th scope="col" class="number">{html.escape(name)}</th>' for name in columns)
    head = f'<th scope="col">Variable</th>{head}'
    headings = article_labels.SECTION_HEADINGS.get(source, {})
    notes: list[str] = []
    body = []
    for variable, numbers in compared[compared["variable"] != "group_size"].groupby("variable", sort=False):
        if variable in headings:
            body.append(
                f'<tr class="group-heading"><th scope="colgroup" colspan="{len(columns) + 1}">'
                f"{html.escape(headings[variable])}</th></tr>"
            )
        note = article_labels.ROW_NOTES.get(str(variable), "")
        denominators = numbers[numbers["statistic"] == "denominator"]
        if not denominators.empty:
            note = (note + " " if note else "") + _denominator_note(denominators, MARKS).capitalize()
        if note:
            notes.append(note)
        body.append(row_html(numbers, str(variable), columns, letters, len(notes) if note else 0))
    caption = html.escape(ARTICLE_CAPTIONS.get(source, SOURCE_TITLES[source]))
    footer = _footer(source, notes, letters, interval)
    return (
        f'<div class="article-table-scroll"><table class="article-table" id="article-{source}"><caption>{caption}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{footer}"
    )


def _footer(source: str, notes: list[str], letters: dict[str, str], interval: bool) -> str:
    """The table's notes: the marks, the tests by letter, each numbered row note, and the abbreviations."""
    from anakinra_rescue.book import article_labels

    lines = [
        "Marks after each number: " + "; ".join(f"{MARKS[verdict]} {MARK_LABELS[verdict]}" for verdict in SEVERITY) + ". "
        "A coloured number differs from the article, whose value follows it; it links to the reason."
    ]
    if letters:
        lines.append(
            "P-values: "
            + "; ".join(f"<sup>{letter}</sup> {TEST_LABELS.get(test, test)} test" for test, letter in letters.items())
            + "."
        )
    lines += [f"<sup>{number}</sup> {html.escape(note)}" for number, note in enumerate(notes, start=1)]
    if interval:
        lines.append(html.escape(article_labels.INTERVAL_NOTE))
    if source in ("table1", "table2"):
        lines.append(html.escape(article_labels.DAY0_NOTE))
    lines.append(html.escape(article_labels.ABBREVIATIONS.get(source, "")))
    items = "".join(f"<p>{line}</p>" for line in lines if line)
    return f'<div class="table-notes" id="notes-{source}">{items}</div>'
