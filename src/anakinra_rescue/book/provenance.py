"""Where each table and figure of the book comes from: the functions that build it and the test that pins it.

One registry, ``provenance.csv`` read into :data:`ARTEFACTS`, names each
function by its dotted path and resolves it to the function object when this
module is imported, so a renamed or moved function fails the book's first cell
instead of leaving a stale name on a page. Tests are named as
``tests/FILE.py::test_name``; ``tests/test_provenance.py`` checks each exists.
"""

import csv
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd


@dataclass(frozen=True)
class Artefact:
    """A table or figure of the book: its title, the functions that build it, and the test that pins it."""

    title: str
    built_by: tuple[Callable, ...]
    pinned_by: str

    @property
    def function_names(self) -> list[str]:
        return [f"{function.__module__}.{function.__qualname__}" for function in self.built_by]


REGISTRY_CSV = Path(__file__).with_name("provenance.csv")


def _resolve(dotted: str) -> Callable:
    """The function a dotted name points to; a stale name fails here, when the book starts."""
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _load_registry() -> dict[str, Artefact]:
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["artefact"]: Artefact(row["title"], tuple(_resolve(name) for name in row["built_by"].split()), row["pinned_by"])
            for row in csv.DictReader(handle)
        }


ARTEFACTS = _load_registry()


API_PAGE = "api.html"  # book/api.md: autodoc of the modules behind the tables, and the pinning tests' source


def pinned_anchor(test: str) -> str:
    """The id of a pinning test's quoted source on the API page: ``tests/test_x.py::test_y`` -> ``pinned-test_x-test_y``."""
    path, _, name = test.partition("::")
    return f"pinned-{Path(path).stem}-{name}"


# The chapter that shows each artefact: its "Source" line links the chapter's notebook, as Sphinx copies it.
CHAPTER_OF = {
    "table1": "03_tables",
    "table2": "03_tables",
    "table3": "03_tables",
    "figure1": "04_figure1",
    "comparison": "05_reconstruction",
    "fidelity": "05_reconstruction",
    "matching_flow": "01_methods",
    "ordinal_scale": "01_methods",
    "tests_by_row": "01_methods",
    "dictionary": "80_data_dictionary",
    "published_record": "90_published_record",
}


def line(artefact: str) -> str:
    """The one "Source" line under a table or figure: the chapter's notebook, each function that builds it linked to
    its API entry, and the test that pins it linked to its source on the API page."""
    entry = ARTEFACTS[artefact]
    functions = ", ".join(
        f'<a href="{API_PAGE}#{name}"><code>{name.removeprefix("anakinra_rescue.")}</code></a>' for name in entry.function_names
    )
    test = f'<a href="{API_PAGE}#{pinned_anchor(entry.pinned_by)}"><code>{entry.pinned_by.rpartition("::")[2]}</code></a>'
    notebook = f"{CHAPTER_OF.get(artefact, artefact)}.ipynb"
    return (
        f'<p class="source-line"><em>Source:</em> <a href="../_sources/book/{notebook}"><code>{notebook}</code></a>'
        f" · built by {functions} · checked by {test}</p>"
    )


def appendix_table() -> pd.DataFrame:
    """Every table and figure of the book with its functions and its test."""
    return pd.DataFrame(
        [(entry.title, ", ".join(entry.function_names), entry.pinned_by) for entry in ARTEFACTS.values()],
        columns=["table or figure", "built by", "pinned by"],
    )


BUILD_PACKAGES = ("pandas", "pandera", "scipy", "numpy", "pyarrow", "altair", "jupyter-book", "myst-nb", "sphinx")


def build_record(data_dir: Path) -> pd.DataFrame:
    """What went into this build besides the commit and the date (which the footer gives): the data folder, the
    SHA-256 of each of its files, the reconstruction's seed when the data are the committed cohort, and the
    versions of Python and of the packages that compute and render the numbers."""
    import hashlib
    import platform
    from importlib import metadata

    from anakinra_rescue.data.files import PROJECT_ROOT, RECONSTRUCTED_DIR

    folder = Path(data_dir).resolve()
    shown = folder.relative_to(PROJECT_ROOT) if folder.is_relative_to(PROJECT_ROOT) else folder.name  # never a full path
    rows = [("data folder", str(shown))]
    for path in sorted(folder.glob("*.csv")):
        rows.append((f"SHA-256 of {path.name}", hashlib.sha256(path.read_bytes()).hexdigest()))
    if folder == RECONSTRUCTED_DIR.resolve():
        from anakinra_rescue.reconstruction.reconstruct import DEFAULT_SEED

        rows.append(("reconstruction seed", str(DEFAULT_SEED)))
    rows.append(("Python", ".".join(platform.python_version_tuple()[:2])))
    rows += [(package, metadata.version(package)) for package in BUILD_PACKAGES]
    return pd.DataFrame(rows, columns=["item", "value"])
