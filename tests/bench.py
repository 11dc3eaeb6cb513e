"""`make bench`: performance figures, printed, never asserted.

Timed unit tests are flaky on shared machines, so speed is measured here and
reported in issue notes instead. Every figure is wall-clock on this machine.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from anakinra_rescue.book import offline_assets, pdf
from anakinra_rescue.data import csv_writer, published, simulate
from anakinra_rescue.data.files import PROJECT_ROOT
from anakinra_rescue.engine import matching

VALIDATION_PATIENTS = 100_000
VALIDATION_MAX_STAY_DAYS = 52  # gives about 30 daily rows per patient, 3 million in all
VALIDATION_COPIES = int(os.environ.get("BENCH_COPIES", "10"))  # the 10x cohort: 30 million daily rows
FUZZ_BENCH_EXAMPLES = int(os.environ.get("FUZZ_BENCH_EXAMPLES", "100000"))  # about 50 min on 2 cores


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


def _child(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh Python process; return its wall seconds, its own peak RSS in MiB, and its output."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report this process's peak.
    wrapped = (
        f"import sys\n{code}\n"
        "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
        "print('PEAK_KIB', hwm[0], file=sys.stderr)\n"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = [line for line in result.stderr.splitlines() if line.startswith("PEAK_KIB")]
    return seconds, (int(peak[-1].split()[1]) / 1024 if peak else float("nan")), result.stdout + result.stderr


def _replicate(source: Path, target: Path, copies: int) -> None:
    """``copies`` disjoint copies of a cohort in one folder: each copy's patient ids get their own prefix."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("patients.csv", "daily_status.csv"):
        with (source / name).open("rb") as original, (target / name).open("wb") as out:
            header = original.readline()
            out.write(header)
            body_start = original.tell()
            for copy in range(copies):
                original.seek(body_start)
                prefix = f"c{copy}-".encode()
                while block := original.readlines(2**24):
                    out.write(b"".join(prefix + line for line in block))


def _validate_against_read_csv(folder: str, label: str) -> None:
    read_seconds, read_mib, _ = _child(
        f"import pandas as pd\nfor name in ('patients.csv', 'daily_status.csv'): pd.read_csv({folder!r} + '/' + name)"
    )
    print(
        f"baseline: pandas.read_csv of both files, untyped ({label})".ljust(60)
        + f" {read_seconds:9.3f} s  peak {read_mib:,.0f} MiB"
    )
    validate_seconds, validate_mib, output = _child(
        f"from anakinra_rescue.cli import main\ncode = main(['validate', {folder!r}])"
    )
    print(f"validate ({label})".ljust(60) + f" {validate_seconds:9.3f} s  peak {validate_mib:,.0f} MiB")
    print(f"  {output.strip().splitlines()[0][:200]}")
    print(
        f"  RATIO validate / read_csv ({label}): time {validate_seconds / read_seconds:.1f}x (target 3x), "
        f"peak memory {validate_mib / read_mib:.1f}x; validate's peak {validate_mib / 1024:.2f} GiB",
        flush=True,
    )


def _pipeline_at_scale(folder: str, label: str) -> None:
    """`match --no-log` and `tables` on the large cohort, each in a fresh process: time and peak memory."""
    for command in (["match", "--no-log"], ["tables"]):
        with tempfile.TemporaryDirectory() as out:
            seconds, mib, output = _child(
                f"from anakinra_rescue.cli import main\ncode = main({[*command, folder, '--out', out]!r})"
            )
        print(
            f"{' '.join(command)} ({label})".ljust(60) + f" {seconds:9.3f} s  peak {mib:,.0f} MiB "
            f"({mib / 1024:.2f} GiB; target under 2 GiB)",
            flush=True,
        )
        print(f"  {output.strip().splitlines()[0][:200] if output.strip() else 'no output'}")  # the summary line


def bench_validation(n_patients: int = VALIDATION_PATIENTS, copies: int = VALIDATION_COPIES) -> None:
    """Validate a registry-sized cohort through the CLI, against a plain pandas.read_csv of the same files, at 1x
    and at ``copies`` x (disjoint copies of the same cohort). Each runs in a fresh child process of this run, so
    the ratios hold on a slow machine too."""
    print(f"generating a valid cohort of {n_patients:,} patients ...", flush=True)
    (patients, daily), _ = _timed(
        "  generate", lambda: simulate.random_cohort(n_patients, seed=7, max_stay_days=VALIDATION_MAX_STAY_DAYS)
    )
    with tempfile.TemporaryDirectory() as folder:
        _timed("  write patients.csv and daily_status.csv", lambda: csv_writer.write_cohort(patients, daily, folder))
        patients = daily = None  # free the frames before the child processes measure memory
        sizes = sum(path.stat().st_size for path in Path(folder).iterdir()) / 2**20
        print(f"  {n_patients:,} patients, {sizes:,.0f} MiB of CSV", flush=True)
        _validate_against_read_csv(folder, "1x")
        if copies > 1:
            with tempfile.TemporaryDirectory() as large:
                _timed(f"  write {copies} disjoint copies", lambda: _replicate(Path(folder), Path(large), copies))
                sizes = sum(path.stat().st_size for path in Path(large).iterdir()) / 2**20
                print(f"  {copies * n_patients:,} patients, {sizes:,.0f} MiB of CSV", flush=True)
                _validate_against_read_csv(large, f"{copies}x")
                _pipeline_at_scale(large, f"{copies}x")


def bench_fuzz(examples: int = FUZZ_BENCH_EXAMPLES) -> None:
    """The validate fuzz test with more examples than make test runs, on every core; reports the count."""
    environment = {**os.environ, "FUZZ_EXAMPLES": str(examples)}
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "auto",
            "-p",
            "no:cacheprovider",
            str(PROJECT_ROOT / "tests" / "test_fuzz_validate.py"),
            "-k",
            "never_crashes",
        ],
        env=environment,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    seconds = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["no output"])[-1]
    print(f"fuzz: {examples:,} mutated cohorts through validate in {seconds:.0f} s on every core: {summary}")
    if result.returncode != 0:  # the falsifying examples and their reproduction blobs, for the issue
        print(result.stdout[-20000:])


def _largest_loop_size(reference_match, budget_seconds: float = 60.0, start: int = 1_000) -> tuple[int, float, tuple]:
    """Double the cohort while the reference loop's next run is expected to fit in the budget (time grows ~4x)."""
    size, seconds, cohort = start, 0.0, None
    while True:
        candidate = simulate.random_cohort(size, seed=3, case_fraction=0.1, max_stay_days=20, with_measurements=False)
        _, seconds = _timed(
            f"reference loop: {int(0.1 * size):,} cases, {int(0.9 * size):,} pool", lambda: reference_match(*candidate)
        )
        cohort = candidate
        if seconds * 4 > budget_seconds:
            return size, seconds, cohort
        size *= 2


def bench_matching(n_cases: int = 10_000, n_pool: int = 1_000_000) -> None:
    """Time the engine on a registry-sized cohort, and against the reference loop at the largest size it does in 60 s."""
    from matching_reference import reference_match  # tests/ is on sys.path: make bench runs this file as a script

    size, loop_seconds, (patients, daily) = _largest_loop_size(reference_match)
    result, engine_seconds = _timed("  engine on the same cohort, with the log", lambda: matching.match_controls(patients, daily))
    print(
        f"  RATIO reference loop / engine at {size:,} patients: {loop_seconds / engine_seconds:,.1f}x ({len(result.pairs)} pairs)"
    )
    total = n_cases + n_pool
    print(f"generating {n_cases:,} cases and {n_pool:,} historical patients ...", flush=True)
    (patients, daily), _ = _timed(
        "  generate",
        lambda: simulate.random_cohort(total, seed=1, case_fraction=n_cases / total, max_stay_days=20, with_measurements=False),
    )
    print(f"  {len(daily):,} daily rows")
    # Without the log only: the log has one row per candidate checked (3.8 million rows at 16,000 patients), so at
    # 10,000 cases against 1,000,000 it would run to billions of rows and exhaust memory. It is timed above, at the
    # reference loop's size.
    result, seconds = _timed(
        f"engine: {n_cases:,} cases against {n_pool:,} historical patients (no log)",
        lambda: matching.match_controls(patients, daily, with_log=False),
    )
    print(
        f"  {len(result.pairs):,} pairs, {len(result.unmatched):,} unmatched; target under 4 s: "
        f"{'met' if seconds < 4 else 'MISSED'}"
    )
    pool = matching.ordered_pool(patients)
    rank = pd.Series(range(len(pool)), index=pool["patient_id"].to_numpy(object))
    log_rows = (
        int(rank.reindex(result.pairs["control_id"].to_numpy(object)).sum())
        + len(result.pairs)
        + len(result.unmatched) * len(pool)
    )
    print(
        f"  with the log it would hold {log_rows:,} rows (one per candidate each case passes over), so the log is "
        f"timed at the reference loop's size above, not here"
    )


def bench_book(html: Path = PROJECT_ROOT / "_build" / "html") -> None:
    """Sizes of the built pages and shared assets, and load times in headless Chromium (needs make book); ``html``
    may be another build, such as an older commit's, for a before-and-after comparison."""
    html = Path(html).resolve()  # a file URI needs an absolute path
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
        browser = playwright.chromium.launch(executable_path=pdf.CHROMIUM, args=pdf.CHROMIUM_ARGS)
        print(f"  {'page':<32} {'HTML':>8} {'loaded, 1400 px':>16} {'loaded, 390 px':>15} {'load':>8}")
        for path in pages:
            weights = []
            for width in (1400, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                loaded = []
                page.on("requestfinished", lambda request, loaded=loaded: loaded.append(request.sizes()["responseBodySize"]))
                started = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                seconds = time.perf_counter() - started
                page.wait_for_timeout(200)
                weights.append(sum(loaded) + path.stat().st_size)
                page.close()
            print(
                f"  {path.relative_to(html).as_posix():<32} {path.stat().st_size / 1024:6.0f} KiB "
                f"{weights[0] / 1024:12.0f} KiB {weights[1] / 1024:12.0f} KiB {seconds * 1000:6.0f} ms"
            )
        browser.close()


def main() -> int:
    """Run every benchmark and print its figures."""
    print("anakinra_rescue benchmarks (wall-clock seconds on this machine)")
    bench_published_record()
    bench_offline_assets()
    bench_validation()
    bench_matching()
    # BENCH_BEFORE_HTML=path/to/an/older/_build/html prints that build's page weights first, for a before and after.
    if os.environ.get("BENCH_BEFORE_HTML"):
        print("book, before:")
        bench_book(Path(os.environ["BENCH_BEFORE_HTML"]).resolve())
        print("book, after:")
    bench_book()
    bench_fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
