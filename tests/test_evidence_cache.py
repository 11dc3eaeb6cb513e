"""Tests of anakinra_rescue.examination.evidence_cache: one computation per record and code, never a stale answer."""

import pandas as pd

from anakinra_rescue.examination import evidence_cache

RECORD = pd.DataFrame({"source": ["table1"], "variable": ["age_years"], "value": ["65.3"]})


def test_a_record_is_computed_once_and_a_changed_record_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ANAKINRA_EVIDENCE_CACHE", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return {"answer": [len(calls)]}

    assert evidence_cache.cached("probe", RECORD, compute) == {"answer": [1]}
    assert evidence_cache.cached("probe", RECORD, compute) == {"answer": [1]} and len(calls) == 1
    changed = RECORD.assign(value=["65.4"])
    assert evidence_cache.cached("probe", changed, compute) == {"answer": [2]}
    assert len(list(tmp_path.glob("probe-*.json"))) == 2


def test_a_damaged_or_foreign_file_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("ANAKINRA_EVIDENCE_CACHE", str(tmp_path))
    evidence_cache.cached("probe", RECORD, lambda: 1)
    (path,) = tmp_path.glob("probe-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert evidence_cache.cached("probe", RECORD, lambda: 2) == 2
    path.write_text('{"key": "someone else", "value": 3}', encoding="utf-8")
    assert evidence_cache.cached("probe", RECORD, lambda: 4) == 4


def test_the_key_covers_the_code(tmp_path, monkeypatch):
    monkeypatch.setenv("ANAKINRA_EVIDENCE_CACHE", str(tmp_path))
    evidence_cache.cached("probe", RECORD, lambda: 1)
    monkeypatch.setattr(evidence_cache, "_code_digest", lambda: "another version of the proofs")
    assert evidence_cache.cached("probe", RECORD, lambda: 2) == 2
