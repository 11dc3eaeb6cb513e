"""The book's per-build analysis cache: off without its variable, keyed by the build's fingerprint, never stale."""

import shutil

from anakinra_rescue.book import analysis_cache, context
from anakinra_rescue.data.files import RECONSTRUCTED_DIR


def _counting():
    calls = []

    def compute():
        calls.append(1)
        return {"answer": len(calls)}

    return calls, compute


def test_without_the_variable_every_call_computes(monkeypatch, tmp_path):
    monkeypatch.delenv(analysis_cache.CACHE_ENV, raising=False)
    calls, compute = _counting()
    analysis_cache.cached_analysis(compute, "key")
    analysis_cache.cached_analysis(compute, "key")
    assert len(calls) == 2


def test_the_second_kernel_reads_and_changed_data_recomputes(monkeypatch, tmp_path):
    monkeypatch.setenv(analysis_cache.CACHE_ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(RECONSTRUCTED_DIR, data, ignore=shutil.ignore_patterns("*.md", "*.json", "sensitivity.csv"))
    calls, compute = _counting()
    assert analysis_cache.cached_analysis(compute, context.fingerprint(data)) == {"answer": 1}
    assert analysis_cache.cached_analysis(compute, context.fingerprint(data)) == {"answer": 1} and len(calls) == 1
    (data / "daily_status.csv").write_bytes((data / "daily_status.csv").read_bytes() + b"\n")
    assert analysis_cache.cached_analysis(compute, context.fingerprint(data)) == {"answer": 2}


def test_an_unreadable_file_is_recomputed(monkeypatch, tmp_path):
    monkeypatch.setenv(analysis_cache.CACHE_ENV, str(tmp_path))
    calls, compute = _counting()
    analysis_cache.cached_analysis(compute, "key")
    for stored in tmp_path.glob("analysis-*.pickle"):
        stored.write_bytes(b"not a pickle")
    assert analysis_cache.cached_analysis(compute, "key") == {"answer": 2}
