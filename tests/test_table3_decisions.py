"""Tests of anakinra_rescue.examination.table3_decisions: the claims behind Table 3's verdicts, on the article."""

import pytest

from anakinra_rescue.data import published
from anakinra_rescue.examination import table3_decisions
from anakinra_rescue.examination.table3_decisions import Check

RECORD = published.load_published_record()
RECORD = RECORD.assign(compared_as=published.compared_texts(RECORD))


def _key(variable, group, statistic):
    return ("table3", variable, group, statistic)


@pytest.fixture(scope="module")
def day7():
    return Check(RECORD, 7)


def test_a_day_family_is_its_twelve_quartiles_and_two_p_values():
    keys = table3_decisions.family(14)
    assert len(keys) == 14 and len(set(keys)) == 14
    assert sum(key[2] == "comparison" for key in keys) == 2


def test_control_day7_status_q3_holds_with_its_attainable_siblings(day7):
    """The old joint test called 4 inconsistent because it also asked for the median 2, which no picture gives."""
    q3, q1, median = (_key("ordinal_status_day7", "control", name) for name in ("q3", "q1", "median"))
    assert day7.witness("natural", frozenset([q3, q1])) is not None
    assert day7.witness("engine", frozenset([median])) is None


def test_anakinra_day7_difference_q3_holds_only_under_the_engine_reading(day7):
    q3 = frozenset([_key("score_difference_day7", "anakinra", "q3")])
    assert day7.holds(q3) == {"engine": day7.witness("engine", q3), "natural": None}
    assert day7.witness("engine", q3) is not None


def test_day21_status_p_holds_only_under_the_engine_reading():
    check = Check(RECORD, 21)
    p = frozenset([_key("ordinal_status_day21", "comparison", "p_value")])
    found = check.holds(p)
    assert found["engine"] is not None and found["natural"] is None


def test_printed_numbers_no_picture_gives_are_decided_proven(day7):
    decisions = {
        d.key: d
        for d in table3_decisions.decide_day(
            RECORD, 7, reproduced=set(table3_decisions.family(7)) - {_key("ordinal_status_day7", "anakinra", "median")}
        )
    }
    decision = decisions[_key("ordinal_status_day7", "anakinra", "median")]
    assert decision.verdict == "proven_impossible" and decision.certificates[0]["kind"] == "day_exhaustive"
