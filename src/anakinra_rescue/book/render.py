"""Display settings shared by every chapter notebook: one call, ``render.configure()``.

Full cell text (pandas truncates long text to 50 characters by default, which
would cut descriptions and notes) and whole tables. (The offline Altair renderer is switched on by
:mod:`anakinra_rescue.book.figures`, which draws every chart, when it is imported: a page without a chart does
not import Altair, 0.45 s of every kernel.)
A table shows no 0..N row numbers (only an index that means something, such as
a day and a level) and a blank, not ``NaN``, where it has no value.
"""

import html
import re

import pandas as pd
from IPython.display import Markdown


def configure() -> None:
    """Apply the book's display settings in the running kernel."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 1000)
    pd.set_option("display.max_columns", 100)
    pd.set_option("display.width", 200)
    pd.set_option("display.precision", 3)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


LONG_TEXT_CHARACTERS = 40


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a reader sees it: variables by their clinical label with unit, tests and verdicts in words, and
    column names without underscores. Only the display changes; the functions that build the frame keep the keys."""
    from anakinra_rescue.book.article_tables import TEST_LABELS, row_label

    shown = frame.copy()
    if "variable" in shown.columns:
        shown["variable"] = shown["variable"].map(lambda name: row_label(name) if isinstance(name, str) else name)
    if "test" in shown.columns:
        shown["test"] = shown["test"].map(lambda name: TEST_LABELS.get(name, name) if isinstance(name, str) else name)
    for column in ("verdict", "status"):
        if column in shown.columns:
            shown[column] = shown[column].map(lambda name: name.replace("_", " ") if isinstance(name, str) else name)
    if not isinstance(shown.columns, pd.MultiIndex):
        shown.columns = [name.replace("_", " ") if isinstance(name, str) else name for name in shown.columns]
    return shown


def table_html(frame: pd.DataFrame) -> str:
    """A table as the book shows it: no row-number column, blanks for missing values, and each body cell labelled
    with its column (``data-label``), which the phone stylesheet prints before the value when it stacks a row."""
    frame = in_words(frame)
    if not isinstance(frame.index, pd.RangeIndex) or isinstance(frame.columns, pd.MultiIndex):
        return frame.to_html(na_rep="", border=0)
    table = frame.to_html(index=False, na_rep="", border=0)
    labels = [html.escape(str(column), quote=True) for column in frame.columns]
    # A column of long text (reasons, notes, dotted names) may break anywhere, so the table fits the text column;
    # numbers and short values never break.
    long_text = (
        [
            frame[column].dtype == object and frame[column].astype(str).str.len().max() > LONG_TEXT_CHARACTERS
            for column in frame.columns
        ]
        if len(frame)
        else [False] * len(frame.columns)
    )
    attributes = [
        f' class="long-text" data-label="{label}"' if long else f' data-label="{label}"' for label, long in zip(labels, long_text)
    ]

    def labelled(row: re.Match) -> str:
        cells = iter(attributes)
        return re.sub("<td>", lambda _: f"<td{next(cells)}>", row.group(0))

    head, body = table.split("<tbody>", 1)
    return head + "<tbody>" + re.sub(r"<tr>.*?</tr>", labelled, body, flags=re.S)


def table_or_sentence(frame: pd.DataFrame, when_empty: str) -> pd.DataFrame | Markdown:
    """The table, or, when it has no rows, the sentence that says so (never a header-only table)."""
    return Markdown(when_empty) if frame.empty else frame
