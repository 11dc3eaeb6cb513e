"""One analysis per book build: the first chapter's kernel computes it, the others read it.

Every chapter runs in its own kernel and needs the same analysis of the same data folder (1.4 s on the
committed cohort, more on a hospital's). When a build names a folder in ``ANAKINRA_ANALYSIS_CACHE`` (``make
book`` names one inside ``_build``, which it deletes first, so every build starts cold), the analysis is
pickled there under the build's fingerprint (:func:`anakinra_rescue.book.context.fingerprint`: settings, data files,
switches and code), and the next kernels load it. Without the variable nothing is cached. A missing or unreadable
file is recomputed; files are written whole by a rename, so a kernel never reads half of one.
"""

import os
import pickle
import tempfile
from pathlib import Path

CACHE_ENV = "ANAKINRA_ANALYSIS_CACHE"


def cached_analysis(compute, key: str):
    """``compute()``, or the analysis an earlier kernel of this build stored under the same ``key``."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return compute()
    path = Path(folder) / f"analysis-{key[:32]}.pickle"
    try:
        with path.open("rb") as stored:
            return pickle.load(stored)
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
