"""Display settings shared by every chapter notebook: one call, ``render.configure()``.

Full cell text (pandas truncates long text to 50 characters by default, which
would cut descriptions and notes), whole tables, and the offline Altair renderer.
A table shows no 0..N row numbers (only an index that means something, such as
a day and a level) and a blank, not ``NaN``, where it has no value.
"""

import html
import re

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import altair_offline


def configure() -> None:
    """Apply the book's display settings in the running kernel."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 1000)
    pd.set_option("display.max_columns", 100)
    pd.set_option("display.width", 200)
    pd.set_option("display.precision", 3)
    altair_offline.enable()
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


def table_html(frame: pd.DataFrame) -> str:
    """A table as the book shows it: no row-number column, blanks for missing values, and each body cell labelled
    with its column (``data-label``), which the phone stylesheet prints before the value when it stacks a row."""
    if not isinstance(frame.index, pd.RangeIndex) or isinstance(frame.columns, pd.MultiIndex):
        return frame.to_html(na_rep="", border=0)
    table = frame.to_html(index=False, na_rep="", border=0)
    labels = [html.escape(str(column), quote=True) for column in frame.columns]

    def labelled(row: re.Match) -> str:
        names = iter(labels)
        return re.sub("<td>", lambda _: f'<td data-label="{next(names)}">', row.group(0))

    head, body = table.split("<tbody>", 1)
    return head + "<tbody>" + re.sub(r"<tr>.*?</tr>", labelled, body, flags=re.S)


def table_or_sentence(frame: pd.DataFrame, when_empty: str) -> pd.DataFrame | Markdown:
    """The table, or, when it has no rows, the sentence that says so (never a header-only table)."""
    return Markdown(when_empty) if frame.empty else frame
