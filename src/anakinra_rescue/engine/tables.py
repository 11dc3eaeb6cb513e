"""Tables 1-3 and Figure 1, regenerated from the per-patient frame of :mod:`anakinra_rescue.engine.outcomes`.

Each table comes in two forms:

* ``*_tidy``: one row per number, keyed exactly like ``data/published``
  (source, variable, group, statistic), with the unrounded value and, for
  P-values and intervals, the name of the test that produced them;
* the display frame (:func:`display_table`, :func:`display_tables`): the article's row order and
  conventions, n (%), mean ± SD, median (Q1–Q3).

The test behind each row follows ``config.StudyConfig``: Fisher when any
expected count is below 5, otherwise chi-squared, for n (%) rows; Student's t
for mean ± SD rows; Mann-Whitney for median rows.
"""

import math
from dataclasses import dataclass

import pandas as pd

from anakinra_rescue.data.published import round_as_printed
from anakinra_rescue.data.vocabulary import StatisticalTest, day_column, score_difference_column
from anakinra_rescue.engine import stats
from anakinra_rescue.engine.config import DEFAULT, TEST_NAMES, StudyConfig
from anakinra_rescue.engine.outcomes import INFECTION_ROWS
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS
from anakinra_rescue.schemas.published import COMPARED_GROUPS

GROUPS = COMPARED_GROUPS


@dataclass(frozen=True)
class RowSpec:
    """One row of a table: which per-patient column, how it is summarised, and what is printed with it."""

    variable: str
    kind: str  # "binary" (n (%)), "count" (n (%) without test), "mean_sd" or "median_iqr"
    column: str | None = None
    with_p: bool = True
    with_interval: bool = False
    with_denominator: bool = False

    @property
    def source_column(self) -> str:
        return self.column or self.variable


def _rows(kind: str, *variables: str, **options) -> list[RowSpec]:
    return [RowSpec(variable, kind, **options) for variable in variables]


TABLE1_ROWS = [
    RowSpec("age_years", "mean_sd"),
    *_rows("binary", "male_sex", "ethnicity_hispanic", "ethnicity_caucasian"),
    RowSpec("charlson_index", "median_iqr"),
    *_rows(
        "binary",
        "cardiovascular_disease",
        "diabetes",
        "obesity",
        "chronic_lung_disease",
        "immunosuppression",
        "chronic_kidney_disease",
        "chronic_liver_disease",
        "current_or_former_smoker",
    ),
    *_rows("median_iqr", "symptom_onset_to_day0_days", "lymphocytes_nadir_1e9_per_l"),
    RowSpec("ferritin_peak_ng_ml", "median_iqr", with_denominator=True),
    *_rows("median_iqr", "crp_peak_mg_dl", "ldh_peak_u_l"),
    RowSpec("d_dimer_peak_ng_ml", "median_iqr", with_denominator=True),
    *_rows(
        "binary",
        "received_hydroxychloroquine",
        "received_lopinavir_ritonavir",
        "received_azithromycin",
        "received_interferon_beta",
        "received_corticosteroids",
    ),
    *_rows("median_iqr", "corticosteroid_to_day0_days", "tocilizumab_to_day0_days"),
]


def table2_rows(config: StudyConfig = DEFAULT) -> list[RowSpec]:
    """Table 2's rows; the PaO2:FiO2 bands come from the configuration."""
    return [
        *_rows("mean_sd", "temperature_c", "respiratory_rate_rpm", "heart_rate_bpm", "pao2_fio2_ratio"),
        *_rows("binary", *(name for name, _, _ in config.pao2_fio2_bands)),
        RowSpec("lymphocytes_1e9_per_l", "median_iqr"),
        *_rows("median_iqr", "crp_mg_dl", "ldh_u_l", "ferritin_ng_ml", "d_dimer_ng_ml", with_denominator=True),
        *_rows("median_iqr", "sofa_score", "news_score"),
        *_rows("count", *(f"ordinal_status_{level}" for level in ORDINAL_LEVELS), with_p=False),
    ]


def table3_rows(config: StudyConfig = DEFAULT) -> list[RowSpec]:
    """Table 3's rows; the score-difference sign convention comes from the configuration."""
    rows = []
    for day in config.outcome_days:
        rows += [
            RowSpec(day_column("improvement", day), "binary", with_interval=True),
            RowSpec(day_column("ordinal_status", day), "median_iqr"),
            RowSpec(
                day_column("score_difference", day),
                "median_iqr",
                column=score_difference_column(day, config.score_difference_sign),
            ),
        ]
    rows += [RowSpec(day_column("mortality", day), "binary", with_interval=True) for day in config.mortality_days]
    rows += [RowSpec(day_column("discharge", day), "binary", with_interval=True) for day in config.discharge_days]
    rows.append(RowSpec("in_hospital_mortality", "binary", with_interval=True))
    return rows


TEXT_SOURCES = ("abstract", "results", "discussion")  # the parts of the article that quote numbers in sentences
# Quantities the text quotes that are not rows of a table.
TEXT_ONLY_ROWS = [
    *_rows(
        "binary", "thromboembolic_event", "transaminase_rise_3x", "bacterial_infection", "pao2_fio2_le_100", "pao2_fio2_lt_200"
    ),
    *_rows("count", *INFECTION_ROWS, with_p=False),  # present only when the folder has infections.csv
]


def _values(frame: pd.DataFrame, column: str, group: str) -> pd.Series:
    # the column first, then the rows: a boolean row selection of the whole frame copies every column
    return frame[column] if group == "overall" else frame.loc[frame["group"] == group, column]


def summarise(frame: pd.DataFrame, spec: RowSpec, group: str, quantile_method: str = DEFAULT.quantile_method) -> dict[str, float]:
    """The statistics of one row for one group (or 'overall'), unrounded."""
    values = _values(frame, spec.source_column, group)
    known = values.dropna()
    if spec.kind in ("binary", "count"):
        events = int(known.astype(bool).sum())
        return {"n": events, "denominator": len(known), "pct": 100 * events / len(known) if len(known) else math.nan}
    numbers = known.astype(float).to_numpy()
    if spec.kind == "mean_sd":
        return {
            "mean": float(numbers.mean()) if numbers.size else math.nan,
            "sd": float(numbers.std(ddof=1)) if numbers.size > 1 else math.nan,
            "denominator": numbers.size,
        }
    q1, median, q3 = stats.quartiles(numbers, quantile_method)
    return {"median": median, "q1": q1, "q3": q3, "denominator": numbers.size}


def rank_test_for(variable: str, config: StudyConfig = DEFAULT) -> str:
    """The Mann-Whitney variant of a median row: Table 3's status and score-difference rows have their own."""
    outcome = variable.startswith(("ordinal_status_day", "score_difference_day"))
    return config.test_for_outcome_median_rows if outcome else config.test_for_median_rows


def test_name_for(variable: str, kind: str, config: StudyConfig = DEFAULT) -> str:
    """The test a continuous row's P-value comes from: the row's override, else its kind's rule."""
    override = dict(config.test_overrides).get(variable)
    if override is not None:
        return override
    return config.test_for_mean_sd_rows if kind == "mean_sd" else rank_test_for(variable, config)


def compare_groups(frame: pd.DataFrame, spec: RowSpec, config: StudyConfig = DEFAULT) -> stats.TestResult:
    """The between-group test of one row, chosen as the configuration says."""
    a = _values(frame, spec.source_column, "anakinra").dropna()
    b = _values(frame, spec.source_column, "control").dropna()
    override = dict(config.test_overrides).get(spec.variable)
    if override is not None:
        return named_test(override, a, b)
    if spec.kind == "binary":
        return stats.categorical_test(
            int(a.astype(bool).sum()), len(a), int(b.astype(bool).sum()), len(b), config.fisher_expected_below
        )
    return named_test(config.test_for_mean_sd_rows if spec.kind == "mean_sd" else rank_test_for(spec.variable, config), a, b)


def named_test(name: str, a, b) -> stats.TestResult:
    """Run the test called ``name`` on two groups' values (a per-row override of the default rule); ``a`` and ``b``
    are Series or arrays."""
    a, b = pd.Series(a), pd.Series(b)
    if name in (StatisticalTest.CHI2, StatisticalTest.CHI2_YATES, StatisticalTest.FISHER):
        counts = (int(a.astype(bool).sum()), len(a), int(b.astype(bool).sum()), len(b))
        return (
            stats.fisher_exact(*counts)
            if name == StatisticalTest.FISHER
            else stats.chi_squared(*counts, yates=name == StatisticalTest.CHI2_YATES)
        )
    if name in (StatisticalTest.STUDENT_T, StatisticalTest.WELCH_T):
        return stats.student_t(a.astype(float), b.astype(float), equal_variances=name == StatisticalTest.STUDENT_T)
    if name in (StatisticalTest.MANN_WHITNEY_ASYMPTOTIC, StatisticalTest.MANN_WHITNEY_EXACT):
        return stats.mann_whitney(a.astype(float), b.astype(float), exact=name == StatisticalTest.MANN_WHITNEY_EXACT)
    raise ValueError(f"unknown test {name!r}; choose one of: {', '.join(TEST_NAMES)}")


def interval(frame: pd.DataFrame, spec: RowSpec) -> stats.Estimate:
    """Table 3's interval column: the odds ratio of control versus anakinra with Woolf's CI (what the article prints)."""
    a = _values(frame, spec.source_column, "anakinra").dropna().astype(bool)
    b = _values(frame, spec.source_column, "control").dropna().astype(bool)
    return stats.odds_ratio_woolf(int(b.sum()), len(b), int(a.sum()), len(a))


def tidy_rows(frame: pd.DataFrame, specs: list[RowSpec], source: str, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Long form of a table: source, variable, group, statistic, value, test."""
    records = [(source, "group_size", group, "n", float((frame["group"] == group).sum()), "") for group in GROUPS]
    for spec in specs:
        for group in GROUPS:
            summary = summarise(frame, spec, group, config.quantile_method)
            for statistic, value in summary.items():
                if statistic == "denominator" and not (spec.with_denominator or spec.kind in ("binary", "count")):
                    continue
                records.append((source, spec.variable, group, statistic, float(value), ""))
        if spec.kind == "binary":  # how many patients the row is known for, both groups together
            records.append(
                (
                    source,
                    spec.variable,
                    "overall",
                    "denominator",
                    float(summarise(frame, spec, "overall", config.quantile_method)["denominator"]),
                    "",
                )
            )
        if spec.with_p:
            result = compare_groups(frame, spec, config)
            records.append((source, spec.variable, "comparison", "p_value", result.p_value, result.test))
        if spec.with_interval:
            estimate = interval(frame, spec)
            records.append(
                (
                    source,
                    spec.variable,
                    "comparison",
                    "ci_low",
                    estimate.ci_low,
                    StatisticalTest.ODDS_RATIO_WOOLF_CONTROL_VS_ANAKINRA,
                )
            )
            records.append(
                (
                    source,
                    spec.variable,
                    "comparison",
                    "ci_high",
                    estimate.ci_high,
                    StatisticalTest.ODDS_RATIO_WOOLF_CONTROL_VS_ANAKINRA,
                )
            )
    return pd.DataFrame(records, columns=["source", "variable", "group", "statistic", "value", "test"])


def table1_tidy(frame, config=DEFAULT):
    """Table 1 (baseline characteristics) in long form."""
    return tidy_rows(frame, TABLE1_ROWS, "table1", config)


def table2_tidy(frame, config=DEFAULT):
    """Table 2 (status on day 0) in long form."""
    return tidy_rows(frame, table2_rows(config), "table2", config)


def table3_tidy(frame, config=DEFAULT):
    """Table 3 (outcomes) in long form."""
    return tidy_rows(frame, table3_rows(config), "table3", config)


def _format_number(value: float | None, decimals: int | None = None) -> str:
    """Half-up rounding, as the comparison with the printed numbers rounds (65.25 shows as 65.3).

    With ``decimals=None`` (quartiles, which the article prints at the precision the data give) up to two
    decimals are shown and trailing zeros dropped.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round_as_printed(value, 2 if decimals is None else decimals)
    text = f"{rounded:,.{2 if decimals is None else decimals}f}"
    return text.rstrip("0").rstrip(".") if decimals is None and "." in text else text


# Table 3's interval column: what the article prints under "absolute risk difference" is this interval.
INTERVAL_COLUMN = "odds_ratio_95ci_control_vs_anakinra"


def display_table(tidy: pd.DataFrame, config: StudyConfig = DEFAULT, suppressed_below: int = 0) -> pd.DataFrame:
    """The article's layout: a row per variable, n (%), mean ± SD or median (Q1–Q3) per group, P and its test.

    Decimals follow ``config.display``: a percentage is whole when its row is known for the whole group. A count
    the caller withheld (NaN) prints as "<k" for ``suppressed_below`` = k (:mod:`anakinra_rescue.book.disclosure`).
    """
    rules = config.display
    sizes = tidy[tidy["variable"] == "group_size"].set_index("group")["value"]
    rows = []
    for variable, part in tidy.groupby("variable", sort=False):
        if variable == "group_size":
            continue
        cells = {group: dict(zip(sub["statistic"], sub["value"])) for group, sub in part.groupby("group")}
        row = {"variable": variable}
        for group in GROUPS:
            cell = cells.get(group, {})
            if "pct" in cell and pd.isna(cell["n"]):  # withheld by the caller (a small count in an aggregate report)
                row[group] = f"<{suppressed_below}" if suppressed_below > 1 else "–"
            elif "pct" in cell:
                complete = int(cell["denominator"]) == int(sizes.get(group, -1))
                decimals = rules.percent_decimals_complete if complete else rules.percent_decimals_incomplete
                row[group] = f"{int(cell['n'])} ({_format_number(cell['pct'], decimals)})"
            elif "mean" in cell:
                row[group] = (
                    f"{_format_number(cell['mean'], rules.mean_sd_decimals)} ± "
                    f"{_format_number(cell['sd'], rules.mean_sd_decimals)}"
                )
            else:
                row[group] = (
                    f"{_format_number(cell.get('median'))} ({_format_number(cell.get('q1'))}–{_format_number(cell.get('q3'))})"
                )
        comparison = part[part["group"] == "comparison"].set_index("statistic")
        has_p = "p_value" in comparison.index
        row["p_value"] = _format_number(comparison.loc["p_value", "value"], rules.p_value_decimals) if has_p else ""
        row["test"] = comparison.loc["p_value", "test"] if has_p else ""
        if "ci_low" in comparison.index:
            row[INTERVAL_COLUMN] = (
                f"{_format_number(comparison.loc['ci_low', 'value'], rules.interval_decimals)}–"
                f"{_format_number(comparison.loc['ci_high', 'value'], rules.interval_decimals)}"
            )
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


TIDY_BUILDERS = {"table1": table1_tidy, "table2": table2_tidy, "table3": table3_tidy}


def display_tables(frame: pd.DataFrame, config: StudyConfig = DEFAULT) -> dict[str, pd.DataFrame]:
    """Tables 1-3 as displayed, keyed by source name (table1: baseline, table2: day 0, table3: outcomes)."""
    return {source: display_table(build(frame, config), config) for source, build in TIDY_BUILDERS.items()}


def figure1_ordinal_status(frame: pd.DataFrame, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Figure 1's data: patients per ordinal level on days 0, 7, 14 and 21, by group, with percentages of known status."""
    records = []
    for day in config.figure_days:
        for group in GROUPS:
            status = _values(frame, day_column("ordinal_status", day), group).dropna().astype(int)
            for level in ORDINAL_LEVELS:
                count = int((status == level).sum())
                records.append((day, group, level, count, 100 * count / len(status) if len(status) else math.nan))
    return pd.DataFrame(records, columns=["day", "group", "ordinal_status", "n", "pct"])


def text_numbers_tidy(frame: pd.DataFrame, published: pd.DataFrame, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Regenerate the numbers the Abstract, Results and Discussion quote, for every key of theirs that the data can give."""
    specs = {spec.variable: spec for spec in [*TABLE1_ROWS, *table2_rows(config), *table3_rows(config), *TEXT_ONLY_ROWS]}
    wanted = published[published["source"].isin(TEXT_SOURCES)]
    records = []
    for key in wanted.itertuples(index=False):
        if key.variable == "group_size" and key.group in GROUPS:
            records.append((*key[:4], float((frame["group"] == key.group).sum()), ""))
            continue
        spec = specs.get(key.variable)
        if spec is None or spec.source_column not in frame.columns:
            continue
        if key.group == "comparison":
            if key.statistic == "p_value":
                result = compare_groups(frame, spec, config)
                records.append((*key[:4], result.p_value, result.test))
            continue
        value = summarise(frame, spec, key.group, config.quantile_method).get(key.statistic)
        if value is not None:
            records.append((*key[:4], float(value), ""))
    return pd.DataFrame(records, columns=["source", "variable", "group", "statistic", "value", "test"])


def all_tidy(frame: pd.DataFrame, published: pd.DataFrame, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Every regenerated number of Tables 1-3, the Abstract and the Results, in long form."""
    return pd.concat(
        [
            table1_tidy(frame, config),
            table2_tidy(frame, config),
            table3_tidy(frame, config),
            text_numbers_tidy(frame, published, config),
        ],
        ignore_index=True,
    )


def figure1_counts(figure: pd.DataFrame) -> pd.DataFrame:
    """Figure 1's counts as a table: a row per day and level, a column per group."""
    return figure.pivot_table(index=["day", "ordinal_status"], columns="group", values="n", aggfunc="sum").astype(int)
