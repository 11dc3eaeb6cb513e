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
        return {row["artefact"]: Artefact(row["title"], tuple(_resolve(name) for name in row["built_by"].split()), row["pinned_by"])
                for row in csv.DictReader(handle)}


ARTEFACTS = _load_registry()


def line(artefact: str) -> str:
    """A one-line Markdown note: how this was made."""
    entry = ARTEFACTS[artefact]
    functions = " and ".join(f"`{name}`" for name in entry.function_names)
    return f"*How this was made:* {functions}; pinned by `{entry.pinned_by}`."


def appendix_table() -> pd.DataFrame:
    """Every table and figure of the book with its functions and its test."""
    return pd.DataFrame([(entry.title, ", ".join(entry.function_names), entry.pinned_by) for entry in ARTEFACTS.values()],
                        columns=["table or figure", "built by", "pinned by"])
