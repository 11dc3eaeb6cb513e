"""The published record: every number the article prints, validated and summarised.

The record is the target every regenerated number is compared against. It is
read as text so that printed precision ("0.990", "4.0") survives.
"""

from pathlib import Path

import pandas as pd

from anakinra_rescue.data.files import PUBLISHED_RECORD_CSV
from schemas.published import SOURCES, STATISTICS, PublishedNumber

SOURCE_TITLES = {
    "abstract": "Abstract",
    "results": "Results text",
    "table1": "Table 1: baseline characteristics",
    "table2": "Table 2: status on day 0",
    "table3": "Table 3: outcomes",
}


def load_published_record(path: Path | str = PUBLISHED_RECORD_CSV) -> pd.DataFrame:
    """Read and validate the published record; raise ``pandera`` errors naming every bad row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return PublishedNumber.validate(frame, lazy=True)


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
        key=lambda column: (["anakinra", "control", "overall", "comparison"].index(column[0]), statistic_rank[column[1]]),
    )
    wide = wide.reindex(index=variable_order, columns=columns).fillna("")
    wide.columns = pd.MultiIndex.from_tuples(columns, names=["group", "statistic"])
    return wide


def notes_for_source(record: pd.DataFrame, source: str) -> pd.DataFrame:
    """The transcription notes of one source: the oddities a reader should know about."""
    rows = record[(record["source"] == source) & record["note"].notna()]
    return rows[["variable", "group", "statistic", "value", "note"]].reset_index(drop=True)


def implied_denominator(count: int, printed_pct: str, group_size: int = 20) -> int:
    """The denominator a printed n (%) implies: the group size if it prints that percentage, else the nearest that does.

    Obesity's 7 (38.9) and 11 (57.9) imply 18 and 19, as footnote b's 37 available confirms.
    """
    from anakinra_rescue.engine.comparison import status_of

    candidates = sorted(range(max(count, 1), 2 * group_size + 1), key=lambda size: (abs(size - group_size), size))
    for size in candidates:
        if status_of(printed_pct, 100 * count / size) == "match":
            return size
    return group_size
