"""Refresh the outputs committed in the book's notebooks.

nbval compares each notebook's committed outputs with a fresh run, so the
committed outputs must come from a real execution. ``make notebooks`` runs

    python -m anakinra_rescue.book.notebooks book/*.ipynb

which executes each notebook from a clean kernel in its own folder and writes
it back with its outputs. Run it after changing code, data or a notebook.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_in_place(path: Path, timeout_s: int = 600) -> float:
    """Execute one notebook from a clean kernel and save it with outputs; return the seconds taken."""
    started = time.perf_counter()
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout_s,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    """Execute every notebook named on the command line, printing progress."""
    if not argv:
        print("usage: python -m anakinra_rescue.book.notebooks NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for index, name in enumerate(argv, start=1):
        path = Path(name)
        print(f"[{index}/{len(argv)}] executing {path} ...", flush=True)
        seconds = execute_in_place(path)
        print(f"[{index}/{len(argv)}] {path} done in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
