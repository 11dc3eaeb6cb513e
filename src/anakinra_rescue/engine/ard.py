"""Every regenerated number as Analysis Results Data (ARD): the long form clinical R tooling exchanges results in.

One row per statistic, with the columns of the R package cards (the ARD engine under gtsummary 2, aligned with
CDISC's Analysis Results Standard): ``group1``, ``group1_level``, ``variable``, ``variable_level``, ``context``,
``stat_name``, ``stat_label``, ``stat``, ``fmt_fun``, ``warning`` and ``error``. Our long form maps onto it as:

* ``group1`` is ``"group"`` and ``group1_level`` the arm (``anakinra`` or ``control``) for a per-arm statistic;
  both are empty for the whole cohort (``overall``) and for a comparison between the arms, as in cards;
* ``context`` is where the article prints the number (``table1``, ``table2``, ``table3``, ``abstract``,
  ``results``, ``discussion``), so that a number printed in two places is two rows, as in ``regenerated.csv``;
* ``stat_name`` uses cards' names (``n``, ``N``, ``p``, ``mean``, ``sd``, ``median``, ``p25``, ``p75``,
  ``p.value``, ``conf.low``, ``conf.high``); ``p`` is a proportion, so a percentage is divided by 100;
* ``stat_label`` says it in words, with the test behind a P-value or an interval;
* ``fmt_fun`` is the number of decimals the article prints the number with (cards accepts an integer there), empty
  when the article does not print it; ``warning`` and ``error`` are empty.

:func:`ard_table` builds it and :func:`regenerated_from_ard` reads it back into ``regenerated.csv``'s form
(pinned by ``tests/test_ard.py::test_ard_holds_every_regenerated_number_once``).
"""

import pandas as pd

from anakinra_rescue.data.published import KEYS, printed_decimals

ARD_FILE = "ard.csv"
ARD_COLUMNS = (
    "group1",
    "group1_level",
    "variable",
    "variable_level",
    "context",
    "stat_name",
    "stat_label",
    "stat",
    "fmt_fun",
    "warning",
    "error",
)
# our statistic -> (cards' stat_name, label, factor from our value to cards' value)
STATISTICS = {
    "n": ("n", "n", 1.0),
    "denominator": ("N", "N", 1.0),
    "pct": ("p", "%", 0.01),
    "mean": ("mean", "Mean", 1.0),
    "sd": ("sd", "SD", 1.0),
    "median": ("median", "Median", 1.0),
    "q1": ("p25", "Q1", 1.0),
    "q3": ("p75", "Q3", 1.0),
    "p_value": ("p.value", "p-value", 1.0),
    "ci_low": ("conf.low", "CI Lower Bound", 1.0),
    "ci_high": ("conf.high", "CI Upper Bound", 1.0),
}
ARMS = ("anakinra", "control")
UNGROUPED = ("overall", "comparison")


class UnknownStatistic(ValueError):
    """A regenerated statistic with no ARD name; add it to :data:`STATISTICS`."""


def ard_table(regenerated: pd.DataFrame, record: pd.DataFrame | None = None) -> pd.DataFrame:
    """``regenerated`` (``source, variable, group, statistic, value, test``) in cards' ARD columns, one row per row;
    ``record`` (the published record) gives ``fmt_fun``, the decimals each printed number is printed with."""
    unknown = sorted(set(regenerated["statistic"]) - set(STATISTICS))
    if unknown:
        raise UnknownStatistic(f"no ARD stat_name for the statistic(s) {', '.join(unknown)}")
    groups = sorted(set(regenerated["group"]) - set(ARMS) - set(UNGROUPED))
    if groups:
        raise UnknownStatistic(f"no ARD grouping for the group(s) {', '.join(groups)}")
    decimals: dict[tuple, str] = {}
    if record is not None:
        decimals = {
            tuple(row[:4]): str(printed_decimals(row[4]))
            for row in record[[*KEYS, "value"]].itertuples(index=False)
            if not str(row[4]).startswith(("<", ">"))
        }
    names = regenerated["statistic"].map(lambda statistic: STATISTICS[statistic][0])
    factors = regenerated["statistic"].map(lambda statistic: STATISTICS[statistic][2])
    labels = [
        STATISTICS[statistic][1] + (f" ({test})" if isinstance(test, str) and test else "")
        for statistic, test in zip(regenerated["statistic"], regenerated["test"])
    ]
    arm = regenerated["group"].isin(ARMS)
    return pd.DataFrame(
        {
            "group1": arm.map({True: "group", False: ""}),
            "group1_level": regenerated["group"].where(arm, ""),
            "variable": regenerated["variable"],
            "variable_level": "",
            "context": regenerated["source"],
            "stat_name": names,
            "stat_label": labels,
            "stat": regenerated["value"].astype(float) * factors,
            "fmt_fun": [decimals.get(tuple(key), "") for key in regenerated[KEYS].itertuples(index=False)],
            "warning": "",
            "error": "",
        },
        columns=list(ARD_COLUMNS),
    )


def regenerated_from_ard(ard: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`ard_table` on the key and value columns: ``source, variable, group, statistic, value``."""
    by_name = {name: (statistic, factor) for statistic, (name, _, factor) in STATISTICS.items()}
    groups = ard["group1_level"].fillna("").astype(str)
    ungrouped = ard["stat_name"].isin(["p.value", "conf.low", "conf.high"]).map({True: "comparison", False: "overall"})
    return pd.DataFrame(
        {
            "source": ard["context"],
            "variable": ard["variable"],
            "group": groups.where(groups != "", ungrouped),
            "statistic": ard["stat_name"].map(lambda name: by_name[name][0]),
            "value": ard["stat"].astype(float) / ard["stat_name"].map(lambda name: by_name[name][1]),
        }
    )
