"""Tests of anakinra_rescue.examination.day_profiles: the day-k pictures Table 3's decisions enumerate."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import files, published
from anakinra_rescue.engine import pipeline, stats
from anakinra_rescue.examination import day_profiles

RECORD = published.load_published_record()
ARTICLE_DAY0 = (0, 0, 1, 17, 2, 0)


def test_the_article_prints_the_day0_counts_the_domain_is_built_for():
    assert day_profiles.day_counts(RECORD, "anakinra", 7).day0 == ARTICLE_DAY0
    assert day_profiles.day_counts(RECORD, "control", 21).day0 == ARTICLE_DAY0


def test_domain_holds_every_matrix_once_with_the_printed_row_sums():
    space = day_profiles.domain(ARTICLE_DAY0)
    assert space.size == day_profiles.domain_size(ARTICLE_DAY0) == 6 * 26_334 * 21
    for index in (0, 1, 12_345, space.size - 1):
        matrix = space.matrix(index)
        assert tuple(matrix.sum(axis=1)) == ARTICLE_DAY0
        assert (matrix.sum(axis=0) == space.status[index]).all()
    sample = np.random.default_rng(0).choice(space.size, 2_000, replace=False)
    assert len({space.matrix(index).tobytes() for index in sample}) == 2_000


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 6 * 26_334 * 21 - 1))
def test_features_equal_the_patients_statistics(index):
    """Each picture's status and score-difference quartiles are the engine's quartiles of its patients."""
    space = day_profiles.domain(ARTICLE_DAY0)
    matrix = space.matrix(index)
    starts = np.repeat(np.repeat(np.arange(1, 7), 6), matrix.ravel())
    ends = np.repeat(np.tile(np.arange(1, 7), 6), matrix.ravel())
    for row, values in (("status", ends), ("difference", starts - ends)):
        expected = stats.quartiles(values.astype(float))
        assert tuple(float(space.quartile(row, name)[index]) for name in ("q1", "median", "q3")) == expected


def test_natural_pictures_are_engine_pictures():
    space = day_profiles.domain(ARTICLE_DAY0)
    for day in (7, 14, 21):
        for group in ("anakinra", "control"):
            counts = day_profiles.day_counts(RECORD, group, day)
            natural, engine = (day_profiles.feasible(space, counts, reading) for reading in ("natural", "engine"))
            assert natural.any() and not (natural & ~engine).any()


def test_unknown_reading_is_refused():
    with pytest.raises(ValueError, match="unknown reading 'other'; expected one of natural, engine"):
        day_profiles.feasible(day_profiles.domain(ARTICLE_DAY0), day_profiles.day_counts(RECORD, "anakinra", 7), "other")


def test_the_committed_cohort_day_pictures_agree_with_its_own_counts_under_the_engine_reading():
    """The rules are no tighter than the engine: the committed cohort's own day-k pictures, judged against its own
    improvements, deaths and discharges in place of the article's, are engine pictures."""
    analysis = pipeline.run(files.RECONSTRUCTED_DIR, with_log=False)
    regenerated = {
        tuple(row[:4]): row[4]
        for row in analysis.regenerated[["source", "variable", "group", "statistic", "value"]].itertuples(index=False)
    }
    record = RECORD.copy()
    for position, row in enumerate(record.itertuples(index=False)):
        key = (row.source, row.variable, row.group, row.statistic)
        if row.source == "table3" and row.statistic == "n" and key in regenerated:
            record.iloc[position, record.columns.get_loc("value")] = str(int(regenerated[key]))
    space = day_profiles.domain(ARTICLE_DAY0)
    for day in (7, 14, 21):
        for group in ("anakinra", "control"):
            frame = analysis.frame[analysis.frame["group"] == group]
            matrix = np.zeros((6, 6), dtype=np.int8)
            for start, end in zip(frame["ordinal_status_day0"], frame[f"ordinal_status_day{day}"]):
                matrix[int(start) - 1, int(end) - 1] += 1
            candidates = np.flatnonzero((space.status == matrix.sum(axis=0)).all(axis=1))
            found = [index for index in candidates if (space.matrix(index) == matrix).all()]
            assert len(found) == 1
            assert day_profiles.feasible(space, day_profiles.day_counts(record, group, day), "engine")[found[0]], (day, group)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=20, max_size=20), st.lists(st.integers(1, 6), min_size=20, max_size=20))
def test_pair_p_values_equal_the_engines_test(first, second):
    """The matrix-product P of two count vectors is the engine's Mann-Whitney P of the patients' values."""
    counts = [np.bincount(values, minlength=7)[1:][None, :] for values in (first, second)]
    found = day_profiles.p_values_for_pairs(*counts)[0, 0]
    assert abs(found - stats.mann_whitney(np.array(first, float), np.array(second, float), exact=False).p_value) < 1e-12
