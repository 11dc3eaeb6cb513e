"""Tests of anakinra_rescue.reconstruction.plausible: the repairs keep each group's values and counts, and leave no
patient below the floors of the plausibility rules (hypothesis properties), or say why they cannot."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import plausibility
from anakinra_rescue.reconstruction import plausible


def _designed(seed: int, size: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "group": ["anakinra"] * size + ["control"] * size,
            "day0_status": rng.choice([3, 4, 5], 2 * size),
            "respiratory_rate_rpm": rng.integers(14, 34, 2 * size).astype(float),
            "temperature_c": np.round(rng.uniform(35.5, 39.0, 2 * size), 1),
            "heart_rate_bpm": rng.integers(55, 125, 2 * size).astype(float),
            "pao2_fio2_ratio": rng.integers(70, 320, 2 * size).astype(float),
            # scores high enough to cover any floor these components give
            "news_score": rng.integers(11, 16, 2 * size).astype(float),
            "sofa_score": rng.integers(4, 9, 2 * size).astype(float),
            "charlson_index": rng.integers(0, 7, 2 * size),
        }
    )
    frame.loc[rng.random(2 * size) < 0.2, "respiratory_rate_rpm"] = np.nan
    frame.loc[rng.random(2 * size) < 0.2, "news_score"] = np.nan
    for column in plausibility.CHARLSON_ITEMS:
        frame[column] = pd.array(rng.random(2 * size) < 0.25, dtype="boolean")
    # a group's flags fit its indexes when there are enough points to spare in the group
    return frame


def _multisets(frame, columns):
    return {
        (group, column): sorted(frame.loc[frame["group"] == group, column].fillna(-1).tolist())
        for group in ("anakinra", "control")
        for column in columns
    }


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_day0_repairs_keep_each_groups_values_and_meet_the_floors(seed):
    designed = _designed(seed)
    columns = ["respiratory_rate_rpm", "temperature_c", "heart_rate_bpm", "news_score", "sofa_score"]
    repaired = plausible.day0_scores_over_their_points(plausible.day0_components_under_news(designed))
    assert _multisets(repaired, columns) == _multisets(designed, columns)
    floors = plausible.day0_floors(repaired)
    for column, floor in floors.items():
        values = repaired[column]
        assert not (values.notna() & (values < floor)).any(), column


def test_day0_scores_that_cannot_cover_the_floors_are_refused():
    designed = _designed(3)
    designed["news_score"] = 2.0  # every day-0 patient is on oxygen: NEWS2 gives at least 2, and RR adds more
    designed["respiratory_rate_rpm"] = 30.0
    with pytest.raises(plausible.ImplausibleDesign, match="news_score"):
        plausible.day0_scores_over_their_points(designed)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_charlson_repair_keeps_the_counts_and_covers_every_patients_flags(seed):
    """Whenever the group has room, no index ends below its own flags and each group keeps its flag counts."""
    designed = _designed(seed)
    # as many patients with 6 points and no flag as each group has: room for every flag that must move
    takers = designed.assign(
        charlson_index=6, **{column: pd.array([False] * len(designed), dtype="boolean") for column in plausibility.CHARLSON_ITEMS}
    )
    designed = pd.concat([designed, takers], ignore_index=True)
    repaired = plausible.charlson_over_its_flags(designed)
    assert _multisets(repaired, list(plausibility.CHARLSON_ITEMS)) == _multisets(designed, list(plausibility.CHARLSON_ITEMS))
    assert (repaired["charlson_index"] >= plausibility.charlson_points(repaired)).all()
    assert repaired["charlson_index"].tolist() == designed["charlson_index"].tolist()


def test_charlson_repair_moves_a_flag_to_the_patient_with_points_to_spare():
    designed = pd.DataFrame(
        {
            "group": ["anakinra", "anakinra", "control"],
            "charlson_index": [0, 3, 1],
            **{column: pd.array([False, False, False], dtype="boolean") for column in plausibility.CHARLSON_ITEMS},
        }
    )
    designed.loc[0, "has_diabetes"] = True
    repaired = plausible.charlson_over_its_flags(designed)
    assert repaired["has_diabetes"].tolist() == [False, True, False]


def test_charlson_repair_refuses_a_group_without_points_to_spare():
    designed = pd.DataFrame(
        {
            "group": ["anakinra"] * 2,
            "charlson_index": [0, 0],
            **{c: pd.array([True, False], dtype="boolean") for c in plausibility.CHARLSON_ITEMS},
        }
    )
    with pytest.raises(plausible.ImplausibleDesign, match="anakinra"):
        plausible.charlson_over_its_flags(designed)
