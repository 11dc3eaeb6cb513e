"""Everything a chapter notebook shows, computed once per kernel from the book's data folder.

Notebooks call these functions and display or glue what they return; they hold
no analysis logic of their own. The data folder is ``data/reconstructed`` unless
``ANAKINRA_DATA_DIR`` names another (``make book DATA=path`` sets it).
"""

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import context
from anakinra_rescue.book.context import DEFAULT_DATA_DIR, book_analysis, data_directory, is_default_data  # noqa: F401
from anakinra_rescue.data.files import SENSITIVITY_FILE
from anakinra_rescue.data.vocabulary import AuditStatus, StatisticalTest, Status
from anakinra_rescue.engine import pipeline, settings
from anakinra_rescue.engine.config import DEFAULT, REJECTION_REASONS, SELECTED
from anakinra_rescue.examination import fidelity, outcome_proofs
from anakinra_rescue.schemas.published import COMPARED_GROUPS

# One mark per verdict (examination.fidelity.VERDICTS), with the label the book's legends use.
MARKS: dict[str, str] = {
    fidelity.REPRODUCED: "✓",
    fidelity.OTHER_TEST: "†",
    fidelity.PROVEN: "⊘",
    fidelity.INCONSISTENT: "≠",
    fidelity.NOT_COMPUTABLE: "–",
    fidelity.OPEN: "?",
}
MARK_LABELS: dict[str, str] = {
    fidelity.REPRODUCED: "reproduced",
    fidelity.OTHER_TEST: "reproduced with another test",
    fidelity.PROVEN: "proven impossible",
    fidelity.INCONSISTENT: "article inconsistent",
    fidelity.NOT_COMPUTABLE: "not computable",
    fidelity.OPEN: "open question",
}


def mark(verdict: str) -> str:
    """The symbol shown beside a regenerated number."""
    return MARKS[verdict]


def side_by_side(analysis: pipeline.Analysis, source: str) -> pd.DataFrame:
    """A table as the article printed it and as regenerated, one row per variable and statistic, with marks."""
    rows = analysis.compared[analysis.compared["source"] == source]
    shown = pd.DataFrame(
        {
            "variable": rows["variable"],
            "group": rows["group"],
            "statistic": rows["statistic"],
            "published": rows["published"],
            "regenerated": rows["regenerated"],
            "mark": [mark(verdict) for verdict in rows["verdict"]],
            "test": rows["test"],
        }
    )
    return shown.reset_index(drop=True)


def regenerated_table(analysis: pipeline.Analysis, source: str) -> pd.DataFrame:
    """The regenerated table in the article's layout, each cell followed by the marks of its numbers."""
    shown = analysis.displayed(source, context.min_cell())
    marks = analysis.compared[analysis.compared["source"] == source]
    symbol = {(row.variable, row.group): "" for row in marks.itertuples(index=False)}
    for row in marks.itertuples(index=False):
        symbol[(row.variable, row.group)] += mark(row.verdict)
    for group in COMPARED_GROUPS:
        shown[group] = [
            f"{cell} {symbol.get((variable, group), '')}".rstrip() for variable, cell in zip(shown["variable"], shown[group])
        ]
    shown["p_value"] = [
        f"{cell} {symbol.get((variable, 'comparison'), '')[:1]}".rstrip() if cell else ""
        for variable, cell in zip(shown["variable"], shown["p_value"])
    ]
    return shown


def figure1(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Figure 1's counts as the book shows and offers them: small counts withheld in an aggregate report."""
    from anakinra_rescue.book import disclosure

    return disclosure.suppress_figure(analysis.figure1(), context.min_cell())


def mark_counts(analysis: pipeline.Analysis, source: str | None = None) -> pd.DataFrame:
    """How many printed numbers carry each mark, for one source or all."""
    rows = analysis.compared if source is None else analysis.compared[analysis.compared["source"] == source]
    counts = [
        (f"{MARKS[verdict]} {MARK_LABELS[verdict]}", int((rows["verdict"] == verdict).sum())) for verdict in fidelity.VERDICTS
    ]
    return pd.DataFrame(counts, columns=["mark", "printed numbers"])


def matching_flow(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Pool to pairs: patients at each stage, then candidate checks by the rule that ended them."""
    patients = analysis.cohort.patients
    log = analysis.matched.log
    stages = [
        ("historical patients in the pool", int((patients["cohort"] == "historical").sum())),
        ("anakinra cases to match", int((patients["cohort"] == "anakinra").sum())),
        ("distinct candidates considered", int(log["candidate_id"].nunique())),
        ("candidate checks logged", len(log)),
        *((f"checks ended by rule: {reason}", int((log["reason"] == reason).sum())) for reason in REJECTION_REASONS),
        ("controls selected", int((log["reason"] == SELECTED).sum())),
        ("cases left unmatched", len(analysis.matched.unmatched)),
    ]
    return pd.DataFrame(stages, columns=["stage", "count"])


def candidates_per_case(analysis: pipeline.Analysis) -> pd.DataFrame | Markdown:
    """One row per case: day 0, interval, status, candidates checked, the selected control and the reasons seen."""
    if not context.patient_level_shown():
        return Markdown(context.withheld_notice("The per-case rows (case and control ids, day-0 dates)"))
    log = analysis.matched.log
    pairs = analysis.matched.pairs.set_index("case_id")
    rows = []
    for case_id, checks in log.groupby("case_id", sort=False):
        reasons = checks["reason"].value_counts()
        row: dict[str, object] = {
            "case": case_id,
            "day 0": pairs.loc[case_id, "day0_date"].strftime("%Y-%m-%d") if case_id in pairs.index else "",
            "interval (days)": int(pairs.loc[case_id, "interval_days"]) if case_id in pairs.index else None,
            "status on day 0": int(pairs.loc[case_id, "day0_status"]) if case_id in pairs.index else None,
            "candidates checked": len(checks),
            "control": pairs.loc[case_id, "control_id"] if case_id in pairs.index else "none",
            **{reason: int(reasons.get(reason, 0)) for reason in REJECTION_REASONS},
        }
        rows.append(row)
    return pd.DataFrame(rows)


def case_log(analysis: pipeline.Analysis, case_id: str) -> pd.DataFrame | Markdown:
    """Every candidate one case's matching looked at, in order, with the rule that rejected it (withheld in an
    aggregate build: :func:`anakinra_rescue.book.context.patient_level_shown`)."""
    if not context.patient_level_shown():
        return Markdown(context.withheld_notice("One case's matching log and its patient ids"))
    log = analysis.matched.log
    rows = log[log["case_id"] == case_id].copy()
    for column in ("tocilizumab_start_date", "pseudo_date"):
        rows[column] = pd.to_datetime(rows[column]).dt.strftime("%Y-%m-%d")
    return rows.drop(columns="case_id").reset_index(drop=True)


def first_case_id(analysis: pipeline.Analysis) -> str:
    """The first case in matching order (the drill-down example)."""
    return str(analysis.matched.log["case_id"].iloc[0])


def fidelity_table(analysis: pipeline.Analysis, only_unmatched: bool = False) -> pd.DataFrame:
    """Published, regenerated, verdict and reason for every printed number."""
    rows = analysis.compared
    if only_unmatched:
        rows = rows[rows["verdict"] != fidelity.REPRODUCED]
    return rows[["source", "variable", "group", "statistic", "published", "regenerated", "verdict", "reason"]].reset_index(
        drop=True
    )


def ordinal_scale() -> pd.DataFrame:
    """The 6-point scale, from the schema the loader enforces."""
    from anakinra_rescue.data.dictionary import ordinal_scale_table

    return ordinal_scale_table()


def settings_used(analysis: pipeline.Analysis) -> Markdown:
    """The settings this build ran under, as a settings file, with every key that departs from the article's reading."""
    changed = settings.differences(analysis.config)
    if changed:
        lines = [
            f"This build departs from the article's reading in {len(changed)} setting"
            f"{'s' if len(changed) != 1 else ''} (`make book CONFIG=...`):",
            "",
            "| setting | this build | the article's reading |",
            "|---|---|---|",
            *(f"| `{key}` | `{mine}` | `{theirs}` |" for key, mine, theirs in changed),
        ]
    else:
        lines = ["This build uses the article's reading of every setting (no `CONFIG=` file was given)."]
    lines += [
        "",
        "The settings in full, as a file that `--config` and `make book CONFIG=...` accept:",
        "",
        "```toml",
        settings.settings_toml(analysis.config).rstrip(),
        "```",
    ]
    return Markdown("\n".join(lines))


def matching_rules_table(config=DEFAULT) -> pd.DataFrame:
    """The matching rule as the engine runs it, one criterion per row in the order it is checked."""
    rules = config.matching
    statements = {
        "already_matched": "not already used as a control (matching is without replacement)",
        "age": f"age within {rules.max_age_difference_years} years of the case",
        "charlson": f"Charlson index within {rules.max_charlson_difference} points of the case",
        "not_in_hospital": "alive and in hospital on the pseudo date (discharge and death both after it)",
        "improved": "no status below the tocilizumab-day status between tocilizumab and the pseudo date, both included",
        "status_differs": "the same ordinal status on the pseudo date as the case on day 0",
    }
    return pd.DataFrame(
        {
            "order": range(1, len(rules.rejection_order) + 1),
            "rule": list(rules.rejection_order),
            "a candidate passes when": [statements[name] for name in rules.rejection_order],
        }
    )


def tests_by_row(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Which test produced each P-value, and why that test (the stated methods, read as configured)."""
    why = {
        StatisticalTest.CHI2: "n (%) row, every expected count at least 5: Pearson chi-squared without correction",
        StatisticalTest.FISHER: "n (%) row with an expected count below 5: Fisher's exact test, two-sided",
        StatisticalTest.STUDENT_T: "mean ± SD row: Student's t with pooled variance",
        StatisticalTest.WELCH_T: "mean ± SD row: Welch's t",
        StatisticalTest.MANN_WHITNEY_ASYMPTOTIC: "median (IQR) row: Mann-Whitney U, asymptotic with tie correction (SPSS)",
        StatisticalTest.MANN_WHITNEY_EXACT: "median (IQR) row: Mann-Whitney U, exact",
    }
    rows = analysis.regenerated[
        (analysis.regenerated["statistic"] == "p_value") & analysis.regenerated["source"].str.startswith("table")
    ]
    return pd.DataFrame(
        {"table": rows["source"], "variable": rows["variable"], "test": rows["test"], "why": rows["test"].map(why)}
    ).reset_index(drop=True)


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
        "sum_not_computable": int((verdicts == fidelity.NOT_COMPUTABLE).sum()),
        "sum_open": int((verdicts == fidelity.OPEN).sum()),
        "sum_pairs": len(analysis.matched.pairs),
        "sum_unmatched": len(analysis.matched.unmatched),
        "sum_pool": int((analysis.cohort.patients["cohort"] == "historical").sum()),
        "sum_patient_days": len(analysis.cohort.daily_status),
        "sum_log_rows": len(analysis.matched.log),
    }


def sensitivity_summary() -> pd.DataFrame:
    """The committed sensitivity runs, summarised per outcome; empty when the book is built from other data."""
    from anakinra_rescue.examination import sensitivity

    path = DEFAULT_DATA_DIR / SENSITIVITY_FILE
    if not is_default_data() or not path.exists():
        return pd.DataFrame(columns=["outcome", "conclusion"])
    return sensitivity.summarise(pd.read_csv(path))


def sensitivity_cohorts() -> int:
    """How many seeded cohorts the committed sensitivity runs cover (0 for other data)."""
    summary = sensitivity_summary()
    return int(summary["cohorts"].max()) if len(summary) else 0


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

    cohort = io.load_cohort(book_analysis().cohort.directory)  # every measurement: the analysis keeps three columns
    return len(
        plausibility.warnings_for(
            cohort.patients, cohort.daily_status, str(cohort.directory / PATIENTS_FILE), str(cohort.directory / DAILY_STATUS_FILE)
        )
    )


def score_difference_signs(analysis: pipeline.Analysis) -> dict[str, int]:
    """Printed score-difference quartiles each sign convention can reach, and their total (the sign's evidence)."""
    return outcome_proofs.signs_fitting(analysis.record)


def sensitivity_chart():
    """Where the book's cohort sits among the seeded cohorts, per outcome (a sentence when built from other data)."""
    from IPython.display import Markdown

    from anakinra_rescue.book import figures
    from anakinra_rescue.examination import reanalysis
    from anakinra_rescue.reconstruction.reconstruct import DEFAULT_SEED

    path = DEFAULT_DATA_DIR / SENSITIVITY_FILE
    if not is_default_data() or not path.exists():
        return Markdown("*The seeded cohorts describe the synthetic reconstruction only; this book was built from other data.*")
    return figures.sensitivity_strip(pd.read_csv(path), DEFAULT_SEED, reanalysis.ALPHA)


def organism_text(analysis: pipeline.Analysis) -> str:
    """The Results' organism sentence, from infections.csv when the folder has one (its counts glued in)."""
    from anakinra_rescue.engine.outcomes import INFECTION_ROWS

    if analysis.cohort.infections is None:
        return "The article also names the organisms; this folder has no `infections.csv`, so those counts are not computed."
    counts = {name: int(analysis.frame[name].fillna(False).astype(bool).sum()) for name in INFECTION_ROWS}
    named = [
        f"**{count}** with {site.replace('_', ' ')} *{organism}*"
        for (name, count), (site, organism) in zip(counts.items(), INFECTION_ROWS.values())
    ]
    return (
        "Among the infected patients, `infections.csv` records "
        + ", ".join(named[:-1])
        + " and "
        + named[-1]
        + ": the reading of the organisms the article names that the audit takes."
    )


def article_table(analysis: pipeline.Analysis, source: str):
    """Table 1, 2 or 3 in the article's layout, differing numbers coloured with their printed value on hover."""
    from IPython.display import HTML

    from anakinra_rescue.book.article_tables import article_table_html

    return HTML(article_table_html(analysis, source, regenerated_table(analysis, source)))


def article_table_footnote(analysis: pipeline.Analysis, source: str) -> Markdown:
    """The footnote under Table 1, 2 or 3: what each mark means, and the rows by name (which the search indexes)."""
    from anakinra_rescue.book.article_tables import table_footnote

    return Markdown(table_footnote(source, regenerated_table(analysis, source), MARKS, MARK_LABELS))
