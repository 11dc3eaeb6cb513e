"""Small-cell suppression for aggregate reports: counts from 1 to k - 1 are printed as "<k" (``make book MIN_CELL=k``).

A book built from a hospital's data without ``PATIENT_LEVEL=1`` is an aggregate report that may be shared; a count
of 1 or 2 in a group of 11 can still point at a patient. With ``MIN_CELL=k`` (:func:`anakinra_rescue.book.context.min_cell`)
every count from 1 to k - 1 of a characteristic or an outcome, and the percentage that would give it back, is
withheld before any page, glued value or download is made (the group sizes are not: every row is read against
them): :func:`suppress_analysis` blanks them in the analysis the whole book reads, and
:func:`suppress_figure` in Figure 1's counts. A zero is not suppressed (it identifies nobody). The banner states
the rule. Pinned by ``tests/test_disclosure.py``.
"""

import dataclasses

import numpy as np
import pandas as pd

from anakinra_rescue.data.published import KEYS as PUBLISHED_KEYS
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import fidelity

KEYS = PUBLISHED_KEYS[:3]  # a row of a table in one group: its n and its percentage share these


def is_small(count, threshold: int) -> bool:
    """True for a count a report with this threshold must not print (1 to threshold - 1)."""
    return threshold > 1 and not pd.isna(count) and 0 < count < threshold


def shown_count(count, threshold: int) -> str:
    """A count as an aggregate report prints it: "<k" when suppressed (blank in the data), else the whole number."""
    if pd.isna(count):
        return f"<{threshold}" if threshold > 1 else "–"
    return f"<{threshold}" if is_small(count, threshold) else str(int(count))


def small_keys(regenerated: pd.DataFrame, threshold: int) -> set[tuple]:
    """The (source, variable, group) of every small count of a characteristic or outcome; the group sizes are the
    denominators every reader needs and are never withheld."""
    counts = regenerated[(regenerated["statistic"] == "n") & (regenerated["variable"] != "group_size")]
    small = counts["value"].map(lambda value: is_small(value, threshold))
    return set(counts.loc[small, KEYS].itertuples(index=False, name=None))


def withheld(numbers: pd.DataFrame, small: set[tuple]) -> np.ndarray:
    """Which rows of a long frame of numbers are a small count or its percentage."""
    keys = numbers[KEYS].itertuples(index=False, name=None)
    return np.array(
        [key in small and statistic in ("n", "pct") for key, statistic in zip(keys, numbers["statistic"])], dtype=bool
    )


def suppress_analysis(analysis: pipeline.Analysis, threshold: int) -> pipeline.Analysis:
    """The analysis with every small count and its percentage withheld (:func:`suppress_numbers`)."""
    if threshold <= 1:
        return analysis
    regenerated, compared = suppress_numbers(analysis.regenerated, analysis.compared, threshold)
    return dataclasses.replace(analysis, regenerated=regenerated, compared=compared)


def suppress_numbers(regenerated: pd.DataFrame, compared: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of ``regenerated`` and ``compared`` with every small count of ``regenerated`` and its percentage withheld:
    NaN in ``regenerated``; in ``compared``, "<k" as the regenerated text, no value, verdict not computable and (when
    it has them) the rule as the reason. Also used on an earlier build's numbers (:mod:`.what_changed`)."""
    small = small_keys(regenerated, threshold)
    regenerated = regenerated.copy()
    regenerated.loc[withheld(regenerated, small), "value"] = np.nan
    compared = compared.copy()
    hidden = withheld(compared, small)
    compared.loc[hidden, "regenerated"] = f"<{threshold}"
    compared.loc[hidden, "regenerated_value"] = np.nan
    compared.loc[hidden, "status"] = Status.NOT_COMPUTED
    if "verdict" in compared.columns:
        compared.loc[hidden, "verdict"] = fidelity.NOT_COMPUTABLE
        compared.loc[hidden, "reason"] = (
            f"withheld: a count from 1 to {threshold - 1} is not printed in an aggregate report (MIN_CELL={threshold})"
        )
    return regenerated, compared


def suppress_figure(figure: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Figure 1's counts (day, group, ordinal_status, n, pct) with small counts and their percentages withheld."""
    if threshold <= 1:
        return figure
    small = figure["n"].map(lambda value: is_small(value, threshold))
    return figure.assign(n=figure["n"].where(~small), pct=figure["pct"].where(~small))
