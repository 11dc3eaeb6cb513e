"""`make bench`: performance figures, printed, never asserted.

Timed unit tests are flaky on shared machines, so speed is measured here and
reported in issue notes instead. Every figure is wall-clock on this machine.
"""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anakinra_rescue.book import offline_assets
from anakinra_rescue.data import io, published, simulate
from anakinra_rescue.data.files import PROJECT_ROOT
from anakinra_rescue.engine import matching

VALIDATION_PATIENTS = 100_000
VALIDATION_MAX_STAY_DAYS = 52  # gives about 30 daily rows per patient, 3 million in all


def _timed(label: str, function, repeats: int = 1):
    started = time.perf_counter()
    for _ in range(repeats):
        result = function()
    seconds = (time.perf_counter() - started) / repeats
    print(f"{label:<60} {seconds:9.3f} s" + (f"  (mean of {repeats})" if repeats > 1 else ""), flush=True)
    return result, seconds


def bench_published_record() -> None:
    record, _ = _timed("load and validate the published record", published.load_published_record, repeats=20)
    print(f"  {len(record)} printed numbers")


def bench_offline_assets() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _timed("write the offline Vega bundle and MathJax", lambda: offline_assets.write_offline_assets(Path(folder)))


def bench_validation(n_patients: int = VALIDATION_PATIENTS) -> None:
    """Validate a generated registry-sized cohort through the CLI, in a child process, for time and peak memory."""
    print(f"generating a valid cohort of {n_patients:,} patients ...", flush=True)
    (patients, daily), _ = _timed("  generate", lambda: simulate.random_cohort(n_patients, seed=7, max_stay_days=VALIDATION_MAX_STAY_DAYS))
    with tempfile.TemporaryDirectory() as folder:
        _timed("  write patients.csv and daily_status.csv", lambda: io.write_cohort(patients, daily, folder))
        sizes = sum(path.stat().st_size for path in Path(folder).iterdir()) / 2**20
        print(f"  {len(patients):,} patients, {len(daily):,} daily rows, {sizes:,.0f} MiB of CSV", flush=True)
        command = [sys.executable, "-m", "anakinra_rescue", "validate", folder]
        result, seconds = _timed(
            f"validate {len(daily) / 1e6:.1f} M daily rows (python -m anakinra_rescue validate)",
            lambda: subprocess.run(command, capture_output=True, text=True),
        )
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  exit {result.returncode}: {result.stdout.strip() or result.stderr.strip()[:300]}")
        print(f"  peak memory of the validating process: {peak_mib:,.0f} MiB; target under 30 s: "
              f"{'met' if seconds < 30 else 'MISSED'}")


def bench_matching(n_cases: int = 10_000, n_pool: int = 1_000_000, loop_patients: int = 3_000) -> None:
    """Time the engine on a registry-sized cohort, and against the reference loop on a size the loop can do."""
    from matching_reference import reference_match  # tests/ is on sys.path: make bench runs this file as a script

    patients, daily = simulate.random_cohort(loop_patients, seed=3, case_fraction=0.1, max_stay_days=20, with_measurements=False)
    _, loop_seconds = _timed(f"reference loop: {int(0.1 * loop_patients)} cases, {int(0.9 * loop_patients)} pool", lambda: reference_match(patients, daily))
    result, engine_seconds = _timed("  engine on the same cohort, with the log", lambda: matching.match_controls(patients, daily))
    print(f"  same pairs: {len(result.pairs)}; speed-up over the loop: {loop_seconds / engine_seconds:,.0f}x")
    total = n_cases + n_pool
    print(f"generating {n_cases:,} cases and {n_pool:,} historical patients ...", flush=True)
    (patients, daily), _ = _timed("  generate", lambda: simulate.random_cohort(
        total, seed=1, case_fraction=n_cases / total, max_stay_days=20, with_measurements=False))
    print(f"  {len(daily):,} daily rows")
    result, seconds = _timed(f"engine: {n_cases:,} cases against {n_pool:,} historical patients (no log)",
                             lambda: matching.match_controls(patients, daily, with_log=False))
    print(f"  {len(result.pairs):,} pairs, {len(result.unmatched):,} unmatched; target under 5 s: {'met' if seconds < 5 else 'MISSED'}")


def bench_book() -> None:
    """Sizes of the built pages and shared assets, and load times in headless Chromium (needs make book)."""
    html = PROJECT_ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        print("book: _build/html missing; run make book first for page sizes and load times")
        return
    pages = sorted(path for path in html.rglob("*.html") if "_static" not in path.parts and "_sources" not in path.parts)
    static = sum(path.stat().st_size for path in (html / "_static").rglob("*") if path.is_file())
    print(f"book: {len(pages)} pages; shared assets in _static: {static / 2**20:.1f} MiB")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        for path in pages:
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            seconds = time.perf_counter() - started
            print(f"  {path.relative_to(html).as_posix():<32} {path.stat().st_size / 1024:8.0f} KiB  load {seconds * 1000:6.0f} ms")
        browser.close()


def main() -> int:
    """Run every benchmark and print its figures."""
    print("anakinra_rescue benchmarks (wall-clock seconds on this machine)")
    bench_published_record()
    bench_offline_assets()
    bench_validation()
    bench_matching()
    bench_book()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
