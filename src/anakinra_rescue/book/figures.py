"""The book's charts: Figure 1 (ordinal status by group and day, as stacked bars) and the Love plot of balance.

Interactive in Altair (the tooltip gives count and percentage) and drawn offline
through :mod:`anakinra_rescue.book.altair_offline`. Colours run along the order of the
scale on a single-hue ramp from light to dark, so the legend still reads in
greyscale.
"""

import html

import altair as alt
import pandas as pd
from IPython.display import HTML

from anakinra_rescue.book import altair_offline
from anakinra_rescue.book.article_tables import row_label
from anakinra_rescue.data.vocabulary import Level
from anakinra_rescue.examination.balance import THRESHOLD
from anakinra_rescue.schemas.cohort import ORDINAL_SCALE

altair_offline.enable()  # every chart of the book is drawn here, and draws from the vendored Vega

# Light to dark along the scale; luminance falls monotonically, so the order survives greyscale.
LEVEL_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b", "#000000"]


FIGURE1_TITLE = "Figure 1. Patients by level of the 6-point ordinal scale on each day of follow-up, cases beside controls"
FIGURE1_TITLE_NARROW = ["Figure 1. Patients by level of the 6-point", "ordinal scale, by day and group"]


def figure1_chart(
    figure: pd.DataFrame, columns: int = 4, panel_width: int = 200, panel_height: int = 300, notice: str = ""
) -> alt.FacetChart:
    """Stacked bars of patients per ordinal level, cases beside controls, one panel per day.

    ``columns`` panels per row: 4 on a desktop, 2 on a phone (see :func:`figure1_html`). Every level's label is
    drawn whole (no truncation); :func:`figure1_html` gives the figure its alt text. The chart carries its title and
    ``notice`` (which data drew it) as a subtitle, so an exported SVG or PNG says what it is and where it came from.
    """
    data = figure.assign(
        level=figure["ordinal_status"].map(lambda level: f"{level}: {ORDINAL_SCALE[level]}"),
        group_label=figure["group"].map({"anakinra": "Anakinra", "control": "Control"}),
        day_label=figure["day"].map(lambda day: f"Day {day}"),
        pct_label=figure["pct"].round(1),
    )
    levels = [f"{level}: {label}" for level, label in ORDINAL_SCALE.items()]
    days = [f"Day {day}" for day in sorted(figure["day"].unique())]
    return (
        alt.Chart(data)
        .mark_bar(stroke="#333333", strokeWidth=0.5)
        .encode(
            x=alt.X("group_label:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title="Patients", stack="zero"),
            color=alt.Color(
                "level:N",
                sort=levels,
                scale=alt.Scale(domain=levels, range=LEVEL_COLOURS),
                legend=alt.Legend(
                    title="6-point ordinal scale",
                    orient="bottom",
                    direction="vertical",
                    columns=1 if columns < 4 else 2,
                    labelLimit=0,
                    # on a phone a long label breaks after its first comma
                    labelExpr="datum.label" if columns == 4 else "split(datum.label, ', ')",
                ),
            ),
            order=alt.Order("ordinal_status:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("day_label:N", title="Day"),
                alt.Tooltip("group_label:N", title="Group"),
                alt.Tooltip("level:N", title="Status"),
                alt.Tooltip("n:Q", title="Patients"),
                alt.Tooltip("pct_label:Q", title="Percent of group"),
            ],
            facet=alt.Facet("day_label:N", title=None, sort=days, columns=columns),
        )
        .properties(
            width=panel_width,
            height=panel_height,
            title=alt.TitleParams(
                FIGURE1_TITLE if columns > 2 else FIGURE1_TITLE_NARROW,
                subtitle=[notice] if notice else [],
                anchor="start",
                fontSize=14,
                subtitleFontSize=12,
            ),
        )
        .resolve_axis(x="independent")  # every panel names its two bars, also when the panels wrap
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_header(labelFontSize=14, labelFontWeight="bold")
        .configure_legend(labelFontSize=13, titleFontSize=13, labelLimit=0, symbolSize=150)
    )


def figure1_description(figure: pd.DataFrame, min_cell: int = 0) -> str:
    """Alt text for Figure 1: what the chart shows, and per day and group how many were at home and how many had died
    (a withheld count reads "<k", :mod:`anakinra_rescue.book.disclosure`)."""
    from anakinra_rescue.book.disclosure import shown_count

    parts = []
    for day, rows in figure.groupby("day", sort=True):
        counts = rows.set_index(["group", "ordinal_status"])["n"]
        parts.append(
            f"Day {day}: "
            + "; ".join(
                f"{label} {shown_count(counts.get((group, Level.NOT_HOSPITALISED), 0), min_cell)} not hospitalised and "
                f"{shown_count(counts.get((group, Level.DEATH), 0), min_cell)} dead"
                for group, label in (("anakinra", "anakinra"), ("control", "controls"))
            )
        )
    days = sorted(figure["day"].unique())
    return (
        "Stacked bars of patients per level of the 6-point ordinal scale, anakinra cases beside controls, on days "
        + ", ".join(str(day) for day in days[:-1])
        + f" and {days[-1]}. "
        + ". ".join(parts)
        + ". The full counts are in the table below."
    )


def figure1_html(figure: pd.DataFrame, min_cell: int = 0) -> HTML:
    """Figure 1 for the book: four panels in a row on a wide screen, two by two on a phone (CSS picks one), each
    with a menu that saves it as SVG or PNG in the browser (offline)."""
    from anakinra_rescue.book import context

    notice = (
        "Synthetic data: a reconstructed cohort, not the study's patients"
        if context.is_default_data()
        else f"Built from the data in {context.data_label()}"
    )

    def rendered(chart: alt.FacetChart) -> str:
        return altair_offline.render_offline(
            chart.to_dict(), actions=EXPORT_ACTIONS, file_name="figure1", menu_label="Save Figure 1 as SVG or PNG"
        )["text/html"]

    wide = rendered(figure1_chart(figure, notice=notice))
    narrow = rendered(figure1_chart(figure, columns=2, panel_width=135, panel_height=210, notice=notice))
    alt_text = html.escape(figure1_description(figure, min_cell), quote=True)
    return HTML(
        f'<div class="figure1" role="img" aria-label="{alt_text}"><div class="figure1-wide">{wide}</div>'
        f'<div class="figure1-narrow">{narrow}</div></div>'
    )


# vega-embed's menu, reduced to saving the image: it draws the file in the browser, with no server and no network.
EXPORT_ACTIONS = {"export": True, "source": False, "compiled": False, "editor": False}


FLAGS = ["0.1 or less", "above 0.1"]


def love_plot(balance: pd.DataFrame) -> alt.LayerChart:
    """Absolute SMD per variable, with the 0.1 threshold as a rule."""
    labelled = balance.assign(
        flag=balance["imbalanced"].map({True: FLAGS[1], False: FLAGS[0]}), label=balance["variable"].map(row_label)
    )
    order = list(labelled.sort_values("abs_smd")["label"])
    legend = alt.Legend(orient="bottom")  # below the plot, so a phone keeps its width for the variables
    points = (
        alt.Chart(labelled)
        .mark_point(filled=True, size=60)
        .encode(
            x=alt.X("abs_smd:Q", title="Absolute standardised mean difference", axis=alt.Axis(tickCount=5)),
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
            # Shape and colour share one field, title, domain and legend, so Vega-Lite draws a single legend for both.
            shape=alt.Shape("flag:N", title="|SMD|", scale=alt.Scale(domain=FLAGS, range=["circle", "square"]), legend=legend),
            color=alt.Color("flag:N", title="|SMD|", scale=alt.Scale(domain=FLAGS, range=["#2171b5", "#000000"]), legend=legend),
            tooltip=[
                alt.Tooltip("label:N", title="variable"),
                alt.Tooltip("smd:Q", format=".3f", title="SMD"),
                alt.Tooltip("p_value:Q", format=".3f", title="P (article's test)"),
                alt.Tooltip("test:N"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [THRESHOLD]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="threshold:Q")
    )
    return (points + rule).properties(width="container", height=alt.Step(16))  # as wide as the text column


COHORT_KINDS = ["other seeded cohorts", "this book's cohort"]


def sensitivity_strip(rows: pd.DataFrame, committed_seed: int, alpha: float) -> alt.LayerChart:
    """Paired P per outcome, one point per seeded cohort; the book's own cohort drawn apart, and the threshold as a rule."""
    rows = rows.assign(outcome=rows["outcome"].map(row_label))  # the outcome in words on the axis
    data = rows.assign(
        cohort=rows["seed"].map(lambda seed: COHORT_KINDS[int(seed == committed_seed)]),
        paired_p=rows["paired P"],
        on_top=(rows["seed"] == committed_seed).astype(int),
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.8)
        .encode(
            x=alt.X("paired_p:Q", title="Paired P (McNemar or Wilcoxon)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("outcome:N", title=None, sort=list(dict.fromkeys(rows["outcome"]))),
            shape=alt.Shape("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=["circle", "diamond"])),
            color=alt.Color("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=["#9ecae1", "#08306b"])),
            size=alt.Size("cohort:N", title="Cohort", scale=alt.Scale(domain=COHORT_KINDS, range=[40, 140])),
            order=alt.Order("on_top:Q"),  # the book's cohort is drawn last, over the others
            tooltip=[
                alt.Tooltip("outcome:N"),
                alt.Tooltip("seed:Q"),
                alt.Tooltip("paired_p:Q", format=".3f", title="paired P"),
                alt.Tooltip("unpaired P:Q", format=".3f"),
            ],
        )
    )
    rule = alt.Chart(pd.DataFrame({"alpha": [alpha]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="alpha:Q")
    return (points + rule).properties(width="container", height=alt.Step(22))  # as wide as the text column


def figure1_counts_table(figure: pd.DataFrame, record: pd.DataFrame, min_cell: int = 0) -> pd.DataFrame:
    """The counts behind Figure 1, a row per day and level, with the article's own count beside each where it
    prints one (day 0, in Table 2; the figure itself prints no numbers). Blank where the article gives none."""
    printed = record[
        (record["source"] == "table2") & (record["statistic"] == "n") & record["variable"].str.fullmatch(r"ordinal_status_\d")
    ]
    printed_n = {(0, int(row.variable.rsplit("_", 1)[1]), row.group): int(row.value) for row in printed.itertuples()}
    from anakinra_rescue.book.disclosure import shown_count

    counts = figure.pivot(index=["day", "ordinal_status"], columns="group", values="n")  # a withheld count stays NaN
    rows = []
    for (day, level), row in counts.iterrows():
        printed_cells = [printed_n.get((day, level, group)) for group in ("anakinra", "control")]
        rows.append(
            {
                "Day": day,
                "Status": f"{level}: {ORDINAL_SCALE[level]}",
                "Anakinra": shown_count(row["anakinra"], min_cell),
                "Control": shown_count(row["control"], min_cell),
                "Anakinra, printed": "" if printed_cells[0] is None else printed_cells[0],
                "Control, printed": "" if printed_cells[1] is None else printed_cells[1],
            }
        )
    return pd.DataFrame(rows)
