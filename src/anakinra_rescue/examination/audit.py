"""The reproduction audit: every printed number checked against the article's other numbers.

``python -m anakinra_rescue audit --out OUT`` writes ``OUT/audit.csv`` with one
row per printed number: source, variable, group, statistic, published,
recomputed, status, test and explanation. Most checks use the published record
alone; P-values of median rows need data and come from the reconstruction.

Statuses: ``consistent`` (the check reproduces or admits the printed value),
``reproduced_with_other_test`` (a P the counts fix, printed by another test than
the stated rule picks), ``article_inconsistent`` (the check cannot admit it given
the article's other numbers), ``proven_impossible`` (a proof from
:mod:`anakinra_rescue.examination.fidelity`), ``from_reconstruction`` (only data could
check it; the reconstruction's verdict is given) and ``not_checked``. The three
verdicts are :data:`anakinra_rescue.examination.fidelity.VERDICTS`' words.
"""

import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import scipy  # scipy.stats is loaded on first use; see anakinra_rescue.engine.stats

from anakinra_rescue.data import files, published
from anakinra_rescue.data.published import KEYS, printed_decimals, rounding_box
from anakinra_rescue.data.vocabulary import AuditStatus, StatisticalTest, day_column
from anakinra_rescue.engine import frames, pipeline, stats
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT, QUANTILE_METHODS
from anakinra_rescue.engine.outcomes import INFECTION_ROWS
from anakinra_rescue.engine.printed import P_TOLERANCE, exact_u_values, grimmer_sd
from anakinra_rescue.engine.tables import TEXT_SOURCES
from anakinra_rescue.examination import fidelity
from anakinra_rescue.schemas.published import COMPARED_GROUPS

INCONSISTENT = AuditStatus.INCONSISTENT
ORGANISM_ROWS = tuple(INFECTION_ROWS)  # the reading of the Results the engine counts from infections.csv

INTEGER_VARIABLES = {
    "age_years",
    "charlson_index",
    "sofa_score",
    "news_score",
    "symptom_onset_to_day0_days",
    "corticosteroid_to_day0_days",
    "tocilizumab_to_day0_days",
    *(day_column("ordinal_status", day) for day in DEFAULT.outcome_days),
    *(day_column("score_difference", day) for day in DEFAULT.outcome_days),
}


def _lookup(record: pd.DataFrame) -> dict:
    return {(row.source, row.variable, row.group, row.statistic): row.value for row in record.itertuples(index=False)}


def _size(values: dict, group: str) -> int:
    """Patients in an article group, or in both together for "overall" (Table 1's header)."""
    size = int(values[("table1", "group_size", "anakinra", "n")])
    return size if group != "overall" else 2 * size


def _known_for(values: dict, variable: str, group: str) -> int:
    """Patients a row is measured on: the corticosteroid interval only exists for those who received them."""
    if variable == "corticosteroid_to_day0_days" and group != "overall":
        return int(values[("table1", "received_corticosteroids", group, "n")])
    return _size(values, group)


def _rank_sizes(values: dict, source: str, variable: str) -> tuple[int, ...]:
    """Values per group a median row's test runs on: the printed denominators, else the patients measured."""
    return tuple(
        int(values.get((source, variable, group, "denominator"), _known_for(values, variable, group)))
        for group in COMPARED_GROUPS
    )


def _denominator(values: dict, source: str, variable: str, group: str) -> int:
    """The denominator of a group's n (%): the group size, unless the printed percentage implies another."""
    size = _size(values, group)
    n, pct = values.get((source, variable, group, "n")), values.get((source, variable, group, "pct"))
    return size if n is None or pct is None else published.implied_denominator(int(n), pct, size)


def mid_p_fisher(events_a: int, total_a: int, events_b: int, total_b: int) -> float:
    """Two-sided mid-P of Fisher's test: tables less probable than the observed one, plus half the equally probable ones."""
    column = events_a + events_b
    support = range(max(0, column - total_b), min(column, total_a) + 1)
    probabilities = scipy.stats.hypergeom.pmf(list(support), total_a + total_b, column, total_a)
    observed = scipy.stats.hypergeom.pmf(events_a, total_a + total_b, column, total_a)
    tolerance = observed * 1e-7
    less = probabilities[probabilities < observed - tolerance].sum()
    equal = probabilities[np.abs(probabilities - observed) <= tolerance].sum()
    return float(min(less + equal / 2, 1.0))


def categorical_p_candidates(a: int, n_a: int, b: int, n_b: int) -> dict[str, float]:
    """Every defensible P for a 2x2 table: chi-squared without and with Yates, Fisher, Fisher mid-P."""
    return {
        StatisticalTest.CHI2: stats.chi_squared(a, n_a, b, n_b).p_value,
        StatisticalTest.CHI2_YATES: stats.chi_squared(a, n_a, b, n_b, yates=True).p_value,
        StatisticalTest.FISHER: stats.fisher_exact(a, n_a, b, n_b).p_value,
        "fisher_mid_p": mid_p_fisher(a, n_a, b, n_b),
    }


def _box_grid(printed: str, points: int = 5) -> np.ndarray:
    """``points`` values spread over the rounding box of a printed number, both ends included."""
    low, high = rounding_box(printed)
    return np.linspace(low, high, points)


def t_p_range(mean_a: str, sd_a: str, mean_b: str, sd_b: str, equal: bool, n: int) -> tuple[float, float]:
    """Smallest and largest t-test P over the rounding boxes of the printed means and SDs."""
    grid = [_box_grid(value) for value in (mean_a, sd_a, mean_b, sd_b)]
    ps = [
        stats.t_test_from_summary(m1, s1, n, m2, s2, n, equal).p_value
        for m1 in grid[0]
        for s1 in grid[1]
        for m2 in grid[2]
        for s2 in grid[3]
    ]
    return min(ps), max(ps)


def grim_mean(printed: str, n: int, granularity: float = 1.0) -> bool:
    """GRIM: can n values on a grid of ``granularity`` have a mean that prints as ``printed``?"""
    low, high = rounding_box(printed)
    return math.floor(high * n / granularity - 1e-9) >= math.ceil(low * n / granularity)


@functools.lru_cache(maxsize=64)
def _two_value_quantiles(fraction: float, n: int, max_gap: int) -> dict[str, np.ndarray]:
    """Each definition's ``fraction`` quantile of every dataset of 0 repeated k times and g repeated n - k times
    (what :func:`quantile_definitions_allowing` shifts towards a printed value); the same for every printed value,
    so computed once per (fraction, n, max_gap). Read-only arrays."""
    jumps, gaps = np.meshgrid(np.arange(1, n), np.arange(0, max_gap + 1), indexing="ij")
    positions = np.arange(n)[None, :]
    data = np.where(positions < jumps.reshape(-1, 1), 0, gaps.reshape(-1, 1)).astype(float)
    found = {}
    for method in QUANTILE_METHODS:  # every numpy definition, SPSS's HAVERAGE (weibull) among them
        base = np.percentile(data, 100 * fraction, axis=1, method=method)  # type: ignore[call-overload]
        base.flags.writeable = False
        found[method] = base
    return found


def quantile_definitions_allowing(printed: str, statistic: str, n: int, max_gap: int = 80) -> list[str]:
    """Which numpy/R quantile definitions can give an integer variable's printed quartile with n values.

    Every definition here reads at most two neighbouring order statistics and is
    translation-equivariant, so it suffices to try data made of two values, 0
    repeated k times and g repeated n - k times (gaps g up to ``max_gap``),
    shifted by the integers that bring the result nearest the printed value.
    """
    fraction = {"q1": 0.25, "median": 0.5, "q3": 0.75}[statistic]
    target = float(printed)
    allowed = []
    for method, base in _two_value_quantiles(fraction, n, max_gap).items():
        shifts = np.unique(np.concatenate([np.floor(target - base), np.ceil(target - base)]))
        candidates = np.round((base[:, None] + shifts[None, :]).ravel(), 9)
        near = np.unique(candidates[np.abs(candidates - target) < 1])  # the only ones that can print as the target
        if any(prints_as(printed, float(value)) for value in near):
            allowed.append(method)
    return allowed


def interval_candidates(events_anakinra: int, events_control: int, n: int) -> dict[str, tuple[float, float]]:
    """95% intervals a Table 3 column could be: risk difference, risk ratio and odds ratio, both directions."""
    found = {}
    for label, (a, b) in {
        "anakinra_vs_control": (events_anakinra, events_control),
        "control_vs_anakinra": (events_control, events_anakinra),
    }.items():
        rd = stats.risk_difference_wald(a, n, b, n)
        found[f"risk_difference_wald_{label}"] = (rd.ci_low, rd.ci_high)
        odds = stats.odds_ratio_woolf(a, n, b, n)
        found[f"odds_ratio_woolf_{label}"] = (odds.ci_low, odds.ci_high)
        if a and b:
            ratio = stats.risk_ratio_log(a, n, b, n)
            found[f"risk_ratio_log_{label}"] = (ratio.ci_low, ratio.ci_high)
    return found


REPEATS_IGNORED = ("1.000", "<0.001")  # P-values that many unrelated rows print


TABLES = ("table1", "table2", "table3")


def repeated_p_values(record: pd.DataFrame) -> pd.DataFrame:
    """P-values the tables print for more than one row: p_value and rows ("table: row"); a copy error is possible.

    Only repeats that include a mean or median row are listed: two count rows with the same counts share a
    P-value by arithmetic. The text's P-values repeat the tables' on purpose and are left out, as are 1.000
    and <0.001."""
    p_values = record[(record["statistic"] == "p_value") & record["source"].isin(TABLES) & ~record["value"].isin(REPEATS_IGNORED)]
    summarised = record[record["statistic"].isin(["mean", "median"])]
    continuous = set(zip(summarised["source"], summarised["variable"]))
    p_values = p_values.assign(continuous=[key in continuous for key in zip(p_values["source"], p_values["variable"])])
    repeated = p_values[p_values.duplicated("value", keep=False)]
    repeated = repeated[repeated.groupby("value")["continuous"].transform("any")]
    labelled = repeated.assign(
        row=[f"{table_name(source)}: {variable}" for source, variable in zip(repeated["source"], repeated["variable"])]
    )
    grouped = labelled.groupby("value", sort=True)["row"].agg(lambda names: ", ".join(names))
    return grouped.rename("rows").reset_index().rename(columns={"value": "p_value"})


def _checked(printed: str, recomputed: float, shown: str, test: str, explanation: str) -> tuple[str, AuditStatus, str, str]:
    """An audit row's (recomputed, status, test, explanation): consistent when ``recomputed`` prints as ``printed``."""
    status = AuditStatus.CONSISTENT if prints_as(printed, recomputed) else AuditStatus.INCONSISTENT
    return shown, status, test, explanation


def audit_rows(record: pd.DataFrame, reconstruction: pd.DataFrame | None = None) -> pd.DataFrame:
    """One audit row per printed number; a P-value printed for several rows of its table says so."""
    values = _lookup(record)
    proofs = {
        tuple(row[:4]): (row[4], row[5])
        for row in fidelity.record_evidence(record)[0].itertuples(index=False, name=None)
        if row[4] in (fidelity.PROVEN, fidelity.INCONSISTENT)
    }
    recon = (
        {}
        if reconstruction is None
        else {tuple(row[:4]): row for row in reconstruction[KEYS + ["regenerated", "verdict"]].itertuples(index=False, name=None)}
    )
    repeats = dict(zip(*repeated_p_values(record).to_dict("list").values()))
    rows = []
    for row in record.itertuples(index=False):
        key = (row.source, row.variable, row.group, row.statistic)
        checked = _check(key, row.value, values, proofs, recon)
        shared = repeats.get(row.value) if row.statistic == "p_value" and row.source in TABLES else None
        if shared:
            others = ", ".join(name for name in shared.split(", ") if name != f"{table_name(row.source)}: {row.variable}")
            checked = (*checked[:3], f"{checked[3]}; the same P is printed for {others} (a copy error is possible)")
        rows.append((*key, row.value, *checked))
    audit = pd.DataFrame(rows, columns=[*KEYS, "published", "recomputed", "status", "test", "explanation"])
    return frames.checked(audit, frames.AuditRows)


def table_name(source: str) -> str:
    return published.SOURCE_TITLES[source].split(":")[0]


def _check(key, printed, values, proofs, recon):
    source, variable, group, statistic = key
    if key in proofs:
        return "", proofs[key][0], "", proofs[key][1]
    cross = _cross_section(key, printed, values)
    if cross is not None:
        return cross
    if statistic == "pct" and (source, variable, group, "n") in values:
        n = int(values[(source, variable, group, "n")])
        denominator = _denominator(values, source, variable, group)
        recomputed = 100 * n / denominator
        return _checked(
            printed,
            recomputed,
            f"{recomputed:.{printed_decimals(printed)}f}",
            "count/denominator",
            f"{n}/{denominator} = {recomputed:.2f}%",
        )
    if statistic == "p_value" and (source, variable, "anakinra", "n") in values and (source, variable, "control", "n") in values:
        a, b = int(values[(source, variable, "anakinra", "n")]), int(values[(source, variable, "control", "n")])
        n_a, n_b = _denominator(values, source, variable, "anakinra"), _denominator(values, source, variable, "control")
        candidates = categorical_p_candidates(a, n_a, b, n_b)
        reproducing = [name for name, p in candidates.items() if prints_as(printed, p)]
        ruled = stats.categorical_test(a, n_a, b, n_b).test
        status = AuditStatus.CONSISTENT if ruled in reproducing else AuditStatus.OTHER_TEST if reproducing else INCONSISTENT
        shown = ", ".join(f"{name} {p:.3f}" for name, p in candidates.items())
        return (
            f"{candidates[ruled]:.3f}",
            status,
            ",".join(reproducing) or "none",
            f"{a}/{n_a} vs {b}/{n_b}: {shown}; the stated rule picks {ruled}",
        )
    if statistic == "p_value" and (source, variable, "anakinra", "mean") in values:
        printed_stats = [values[(source, variable, g, s)] for g in COMPARED_GROUPS for s in ("mean", "sd")]
        found = []
        for name, equal in ((StatisticalTest.STUDENT_T, True), (StatisticalTest.WELCH_T, False)):
            low, high = t_p_range(*printed_stats, equal, _size(values, "anakinra"))
            if low - P_TOLERANCE <= float(printed) <= high + P_TOLERANCE:
                found.append(name)
        return (
            "",
            AuditStatus.CONSISTENT if StatisticalTest.STUDENT_T in found else AuditStatus.OTHER_TEST if found else INCONSISTENT,
            ",".join(found) or "none",
            "a P inside the range the rounded means and SDs allow" if found else "no mean and SD within rounding gives this P",
        )
    if statistic == "mean" and variable in INTEGER_VARIABLES:
        n = _size(values, group)
        ok = grim_mean(printed, n)
        return (
            "",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            "GRIM",
            f"a mean of {n} whole numbers can{'' if ok else 'not'} print as {printed}",
        )
    if statistic == "sd" and variable in INTEGER_VARIABLES and (source, variable, group, "mean") in values:
        n = _size(values, group)
        ok = grimmer_sd(values[(source, variable, group, "mean")], printed, n)
        return (
            "",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            "GRIMMER",
            f"whole-number data with this mean can{'' if ok else 'not'} have this SD",
        )
    if statistic in ("q1", "median", "q3") and variable in INTEGER_VARIABLES and group in (*COMPARED_GROUPS, "overall"):
        n = _known_for(values, variable, group)
        allowed = quantile_definitions_allowing(printed, statistic, n)
        ok = "weibull" in allowed
        return (
            "",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            ",".join(allowed) or "none",
            f"with n = {n}, quantile definitions that can print {printed}: {', '.join(allowed) or 'none'} "
            "(SPSS HAVERAGE = weibull)",
        )
    if statistic in ("q1", "median", "q3") and all((source, variable, group, name) in values for name in ("q1", "median", "q3")):
        q1, median, q3 = (float(values[(source, variable, group, name)]) for name in ("q1", "median", "q3"))
        ok = q1 <= median <= q3
        return (
            "",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            "quartile order",
            f"Q1 {q1:g} <= median {median:g} <= Q3 {q3:g}"
            + ("" if ok else " fails")
            + "; a continuous measurement can take any value in between, so no finer check applies",
        )
    if statistic in ("ci_low", "ci_high") and source == "table3":
        a, b = int(values[(source, variable, "anakinra", "n")]), int(values[(source, variable, "control", "n")])
        reproducing = [
            name
            for name, interval in interval_candidates(a, b, _size(values, "anakinra")).items()
            if prints_as(printed, interval[0 if statistic == "ci_low" else 1])
        ]
        return (
            "",
            AuditStatus.CONSISTENT if reproducing else INCONSISTENT,
            ",".join(reproducing) or "none",
            "the column is headed 'absolute risk difference', but the printed bound is "
            + (reproducing[0].replace("_", " ") if reproducing else "none of the candidates"),
        )
    if statistic == "p_value" and (source, variable, "anakinra", "median") in values and source != "table3":
        sizes = _rank_sizes(values, source, variable)
        u_values = exact_u_values(printed, *sizes)
        exact = f"with {sizes[0]} vs {sizes[1]} values, SPSS's exact Mann-Whitney P prints as {printed} " + (
            f"for U = {', '.join(map(str, u_values))}" if u_values else "for no whole U"
        )
        if u_values:
            return ("", AuditStatus.CONSISTENT, StatisticalTest.MANN_WHITNEY_EXACT, exact)
        regenerated, verdict = recon[key][4:6] if key in recon else ("", "")
        return (
            regenerated,
            AuditStatus.FROM_RECONSTRUCTION if key in recon else AuditStatus.NOT_CHECKED,
            "",
            exact
            + "; the asymptotic P depends on the ties, which only data can check"
            + (f"; the reconstruction gives {regenerated or 'nothing'} ({verdict})" if key in recon else ""),
        )
    if key in recon:
        regenerated, status = recon[key][4], recon[key][5]
        return (
            regenerated,
            AuditStatus.FROM_RECONSTRUCTION,
            "",
            f"only data can check this; the reconstruction gives {regenerated or 'nothing'} ({status})",
        )
    return "", AuditStatus.NOT_CHECKED, "", "no check applies from the printed numbers alone"


TEXT_TO_TABLE = {"pao2_fio2_le_100": "pao2_fio2_lt_100"}
BELOW_200 = 200.0  # the Discussion's PaO2:FiO2 threshold


def pooled_sd_range(values: dict, source: str, variable: str) -> tuple[float, float]:
    """Range of the SD of both groups together, over the rounding boxes of the printed group means and SDs."""
    n = _size(values, "anakinra")
    boxes = [
        rounding_box(values[(source, variable, group, statistic)]) for group in COMPARED_GROUPS for statistic in ("mean", "sd")
    ]
    found = []
    for m1 in np.linspace(boxes[0][0], boxes[0][1], 5):
        for s1 in np.linspace(boxes[1][0], boxes[1][1], 5):
            for m2 in np.linspace(boxes[2][0], boxes[2][1], 5):
                for s2 in np.linspace(boxes[3][0], boxes[3][1], 5):
                    total = (n - 1) * s1**2 + (n - 1) * s2**2 + n * n / (2 * n) * (m1 - m2) ** 2
                    found.append(math.sqrt(total / (2 * n - 1)))
    return min(found), max(found)


def _cross_section(key, printed, values):
    """Abstract, Results and Discussion numbers against the tables."""
    source, variable, group, statistic = key
    if source not in TEXT_SOURCES:
        return None
    if variable == "pao2_fio2_lt_200" and statistic == "pct":
        bands = [name for name, _, high in DEFAULT.pao2_fio2_bands if high <= BELOW_200]
        below = sum(int(values[("table2", name, group, "n")]) for name in bands)
        recomputed = 100 * below / _size(values, group)
        return _checked(
            printed,
            recomputed,
            f"{recomputed:.0f}",
            "table2 bands",
            f"{below}/{_size(values, group)} from Table 2's bands {' + '.join(bands)}",
        )
    if variable in ORGANISM_ROWS:
        # Read naturally, the Results name two Klebsiella pneumonias and then the catheter bacteraemias of the
        # remaining patients (two Enterococcus faecalis, one coagulase-negative staphylococcus): 2 + 2 + 1.
        infected = sum(int(values[("results", "bacterial_infection", group, "n")]) for group in COMPARED_GROUPS)
        named = sum(int(values[("results", name, "overall", "n")]) for name in ORGANISM_ROWS)
        return (
            str(named),
            AuditStatus.CONSISTENT if named == infected else INCONSISTENT,
            "count of the organisms",
            "read as "
            + " + ".join(
                f"{values[('results', name, 'overall', 'n')]} {INFECTION_ROWS[name][0]} {INFECTION_ROWS[name][1]}"
                for name in ORGANISM_ROWS
            )
            + f" (one infection per patient, as counted from infections.csv), the organisms name {named} patients; "
            f"{infected} had an infection",
        )
    table_variable = TEXT_TO_TABLE.get(variable, variable)
    for table in ("table1", "table2", "table3"):
        same = values.get((table, table_variable, group, statistic))
        if same is not None:
            equal = float(same) == float(printed)
            label = f" (the text's label differs: {variable} vs {table_variable})" if table_variable != variable else ""
            return (same, AuditStatus.CONSISTENT if equal else INCONSISTENT, f"same as {table}", f"{table} prints {same}{label}")
    if group == "overall" and statistic == "pct" and ("table1", variable, "anakinra", "n") in values:
        total = int(values[("table1", variable, "anakinra", "n")]) + int(values[("table1", variable, "control", "n")])
        recomputed = 100 * total / _size(values, "overall")
        return _checked(
            printed, recomputed, f"{recomputed:.0f}", "table1 counts", f"{total}/{_size(values, 'overall')} from Table 1"
        )
    if group == "overall" and statistic == "mean" and ("table1", variable, "anakinra", "mean") in values:
        means = [float(values[("table1", variable, g, "mean")]) for g in COMPARED_GROUPS]
        ok = prints_as(printed, sum(means) / 2) or abs(sum(means) / 2 - float(printed)) <= 0.05
        return (
            f"{sum(means) / 2:.2f}",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            "table1 means",
            "mean of the two group means (equal groups)",
        )
    if group == "overall" and statistic == "sd" and ("table1", variable, "anakinra", "sd") in values:
        low, high = pooled_sd_range(values, "table1", variable)
        ok = low - 0.05 <= float(printed) < high + 0.05
        return (
            f"{low:.2f}-{high:.2f}",
            AuditStatus.CONSISTENT if ok else INCONSISTENT,
            "table1 means and SDs",
            f"the SD of all 40 implied by Table 1's group means and SDs lies in {low:.2f}-{high:.2f}",
        )
    return None


def status_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """Audit rows per status."""
    return audit["status"].value_counts().rename_axis("status").reset_index(name="printed numbers")


def write_audit(audit: pd.DataFrame, out: Path) -> Path:
    """Write OUT/audit.csv."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / files.AUDIT_FILE
    return pipeline.write_csv(audit, path)


def findings(audit: pd.DataFrame) -> pd.DataFrame:
    """The rows a clinician should look at: inconsistent or proven impossible."""
    return audit[audit["status"].isin([INCONSISTENT, fidelity.PROVEN])].reset_index(drop=True)


def p_value_checks(audit: pd.DataFrame) -> pd.DataFrame:
    """P-values recomputed from printed numbers, with the tests that reproduce them."""
    rows = audit[(audit["statistic"] == "p_value") & (audit["test"] != "")]
    return rows[["source", "variable", "published", "status", "test", "explanation"]].reset_index(drop=True)


def reconciliation(audit: pd.DataFrame, compared: pd.DataFrame) -> pd.DataFrame:
    """The audit's status of each printed number (is it consistent with the rest of the article?) against its
    fidelity verdict (does the cohort reproduce it?): one row per status, one column per verdict, with totals, so
    that the two chapters' counts of the same numbers can be read side by side."""
    keys = ["source", "variable", "group", "statistic"]
    both = audit[keys + ["status"]].merge(compared[keys + ["verdict"]], on=keys, how="left")
    both["verdict"] = both["verdict"].fillna("not compared")
    table = pd.crosstab(both["status"], both["verdict"], margins=True, margins_name="all")
    return table.rename_axis(index="audit status", columns="fidelity verdict")
