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


# Column names and values a reader sees in words (the CSV downloads and the API page keep the machine names).
COLUMN_WORDS = {
    "p_value": "P",
    "q1": "Q1",
    "q3": "Q3",
    "sd": "SD",
    "pct": "%",
    "n": "n",
    "ci_low": "CI low",
    "ci_high": "CI high",
}
VALUE_WORDS = {**COLUMN_WORDS, "comparison": "between groups", "overall": "all patients", "mean": "mean", "median": "median"}
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def value_in_words(value):
    """One cell as a reader reads it: a statistic or group key in words, a variable key as its clinical label,
    True/False as yes/no; anything else unchanged."""
    from anakinra_rescue.book.article_tables import MARK_LABELS, TEST_LABELS, row_label

    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return value
    if value in VALUE_WORDS:
        return VALUE_WORDS[value]
    if value in TEST_LABELS:
        return TEST_LABELS[value]
    if value in MARK_LABELS:
        return MARK_LABELS[value]
    if SNAKE_CASE.match(value):
        return row_label(value)
    if all(CODE_NAME.fullmatch(part) for part in value.split(", ")):
        # a module, a test or a file: its name, set as code
        return ", ".join(CODE_OPEN + part + CODE_CLOSE for part in value.split(", "))
    return sentence_in_words(value)


def sentence_in_words(text: str) -> str:
    """A sentence with its machine names in words and its module paths, test ids and file names marked as code
    (``CODE_OPEN`` ... ``CODE_CLOSE``, which :func:`table_html`, :func:`prose_in_words` and :func:`plain_words` turn
    into ``<code>`` or drop)."""
    return "".join(
        CODE_OPEN + piece + CODE_CLOSE if CODE_NAME.fullmatch(piece) else SNAKE_WORD.sub(_word, piece)
        for piece in CODE_NAME_SPLIT.split(text)
    )


def column_in_words(name):
    """A column's name in words: ``p_value`` -> ``P``, ``regenerated_value`` -> ``regenerated value``."""
    if not isinstance(name, str):
        return name
    return COLUMN_WORDS.get(name, name.replace("_", " "))


# A name set as code: a module path, a path in the repository (not a count such as 20/20 or a unit such as mg/dL), a
# file name, a test id.
CODE_NAME = re.compile(
    r"anakinra_rescue(?:\.\w+)+|(?:tests|src|data|book|schemas)/[\w./:-]+|[\w.-]+\.(?:csv|py|ipynb|toml|json)(?:::\w+)?"
)
CODE_NAME_SPLIT = re.compile(f"({CODE_NAME.pattern})")  # split keeps the names
SNAKE_WORD = re.compile(r"\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|q1|q3|sd|pct|fisher|chi2)\b")


def _schema_names() -> frozenset[str]:
    """The column names of the input files and their allowed snake_case values: what a user writes in a CSV."""
    from anakinra_rescue.schemas.cohort import DailyStatus, Infection, Patient

    names: set[str] = set()
    for model in (Patient, DailyStatus, Infection):
        for name, column in model.to_schema().columns.items():
            names.add(name)
            for check in column.checks:
                names.update(str(value) for value in (check.statistics or {}).get("allowed_values", []) if "_" in str(value))
    return frozenset(names)


def _word(match: re.Match) -> str:
    if match.group(0) in SCHEMA_NAMES:
        return CODE_OPEN + match.group(0) + CODE_CLOSE  # a CSV column or value keeps its name, as code
    from anakinra_rescue.book.article_tables import TEST_LABELS

    words = str(value_in_words(match.group(0)))
    if match.group(0) in TEST_LABELS or match.group(0) in VALUE_WORDS:
        return words
    # inside a sentence a label starts in lower case, unless it starts with an acronym ("CRP peak")
    return words[0].lower() + words[1:] if len(words) > 1 and words[1].islower() else words


def plain_words(text: str) -> str:
    """A sentence for a tooltip (plain text): machine names in words, module paths and file names as they are."""
    return sentence_in_words(text).replace(CODE_OPEN, "").replace(CODE_CLOSE, "")


def prose_in_words(text: str) -> str:
    """A sentence written for the CSV (a fidelity reason, an audit note) as HTML for a reader: module paths, test ids
    and file names set as code; any other machine name (``score_difference_day7``, ``chi2_yates``) in its words."""
    return html.escape(sentence_in_words(text)).replace(CODE_OPEN, "<code>").replace(CODE_CLOSE, "</code>")


# A table with a "column" column is a data dictionary: its column names, and their mentions in its descriptions, are
# the names a user writes in a CSV header, so they stay as they are, set as code.
CODE_OPEN, CODE_CLOSE = "\x00code\x01", "\x00/code\x01"


def _names_as_code(frame: pd.DataFrame) -> pd.DataFrame:
    # only names with an underscore are marked inside descriptions: "cohort" or "date" there are also plain words
    candidates = {str(name) for name in frame["column"]} | SCHEMA_NAMES
    names = sorted((name for name in candidates if "_" in name), key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None
    shown = frame.copy()
    shown["column"] = [CODE_OPEN + str(name) + CODE_CLOSE for name in shown["column"]]
    for column in shown.columns.drop("column"):
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(
                lambda text: (
                    pattern.sub(lambda match: CODE_OPEN + match.group(0) + CODE_CLOSE, text)
                    if isinstance(text, str) and pattern
                    else text
                )
            )
    return shown


SCHEMA_NAMES = _schema_names()


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a reader sees it: variables, statistics, groups, tests and verdicts in words, yes/no for
    True/False, and column names without underscores. Only the display changes; the functions that build the frame
    keep the keys."""
    if "column" in frame.columns and not isinstance(frame.columns, pd.MultiIndex):
        return _names_as_code(frame)
    from anakinra_rescue.data.vocabulary import AUDIT_WORDS

    shown = frame.copy()
    if "status" in shown.columns:  # an audit status has its own words (data.vocabulary.AUDIT_WORDS)
        shown["status"] = shown["status"].map(lambda value: AUDIT_WORDS.get(value, value))
    if shown.index.name == "audit status":
        shown.index = shown.index.map(lambda value: AUDIT_WORDS.get(value, value))
    for column in shown.columns:
        if shown[column].dtype == object or shown[column].dtype == bool or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(value_in_words)
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = pd.MultiIndex.from_tuples(
            [tuple(value_in_words(column_in_words(part)) for part in name) for name in shown.columns], names=shown.columns.names
        )
    else:
        shown.columns = [column_in_words(name) for name in shown.columns]
    if isinstance(shown.index, pd.MultiIndex):
        shown.index = pd.MultiIndex.from_tuples(
            [tuple(value_in_words(part) for part in name) for name in shown.index],
            names=[column_in_words(name) for name in shown.index.names],
        )
    elif not isinstance(shown.index, pd.RangeIndex):
        shown.index = shown.index.map(value_in_words)
        shown.index.name = column_in_words(shown.index.name)
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
    body = body.replace(CODE_OPEN, "<code>").replace(CODE_CLOSE, "</code>")
    return head + "<tbody>" + re.sub(r"<tr>.*?</tr>", labelled, body, flags=re.S)


def table_or_sentence(frame: pd.DataFrame, when_empty: str) -> pd.DataFrame | Markdown:
    """The table, or, when it has no rows, the sentence that says so (never a header-only table)."""
    return Markdown(when_empty) if frame.empty else frame
