"""The words of Tables 1-3 as the article heads them: row labels with their statistic markers, group headings and
the notes under each table.

Short factual labels ("Male sex", "Charlson index score") are the article's facts and are kept so that a reader
recognises its rows; every note is written in our own words. :func:`article_label` falls back to
:func:`anakinra_rescue.book.article_tables.row_label` for a variable the article does not print (another
folder's extra rows), so a label is never a column name.
"""

MEAN_SD = "[mean ± SD]"
N_PCT = "[n (%)]"
MEDIAN_IQR = "[median (IQR)]"

# variable -> (the article's row label, its statistic marker); the marker is the one printed, even where the
# printed numbers are of another kind (Table 2's respiratory rate is marked median (IQR) but prints mean ± SD).
ARTICLE_LABELS: dict[str, tuple[str, str]] = {
    "age_years": ("Age, years", MEAN_SD),
    "male_sex": ("Male sex", N_PCT),
    "ethnicity_hispanic": ("Hispanic", ""),
    "ethnicity_caucasian": ("Caucasian", ""),
    "charlson_index": ("Charlson index score", MEDIAN_IQR),
    "cardiovascular_disease": ("Cardiovascular disease", ""),
    "diabetes": ("Diabetes mellitus", ""),
    "obesity": ("Obesity", ""),
    "chronic_lung_disease": ("Chronic lung disease", ""),
    "immunosuppression": ("Immunosuppression", ""),
    "chronic_kidney_disease": ("Chronic kidney disease", ""),
    "chronic_liver_disease": ("Chronic liver disease", ""),
    "current_or_former_smoker": ("Current or former smoker", ""),
    "symptom_onset_to_day0_days": ("Duration of symptoms, days", MEDIAN_IQR),
    "lymphocytes_nadir_1e9_per_l": ("Lymphocytes nadir, ×10⁹ cells/L", MEDIAN_IQR),
    "ferritin_peak_ng_ml": ("Ferritin peak, ng/mL", MEDIAN_IQR),
    "crp_peak_mg_dl": ("CRP peak, mg/dL", MEDIAN_IQR),
    "ldh_peak_u_l": ("LDH peak, U/L", MEDIAN_IQR),
    "d_dimer_peak_ng_ml": ("D-dimer, ng/mL", MEDIAN_IQR),
    "received_hydroxychloroquine": ("Hydroxychloroquine", N_PCT),
    "received_lopinavir_ritonavir": ("Lopinavir/ritonavir", N_PCT),
    "received_azithromycin": ("Azithromycin", N_PCT),
    "received_interferon_beta": ("Interferon-β", N_PCT),
    "received_corticosteroids": ("Corticosteroids", N_PCT),
    "corticosteroid_to_day0_days": ("Interval, days", MEDIAN_IQR),
    "tocilizumab_to_day0_days": ("Interval TCZ to day 0, days", MEDIAN_IQR),
    "temperature_c": ("Axillary temperature, °C", MEAN_SD),
    "respiratory_rate_rpm": ("Respiratory rate, rpm", MEDIAN_IQR),
    "heart_rate_bpm": ("Heart rate, bpm", MEAN_SD),
    "pao2_fio2_ratio": ("PaO2:FiO2, ratio", MEAN_SD),
    "pao2_fio2_ge_300": ("PaO2:FiO2 ≥ 300 mmHg", N_PCT),
    "pao2_fio2_200_300": ("PaO2:FiO2 200–300 mmHg", N_PCT),
    "pao2_fio2_100_200": ("PaO2:FiO2 100–200 mmHg", N_PCT),
    "pao2_fio2_lt_100": ("PaO2:FiO2 < 100 mmHg", N_PCT),
    "lymphocytes_1e9_per_l": ("Lymphocytes, ×10⁹ cells/L", MEDIAN_IQR),
    "crp_mg_dl": ("CRP, mg/dL", MEDIAN_IQR),
    "ldh_u_l": ("LDH, U/L", MEDIAN_IQR),
    "ferritin_ng_ml": ("Ferritin, ng/mL", MEDIAN_IQR),
    "d_dimer_ng_ml": ("D-dimer, ng/mL", MEDIAN_IQR),
    "sofa_score": ("SOFA score", MEDIAN_IQR),
    "news_score": ("NEWS score", MEDIAN_IQR),
    "ordinal_status_1": ("1: not hospitalised", ""),
    "ordinal_status_2": ("2: hospitalised, no supplemental oxygen", ""),
    "ordinal_status_3": ("3: hospitalised, low-flow oxygen", N_PCT),
    "ordinal_status_4": ("4: hospitalised, high-flow oxygen", N_PCT),
    "ordinal_status_5": ("5: IMV or ECMO", N_PCT),
    "ordinal_status_6": ("6: death", ""),
    "in_hospital_mortality": ("In-hospital mortality", N_PCT),
    "discharge_day21": ("Hospital discharge at day 21", ""),
}
for _day in (7, 14, 21):
    ARTICLE_LABELS[f"improvement_day{_day}"] = (f"Clinical improvement at day {_day}", N_PCT)
    ARTICLE_LABELS[f"ordinal_status_day{_day}"] = (f"6-point ordinal scale score at day {_day}", MEDIAN_IQR)
    ARTICLE_LABELS[f"score_difference_day{_day}"] = (
        f"Difference in 6-point ordinal scale scores between day 0 and day {_day}",
        MEDIAN_IQR,
    )
for _day in (14, 21):
    ARTICLE_LABELS[f"mortality_day{_day}"] = (f"All-cause mortality at day {_day}", N_PCT)

# The article's group headings, by the first row each stands above (Table 3 prints none); a heading that names
# its rows' statistic carries the marker the article gives it.
SECTION_HEADINGS = {
    "table1": {
        "ethnicity_hispanic": f"Ethnicity {N_PCT}",
        "cardiovascular_disease": f"Comorbidities {N_PCT}",
        "lymphocytes_nadir_1e9_per_l": "Laboratory values",
        "received_hydroxychloroquine": "Prior or concomitant therapies",
        "corticosteroid_to_day0_days": "Intervals",
    },
    "table2": {
        "temperature_c": "Vital signs at day 0",
        "lymphocytes_1e9_per_l": "Laboratory values at day 0",
        "ordinal_status_1": "Six-point ordinal scale",
    },
}

# Notes on what a row measures, in our words (the denominators are added from the data by article_tables).
ROW_NOTES = {
    "obesity": "Obesity means a body-mass index of 30 or more.",
    "symptom_onset_to_day0_days": "Days from the first symptoms to day 0.",
    "corticosteroid_to_day0_days": "Days from the first corticosteroid dose to day 0.",
    "tocilizumab_to_day0_days": "Days from tocilizumab to day 0.",
}
DAY0_NOTE = "Day 0 is the first anakinra dose for a case and the matched pseudo-date for a control."
ABBREVIATIONS = {
    "table1": "SD: standard deviation; IQR: interquartile range; CRP: C-reactive protein; LDH: lactate dehydrogenase.",
    "table2": (
        "SD: standard deviation; IQR: interquartile range; rpm: breaths per minute; bpm: beats per minute; "
        "IMV: invasive mechanical ventilation; ECMO: extracorporeal membrane oxygenation."
    ),
    "table3": "IQR: interquartile range; CI: confidence interval.",
}
INTERVAL_HEADING = "Absolute risk difference (95% CI)"
INTERVAL_NOTE = (
    "The article heads this column as an absolute risk difference; its intervals are the Woolf 95% intervals of "
    "the odds ratio, control against anakinra, which is what is regenerated here."
)


def article_label(variable: str) -> tuple[str, str]:
    """The row's label as the article prints it and its statistic marker (``""`` when the row has none)."""
    if variable in ARTICLE_LABELS:
        return ARTICLE_LABELS[variable]
    from anakinra_rescue.book.article_tables import row_label

    return row_label(variable), ""
