"""Tests of anakinra_rescue.data.vocabulary: each word defined once, and no bare status word outside its home."""

import re
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.data import vocabulary
from anakinra_rescue.data.vocabulary import AuditStatus, Level, StatisticalTest, Status, Verdict
from anakinra_rescue.engine import config
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS, ORDINAL_SCALE

SRC = Path(__file__).resolve().parents[1] / "src" / "anakinra_rescue"


def test_members_are_their_words_in_files_and_comparisons(tmp_path):
    frame = pd.DataFrame({"status": [Status.MATCH, Status.MISMATCH], "verdict": [Verdict.OPEN, Verdict.PROVEN]})
    frame.to_csv(tmp_path / "out.csv", index=False)
    assert (tmp_path / "out.csv").read_text() == "status,verdict\nmatch,open_question\nmismatch,proven_impossible\n"
    assert (pd.read_csv(tmp_path / "out.csv")["status"] == Status.MATCH).tolist() == [True, False]
    assert f"{StatisticalTest.CHI2}" == "chi2" and StatisticalTest("fisher") is StatisticalTest.FISHER


def test_the_audit_and_the_verdicts_share_their_common_words():
    assert AuditStatus.PROVEN == Verdict.PROVEN and AuditStatus.INCONSISTENT == Verdict.INCONSISTENT
    assert AuditStatus.OTHER_TEST == Verdict.OTHER_TEST


def test_the_levels_are_the_schemas_scale():
    assert tuple(Level) == ORDINAL_LEVELS and len(ORDINAL_SCALE) == len(Level)
    assert ORDINAL_SCALE[Level.DEATH].lower().startswith("death")


def test_the_settings_name_tests_of_the_vocabulary():
    assert set(config.TEST_NAMES) <= set(StatisticalTest)


def test_a_derived_column_is_named_by_one_function():
    assert vocabulary.day_column("improvement", 7) == "improvement_day7"


@pytest.mark.parametrize(
    "word", [*Status, *Verdict, AuditStatus.CONSISTENT, AuditStatus.FROM_RECONSTRUCTION, AuditStatus.NOT_CHECKED]
)
def test_no_status_word_is_typed_as_a_bare_string_outside_its_home(word):
    """A status compared, returned or assigned as a bare string would silently stop matching if its word changed."""
    quoted = rf"""["']{re.escape(str(word))}["']"""
    # compared, returned, assigned or looked up as a bare string (a dict of labels keyed by the member is fine)
    pattern = re.compile(rf"(?:==|!=|\bin\b|\bis\b|\breturn\b|\bget\(|[^=!<>]=)\s*{quoted}|{quoted}\s*(?:==|!=)")
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "vocabulary.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if pattern.search(code) and '"""' not in code:
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)
