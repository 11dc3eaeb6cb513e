"""A disk cache for evidence that depends on the published record alone (proofs and the reasons' hints).

Every book chapter runs in its own kernel and explains the same record, and the proofs take seconds
(:func:`anakinra_rescue.examination.fidelity.record_evidence`). The result is kept as JSON under the
system's temporary folder (or ``ANAKINRA_EVIDENCE_CACHE``), named by the SHA-256 of the record's text and of
the source of every module that computes it, so that a changed record or changed code never reads an old
answer. A missing, unreadable or foreign file is recomputed; files are written whole by a rename.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

CACHE_ENV = "ANAKINRA_EVIDENCE_CACHE"
PACKAGE = Path(__file__).resolve().parents[1]
# reconstruction/: Table 3's ceiling (book.chapter_numbers.table3_ceiling) is the exact programme's optimum
CODE = ("examination/*.py", "engine/*.py", "data/published.py", "data/vocabulary.py", "reconstruction/*.py")


def _code_digest() -> str:
    from anakinra_rescue import schemas  # type: ignore[attr-defined]  # mapped from schemas/ by setuptools  # the scale and the record's schema are read by the checks too

    digest = hashlib.sha256()
    files = [path for pattern in CODE for path in sorted(PACKAGE.glob(pattern))]
    for path in files + sorted(Path(schemas.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def folder() -> Path:
    """Where cached evidence lives."""
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "anakinra_rescue-evidence")


def cached(name: str, record: pd.DataFrame, compute):
    """``compute()`` (JSON-serialisable), or its stored result for the same record and code."""
    key = hashlib.sha256((name + _code_digest() + record.to_csv(index=False)).encode()).hexdigest()
    path = folder() / f"{name}-{key[:32]}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return stored["value"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"key": key, "value": value}, out)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full disk only costs the recomputation
    return value
