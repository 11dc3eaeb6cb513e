"""Tests of anakinra_rescue.book.render: the book's display helpers."""

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import render


def test_an_empty_table_becomes_its_sentence_and_a_full_one_stays_a_table():
    empty = render.table_or_sentence(pd.DataFrame(columns=["outcome", "paired P"]), "*Nothing changes.*")
    assert isinstance(empty, Markdown) and empty.data == "*Nothing changes.*"
    full = pd.DataFrame({"outcome": ["improvement_day7"], "paired P": [0.04]})
    assert render.table_or_sentence(full, "*Nothing changes.*") is full
