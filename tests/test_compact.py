"""The compact form (validate's and the pipeline's first pass) loses nothing: expanded, it is the full load."""

from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data import cohort_rules, compact, io
from anakinra_rescue.data.files import DAILY_STATUS_FILE, RECONSTRUCTED_DIR
from anakinra_rescue.schemas.cohort import DailyStatus

FIXTURE = Path(__file__).parent / "fixtures" / "small_cohort"
FOLDERS = [RECONSTRUCTED_DIR, FIXTURE]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_expanded_compact_frames_equal_the_full_load(folder):
    full = io.load_cohort(folder)
    small = io.load_cohort(folder, daily_columns=cohort_rules.DAILY_COLUMNS)
    assert isinstance(small.daily_status["patient_id"].dtype, pd.CategoricalDtype)
    assert isinstance(small.daily_status["date"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(compact.expanded(small.patients), full.patients, check_index_type=False)
    pd.testing.assert_frame_equal(
        compact.expanded(small.daily_status), full.daily_status[cohort_rules.DAILY_COLUMNS], check_index_type=False
    )


def test_concat_joins_pieces_whose_categories_differ():
    first = compact.compact(pd.DataFrame({"id": pd.Series(["a", "b"], dtype="str")}), [], False)
    second = compact.compact(pd.DataFrame({"id": pd.Series(["c", None], dtype="str", index=[2, 3])}), [], False)
    joined = compact.concat([first, second])
    assert list(compact.expanded(joined)["id"]) == ["a", "b", "c", None]


def test_int8_only_when_every_value_fits():
    frame = pd.DataFrame({"small": pd.array([1, None, 6], dtype="Int64"), "large": pd.array([1, 500, None], dtype="Int64")})
    result = compact.compact(frame, [], False)
    assert str(result["small"].dtype) == "Int8" and str(result["large"].dtype) == "Int64"
    pd.testing.assert_frame_equal(compact.expanded(result), frame)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_the_second_pass_reads_the_analysed_patients_rows_as_the_full_load_does(folder):
    full = io.load_cohort(folder).daily_status
    some = list(full["patient_id"].drop_duplicates().iloc[::3])
    rows = io.read_rows_of(folder / DAILY_STATUS_FILE, DailyStatus, some)
    pd.testing.assert_frame_equal(rows, full[full["patient_id"].isin(some)], check_index_type=False)


def test_converted_gives_the_same_values_from_categories_as_from_the_plain_column():
    import numpy as np

    dates = pd.Series(pd.to_datetime(["2020-04-01", None, "2020-04-03", "2020-04-01"]))
    plain_days = lambda values: values.to_numpy("datetime64[ns]").view(np.int64) // 86_400_000_000_000  # noqa: E731
    as_categories = dates.astype("category")
    whole = compact.converted(as_categories, plain_days, -1)
    assert list(whole[[0, 2, 3]]) == list(plain_days(dates)[[0, 2, 3]]) and whole[1] == -1
    rows = np.array([3, 2])
    assert list(compact.converted(as_categories, plain_days, -1, rows)) == list(compact.converted(dates, plain_days, -1, rows))
