"""Every regenerated number the book quotes, shown with its verdict: a mark, the printed value on hover, and a link.

One helper serves the Results prose (:func:`marked_numbers`, glued with the ``{glue}`` role), and one anchor per
printed number (:func:`number_anchor`) joins the Tables page, the Results prose and the list of the numbers that
do not match (:func:`unmatched_table`), where each row gives the full reason. A reproduced number keeps a small
grey mark; any other is coloured and weighted by its verdict and links to its row in that list.
"""

import html
import re

import pandas as pd
from IPython.display import HTML

from anakinra_rescue.book.article_tables import UNMATCHED_PAGE, number_anchor, row_label, short_reason
from anakinra_rescue.book.render import plain_words, prose_in_words
from anakinra_rescue.book.views import MARK_LABELS as VERDICT_WORDS
from anakinra_rescue.book.views import MARKS
from anakinra_rescue.data.published import printed_decimals, round_as_printed
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import fidelity

GROUP_WORDS = {"anakinra": "anakinra", "control": "controls", "overall": "all patients", "comparison": "between groups"}
STATISTIC_WORDS = {
    "n": "count",
    "pct": "percentage",
    "mean": "mean",
    "sd": "SD",
    "median": "median",
    "q1": "lower quartile",
    "q3": "upper quartile",
    "p_value": "P",
    "ci_low": "95% CI, lower end",
    "ci_high": "95% CI, upper end",
}
UNMATCHED_COLUMNS = ("Where", "Number", "Printed", "Regenerated", "Verdict", "Why")
SHORT_REASON = 160  # characters of the reason a tooltip holds; the linked row holds all of it


def tooltip(row) -> str:
    """One number's tooltip: the printed value, the verdict and the start of the reason."""
    text = f"Printed {row.published}; regenerated {row.regenerated or 'nothing'}: {VERDICT_WORDS[row.verdict]}"
    return text + (f". {short_reason(plain_words(row.reason), SHORT_REASON)}" if row.reason else "")


class MarkedNumber:
    """A regenerated number for the prose: its text, verdict mark and tooltip; a link when it does not match."""

    def __init__(self, row):
        self.row = row
        self.link = UNMATCHED_PAGE + "#" + number_anchor(row.source, row.variable, row.group, row.statistic)

    def __str__(self) -> str:
        """The regenerated value at the precision of the printed one (a quartile the article prints as 6 reads 6,
        not the comparison's 6.00; the tooltip keeps the comparison's text)."""
        value = self.row.regenerated_value
        if not self.row.regenerated or pd.isna(value):
            return self.row.regenerated or "–"
        return str(round_as_printed(value, printed_decimals(str(self.row.published))))

    def _repr_html_(self) -> str:
        row, tip = self.row, html.escape(tooltip(self.row), quote=True)
        # a percentage carries its sign before the mark ("25%✓", not "25✓%"); the prose writes no sign after it
        text, mark = html.escape(str(self)) + ("%" if row.statistic == "pct" else ""), MARKS[row.verdict]
        if row.verdict == fidelity.REPRODUCED:
            return (
                f'<span class="glued verdict-reproduced" title="{tip}" aria-label="{tip}">{text}'
                f'<sup class="verdict-mark" aria-hidden="true">{mark}</sup></span>'
            )
        return (
            f'<a class="glued flagged verdict-{row.verdict}" href="{self.link}" title="{tip}" aria-label="{tip}">'
            f'{text}<sup class="verdict-mark" aria-hidden="true">{mark}</sup></a>'
        )

    def __repr__(self) -> str:  # the text/plain reading of the glued output
        return f"{self}{'%' if self.row.statistic == 'pct' else ''} {MARKS[self.row.verdict]}"


def marked_numbers(analysis: pipeline.Analysis, locations: dict[str, tuple[str, str, str, str]]) -> dict[str, MarkedNumber]:
    """For each glue key, its printed number (source, variable, group, statistic) marked as :class:`MarkedNumber`
    renders it. A key the comparison does not hold is an error: the prose would quote an unchecked number."""
    compared = analysis.compared.set_index(["source", "variable", "group", "statistic"], drop=False)
    missing = [key for key, location in locations.items() if location not in compared.index]
    if missing:
        raise KeyError(f"the Results prose quotes numbers the comparison does not hold: {missing}")
    return {key: MarkedNumber(compared.loc[location]) for key, location in locations.items()}


def unmatched_table(analysis: pipeline.Analysis, compact: bool = False) -> HTML:
    """Every printed number that is not reproduced as the methods state, one row each: the printed and regenerated
    values and the verdict. The full table (the fidelity section) adds the whole reason and an anchor that the
    Tables page and the Results prose link to; the compact one (the landing page, the paper's first page) gives the
    reason's first sentence and links each number to its full reason."""
    from anakinra_rescue.book.article_labels import article_label
    from anakinra_rescue.data.published import SOURCE_TITLES

    rows = analysis.compared[analysis.compared["verdict"] != fidelity.REPRODUCED]
    columns = (*UNMATCHED_COLUMNS[:-1], "Why, in short") if compact else UNMATCHED_COLUMNS
    body = []
    for row in rows.itertuples(index=False):
        anchor = number_anchor(row.source, row.variable, row.group, row.statistic)
        statistic, group = STATISTIC_WORDS.get(row.statistic, row.statistic), GROUP_WORDS.get(row.group, row.group)
        label = article_label(row.variable)[0] if compact else row_label(row.variable)
        what = html.escape(f"{label}: {statistic}, {group}")
        reason = prose_in_words(row.reason)
        if compact:
            what = f'<a href="{UNMATCHED_PAGE}#{anchor}">{what}</a>'
            reason = prose_in_words(first_sentence(re.sub(r"\s*\(anakinra_rescue\.[^()]*\)", "", row.reason)))
        cells = [
            ("", html.escape(SOURCE_TITLES[row.source].split(":")[0])),
            ("", what),
            ("number", html.escape(row.published)),
            ("number", html.escape(row.regenerated or "–")),
            (f"verdict-{row.verdict}", f"{MARKS[row.verdict]} {VERDICT_WORDS[row.verdict]}"),
            ("", reason),
        ]
        row_id = "" if compact else f' id="{anchor}"'
        body.append(
            f"<tr{row_id}>"
            + "".join(f'<td class="{kind}" data-label="{name}">{text}</td>' for name, (kind, text) in zip(columns, cells))
            + "</tr>"
        )
    head = "".join(f'<th scope="col">{name}</th>' for name in columns)
    kind = "unmatched-numbers compact" if compact else "unmatched-numbers"
    return HTML(
        f'<div class="article-table-scroll"><table class="article-table {kind}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def first_sentence(reason: str, characters: int = 120) -> str:
    """A reason's first sentence (cut at a word when longer than ``characters``), for the compact list."""
    match = re.match(r"(.+?[.;])(\s|$)", reason)
    sentence = match.group(1).rstrip(";") + "." if match else reason
    return short_reason(sentence, characters)
