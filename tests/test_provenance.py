"""Provenance cannot go stale: every test the book or a docstring names exists."""

import ast
import re
from pathlib import Path

import pytest

from anakinra_rescue.book import provenance

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TESTS_DIR = PROJECT_ROOT / "tests"
PINNED_BY = re.compile(r"[Pp]inned by((?:\s*(?:``test_\w+``|and|,|\([^)]*\))\s*)+)")


def _test_functions() -> dict[str, set[str]]:
    """file name -> names of the test functions it defines."""
    return {
        path.name: {
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
        for path in TESTS_DIR.glob("test_*.py")
    }


@pytest.mark.parametrize("key", sorted(provenance.ARTEFACTS))
def test_every_artefact_names_an_existing_test(key):
    file, _, name = provenance.ARTEFACTS[key].pinned_by.partition("::")
    assert file.startswith("tests/") and name, f"{key}: {provenance.ARTEFACTS[key].pinned_by} is not tests/FILE.py::test"
    assert name in _test_functions().get(Path(file).name, set()), f"{key}: {provenance.ARTEFACTS[key].pinned_by} does not exist"


def test_every_test_a_docstring_cites_exists():
    """Statistics' docstrings say "Pinned by ``test_x``"; each such test is defined in some test file."""
    defined = set().union(*_test_functions().values())
    cited = {}
    for path in (PROJECT_ROOT / "src").rglob("*.py"):
        for match in PINNED_BY.finditer(path.read_text(encoding="utf-8")):
            for name in re.findall(r"``(test_\w+)``", match.group(1)):
                cited.setdefault(name, path.name)
    assert len(cited) >= 10, f"found only {len(cited)} cited tests; the pattern no longer reads the docstrings"
    missing = {name: where for name, where in cited.items() if name not in defined}
    assert not missing, f"docstrings cite tests that do not exist: {missing}"


def test_provenance_line_names_importable_functions():
    text = provenance.line("table1")
    assert '<a href="api.html#anakinra_rescue.engine.tables.table1_tidy">' in text and "<em>Source:</em>" in text
    assert 'href="../_sources/book/03_tables.ipynb"' in text  # the chapter's notebook, as the build copies it
    assert 'href="api.html#pinned-test_tables-test_binary_row_reproduces_article_male_sex_row"' in text


def test_api_page_documents_every_module_and_quotes_every_test_the_lines_link_to():
    """book/api.md is written by hand: it must hold an automodule for each function's module and the source of each
    pinning test, or the links of the "How this was made" lines would lead nowhere (the browser check follows them)."""
    page = (PROJECT_ROOT / "book" / "api.md").read_text(encoding="utf-8")
    for entry in provenance.ARTEFACTS.values():
        for name in entry.function_names:
            assert f".. automodule:: {name.rsplit('.', 1)[0]}\n" in page, name
        path, _, test = entry.pinned_by.partition("::")
        assert f'<span id="{provenance.pinned_anchor(entry.pinned_by)}">' in page and f":pyobject: {test}\n" in page, test
        assert f".. literalinclude:: ../{path}\n" in page
