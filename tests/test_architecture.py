"""The package's layout is its architecture: imports run one way, and the core needs no book tooling.

Layers, lowest first: schemas (the top-level schemas/, installed as anakinra_rescue.schemas) <- data <- engine
<- reconstruction <- examination <- book and cli.
A module may import its own layer and the layers below it, never above. These
tests read the import statements (``ast``), so they hold for code paths that no
other test executes.
"""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "anakinra_rescue"
LAYERS = ["schemas", "data", "engine", "reconstruction", "examination", "book"]
TOP_LEVEL = {"cli": len(LAYERS), "cli_commands": len(LAYERS), "__main__": len(LAYERS), "__init__": 0}
CORE_THIRD_PARTY = {"numpy", "pandas", "pandera", "pyarrow", "scipy"}  # numpy comes with pandas and scipy
MODULES = sorted(PACKAGE_DIR.rglob("*.py"))


def _layer_of(relative: Path) -> tuple[str, int]:
    parts = relative.with_suffix("").parts
    if parts[0] in LAYERS:
        return parts[0], LAYERS.index(parts[0])
    return parts[0], TOP_LEVEL[parts[0]]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file, nested ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            if node.module == "anakinra_rescue":  # from anakinra_rescue import engine
                found += [(node.lineno, f"anakinra_rescue.{alias.name}") for alias in node.names]
    return found


def test_every_module_belongs_to_a_known_layer():
    assert MODULES
    for path in MODULES:
        relative = path.relative_to(PACKAGE_DIR)
        assert relative.parts[0] in LAYERS or relative.stem in TOP_LEVEL, f"{relative} is outside the layers {LAYERS}"


def _direction_violations(path: Path, own: int) -> list[str]:
    """Every import in ``path`` that points above layer ``own`` or into the tests."""
    found = []
    for line, module in _imports(path):
        if module.startswith("tests") or module in ("conftest", "matching_reference"):
            found.append(f"{path.name}:{line} imports {module}: src never imports tests")
        elif module.startswith("anakinra_rescue."):
            target = module.split(".")[1]
            rank = LAYERS.index(target) if target in LAYERS else TOP_LEVEL.get(target, len(LAYERS))
            if rank > own:
                found.append(f"{path.name}:{line} imports {module}: only {', '.join(LAYERS[: own + 1])} may be imported here")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE_DIR)))
def test_imports_run_one_way(path):
    _, own = _layer_of(path.relative_to(PACKAGE_DIR))
    assert _direction_violations(path, own) == []


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if path.relative_to(PACKAGE_DIR).parts[0] != "book"],
    ids=lambda path: str(path.relative_to(PACKAGE_DIR)),
)
def test_core_modules_need_only_pandas_pandera_and_scipy(path):
    """Everything outside book/ runs with the core install: the standard library plus pandas, pandera, pyarrow, scipy."""
    for line, module in _imports(path):
        top = module.split(".")[0]
        if top == "anakinra_rescue" or top in sys.stdlib_module_names:
            continue
        assert top in CORE_THIRD_PARTY, f"{path.relative_to(PACKAGE_DIR)}:{line} imports {module}, which the core install lacks"


def test_the_direction_check_catches_upward_and_test_imports(tmp_path):
    """The check is not vacuous: an engine module importing the examination layer, the book or the tests is reported."""
    module = tmp_path / "bad.py"
    module.write_text(
        "from anakinra_rescue.examination import fidelity\nimport anakinra_rescue.book.views\n"
        "from matching_reference import reference_match\nfrom anakinra_rescue.data import io\n",
        encoding="utf-8",
    )
    found = _direction_violations(module, LAYERS.index("engine"))
    assert [message.split(" imports ")[1].split(":")[0] for message in found] == [
        "anakinra_rescue.examination",
        "anakinra_rescue.book.views",
        "matching_reference",
    ]
