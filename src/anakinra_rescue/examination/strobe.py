"""STROBE (cohort studies) checklist: where this book addresses each item, and whether the article does.

Item titles are paraphrased from the STROBE statement's 22 items. "book" names
the chapter that addresses the item; "article" is our reading of the article:
yes, partly, or no.
"""

import pandas as pd

ITEMS = [
    ("1", "Title and abstract: design named, balanced summary", "intro", "yes", ""),
    ("2", "Background and rationale", "intro", "yes", ""),
    ("3", "Objectives and hypotheses", "intro", "partly", "no prespecified hypothesis or primary comparison size"),
    ("4", "Study design presented early", "01_methods", "yes", ""),
    ("5", "Setting, dates of recruitment, follow-up and data collection", "01_methods", "partly",
     "recruitment dates given; end of follow-up not stated"),
    ("6a", "Eligibility and selection of participants; follow-up methods", "01_methods", "yes", ""),
    ("6b", "Matching criteria and number of unexposed per exposed", "01_methods", "partly",
     "the tie-breaking, the no-improvement window and the handling of discharge on the pseudo date are not stated"),
    ("7", "Outcomes, exposures, predictors, confounders defined", "01_methods", "partly",
     "direction of the score difference not stated"),
    ("8", "Data sources and measurement", "80_data_dictionary", "partly", "measurement days for laboratory peaks not stated"),
    ("9", "Efforts to address bias", "06_audit", "no", "no discussion of immortal-time or selection bias of rescue treatment"),
    ("10", "Study size", "01_methods", "no", "no justification of the sample size"),
    ("11", "Quantitative variables and groupings", "01_methods", "partly", "PaO2:FiO2 band edges differ between text and table"),
    ("12a", "Statistical methods, including confounding control", "01_methods", "partly", "matched design analysed as unpaired"),
    ("12b", "Subgroups and interactions", "", "no", "none reported"),
    ("12c", "Missing data", "80_data_dictionary", "no", "availability given in footnotes; handling not described"),
    ("12d", "Loss to follow-up / matching accounted for in analysis", "07_reanalysis", "no", "paired analysis not done"),
    ("12e", "Sensitivity analyses", "07_reanalysis", "no", "none reported"),
    ("13", "Participants at each stage, reasons for non-participation, flow diagram", "01_methods", "no",
     "no flow from the historical pool to the selected controls"),
    ("14", "Descriptive data, missing data per variable, follow-up time", "03_tables", "partly",
     "missing data for some variables only; follow-up time not summarised"),
    ("15", "Outcome events over time", "04_figure1", "yes", ""),
    ("16", "Main results: unadjusted and adjusted estimates with precision", "03_tables", "partly",
     "interval column is labelled as a risk difference but is an odds ratio interval"),
    ("17", "Other analyses", "07_reanalysis", "no", "no further analyses reported"),
    ("18", "Key results", "02_results", "yes", ""),
    ("19", "Limitations", "05_reconstruction", "yes", ""),
    ("20", "Cautious interpretation", "02_results", "partly", "a null result from a small matched sample is read as no benefit"),
    ("21", "Generalisability", "intro", "yes", ""),
    ("22", "Funding", "", "no", "not in the extracted text"),
]


def checklist() -> pd.DataFrame:
    """The checklist with a link target for each item the book addresses."""
    frame = pd.DataFrame(ITEMS, columns=["item", "topic", "book chapter", "article addresses it", "what is missing"])
    frame["unaddressed by the article"] = frame["article addresses it"] == "no"
    return frame


def checklist_markdown() -> str:
    """The checklist as a Markdown table whose chapter cells link to the book's chapters."""
    lines = ["| item | topic | in this book | article | what is missing |", "|---|---|---|---|---|"]
    for row in checklist().itertuples(index=False):
        link = f"[{row[2]}]({row[2]}.ipynb)" if row[2] and row[2] != "intro" else ("[intro](intro.md)" if row[2] == "intro" else "")
        answer = f"**{row[3]}**" if row[3] == "no" else row[3]
        lines.append(f"| {row[0]} | {row[1]} | {link} | {answer} | {row[4]} |")
    return "\n".join(lines)


def counts() -> dict[str, int]:
    """Items per answer: yes, partly, no."""
    answers = checklist()["article addresses it"].value_counts()
    return {answer: int(answers.get(answer, 0)) for answer in ("yes", "partly", "no")}
