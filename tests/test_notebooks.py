"""Quality gates on the book's notebooks: no analysis logic, and the built book shows the committed outputs.

`make book` executes every notebook once (forced, clean). Instead of executing
them a second time under nbval, :func:`test_built_book_shows_the_committed_outputs`
compares the executed copies Jupyter Book keeps in ``_build/jupyter_execute``
with the committed notebooks, the way nbval compares: the same sanitiser file
(``tests/nbval_sanitize.cfg``), nbval's own stream coalescing, and every output
field except the ones nbval skips. ``make nbval`` still runs nbval itself.
"""

import configparser
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import coalesce_streams

from anakinra_rescue.data import published

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BOOK_DIR = PROJECT_ROOT / "book"
EXECUTED_DIR = PROJECT_ROOT / "_build" / "jupyter_execute" / "book"
NOTEBOOKS = sorted(BOOK_DIR.glob("*.ipynb"))
# Analysis logic belongs in the package: no definitions, no grouping, no positional or label lookups, no
# re-indexing or arithmetic over frames. A notebook calls a function and displays or glues what it returns.
FORBIDDEN_IN_NOTEBOOKS = re.compile(
    r"(^|\s)def |(^|\s)class |lambda |groupby\(|\.loc\[|\.iloc\[|\.at\[|\.iat\[|set_index\(|reset_index\(|"
    r"\.sum\(|\.mean\(|\.count\(|\.value_counts\(|\.pivot|\.merge\(|\.query\(|\.apply\(|\.map\(|"
    r"\.sort_values\(|\.drop\(|\.agg\(|len\(|\[\[|\bfor\b.*\bin\b.*:\s*\n\s+\w+\s*[+\-*/]?="
)
SKIPPED_FIELDS = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


def _sanitisers() -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(parser[section]["regex"]), parser[section]["replace"]) for section in parser.sections()]


def _comparable(outputs, sanitisers) -> dict[str, list]:
    """nbval's view of a cell's outputs: MIME data flattened, skipped fields dropped, strings sanitised."""
    flattened: dict[str, list] = {}
    for output in coalesce_streams(copy.deepcopy(outputs)):
        for key, value in output.items():
            if key in SKIPPED_FIELDS:
                continue
            items = value.items() if key == "data" else [(key, value)]
            for field, content in items:
                if field in SKIPPED_FIELDS:
                    continue
                if isinstance(content, str):
                    for pattern, replacement in sanitisers:
                        content = pattern.sub(replacement, content)
                flattened.setdefault(field, []).append(content)
    return flattened


def _is_glue(output) -> bool:
    return "scrapbook" in output.get("metadata", {})


def _glued(notebook: nbformat.NotebookNode) -> dict[str, dict]:
    """Glued values of a notebook, name -> MIME data without papermill's prefix."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if _is_glue(output):
                prefix = output["metadata"]["scrapbook"]["mime_prefix"]
                found[output["metadata"]["scrapbook"]["name"]] = {
                    key.removeprefix(prefix): value for key, value in output["data"].items()
                }
    return found


def _first_difference(committed, built) -> str:
    """Where two outputs first differ, with some context: committed '...' but the build shows '...'."""
    left, right = str(committed), str(built)
    start = next((position for position, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
    return f"committed {left[max(start - 60, 0) : start + 60]!r} but the build shows {right[max(start - 60, 0) : start + 60]!r}"


def output_differences(
    committed: nbformat.NotebookNode, executed: nbformat.NotebookNode, executed_glue: dict[str, dict] | None = None
) -> list[str]:
    """Code cells whose executed outputs differ from the committed ones, as nbval would report them.

    Jupyter Book moves glued values out of the executed copy into ``NAME.glue.json`` (``executed_glue``);
    they are compared by name, and every other output cell by cell.
    """
    sanitisers = _sanitisers()
    if executed_glue is not None:
        committed_glue = {
            name: _comparable([nbformat.from_dict({"output_type": "display_data", "data": data})], sanitisers)
            for name, data in _glued(committed).items()
        }
        built_glue = {
            name: _comparable([nbformat.from_dict({"output_type": "display_data", "data": output["data"]})], sanitisers)
            for name, output in executed_glue.items()
        }
        found = [
            f"glued {name!r}: committed {committed_glue.get(name)!r} but the build shows {built_glue.get(name)!r}"
            for name in sorted(set(committed_glue) | set(built_glue))
            if committed_glue.get(name) != built_glue.get(name)
        ]
        committed = copy.deepcopy(committed)
        for cell in committed.cells:
            if "outputs" in cell:
                cell.outputs = [output for output in cell.outputs if not _is_glue(output)]
    else:
        found = []
    committed_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
    executed_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    if len(committed_cells) != len(executed_cells):
        return found + [f"{len(committed_cells)} code cells committed, {len(executed_cells)} executed"]
    for index, (reference, fresh) in enumerate(zip(committed_cells, executed_cells)):
        if reference.source != fresh.source:
            found.append(f"code cell {index}: the source differs from the executed copy (rebuild the book)")
            continue
        expected, actual = _comparable(reference.outputs, sanitisers), _comparable(fresh.outputs, sanitisers)
        for field in sorted(set(expected) | set(actual)):
            if expected.get(field) != actual.get(field):
                found.append(f"code cell {index}, field {field!r}: " + _first_difference(expected.get(field), actual.get(field)))
    return found


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


@pytest.mark.needs_book
@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda path: path.name)
def test_built_book_shows_the_committed_outputs(notebook_path):
    executed_path = EXECUTED_DIR / notebook_path.name
    assert executed_path.is_file(), f"{executed_path} is missing: run `make book` first (make test does)"
    glue_path = executed_path.with_suffix(".glue.json")
    executed_glue = json.loads(glue_path.read_text(encoding="utf-8")) if glue_path.is_file() else {}
    differences = output_differences(
        nbformat.read(notebook_path, as_version=4), nbformat.read(executed_path, as_version=4), executed_glue
    )
    assert not differences, (
        f"{notebook_path.name}: the build differs from the committed outputs; if the change is "
        "intended, run `make notebooks` and commit:\n" + "\n".join(differences[:5])
    )


def test_output_comparison_catches_a_stale_number_and_ignores_masked_noise():
    """Alter one committed number and the comparison reports it; a memory address or chart id alone is not a change."""
    committed = nbformat.read(BOOK_DIR / "90_published_record.ipynb", as_version=4)
    stale = copy.deepcopy(committed)
    cell = next(
        cell
        for cell in stale.cells
        if cell.cell_type == "code"
        and any("printed_numbers" in output.get("data", {}).get("text/plain", "") for output in cell.outputs)
    )
    output = next(output for output in cell.outputs if "printed_numbers" in output.get("data", {}).get("text/plain", ""))
    total = str(len(published.load_published_record()))  # the record's size, which the summary's total row prints
    one_less = str(int(total) - 1)
    assert total in output["data"]["text/plain"]
    output["data"]["text/plain"] = output["data"]["text/plain"].replace(total, one_less, 1)
    assert output_differences(committed, committed) == []
    differences = output_differences(committed, stale)
    assert len(differences) == 1 and "text/plain" in differences[0] and one_less in differences[0]
    noisy = copy.deepcopy(committed)
    noisy.cells.append(
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("execute_result", data={"text/plain": "<object at 0x7f00deadbeef>"}, execution_count=1)
            ],
        )
    )
    quiet = copy.deepcopy(committed)
    quiet.cells.append(
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("execute_result", data={"text/plain": "<object at 0x7f11cafebabe>"}, execution_count=2)
            ],
        )
    )
    assert output_differences(noisy, quiet) == []


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
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval",
                "-p",
                "no:cacheprovider",
                "-q",
                "--nbval-sanitize-with",
                str(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg"),
                str(stale),
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        stale.unlink()
    assert result.returncode == 1, result.stdout[-2000:]
    assert "stale_numbers" in result.stdout
