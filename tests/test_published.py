"""Tests of the published record (data/published/article_numbers.csv) and of anakinra_rescue.data.published."""

import io
from decimal import Decimal

import pandas as pd
import pandera.errors
import pytest

from anakinra_rescue.data import published
from anakinra_rescue.schemas.published import PublishedNumber

# Every row of the article's three tables, read off the article independently of
# the CSV: if a row is dropped or renamed in the record, this list catches it.
TABLE_ROWS = {
    "table1": [
        "group_size",
        "age_years",
        "male_sex",
        "ethnicity_hispanic",
        "ethnicity_caucasian",
        "charlson_index",
        "cardiovascular_disease",
        "diabetes",
        "obesity",
        "chronic_lung_disease",
        "immunosuppression",
        "chronic_kidney_disease",
        "chronic_liver_disease",
        "current_or_former_smoker",
        "symptom_onset_to_day0_days",
        "lymphocytes_nadir_1e9_per_l",
        "ferritin_peak_ng_ml",
        "crp_peak_mg_dl",
        "ldh_peak_u_l",
        "d_dimer_peak_ng_ml",
        "received_hydroxychloroquine",
        "received_lopinavir_ritonavir",
        "received_azithromycin",
        "received_interferon_beta",
        "received_corticosteroids",
        "corticosteroid_to_day0_days",
        "tocilizumab_to_day0_days",
    ],
    "table2": [
        "group_size",
        "temperature_c",
        "respiratory_rate_rpm",
        "heart_rate_bpm",
        "pao2_fio2_ratio",
        "pao2_fio2_ge_300",
        "pao2_fio2_200_300",
        "pao2_fio2_100_200",
        "pao2_fio2_lt_100",
        "lymphocytes_1e9_per_l",
        "crp_mg_dl",
        "ldh_u_l",
        "ferritin_ng_ml",
        "d_dimer_ng_ml",
        "sofa_score",
        "news_score",
        "ordinal_status_1",
        "ordinal_status_2",
        "ordinal_status_3",
        "ordinal_status_4",
        "ordinal_status_5",
        "ordinal_status_6",
    ],
    "table3": [
        "group_size",
        "improvement_day7",
        "ordinal_status_day7",
        "score_difference_day7",
        "improvement_day14",
        "ordinal_status_day14",
        "score_difference_day14",
        "improvement_day21",
        "ordinal_status_day21",
        "score_difference_day21",
        "mortality_day14",
        "mortality_day21",
        "discharge_day21",
        "in_hospital_mortality",
    ],
}
# Footnote availability counts: (source, variable) -> (anakinra, control).
FOOTNOTE_DENOMINATORS = {
    ("table1", "ferritin_peak_ng_ml"): ("18", "18"),
    ("table1", "d_dimer_peak_ng_ml"): ("20", "18"),
    ("table2", "crp_mg_dl"): ("20", "15"),
    ("table2", "ldh_u_l"): ("19", "15"),
    ("table2", "ferritin_ng_ml"): ("11", "5"),
    ("table2", "d_dimer_ng_ml"): ("16", "15"),
}
# A few cells re-read from the article by hand, one of each cell shape.
SPOT_CHECKS = {
    ("table1", "age_years", "control", "sd"): "13.3",
    ("table1", "age_years", "comparison", "p_value"): "0.990",
    ("table1", "obesity", "control", "pct"): "57.9",
    ("table1", "d_dimer_peak_ng_ml", "anakinra", "q3"): "33083",
    ("table2", "news_score", "anakinra", "q3"): "7.7",
    ("table2", "pao2_fio2_ratio", "control", "mean"): "132.9",
    ("table3", "ordinal_status_day21", "control", "q3"): "7",
    ("table3", "in_hospital_mortality", "comparison", "ci_high"): "2.327",
    ("abstract", "age_years", "overall", "sd"): "12.8",
    ("results", "tocilizumab_to_day0_days", "anakinra", "q1"): "4.0",
}


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    return published.load_published_record()


def _key_values(record: pd.DataFrame) -> dict[tuple[str, str, str, str], str]:
    return {(row.source, row.variable, row.group, row.statistic): row.value for row in record.itertuples(index=False)}


def test_record_passes_its_schema_and_is_about_400_numbers(record):
    assert 380 <= len(record) <= 480
    assert set(record["source"]) == {"abstract", "results", "table1", "table2", "table3", "discussion"}


@pytest.mark.parametrize("source", sorted(TABLE_ROWS))
def test_every_table_row_is_transcribed_in_article_order(record, source):
    variables = list(dict.fromkeys(record.loc[record["source"] == source, "variable"]))
    assert variables == TABLE_ROWS[source]


@pytest.mark.parametrize("source", sorted(TABLE_ROWS))
def test_every_table_row_has_both_groups(record, source):
    rows = record[record["source"] == source]
    for variable in TABLE_ROWS[source]:
        groups = set(rows.loc[rows["variable"] == variable, "group"])
        assert {"anakinra", "control"} <= groups, f"{source}/{variable} lacks a group: {groups}"


def test_rows_with_printed_p_values(record):
    with_p = set(record.loc[record["statistic"] == "p_value", ["source", "variable"]].itertuples(index=False, name=None))
    for source, variables in TABLE_ROWS.items():
        for variable in variables:
            expects_p = variable != "group_size" and not (source == "table2" and variable.startswith("ordinal_status"))
            assert ((source, variable) in with_p) == expects_p, f"{source}/{variable}"


def test_table3_binary_rows_carry_an_interval(record):
    binary = [
        "improvement_day7",
        "improvement_day14",
        "improvement_day21",
        "mortality_day14",
        "mortality_day21",
        "discharge_day21",
        "in_hospital_mortality",
    ]
    values = _key_values(record)
    for variable in binary:
        low = Decimal(values[("table3", variable, "comparison", "ci_low")])
        high = Decimal(values[("table3", variable, "comparison", "ci_high")])
        assert low < high


def test_footnote_availability_counts(record):
    values = _key_values(record)
    for (source, variable), (anakinra, control) in FOOTNOTE_DENOMINATORS.items():
        assert values[(source, variable, "anakinra", "denominator")] == anakinra
        assert values[(source, variable, "control", "denominator")] == control
    assert values[("table1", "obesity", "overall", "denominator")] == "37"


def test_spot_checked_cells(record):
    values = _key_values(record)
    for key, expected in SPOT_CHECKS.items():
        assert values[key] == expected, key


def test_table_percentages_agree_with_counts_over_twenty(record):
    """A transcription check: in the tables every n (%) cell over n = 20 rounds to its printed percentage.

    Obesity is the documented exception (its denominators are 18 and 19).
    """
    values = _key_values(record)
    checked = 0
    for (source, variable, group, statistic), pct in values.items():
        if statistic != "pct" or not source.startswith("table") or variable == "obesity":
            continue
        count = Decimal(values[(source, variable, group, "n")])
        exponent = Decimal(1).scaleb(Decimal(pct).as_tuple().exponent)
        assert (count * 100 / 20).quantize(exponent) == Decimal(pct), (source, variable, group)
        checked += 1
    assert checked > 50


def test_ordinal_rows_of_table2_sum_to_group_size(record):
    values = _key_values(record)
    for group in ("anakinra", "control"):
        total = sum(int(values[("table2", f"ordinal_status_{level}", group, "n")]) for level in range(1, 7))
        assert total == 20


BAD_RECORDS = {
    "duplicate key": "table1,age_years,anakinra,mean,65.3,\ntable1,age_years,anakinra,mean,65.4,\n",
    "unknown source": "preface,age_years,anakinra,mean,65.3,\n",
    "unknown group": "table1,age_years,cases,mean,65.3,\n",
    "unknown statistic": "table1,age_years,anakinra,average,65.3,\n",
    "thousands separator": 'table1,ferritin_peak_ng_ml,anakinra,median,"1,237",\n',
    "not snake case": "table1,Age Years,anakinra,mean,65.3,\n",
    "not a number": "table1,age_years,anakinra,mean,sixty,\n",
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_schema_rejects_bad_records(case, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("source,variable,group,statistic,value,note\n" + BAD_RECORDS[case], encoding="utf-8")
    with pytest.raises(pandera.errors.SchemaErrors):
        published.load_published_record(path)


def test_schema_accepts_bounds_and_negative_values():
    frame = pd.read_csv(
        io.StringIO(
            "source,variable,group,statistic,value,note\ntable3,x_y,comparison,p_value,<0.001,\ntable3,x_y,control,q1,-2,\n"
        ),
        dtype=str,
    )
    PublishedNumber.validate(frame)


def test_count_by_source_adds_up(record):
    counts = published.count_by_source(record)
    per_source = counts[counts["source"] != "all"]
    assert per_source["printed_numbers"].sum() == len(record)
    assert counts.iloc[-1]["printed_numbers"] == len(record)


def test_source_table_is_wide_and_keeps_article_order(record):
    wide = published.source_table(record, "table1")
    assert list(wide.index) == TABLE_ROWS["table1"]
    assert wide.loc["age_years", ("anakinra", "mean")] == "65.3"
    assert wide.loc["male_sex", ("anakinra", "mean")] == ""
    with pytest.raises(ValueError, match="unknown source"):
        published.source_table(record, "preface")


def test_notes_for_source_lists_only_annotated_numbers(record):
    notes = published.notes_for_source(record, "table2")
    assert notes["note"].notna().all()
    assert "respiratory_rate_rpm" in set(notes["variable"])


def test_implied_denominator():
    assert published.implied_denominator(7, "38.9", 20) == 18  # obesity, anakinra
    assert published.implied_denominator(11, "57.9", 20) == 19  # obesity, control
    assert published.implied_denominator(14, "70", 20) == 20
    assert published.implied_denominator(26, "65", 40) == 40


def test_exact_decimal_undoes_binary_error():
    """(17.4 + 17.7) / 2 is the double 17.549999999999997: its exact decimal median is 17.55, which prints 17.6."""
    median = (17.4 + 17.7) / 2
    assert median < 17.55 and published.exact_decimal(median) == Decimal("17.55")
    assert published.round_as_printed(median, 1) == Decimal("17.6")
    assert published.round_as_printed(0.5374770045137218, 3) == Decimal("0.537")


def test_a_value_on_a_decimal_half_is_flagged_when_half_even_prints_otherwise():
    assert published.on_rounding_half(942.5, 0)  # half up 943, half to even 942
    assert not published.on_rounding_half(943.5, 0)  # both 944
    assert not published.on_rounding_half(942.4, 0)
    assert published.on_rounding_half(0.125, 2)
