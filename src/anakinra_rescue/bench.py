"""`make bench`: performance figures, printed, never asserted.

Timed unit tests are flaky on shared machines, so speed is measured here and
reported in issue notes instead.
"""

import resource
import tempfile
import time
from pathlib import Path

from anakinra_rescue import offline_assets, published


def _timed(label: str, function, repeats: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        function()
    seconds = (time.perf_counter() - started) / repeats
    print(f"{label:<55} {seconds * 1000:10.1f} ms" + (f"  (mean of {repeats})" if repeats > 1 else ""), flush=True)
    return seconds


def main() -> int:
    """Print each benchmark's figure, then the peak resident memory of the run."""
    print("anakinra_rescue benchmarks (seconds are wall-clock on this machine)")
    record = published.load_published_record()
    print(f"published record: {len(record)} printed numbers")
    _timed("load and validate the published record", published.load_published_record, repeats=20)
    with tempfile.TemporaryDirectory() as folder:
        _timed("write the offline Vega bundle and MathJax", lambda: offline_assets.write_offline_assets(Path(folder)))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak resident memory':<55} {peak_mib:10.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
