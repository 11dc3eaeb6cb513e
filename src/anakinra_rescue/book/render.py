"""Display settings shared by every chapter notebook: one call, ``render.configure()``.

Full cell text (pandas truncates long text to 50 characters by default, which
would cut descriptions and notes), whole tables, and the offline Altair renderer.
"""

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


def table_or_sentence(frame: pd.DataFrame, when_empty: str) -> pd.DataFrame | Markdown:
    """The table, or, when it has no rows, the sentence that says so (never a header-only table)."""
    return Markdown(when_empty) if frame.empty else frame
