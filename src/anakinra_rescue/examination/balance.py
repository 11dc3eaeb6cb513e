"""Balance of the matched groups: standardised mean differences for every Table 1 variable.

SMD for a continuous row: (mean_a - mean_b) / sqrt((sd_a^2 + sd_b^2) / 2); for an
n (%) row: (p_a - p_b) / sqrt((p_a (1 - p_a) + p_b (1 - p_b)) / 2) (Austin 2009).
|SMD| above 0.1 is the usual flag of imbalance. The book draws it as a Love plot
(:func:`anakinra_rescue.book.figures.love_plot`).
"""

import math

import pandas as pd

from anakinra_rescue.engine import pipeline, tables

THRESHOLD = 0.1


def standardised_difference(frame: pd.DataFrame, spec: tables.RowSpec) -> float:
    """The SMD of one Table 1 row, anakinra minus control."""
    a = frame.loc[frame["group"] == "anakinra", spec.source_column].dropna()
    b = frame.loc[frame["group"] == "control", spec.source_column].dropna()
    if spec.kind == "binary":
        p_a, p_b = a.astype(bool).mean(), b.astype(bool).mean()
        spread = math.sqrt((p_a * (1 - p_a) + p_b * (1 - p_b)) / 2)
        difference = p_a - p_b
    else:
        a, b = a.astype(float), b.astype(float)
        spread = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        difference = a.mean() - b.mean()
    if spread == 0:
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return float(difference / spread)


def balance_table(analysis: pipeline.Analysis) -> pd.DataFrame:
    """SMD and the P-value of Table 1 (as the analysis computed it, under its settings) for every Table 1 variable,
    with the 0.1 flag."""
    frame = analysis.frame
    tidy = analysis.tidy("table1")
    p_values = tidy[tidy["statistic"] == "p_value"].set_index("variable")
    rows = []
    for spec in tables.TABLE1_ROWS:
        smd = standardised_difference(frame, spec)
        rows.append(
            {
                "variable": spec.variable,
                "smd": smd,
                "abs_smd": abs(smd),
                "imbalanced": abs(smd) > THRESHOLD,
                "p_value": p_values.loc[spec.variable, "value"],
                "test": p_values.loc[spec.variable, "test"],
            }
        )
    return pd.DataFrame(rows)
