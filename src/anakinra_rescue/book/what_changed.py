"""The book's "What changed" page: this build's numbers against an earlier set, by cause and by table, in words.

The earlier set is what ``make book SINCE=`` names (a release's version, or a folder holding an earlier ``tables``
output or book build of the same data), else, for the committed cohort, the latest release older than this
package's version (:func:`anakinra_rescue.examination.changes.previous_release`). A build from other data
(``DATA=``) is compared only with an earlier output its builder gives, never with the synthetic cohort's releases.

Both sides are aggregate numbers; in an aggregate report (``MIN_CELL=k``) the earlier side's small counts and their
percentages are withheld as this build's are, so the page prints no count the report itself would not.
The page shows no date and no commit of this build: they would change the page at every commit.
Pinned by ``tests/test_what_changed.py``.
"""

import dataclasses
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import context, disclosure
from anakinra_rescue.book.article_labels import article_label
from anakinra_rescue.book.article_tables import STATISTIC_LABELS
from anakinra_rescue.data.published import SOURCE_TITLES
from anakinra_rescue.examination import changes

CAUSE_WORDS = {
    "data": "the data files differ",
    "settings": "the settings differ",
    "code": "the code differs",
    "unknown": "the build records differ in nothing that computes numbers",
}


@dataclasses.dataclass(frozen=True)
class Comparison:
    """This build against an earlier set of numbers: its label, the causes, and every changed number."""

    base: str
    causes: dict[str, str]
    changes: pd.DataFrame


def base() -> str | None:
    """What this build is compared with: ``SINCE``, else the previous release for the committed cohort, else None."""
    import anakinra_rescue

    if context.since():
        return context.since()
    if not context.is_default_data():
        return None
    return changes.previous_release(anakinra_rescue.__version__)


def _withheld_like_this_build(earlier: changes.Outputs) -> changes.Outputs:
    threshold = context.min_cell()
    if threshold <= 1 or context.is_default_data():
        return earlier
    regenerated, compared = disclosure.suppress_numbers(earlier.regenerated, earlier.compared, threshold)
    return dataclasses.replace(earlier, regenerated=regenerated, compared=compared)


def compare(analysis) -> Comparison | None:
    """This build's numbers against :func:`base`; None when there is nothing to compare with."""
    name = base()
    if name is None:
        return None
    earlier = _withheld_like_this_build(changes.read_outputs(name))
    record = context.this_build_record()
    now = changes.Outputs("this build", analysis.regenerated, analysis.compared, record)
    found = changes.causes(earlier.record, record)
    label = Path(name).name if Path(name).is_dir() else str(name)  # a folder by its last part only, never a full path
    return Comparison(label, found, changes.compare_outputs(earlier, now))


def numbers(comparison: Comparison | None) -> dict[str, object]:
    """The page's glued values: what it compares with, and how many numbers changed in each way."""
    found = comparison.changes if comparison is not None else pd.DataFrame({"change": []})
    return {
        "changed_base": comparison.base if comparison is not None else "no earlier set",
        "changed_total": len(found),
        **{f"changed_{kind}": count for kind, count in changes.summary_counts(found).items()},
    }


def causes_text(comparison: Comparison | None) -> Markdown:
    if comparison is None:
        if context.is_default_data():
            return Markdown("There is no release older than this version to compare with.")
        return Markdown(
            "This build is not compared with anything: give an earlier output of the same data with "
            "`make book DATA=... SINCE=folder` (a `tables` output folder or an earlier build's `_build/html`)."
        )
    if not comparison.causes:
        return Markdown("The two build records agree on the data, the settings and the code.")
    lines = []
    for cause, detail in comparison.causes.items():
        if cause == "code":  # versions only: this build's commit would change the page at every commit
            before, after = (part.split(" ")[0] for part in detail.split(" -> "))
            detail = f"version {before} to {after}" if before != after else f"version {before}, its source edited since"
        else:  # file names and settings keys, as the reader types them
            detail = ", ".join(f"`{item}`" for item in detail.split(", "))
        lines.append(f"- **{cause}**: {CAUSE_WORDS[cause]} ({detail})")
    return Markdown("\n".join(lines))


def by_table(comparison: Comparison | None) -> pd.DataFrame | Markdown:
    """Changed numbers per table or section of the article, and per kind of change (a sentence when none)."""
    kinds = ["value", "verdict", "added", "removed"]
    if comparison is None or comparison.changes.empty:
        return Markdown("No table or section has a changed number.")
    counts = pd.crosstab(comparison.changes["source"], comparison.changes["change"]).reindex(columns=kinds, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts.index = [SOURCE_TITLES.get(source, source) for source in counts.index]
    return counts.rename_axis("where").reset_index()


STATISTIC_WORDS = {**STATISTIC_LABELS, "denominator": "denominator"}  # the tables' words for each statistic
GROUP_WORDS = {"comparison": "between the groups", "overall": "both groups"}


def _number(row) -> str:
    label, _ = article_label(row.variable)
    group = GROUP_WORDS.get(row.group, row.group)
    return f"{SOURCE_TITLES.get(row.source, row.source)}, {label}, {group}, {STATISTIC_WORDS.get(row.statistic, row.statistic)}"


def change_list(comparison: Comparison | None) -> Markdown:
    """Each changed number in words: where, before and after, and its verdict before and after."""
    if comparison is None or comparison.changes.empty:
        return Markdown("No number and no verdict changed.")
    items = []
    for row in comparison.changes.itertuples(index=False):
        text = f"- {_number(row)}: {changes.shown_value(row.before)} → {changes.shown_value(row.after)}"
        if row.verdict_before != row.verdict_after:
            text += f"; verdict {row.verdict_before or 'none'} → {row.verdict_after or 'none'}"
        items.append(text)
    return Markdown("\n".join(items))
