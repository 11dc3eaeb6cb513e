"""Sensitivity of the matched-pair reanalysis over independently seeded reconstructions.

Every cohort of the ensemble prints each count the article gives for its outcomes
(Table 3's deaths, discharges and improvements): a seed whose reconstruction misses
one is rejected and redrawn as ``seed + REDRAW_STRIDE * k`` (k = 1, 2, ...), and
the seed actually drawn is recorded. Cohorts still differ in how many of the
article's quartiles and P-values they print (``match_pct``) and in how they pair
outcomes with patients. Running the paired reanalysis on each shows which
conclusions hold on every cohort tried (a sign, not a proof, that the published
numbers determine them) and which differ between cohorts (proof that the published
numbers leave them open); :func:`summarise` also says where this book's own cohort
sits among them, for the paired and the unpaired P alike.

``python -m anakinra_rescue sensitivity --seeds 1-20 --out data/reconstructed/sensitivity.csv``
reconstructs each seed (about a minute each; ``--work`` keeps and reuses the cohorts)
and writes one row per (seed, outcome).
"""

from pathlib import Path

import pandas as pd

from anakinra_rescue.data import files
from anakinra_rescue.data.vocabulary import Status
from anakinra_rescue.engine import pipeline
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.examination import reanalysis
from anakinra_rescue.reconstruction.trajectories import COUNT_STATISTICS

COLUMNS = [
    "seed",
    "drawn seed",
    "outcome",
    "paired test",
    "paired P",
    "paired odds ratio (anakinra vs control)",
    "unpaired P",
    "match_pct",
    "outcome counts missed",
]
REDRAW_STRIDE = 1_000_000  # attempt k of seed s draws seed s + REDRAW_STRIDE * k
MAX_DRAWS = 6
DRAWN_SEED_FILE = "drawn_seed.txt"


def missed_counts(misses: list) -> list:
    """The solver's misses that are counts of the outcome block (a death, discharge or improvement count or its %)."""
    return [miss for miss in misses if miss[0] == "outcomes" and miss[-1] in COUNT_STATISTICS]


def reconstruct_printing_counts(seed: int, progress=print, reconstruct_seed=None, max_draws: int = MAX_DRAWS):
    """(reconstruction, drawn seed): the first of ``seed``, ``seed + REDRAW_STRIDE``, ... whose cohort prints every
    outcome count; after ``max_draws`` rejections, the last one drawn (its misses are then recorded)."""
    if reconstruct_seed is None:
        from anakinra_rescue.reconstruction import reconstruct

        def reconstruct_seed(drawn):
            return reconstruct.reconstruct(drawn, progress=lambda message: None)

    for attempt in range(max_draws):
        drawn = seed + REDRAW_STRIDE * attempt
        result = reconstruct_seed(drawn)
        missed = missed_counts(result.solver_misses)
        if not missed:
            return result, drawn
        progress(f"  seed {drawn} misses {len(missed)} outcome counts ({missed[0][1]} ...): redrawn")
    return result, drawn


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


def cohort_rows(seed: int, directory: Path, config: StudyConfig = DEFAULT, drawn: int | None = None) -> pd.DataFrame:
    """The paired reanalysis of one reconstructed cohort under ``config``, with the cohort's fidelity and the number
    of Table 3 counts (n and %) it does not print."""
    analysis = pipeline.run(directory, config, with_log=False)
    match_pct = 100 * (analysis.compared["status"] == Status.MATCH).mean()
    compared = analysis.compared
    counts = compared[(compared["source"] == "table3") & compared["statistic"].isin(COUNT_STATISTICS)]
    missed = int((counts["status"] != Status.MATCH).sum())
    rows = reanalysis.paired_reanalysis(analysis).assign(
        seed=seed, match_pct=match_pct, **{"drawn seed": seed if drawn is None else drawn, "outcome counts missed": missed}
    )
    return rows[COLUMNS]


def run(seeds: list[int], work: Path, progress=print, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Reconstruct (or reuse) each seed's cohort under ``work`` and reanalyse it under ``config``."""
    from anakinra_rescue.reconstruction import reconstruct

    frames = []
    for index, seed in enumerate(seeds, start=1):
        directory = work / f"s{seed}"
        if not (directory / files.PATIENTS_FILE).exists():
            progress(f"[{index}/{len(seeds)}] reconstructing seed {seed} ...")
            result, drawn = reconstruct_printing_counts(seed, progress)
            reconstruct.write_reconstruction(result, directory)
            (directory / DRAWN_SEED_FILE).write_text(f"{drawn}\n", encoding="utf-8")
        else:
            progress(f"[{index}/{len(seeds)}] reusing {directory}")
        drawn_file = directory / DRAWN_SEED_FILE
        drawn = int(drawn_file.read_text(encoding="utf-8")) if drawn_file.exists() else seed
        frames.append(cohort_rows(seed, directory, config, drawn))
    return pd.concat(frames, ignore_index=True)


def summarise(rows: pd.DataFrame, alpha: float = reanalysis.ALPHA, book_seed: int | None = None) -> pd.DataFrame:
    """Per outcome: the range of the paired P and odds ratio over cohorts, whether the conclusion is fixed, and where
    the cohort of ``book_seed`` (this book's, by default) sits: how many cohorts have a smaller and a larger paired,
    and unpaired, P than it (both 0: every cohort gives the same P)."""
    if book_seed is None:
        from anakinra_rescue.reconstruction.reconstruct import DEFAULT_SEED

        book_seed = DEFAULT_SEED
    summary = []
    for outcome, part in rows.groupby("outcome", sort=False):
        significant = part["paired P"] < alpha
        ratio = part["paired odds ratio (anakinra vs control)"]
        own = part[part["seed"] == book_seed]
        position = {}
        if len(own):
            for kind in ("paired", "unpaired"):
                value = own[f"{kind} P"].iloc[0]
                position[f"this book's {kind} P"] = value
                position[f"cohorts with a smaller {kind} P"] = int((part[f"{kind} P"] < value).sum())
                position[f"cohorts with a larger {kind} P"] = int((part[f"{kind} P"] > value).sum())
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
                **position,
            }
        )
    return pd.DataFrame(summary)
