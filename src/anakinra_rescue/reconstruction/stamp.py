"""The reconstruction's stamp: the code, inputs and packages that wrote a cohort folder's files, and their SHA-256.

``reconstruct --out DIR`` writes ``DIR/reconstruction.json`` beside the cohort files. It holds the seed, the
SHA-256 of the code the reconstruction can run (every module and package table of the layers it may import:
``data``, ``engine`` and ``reconstruction``, and the schemas; ``tests/test_architecture.py`` keeps it from
importing anything else), of the published record it reads, the versions of Python, numpy, pandas and scipy, and
the SHA-256 of each file written. It has no date, so the same seed writes the same stamp.

``make test`` uses it to decide how much work proves that the committed cohort is what this checkout's code writes
(``tests/test_reconstruct.py``): when the committed stamp equals the stamp of this checkout, the committed files
were written by this very code from these inputs, and their SHA-256 are checked against it; otherwise the whole
reconstruction is run again and compared byte for byte. ``make test-slow`` always runs it again.
Pinned by ``tests/test_reconstruct.py::test_the_stamp_names_this_code_and_the_committed_files``.
"""

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

from anakinra_rescue.data.files import PUBLISHED_RECORD_CSV
from anakinra_rescue.engine.build_record import file_sha256

STAMP_FILE = "reconstruction.json"
PACKAGE = Path(__file__).resolve().parents[1]
LAYERS = ("data", "engine", "reconstruction")  # what reconstruction/ may import, besides the schemas
PACKAGES = ("numpy", "pandas", "scipy")


def code_digest() -> str:
    """SHA-256 of the source and package tables of the layers the reconstruction may import, and of the schemas."""
    from anakinra_rescue import schemas  # type: ignore[attr-defined]  # mapped from schemas/ by setuptools

    digest = hashlib.sha256()
    paths = [path for layer in LAYERS for pattern in ("*.py", "*.csv") for path in sorted((PACKAGE / layer).glob(pattern))]
    for path in paths + sorted(Path(schemas.__file__).parent.glob("*.py")):
        digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stamp(seed: int, written: list[Path] | tuple) -> dict:
    """The stamp of files ``written`` by the reconstruction of ``seed`` with this checkout's code."""
    return {
        "seed": seed,
        "code_sha256": code_digest(),
        "published_record_sha256": file_sha256(PUBLISHED_RECORD_CSV),
        "python": ".".join(platform.python_version_tuple()[:2]),
        "packages": {name: metadata.version(name) for name in PACKAGES},
        "outputs": {Path(path).name: file_sha256(Path(path)) for path in sorted(written, key=lambda path: Path(path).name)},
    }


def write_stamp(seed: int, written, directory: Path | str) -> Path:
    path = Path(directory) / STAMP_FILE
    path.write_text(json.dumps(stamp(seed, written), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_stamp(directory: Path | str) -> dict | None:
    """The stamp in ``directory``, or None when there is none or it cannot be read."""
    try:
        return json.loads((Path(directory) / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
