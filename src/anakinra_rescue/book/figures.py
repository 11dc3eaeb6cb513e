"""The book's charts: Figure 1 (ordinal status by group and day, as stacked bars) and the Love plot of balance.

Interactive in Altair (the tooltip gives count and percentage) and drawn offline
through :mod:`anakinra_rescue.book.altair_offline`. Colours run along the order of the
scale on a single-hue ramp from light to dark, so the legend still reads in
greyscale.
"""

import altair as alt
import pandas as pd

from anakinra_rescue.examination.balance import THRESHOLD
from schemas.cohort import ORDINAL_SCALE

# Light to dark along the scale; luminance falls monotonically, so the order survives greyscale.
LEVEL_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b", "#000000"]


def figure1_chart(figure: pd.DataFrame) -> alt.Chart:
    """Stacked bars of patients per ordinal level, cases beside controls, one panel per day."""
    data = figure.assign(
        level=figure["ordinal_status"].map(lambda level: f"{level}: {ORDINAL_SCALE[level]}"),
        group_label=figure["group"].map({"anakinra": "Anakinra", "control": "Control"}),
        day_label=figure["day"].map(lambda day: f"Day {day}"),
        pct_label=figure["pct"].round(1),
    )
    levels = [f"{level}: {label}" for level, label in ORDINAL_SCALE.items()]
    return (
        alt.Chart(data)
        .mark_bar(stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("group_label:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title="Patients", stack="zero"),
            color=alt.Color("level:N", sort=levels, scale=alt.Scale(domain=levels, range=LEVEL_COLOURS),
                            legend=alt.Legend(title="6-point ordinal scale", orient="bottom", columns=2)),
            order=alt.Order("ordinal_status:Q", sort="ascending"),
            tooltip=[alt.Tooltip("day_label:N", title="Day"), alt.Tooltip("group_label:N", title="Group"),
                     alt.Tooltip("level:N", title="Status"), alt.Tooltip("n:Q", title="Patients"),
                     alt.Tooltip("pct_label:Q", title="Percent of group")],
            column=alt.Column("day_label:N", title=None, sort=[f"Day {day}" for day in sorted(figure["day"].unique())]),
        )
        .properties(width=110, height=260)
    )


FLAGS = ["0.1 or less", "above 0.1"]


def love_plot(balance: pd.DataFrame) -> alt.LayerChart:
    """Absolute SMD per variable, with the 0.1 threshold as a rule."""
    order = list(balance.sort_values("abs_smd")["variable"])
    points = alt.Chart(balance.assign(flag=balance["imbalanced"].map({True: FLAGS[1], False: FLAGS[0]}))).mark_point(
        filled=True, size=60).encode(
        x=alt.X("abs_smd:Q", title="Absolute standardised mean difference"),
        y=alt.Y("variable:N", sort=order, title=None),
        # Shape and colour share one field, title and domain, so Vega-Lite draws a single legend for both.
        shape=alt.Shape("flag:N", title="|SMD|", scale=alt.Scale(domain=FLAGS, range=["circle", "square"])),
        color=alt.Color("flag:N", title="|SMD|", scale=alt.Scale(domain=FLAGS, range=["#2171b5", "#000000"])),
        tooltip=[alt.Tooltip("variable:N"), alt.Tooltip("smd:Q", format=".3f", title="SMD"),
                 alt.Tooltip("p_value:Q", format=".3f", title="P (article's test)"), alt.Tooltip("test:N")],
    )
    rule = alt.Chart(pd.DataFrame({"threshold": [THRESHOLD]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="threshold:Q")
    return (points + rule).properties(width=420, height=alt.Step(16))


COHORT_KINDS = ["other seeded cohorts", "this book's cohort"]


def sensitivity_strip(rows: pd.DataFrame, committed_seed: int, alpha: float) -> alt.LayerChart:
    """Paired P per outcome, one point per seeded cohort; the book's own cohort drawn apart, and the threshold as a rule."""
    data = rows.assign(cohort=rows["seed"].map(lambda seed: COHORT_KINDS[int(seed == committed_seed)]),
                       paired_p=rows["paired P"], on_top=(rows["seed"] == committed_seed).astype(int))
    points = alt.Chart(data).mark_point(filled=True, opacity=0.8).encode(
        x=alt.X("paired_p:Q", title="Paired P (McNemar or Wilcoxon)", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("outcome:N", title=None, sort=list(dict.fromkeys(rows["outcome"]))),
        shape=alt.Shape("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=["circle", "diamond"])),
        color=alt.Color("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=["#9ecae1", "#08306b"])),
        size=alt.Size("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=[40, 140])),
        order=alt.Order("on_top:Q"),  # the book's cohort is drawn last, over the others
        tooltip=[alt.Tooltip("outcome:N"), alt.Tooltip("seed:Q"), alt.Tooltip("paired_p:Q", format=".3f", title="paired P"),
                 alt.Tooltip("unpaired P:Q", format=".3f")],
    )
    rule = alt.Chart(pd.DataFrame({"alpha": [alpha]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="alpha:Q")
    return (points + rule).properties(width=420, height=alt.Step(22))
