"""The numbers each chapter glues into its prose (counts of verdicts, pairs, audit statuses, balance flags, the
seeded cohorts): one function per chapter, each returning glue keys and values, so that no number is typed."""

import hashlib

import pandas as pd

from anakinra_rescue.book import context
from anakinra_rescue.data.files import SENSITIVITY_FILE
from anakinra_rescue.data.vocabulary import AuditStatus, Status
from anakinra_rescue.engine import pipeline
from anakinra_rescue.examination import evidence_cache, fidelity, outcome_proofs

# Numbers the Results chapter quotes: glue key -> (source, variable, group, statistic) of the printed number; the
# chapter glues each with its verdict mark and printed value (anakinra_rescue.book.marks.marked_numbers).
RESULTS_NUMBERS = {
    "res_n_cases": ("table1", "group_size", "anakinra", "n"),
    "res_n_controls": ("table1", "group_size", "control", "n"),
    "res_age_mean_cases": ("table1", "age_years", "anakinra", "mean"),
    "res_age_sd_cases": ("table1", "age_years", "anakinra", "sd"),
    "res_age_mean_all": ("abstract", "age_years", "overall", "mean"),
    "res_age_sd_all": ("abstract", "age_years", "overall", "sd"),
    "res_male_pct_cases": ("table1", "male_sex", "anakinra", "pct"),
    "res_male_pct_all": ("abstract", "male_sex", "overall", "pct"),
    "res_toci_median_cases": ("table1", "tocilizumab_to_day0_days", "anakinra", "median"),
    "res_toci_q1_cases": ("table1", "tocilizumab_to_day0_days", "anakinra", "q1"),
    "res_toci_q3_cases": ("table1", "tocilizumab_to_day0_days", "anakinra", "q3"),
    "res_nadir_median_cases": ("table1", "lymphocytes_nadir_1e9_per_l", "anakinra", "median"),
    "res_nadir_q1_cases": ("table1", "lymphocytes_nadir_1e9_per_l", "anakinra", "q1"),
    "res_nadir_q3_cases": ("table1", "lymphocytes_nadir_1e9_per_l", "anakinra", "q3"),
    "res_nadir_median_controls": ("table1", "lymphocytes_nadir_1e9_per_l", "control", "median"),
    "res_nadir_q1_controls": ("table1", "lymphocytes_nadir_1e9_per_l", "control", "q1"),
    "res_nadir_q3_controls": ("table1", "lymphocytes_nadir_1e9_per_l", "control", "q3"),
    "res_nadir_p": ("table1", "lymphocytes_nadir_1e9_per_l", "comparison", "p_value"),
    "res_charlson_median_all": ("results", "charlson_index", "overall", "median"),
    "res_charlson_q1_all": ("results", "charlson_index", "overall", "q1"),
    "res_charlson_q3_all": ("results", "charlson_index", "overall", "q3"),
    "res_cvd_n_cases": ("table1", "cardiovascular_disease", "anakinra", "n"),
    "res_cvd_n_controls": ("table1", "cardiovascular_disease", "control", "n"),
    "res_onset_median_all": ("results", "symptom_onset_to_day0_days", "overall", "median"),
    "res_onset_q1_all": ("results", "symptom_onset_to_day0_days", "overall", "q1"),
    "res_onset_q3_all": ("results", "symptom_onset_to_day0_days", "overall", "q3"),
    "res_onset_p": ("table1", "symptom_onset_to_day0_days", "comparison", "p_value"),
    "res_highflow_n_cases": ("table2", "ordinal_status_4", "anakinra", "n"),
    "res_highflow_pct_cases": ("table2", "ordinal_status_4", "anakinra", "pct"),
    "res_highflow_n_controls": ("table2", "ordinal_status_4", "control", "n"),
    "res_imv_n_cases": ("table2", "ordinal_status_5", "anakinra", "n"),
    "res_imv_n_controls": ("table2", "ordinal_status_5", "control", "n"),
    "res_lowflow_n_cases": ("table2", "ordinal_status_3", "anakinra", "n"),
    "res_lowflow_n_controls": ("table2", "ordinal_status_3", "control", "n"),
    "res_severe_n_cases": ("results", "pao2_fio2_le_100", "anakinra", "n"),
    "res_severe_pct_cases": ("results", "pao2_fio2_le_100", "anakinra", "pct"),
    "res_severe_n_controls": ("results", "pao2_fio2_le_100", "control", "n"),
    "res_severe_pct_controls": ("results", "pao2_fio2_le_100", "control", "pct"),
    "res_improved7_n_cases": ("table3", "improvement_day7", "anakinra", "n"),
    "res_improved7_pct_cases": ("table3", "improvement_day7", "anakinra", "pct"),
    "res_improved7_n_controls": ("table3", "improvement_day7", "control", "n"),
    "res_improved7_pct_controls": ("table3", "improvement_day7", "control", "pct"),
    "res_improved7_p": ("table3", "improvement_day7", "comparison", "p_value"),
    "res_improved14_p": ("table3", "improvement_day14", "comparison", "p_value"),
    "res_improved21_p": ("table3", "improvement_day21", "comparison", "p_value"),
    "res_discharged21_n_cases": ("table3", "discharge_day21", "anakinra", "n"),
    "res_discharged21_pct_cases": ("table3", "discharge_day21", "anakinra", "pct"),
    "res_discharged21_n_controls": ("table3", "discharge_day21", "control", "n"),
    "res_discharged21_pct_controls": ("table3", "discharge_day21", "control", "pct"),
    "res_death_pct_cases": ("table3", "in_hospital_mortality", "anakinra", "pct"),
    "res_death_pct_controls": ("table3", "in_hospital_mortality", "control", "pct"),
    "res_death_p": ("table3", "in_hospital_mortality", "comparison", "p_value"),
    "res_thrombo_n_cases": ("results", "thromboembolic_event", "anakinra", "n"),
    "res_thrombo_pct_cases": ("results", "thromboembolic_event", "anakinra", "pct"),
    "res_thrombo_n_controls": ("results", "thromboembolic_event", "control", "n"),
    "res_thrombo_pct_controls": ("results", "thromboembolic_event", "control", "pct"),
    "res_transaminase_n_cases": ("results", "transaminase_rise_3x", "anakinra", "n"),
    "res_transaminase_n_controls": ("results", "transaminase_rise_3x", "control", "n"),
    "res_transaminase_pct_controls": ("results", "transaminase_rise_3x", "control", "pct"),
    "res_infection_n_cases": ("results", "bacterial_infection", "anakinra", "n"),
    "res_infection_pct_cases": ("results", "bacterial_infection", "anakinra", "pct"),
    "res_infection_n_controls": ("results", "bacterial_infection", "control", "n"),
    "res_infection_pct_controls": ("results", "bacterial_infection", "control", "pct"),
}


def distributions_checked(analysis: pipeline.Analysis) -> int:
    """How many distributions of a group over the ordinal levels the exhaustive check enumerates."""
    return outcome_proofs.distributions_checked(analysis.record)


def summary_numbers(analysis: pipeline.Analysis) -> dict[str, float]:
    """Counts quoted around the tables: printed numbers per mark, pairs, pool size."""
    verdicts = analysis.compared["verdict"]
    reproduced = int(verdicts.isin([fidelity.REPRODUCED, fidelity.OTHER_TEST]).sum())
    return {
        "sum_printed": len(analysis.compared),
        "sum_match": reproduced,
        "sum_match_pct": float(100 * reproduced / len(analysis.compared)),
        "sum_reproduced": int((verdicts == fidelity.REPRODUCED).sum()),
        "sum_other_test": int((verdicts == fidelity.OTHER_TEST).sum()),
        "sum_proven": int((verdicts == fidelity.PROVEN).sum()),
        "sum_inconsistent": int((verdicts == fidelity.INCONSISTENT).sum()),
        "sum_attainable": int((verdicts == fidelity.ATTAINABLE).sum()),
        "sum_not_computable": int((verdicts == fidelity.NOT_COMPUTABLE).sum()),
        "sum_open": int((verdicts == fidelity.OPEN).sum()),
        "sum_pairs": len(analysis.matched.pairs),
        "sum_unmatched": len(analysis.matched.unmatched),
        "sum_pool": int((analysis.cohort.patients["cohort"] == "historical").sum()),
        "sum_patient_days": len(analysis.cohort.daily_status),
        "sum_log_rows": len(analysis.matched.log),
    }


def table3_ceiling(analysis: pipeline.Analysis) -> dict[str, int]:
    """Table 3's quartiles: how many the article prints, the most one cohort can print with every printed count
    (the exact programme of :mod:`anakinra_rescue.reconstruction.table3_optimum`, about 5 s, kept in the evidence
    cache for the next build), and how many these data print."""
    from anakinra_rescue.reconstruction import reconstruct, table3_optimum

    record = analysis.record
    targets, day0 = reconstruct.printed_table3_targets(record), reconstruct.printed_day0_statuses(record)

    def compute() -> dict:
        summary = table3_optimum.optimum_trajectories(day0, targets, analysis.config)[2]
        return {"quartiles_printed": summary["quartiles_printed"], "quartiles_met": summary["quartiles_met"]}

    settings = hashlib.sha256(repr(analysis.config).encode()).hexdigest()[:16]
    optimum = evidence_cache.cached(f"table3_ceiling-{settings}", record, compute)
    compared = analysis.compared
    quartiles = compared[(compared["source"] == "table3") & compared["statistic"].isin(table3_optimum.QUARTILE_STATISTICS)]
    return {
        "t3_quartiles_printed": optimum["quartiles_printed"],
        "t3_quartiles_optimum": optimum["quartiles_met"],
        "t3_quartiles_met": int((quartiles["status"] == Status.MATCH).sum()),
    }


def sensitivity_summary() -> pd.DataFrame:
    """The committed sensitivity runs, summarised per outcome; empty when the book is built from other data."""
    from anakinra_rescue.examination import sensitivity

    path = context.DEFAULT_DATA_DIR / SENSITIVITY_FILE
    if not context.is_default_data() or not path.exists():
        return pd.DataFrame(columns=["outcome", "conclusion"])
    return sensitivity.summarise(pd.read_csv(path))


def sensitivity_cohorts() -> int:
    """How many seeded cohorts the committed sensitivity runs cover (0 for other data)."""
    summary = sensitivity_summary()
    return int(summary["cohorts"].max()) if len(summary) else 0


def sensitivity_position(summary: pd.DataFrame) -> dict[str, int]:
    """Where this book's cohort sits in the ensemble, for the paired and the unpaired P: over how many outcomes every
    cohort gives the same P (``fixed``), and over how many of the others this book's P is the smallest (``lowest``) or
    the largest (``highest``) of all. Zeros for other data."""
    numbers = {"sens_outcomes": len(summary)}
    for kind in ("paired", "unpaired"):
        smaller, larger = f"cohorts with a smaller {kind} P", f"cohorts with a larger {kind} P"
        if smaller not in summary:
            numbers.update({f"sens_{kind}_fixed": 0, f"sens_{kind}_lowest": 0, f"sens_{kind}_highest": 0})
            continue
        below, above = summary[smaller], summary[larger]
        numbers[f"sens_{kind}_fixed"] = int(((below == 0) & (above == 0)).sum())
        numbers[f"sens_{kind}_lowest"] = int(((below == 0) & (above > 0)).sum())
        numbers[f"sens_{kind}_highest"] = int(((above == 0) & (below > 0)).sum())
    return numbers


def tables_numbers(analysis: pipeline.Analysis) -> dict[str, int]:
    """Counts the Tables chapter glues: printed numbers, and how many the regenerated tables match."""
    return {"tab_printed": len(analysis.compared), "tab_match": int((analysis.compared["status"] == Status.MATCH).sum())}


def audit_numbers(audit_table: pd.DataFrame) -> dict[str, int]:
    """Counts the Audit chapter glues: printed numbers checked, and how many end in each status."""
    counts = audit_table["status"].value_counts()
    return {
        "audit_total": len(audit_table),
        "audit_consistent": int(counts.get(AuditStatus.CONSISTENT, 0)),
        "audit_inconsistent": int(counts.get(fidelity.INCONSISTENT, 0)),
        "audit_proven": int(counts.get(AuditStatus.PROVEN, 0)),
    }


def reanalysis_numbers(paired_table: pd.DataFrame, balance_table: pd.DataFrame) -> dict[str, float]:
    """Numbers the Reanalysis chapter glues: changed conclusions, and the balance flags."""
    from anakinra_rescue.examination import balance, reanalysis

    return {
        "rean_changes": len(reanalysis.conclusion_changes(paired_table)),
        "rean_alpha": reanalysis.ALPHA,
        "bal_flagged": int(balance_table["imbalanced"].sum()),
        "bal_total": len(balance_table),
        "bal_threshold": balance.THRESHOLD,
    }


def record_numbers(record: pd.DataFrame) -> dict[str, int]:
    """Numbers the Published record chapter glues: printed numbers, variables and transcription notes."""
    return {
        "n_published_numbers": len(record),
        "n_published_variables": int(record["variable"].nunique()),
        "n_published_notes": int(record["note"].notna().sum()),
    }


def plausibility_warning_count() -> int:
    """How many plausibility warnings the book's data folder has (the committed cohort: none)."""
    from anakinra_rescue.data import io, plausibility
    from anakinra_rescue.data.files import DAILY_STATUS_FILE, PATIENTS_FILE

    cohort = io.load_cohort(context.book_analysis().cohort.directory)  # every measurement: the analysis keeps three columns
    return len(
        plausibility.warnings_for(
            cohort.patients, cohort.daily_status, str(cohort.directory / PATIENTS_FILE), str(cohort.directory / DAILY_STATUS_FILE)
        )
    )


def score_difference_signs(analysis: pipeline.Analysis) -> dict[str, int]:
    """Printed score-difference quartiles each sign convention can reach, and their total (the sign's evidence)."""
    return outcome_proofs.signs_fitting(analysis.record)


def methods_words(analysis: pipeline.Analysis) -> dict[str, str]:
    """The settings the Methods' definitions quote, as the words glued into them (so that a build under other
    settings states its own days, threshold and sign)."""
    from anakinra_rescue.data.vocabulary import Level

    config = analysis.config

    def days(values: tuple[int, ...]) -> str:
        return ", ".join(map(str, values))

    return {
        "cfg_outcome_days": days(config.outcome_days),
        "cfg_mortality_days": days(config.mortality_days),
        "cfg_discharge_days": days(config.discharge_days),
        "cfg_improvement_points": f"{config.improvement_points} level{'s' if config.improvement_points != 1 else ''}",
        "cfg_level_home": str(int(Level.NOT_HOSPITALISED)),
        "cfg_level_death": str(int(Level.DEATH)),
        "cfg_sign_words": "day 0 minus day k" if config.score_difference_sign == "day0_minus_dayk" else "day k minus day 0",
    }
