"""The published record: every number the article prints, validated and summarised.

The record is the target every regenerated number is compared against. It is
read as text so that printed precision ("0.990", "4.0") survives. What is true
of the article alone lives here and is read from the record, never retyped: its
group size (:func:`group_size`), the patients a printed percentage implies
(:func:`implied_denominator`), and how a printed number rounds
(:func:`printed_decimals`, :func:`round_as_printed`).
"""

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from anakinra_rescue.data.files import PUBLISHED_RECORD_CSV
from anakinra_rescue.schemas.published import COMPARED_GROUPS, GROUPS, SOURCES, STATISTICS, PublishedNumber

KEYS = ["source", "variable", "group", "statistic"]  # one printed number, in the record and everywhere it is joined
ARTICLE_GROUPS = COMPARED_GROUPS

SOURCE_TITLES = {
    "abstract": "Abstract",
    "results": "Results text",
    "table1": "Table 1: baseline characteristics",
    "table2": "Table 2: status on day 0",
    "table3": "Table 3: outcomes",
    "discussion": "Discussion",
}


def load_published_record(path: Path | str = PUBLISHED_RECORD_CSV) -> pd.DataFrame:
    """Read and validate the published record; raise ``pandera`` errors naming every bad row.

    Adds ``compared_as``: the text each number is compared as (:func:`compared_texts`).
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    frame = PublishedNumber.validate(frame, lazy=True)
    return frame.assign(compared_as=compared_texts(frame))


# Rows whose values are whole numbers: scores, day counts, the ordinal scale and its differences.
WHOLE_NUMBER_ROWS = re.compile(r"charlson_index|sofa_score|news_score|.*_days|ordinal_status_day\d+|score_difference_day\d+")
QUANTILES = ("q1", "median", "q3")


def compared_texts(record: pd.DataFrame) -> pd.Series:
    """The printed precision each number is held to, as text: the printed text, or it with zeros appended.

    A quartile of whole numbers is a whole number or lies a quarter, a half or three quarters between two,
    and a table that prints such a quartile with two decimals somewhere ("3.75") prints them wherever they
    are not zero. So, within one source, every median and quartile of a whole-number row is compared at the
    most decimals that source prints for one: Table 3's "1" means 1.00, and 1.25 does not print as "1".
    Other numbers are compared at their own printed precision.
    """
    whole = record["variable"].str.fullmatch(WHOLE_NUMBER_ROWS.pattern) & record["statistic"].isin(QUANTILES)
    decimals = record["value"].map(printed_decimals)
    most = decimals.where(whole).groupby(record["source"]).transform("max")
    padded = [
        _with_decimals(text, int(places)) if flag else text for text, flag, places in zip(record["value"], whole, most.fillna(0))
    ]
    return pd.Series(padded, index=record.index, dtype=object)


def _with_decimals(text: str, places: int) -> str:
    if places <= printed_decimals(text):
        return text
    whole_part = text if "." in text else text + "."
    return whole_part + "0" * (places - printed_decimals(text))


def count_by_source(record: pd.DataFrame) -> pd.DataFrame:
    """Count printed numbers and distinct variables per source, in article order, with a total row."""
    counts = pd.DataFrame(
        {
            "source": list(SOURCES),
            "part_of_article": [SOURCE_TITLES[source] for source in SOURCES],
            "printed_numbers": [int((record["source"] == source).sum()) for source in SOURCES],
            "variables": [record.loc[record["source"] == source, "variable"].nunique() for source in SOURCES],
        }
    )
    total = pd.DataFrame(
        {
            "source": ["all"],
            "part_of_article": ["All sources"],
            "printed_numbers": [int(counts["printed_numbers"].sum())],
            "variables": [record["variable"].nunique()],
        }
    )
    return pd.concat([counts, total], ignore_index=True)


def source_table(record: pd.DataFrame, source: str) -> pd.DataFrame:
    """One source as a wide table: a row per variable, a column per (group, statistic), article row order.

    Empty cells are statistics the article does not print for that row.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    rows = record[record["source"] == source]
    variable_order = list(dict.fromkeys(rows["variable"]))
    statistic_rank = {statistic: rank for rank, statistic in enumerate(STATISTICS)}
    wide = rows.pivot(index="variable", columns=["group", "statistic"], values="value")
    columns = sorted(
        wide.columns,
        key=lambda column: (list(GROUPS).index(column[0]), statistic_rank[column[1]]),
    )
    wide = wide.reindex(index=variable_order, columns=columns).fillna("")
    wide.columns = pd.MultiIndex.from_tuples(columns, names=["group", "statistic"])
    return wide


def notes_for_source(record: pd.DataFrame, source: str) -> pd.DataFrame:
    """The transcription notes of one source: the oddities a reader should know about."""
    rows = record[(record["source"] == source) & record["note"].notna()]
    return rows[["variable", "group", "statistic", "value", "note"]].reset_index(drop=True)


def printed_decimals(printed: str) -> int:
    """How many decimals a printed number shows ("0.990" -> 3, "16" -> 0, "<0.001" -> 3)."""
    number = printed.lstrip("<>")
    return len(number.split(".")[1]) if "." in number else 0


SIGNIFICANT_DIGITS = 12  # a statistic of data recorded to a few decimals is exact to far more digits than this


def exact_decimal(value: float) -> Decimal:
    """The decimal a computed value stands for: the binary float read to :data:`SIGNIFICANT_DIGITS` digits.

    A median of 17.4 and 17.7 is the double 17.549999999999997; the data's exact median is 17.55, and rounding
    must start from that, not from the double (which would print 17.5). Reading to 12 significant digits undoes
    the binary error (about 1e-16 relative) and changes no value that is not within 1e-12 of such a decimal.
    Pinned by ``test_exact_decimal_undoes_binary_error``.
    """
    return Decimal(format(float(value), f".{SIGNIFICANT_DIGITS}g"))


def round_as_printed(value: float, decimals: int) -> Decimal:
    """Round the exact decimal (:func:`exact_decimal`) half-up, as tables are usually rounded by hand and by
    SPSS's display."""
    return exact_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def on_rounding_half(value: float, decimals: int) -> bool:
    """True when the exact decimal lies on a half at that precision, so that half-up and half-to-even rounding print
    different numbers (17.55 to one decimal: 17.6 and 17.6 agree; 0.125 to two: 0.13 and 0.12 differ)."""
    exact, step = exact_decimal(value), Decimal(1).scaleb(-decimals)
    return exact.quantize(step, rounding=ROUND_HALF_UP) != exact.quantize(step, rounding=ROUND_HALF_EVEN)


def printed(record: pd.DataFrame, source: str, variable: str, group: str, statistic: str, column: str = "value") -> str | None:
    """The printed text of one number, or None when the article does not print it.

    ``column="compared_as"`` gives the text it is compared as (:func:`compared_texts`).
    """
    values = record.loc[
        (record["source"] == source)
        & (record["variable"] == variable)
        & (record["group"] == group)
        & (record["statistic"] == statistic),
        column,
    ]
    return None if values.empty else str(values.iloc[0])


def required(record: pd.DataFrame, source: str, variable: str, group: str, statistic: str, column: str = "value") -> str:
    """:func:`printed`, for a number the caller needs: a KeyError naming it when the record does not print it."""
    text = printed(record, source, variable, group, statistic, column)
    if text is None:
        raise KeyError(f"the published record prints no {source}/{variable}/{group}/{statistic}")
    return text


def group_size(record: pd.DataFrame) -> int:
    """Patients per group in the article (Table 1's header); both groups must print the same size."""
    sizes = {group: printed(record, "table1", "group_size", group, "n") for group in ARTICLE_GROUPS}
    first = sizes["anakinra"]
    if first is None or None in sizes.values() or len(set(sizes.values())) != 1:
        raise ValueError(f"the published record must print one group size for both groups in table1; found {sizes}")
    return int(first)


def printed_counts(record: pd.DataFrame, source: str, variable: str) -> dict[str, int]:
    """The printed n of a row per article group, e.g. patients on corticosteroids: {"anakinra": 17, "control": 13}."""
    return {group: int(required(record, source, variable, group, "n")) for group in ARTICLE_GROUPS}


def implied_denominator(count: int, printed_pct: str, group_size: int) -> int:
    """The denominator a printed n (%) implies: the group size if it prints that percentage, else the nearest that does.

    Obesity's 7 (38.9) and 11 (57.9) imply 18 and 19, as footnote b's 37 available confirms.
    """
    decimals = printed_decimals(printed_pct)
    target = Decimal(printed_pct)
    candidates = sorted(range(max(count, 1), 2 * group_size + 1), key=lambda size: (abs(size - group_size), size))
    for size in candidates:
        if round_as_printed(100 * count / size, decimals) == target:
            return size
    return group_size


def implied_denominators(record: pd.DataFrame, source: str, variable: str) -> dict[str, int]:
    """Per article group, the patients a printed n (%) row is known for (obesity: 18 and 19 of 20)."""
    size = group_size(record)
    found = {}
    for group in ARTICLE_GROUPS:
        count, pct = printed(record, source, variable, group, "n"), printed(record, source, variable, group, "pct")
        found[group] = size if count is None or pct is None else implied_denominator(int(count), pct, size)
    return found


def rounding_box(printed_text: str) -> tuple[float, float]:
    """The half-open interval of values that print as ``printed_text`` under half-up rounding."""
    half = 0.5 * 10 ** -printed_decimals(printed_text)
    return float(printed_text) - half, float(printed_text) + half
