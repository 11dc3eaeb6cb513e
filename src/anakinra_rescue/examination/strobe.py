"""STROBE (cohort studies) checklist: where this book addresses each item, and whether the article does.

Item titles are paraphrased from the STROBE statement's 22 items. "book" names
the chapter that addresses the item; "article" is our reading of the article:
yes, partly, or no.
"""

import csv
from pathlib import Path

import pandas as pd

# One row per STROBE item: item, title (paraphrased), book_chapter, article (yes/partly/no), what_is_missing.
CHECKLIST_CSV = Path(__file__).with_name("strobe_checklist.csv")
with CHECKLIST_CSV.open(encoding="utf-8", newline="") as checklist_file:
    ITEMS = [tuple(row) for row in csv.reader(checklist_file)][1:]


def checklist() -> pd.DataFrame:
    """The checklist with a link target for each item the book addresses."""
    frame = pd.DataFrame(ITEMS, columns=["item", "topic", "book chapter", "article addresses it", "what is missing"])
    frame["unaddressed by the article"] = frame["article addresses it"] == "no"
    return frame


# Each chapter by its title, for the links of the checklist (a reader sees the title, not the file's name).
CHAPTER_TITLES = {
    "intro": "Introduction",
    "01_methods": "Methods",
    "02_results": "Results",
    "03_tables": "Tables 1 to 3",
    "04_figure1": "Figure 1",
    "05_reconstruction": "The synthetic cohort",
    "06_audit": "Audit",
    "07_reanalysis": "Reanalysis",
    "80_data_dictionary": "Data dictionary",
}


def checklist_markdown() -> str:
    """The checklist as a Markdown table whose chapter cells link to the book's chapters."""
    lines = ["| item | topic | in this book | article | what is missing |", "|---|---|---|---|---|"]
    for row in checklist().itertuples(index=False):
        link = f"[{CHAPTER_TITLES.get(row[2], row[2])}]({row[2]}.ipynb)" if row[2] else ""
        answer = f"**{row[3]}**" if row[3] == "no" else row[3]
        lines.append(f"| {row[0]} | {row[1]} | {link} | {answer} | {row[4]} |")
    return "\n".join(lines)


def counts() -> dict[str, int]:
    """Items per answer: yes, partly, no."""
    answers = checklist()["article addresses it"].value_counts()
    return {answer: int(answers.get(answer, 0)) for answer in ("yes", "partly", "no")}
