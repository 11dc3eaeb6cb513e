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
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.engine import pipeline
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.examination import reanalysis

COLUMNS = ["seed", "outcome", "paired test", "paired P", "paired odds ratio (anakinra vs control)", "unpaired P", "match_pct"]


def parse_seeds(text: str) -> list[int]:
    """'1-20' or '1,4,9' or '3' -> a list of seeds; anything else raises ValueError saying what is expected."""
    seeds = []
    for part in text.split(","):
        bounds = part.strip().split("-")
        if len(bounds) > 2 or not all(bound.strip().isdigit() for bound in bounds):
            raise ValueError(
                f"{part.strip()!r} in {text!r} is not a seed or a range: write seeds as 1-20, 1,5,9 or 3 "
                "(whole numbers of 0 or more)"
            )
        first, last = int(bounds[0]), int(bounds[-1])
        if last < first:
            raise ValueError(f"the range {part.strip()!r} runs backwards: write the smaller seed first")
        seeds += list(range(first, last + 1))
    return seeds


def cohort_rows(seed: int, directory: Path, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """The paired reanalysis of one reconstructed cohort under ``config``, with the cohort's fidelity."""
    analysis = pipeline.run(directory, config, with_log=False)
    match_pct = 100 * (analysis.compared["status"] == Status.MATCH).mean()
    rows = reanalysis.paired_reanalysis(analysis).assign(seed=seed, match_pct=match_pct)
    return rows[COLUMNS]


def run(seeds: list[int], work: Path, progress=print, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Reconstruct (or reuse) each seed's cohort under ``work`` and reanalyse it under ``config``."""
    from anakinra_rescue.reconstruction import reconstruct

    frames = []
    for index, seed in enumerate(seeds, start=1):
        directory = work / f"s{seed}"
        if not (directory / files.PATIENTS_FILE).exists():
            progress(f"[{index}/{len(seeds)}] reconstructing seed {seed} ...")
            reconstruct.write_reconstruction(reconstruct.reconstruct(seed, progress=lambda message: None), directory)
        else:
            progress(f"[{index}/{len(seeds)}] reusing {directory}")
        frames.append(cohort_rows(seed, directory, config))
    return pd.concat(frames, ignore_index=True)


def summarise(rows: pd.DataFrame, alpha: float = reanalysis.ALPHA) -> pd.DataFrame:
    """Per outcome: the range of the paired P and odds ratio over cohorts, and whether the conclusion is fixed."""
    summary = []
    for outcome, part in rows.groupby("outcome", sort=False):
        significant = part["paired P"] < alpha
        ratio = part["paired odds ratio (anakinra vs control)"]
        summary.append(
            {
                "outcome": outcome,
                "cohorts": len(part),
                "paired test": part["paired test"].iloc[0],
                "paired P min": part["paired P"].min(),
                "paired P max": part["paired P"].max(),
                "paired odds ratio min": ratio.min(),
                "paired odds ratio max": ratio.max(),
                "unpaired P min": part["unpaired P"].min(),
                "unpaired P max": part["unpaired P"].max(),
                "cohorts with paired P below alpha": int(significant.sum()),
                "conclusion": "same in every cohort" if significant.nunique() == 1 else "differs between cohorts",
            }
        )
    return pd.DataFrame(summary)
