"""Quality gates on the book's notebooks: no analysis logic, and nbval really catches stale outputs."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BOOK_DIR = PROJECT_ROOT / "book"
NOTEBOOKS = sorted(BOOK_DIR.glob("*.ipynb"))
FORBIDDEN_IN_NOTEBOOKS = re.compile(r"(^|\s)def |groupby\(|\.loc\[|lambda ")


def test_book_has_notebooks():
    assert NOTEBOOKS, f"no notebooks under {BOOK_DIR}"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_holds_no_analysis_logic(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        match = FORBIDDEN_IN_NOTEBOOKS.search(cell.source)
        assert match is None, (
            f"{notebook_path.name} cell {index} contains {match.group(0)!r}: move the logic into src/anakinra_rescue"
        )


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_outputs_are_committed(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells and all(cell.get("execution_count") for cell in code_cells), (
        f"{notebook_path.name} has unexecuted cells: run `make notebooks` and commit the outputs"
    )


def test_nbval_fails_on_a_stale_output(tmp_path):
    """Alter one committed output of a notebook and check that nbval, as `make test` runs it, fails."""
    source = BOOK_DIR / "90_published_record.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    altered = False
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain")
            if text and "printed_numbers" in "".join(text):
                output["data"]["text/plain"] = ["".join(text).replace("printed_numbers", "stale_numbers")]
                altered = True
    assert altered, "found no output to alter; update this test"
    stale = BOOK_DIR / "_stale_copy_for_test.ipynb"
    stale.write_text(json.dumps(notebook), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
             "--nbval-sanitize-with", str(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg"), str(stale)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        )
    finally:
        stale.unlink()
    assert result.returncode == 1, result.stdout[-2000:]
    assert "stale_numbers" in result.stdout
