"""Sensitivity of the matched-pair reanalysis over independently seeded reconstructions.

Every seed gives a cohort that prints the article's numbers equally well but
pairs outcomes with patients differently. Running the paired reanalysis on each
shows which conclusions hold on every cohort tried (a sign, not a proof, that the
published numbers determine them) and which differ between cohorts (proof that
the published numbers leave them open).

``python -m anakinra_rescue sensitivity --seeds 1-20 --out data/reconstructed/sensitivity.csv``
reconstructs each seed (a few minutes each; ``--work`` keeps and reuses the cohorts)
and writes one row per (seed, outcome).
"""

from pathlib import Path

import pandas as pd

from anakinra_rescue.data import files
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import reanalysis

COLUMNS = ["seed", "outcome", "paired test", "paired P", "paired odds ratio (anakinra vs control)", "unpaired P", "match_pct"]


def parse_seeds(text: str) -> list[int]:
    """'1-20' or '1,4,9' or '3' -> a list of seeds."""
    seeds = []
    for part in text.split(","):
        if "-" in part:
            first, last = (int(value) for value in part.split("-"))
            seeds += list(range(first, last + 1))
        else:
            seeds.append(int(part))
    return seeds


def cohort_rows(seed: int, directory: Path) -> pd.DataFrame:
    """The paired reanalysis of one reconstructed cohort, with the cohort's fidelity."""
    analysis = pipeline.run(directory, with_log=False)
    match_pct = 100 * (analysis.compared["status"] == "match").mean()
    rows = reanalysis.paired_reanalysis(analysis.frame).assign(seed=seed, match_pct=match_pct)
    return rows[COLUMNS]


def run(seeds: list[int], work: Path, progress=print) -> pd.DataFrame:
    """Reconstruct (or reuse) each seed's cohort under ``work`` and reanalyse it."""
    from anakinra_rescue.reconstruction import reconstruct

    frames = []
    for index, seed in enumerate(seeds, start=1):
        directory = work / f"s{seed}"
        if not (directory / files.PATIENTS_FILE).exists():
            progress(f"[{index}/{len(seeds)}] reconstructing seed {seed} ...")
            reconstruct.write_reconstruction(reconstruct.reconstruct(seed, progress=lambda message: None), directory)
        else:
            progress(f"[{index}/{len(seeds)}] reusing {directory}")
        frames.append(cohort_rows(seed, directory))
    return pd.concat(frames, ignore_index=True)


def summarise(rows: pd.DataFrame, alpha: float = reanalysis.ALPHA) -> pd.DataFrame:
    """Per outcome: the range of the paired P and odds ratio over cohorts, and whether the conclusion is fixed."""
    summary = []
    for outcome, part in rows.groupby("outcome", sort=False):
        significant = part["paired P"] < alpha
        ratio = part["paired odds ratio (anakinra vs control)"]
        summary.append({
            "outcome": outcome, "cohorts": len(part), "paired test": part["paired test"].iloc[0],
            "paired P min": part["paired P"].min(), "paired P max": part["paired P"].max(),
            "paired odds ratio min": ratio.min(), "paired odds ratio max": ratio.max(),
            "unpaired P min": part["unpaired P"].min(), "unpaired P max": part["unpaired P"].max(),
            "cohorts with paired P below alpha": int(significant.sum()),
            "conclusion": "same in every cohort" if significant.nunique() == 1 else "differs between cohorts",
        })
    return pd.DataFrame(summary)
