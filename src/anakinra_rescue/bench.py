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

from anakinra_rescue import io, offline_assets, published, simulate

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


def main() -> int:
    """Run every benchmark and print its figures."""
    print("anakinra_rescue benchmarks (wall-clock seconds on this machine)")
    bench_published_record()
    bench_offline_assets()
    bench_validation()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
