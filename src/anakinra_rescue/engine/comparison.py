"""Published versus regenerated: a status for every number the article prints.

A regenerated number is rounded half-up to the precision the number is held to
(the record's ``compared_as`` text: its printed decimals, or more for quartiles
of whole-number rows, see :func:`anakinra_rescue.data.published.compared_texts`):

* ``match``: equal to the printed value at that precision (for a bound such as
  "<0.001", the regenerated value satisfies it);
* ``mismatch``: anything else, one unit in the last digit included: a median of 3
  against a printed 4 on the ordinal scale is a different result, not rounding;
* ``not_computed``: the data or the engine give no value for that key.
"""

import functools
import math
from decimal import Decimal

import pandas as pd

from anakinra_rescue.data.published import KEYS, printed_decimals, round_as_printed
from anakinra_rescue.data.vocabulary import Status

STATUSES = tuple(Status)


@functools.lru_cache(maxsize=2**16)
def status_of(printed: str, value: float | None) -> Status:
    """The comparison status of one regenerated value against its printed text (a pure function, cached: the
    reconstruction's search asks it about the same values hundreds of thousands of times)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Status.NOT_COMPUTED
    if printed.startswith("<"):
        return Status.MATCH if value < float(printed[1:]) else Status.MISMATCH
    if printed.startswith(">"):
        return Status.MATCH if value > float(printed[1:]) else Status.MISMATCH
    decimals = printed_decimals(printed)
    return Status.MATCH if round_as_printed(value, decimals) == Decimal(printed) else Status.MISMATCH


def prints_as(printed: str, value: float | None) -> bool:
    """True when ``value`` prints as ``printed`` (:func:`status_of` is ``Status.MATCH``)."""
    return status_of(printed, value) is Status.MATCH


def compare(regenerated: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Join regenerated and published numbers one to one and give every printed number a status.

    Returns the published keys with columns published, regenerated (rounded to
    the precision compared, as text), regenerated_value, status and test.
    """
    joined = published.merge(regenerated[[*KEYS, "value", "test"]], on=KEYS, how="left", validate="one_to_one")
    compared_as = joined["compared_as"] if "compared_as" in joined else joined["value_x"]
    statuses, shown = [], []
    for printed, value in zip(compared_as, joined["value_y"]):
        status = status_of(printed, None if pd.isna(value) else float(value))
        statuses.append(status)
        shown.append("" if status is Status.NOT_COMPUTED else str(round_as_printed(value, printed_decimals(printed))))
    return pd.DataFrame(
        {
            **{key: joined[key] for key in KEYS},
            "published": joined["value_x"],
            "regenerated": shown,
            "regenerated_value": joined["value_y"],
            "status": statuses,
            "test": joined["test"].fillna(""),
            "note": joined["note"],
        }
    )


def status_counts(comparison: pd.DataFrame) -> pd.DataFrame:
    """Counts of each status per source, with the share that match."""
    counts = comparison.pivot_table(index="source", columns="status", values="variable", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts["match_pct"] = (100 * counts[Status.MATCH] / counts["total"]).round(1)
    return counts.reset_index()
