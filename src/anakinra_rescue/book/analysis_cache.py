"""One analysis per book build: the first chapter's kernel computes it, the others read it.

Every chapter runs in its own kernel and needs the same analysis of the same data folder (1.4 s on the
committed cohort, more on a hospital's). When a build names a folder in ``ANAKINRA_ANALYSIS_CACHE`` (``make
book`` names one inside ``_build``, which it deletes first, so every build starts cold), the analysis is
pickled there under the SHA-256 of the settings, the data files and the package's and schemas' source, and the next
kernels load it. Without the variable nothing is cached. A missing or unreadable file is recomputed; files are
written whole by a rename, so a kernel never reads half of one.
"""

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

CACHE_ENV = "ANAKINRA_ANALYSIS_CACHE"
PACKAGE = Path(__file__).resolve().parents[1]
DATA_FILES = ("patients.csv", "daily_status.csv", "infections.csv")


def _key(directory: Path, settings_text: str = "") -> str:
    from anakinra_rescue import schemas

    digest = hashlib.sha256(settings_text.encode())
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.csv")) + sorted(Path(schemas.__file__).parent.glob("*.py"))
    for path in sources + [directory / name for name in DATA_FILES if (directory / name).is_file()]:
        digest.update(str(path.name).encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def cached_analysis(directory: Path, compute, settings_text: str = ""):
    """``compute()``, or the analysis an earlier kernel of this build stored for the same data, settings (their TOML
    text) and code."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return compute()
    path = Path(folder) / f"analysis-{_key(Path(directory), settings_text)[:32]}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full disk only costs the recomputation
    return value
