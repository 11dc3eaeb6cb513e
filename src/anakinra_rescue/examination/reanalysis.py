"""Matched-pair reanalysis: the article compared the groups as independent; the design is 1:1 matched.

For binary outcomes: McNemar's test with its exact P (the binomial test on the
discordant pairs) and the conditional (matched-pair) odds ratio b / c with an
exact CI from the Clopper-Pearson interval of b / (b + c). For ordinal scores:
the Wilcoxon signed-rank test on the within-pair differences. Each sits beside
the article's unpaired result regenerated from the same data.
"""

import math

import numpy as np
import pandas as pd
import scipy  # scipy.stats is loaded on first use; see anakinra_rescue.engine.stats

from anakinra_rescue.data.vocabulary import day_column, score_difference_column
from anakinra_rescue.engine import pipeline, stats
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.schemas.published import COMPARED_GROUPS

ALPHA = 0.05  # the article's significance threshold


def paired(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per matched pair: the case's and the control's value of ``column``."""
    wide = frame.pivot(index="pair_number", columns="group", values=column)
    return wide[list(COMPARED_GROUPS)]


def mcnemar_exact(case_only: int, control_only: int) -> float:
    """Exact McNemar P: two-sided binomial test of the discordant pairs against 1/2, by ``scipy.stats.binomtest``.

    SPSS: NPAR TESTS /MCNEMAR "Exact Sig. (2-tailed)", the binomial distribution used for small
    samples. R: ``binom.test(b, b + c)`` (the exact McNemar of ``exact2x2::mcnemar.exact``).
    Pinned by ``test_exact_mcnemar_matches_r``.
    """
    discordant = case_only + control_only
    if discordant == 0:
        return 1.0
    return float(scipy.stats.binomtest(case_only, discordant, 0.5).pvalue)


def conditional_odds_ratio(case_only: int, control_only: int) -> tuple[float, float, float]:
    """Matched-pair odds ratio b / c with the exact 95% CI from Clopper-Pearson limits of b / (b + c).

    Pinned by ``test_conditional_odds_ratio_matches_r`` (R's ``binom.test`` limits, transformed).
    """
    discordant = case_only + control_only
    if discordant == 0:
        return (math.nan, math.nan, math.nan)
    low, high = stats.clopper_pearson(case_only, discordant)
    estimate = case_only / control_only if control_only else math.inf
    return (estimate, low / (1 - low), high / (1 - high) if high < 1 else math.inf)


def binary_rows(config: StudyConfig = DEFAULT) -> list[str]:
    """The binary outcomes reanalysed: improvement, mortality and discharge."""
    return (
        [day_column("improvement", day) for day in config.outcome_days]
        + [day_column("mortality", day) for day in config.mortality_days]
        + [day_column("discharge", day) for day in config.discharge_days]
        + ["in_hospital_mortality"]
    )


def ordinal_rows(config: StudyConfig = DEFAULT) -> list[tuple[str, str]]:
    """(row, column) of the ordinal scores reanalysed."""
    rows = []
    for day in config.outcome_days:
        rows.append((day_column("ordinal_status", day), day_column("ordinal_status", day)))
        rows.append((day_column("score_difference", day), score_difference_column(day, config.score_difference_sign)))
    return rows


def paired_reanalysis(analysis: pipeline.Analysis) -> pd.DataFrame:
    """The paired analysis of each outcome beside the article's unpaired one (Table 3 as the analysis computed it,
    under its settings)."""
    frame, config = analysis.frame, analysis.config
    unpaired = analysis.tidy("table3")
    unpaired = unpaired[unpaired["group"] == "comparison"].set_index(["variable", "statistic"])
    records = []
    for row in binary_rows(config):
        pairs = paired(frame, row).dropna().astype(bool)
        case_only = int((pairs["anakinra"] & ~pairs["control"]).sum())
        control_only = int((~pairs["anakinra"] & pairs["control"]).sum())
        estimate, low, high = conditional_odds_ratio(case_only, control_only)
        records.append(
            {
                "outcome": row,
                "pairs": len(pairs),
                "discordant: case only": case_only,
                "discordant: control only": control_only,
                "paired test": "McNemar, exact",
                "paired P": mcnemar_exact(case_only, control_only),
                "paired odds ratio (anakinra vs control)": estimate,
                "exact 95% CI low": low,
                "exact 95% CI high": high,
                "unpaired test": unpaired.loc[(row, "p_value"), "test"],
                "unpaired P": unpaired.loc[(row, "p_value"), "value"],
            }
        )
    for row, column in ordinal_rows(config):
        pairs = paired(frame, column).dropna().astype(float)
        differences = pairs["anakinra"] - pairs["control"]
        p_value = stats.wilcoxon_signed_rank(differences).p_value
        records.append(
            {
                "outcome": row,
                "pairs": len(pairs),
                "discordant: case only": int((differences > 0).sum()),
                "discordant: control only": int((differences < 0).sum()),
                "paired test": "Wilcoxon signed-rank",
                "paired P": p_value,
                "paired odds ratio (anakinra vs control)": np.nan,
                "exact 95% CI low": np.nan,
                "exact 95% CI high": np.nan,
                "unpaired test": unpaired.loc[(row, "p_value"), "test"],
                "unpaired P": unpaired.loc[(row, "p_value"), "value"],
            }
        )
    return pd.DataFrame(records)


def conclusion_changes(reanalysis: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Outcomes whose significance at ``alpha`` differs between the paired and the unpaired test."""
    changed = (reanalysis["paired P"] < alpha) != (reanalysis["unpaired P"] < alpha)
    return reanalysis.loc[changed, ["outcome", "paired P", "unpaired P"]].reset_index(drop=True)
