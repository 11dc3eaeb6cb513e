"""Names of the files, folders and environment variables the package reads and writes, defined once.

The published record and the committed synthetic cohort travel with the package:
a wheel carries them as package data (``anakinra_rescue/data/published/`` and
``anakinra_rescue/data/reconstructed/``, mapped from the repository's ``data/``
in ``pyproject.toml``); a source checkout reads them where they are committed.
"""

from pathlib import Path

PATIENTS_FILE = "patients.csv"
DAILY_STATUS_FILE = "daily_status.csv"
INFECTIONS_FILE = "infections.csv"  # optional
FIDELITY_FILE = "fidelity.csv"
CERTIFICATES_FILE = "certificates.json"  # the verdicts' certificates, next to fidelity.csv
SENSITIVITY_FILE = "sensitivity.csv"
PUBLISHED_RECORD_FILE = "article_numbers.csv"
# What `tables` and `audit` write and the book offers for download.
FIGURE1_FILE = "figure1.csv"
REGENERATED_FILE = "regenerated.csv"
COMPARISON_FILE = "comparison.csv"
AUDIT_FILE = "audit.csv"


def table_file(source: str) -> str:
    """The file of one table in the article's layout: ``table1.csv`` for ``table1``."""
    return f"{source}.csv"


DATA_DIR_ENV = "ANAKINRA_DATA_DIR"  # the folder a book build reads, when not the committed reconstruction
# "1" lets a book built from other data show per-patient rows and offer the cohort for download (make book PATIENT_LEVEL=1)
PATIENT_LEVEL_ENV = "ANAKINRA_PATIENT_LEVEL"
MIN_CELL_ENV = "ANAKINRA_MIN_CELL"  # an aggregate report prints counts below it as "<k" (make book MIN_CELL=k)
CONFIG_ENV = "ANAKINRA_CONFIG"  # a TOML settings file the book is built under (make book CONFIG=file)
SINCE_ENV = "ANAKINRA_SINCE"  # what the book's "What changed" page compares with (make book SINCE=version or folder)

# The repository's root in a source checkout (or an editable install); in a wheel install this is a folder of the
# virtual environment, and nothing below reads or writes there (SOURCE_CHECKOUT is False).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
RELEASES_DIR = PROJECT_ROOT / "data" / "releases"  # data/releases/<version>/: each release's numbers (a checkout only)
SOURCE_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "src" / "anakinra_rescue").is_dir()
_PACKAGED = Path(__file__).resolve().parent  # anakinra_rescue/data/ in a wheel: published/ and reconstructed/ inside
RECONSTRUCTED_DIR = (
    _PACKAGED / "reconstructed"
    if (_PACKAGED / "reconstructed" / PATIENTS_FILE).is_file()
    else PROJECT_ROOT / "data" / "reconstructed"
)
# The Frictionless descriptor: committed in data/ of a checkout; from a wheel, written into the current folder.
DATAPACKAGE_JSON = PROJECT_ROOT / "data" / "datapackage.json" if SOURCE_CHECKOUT else Path("datapackage.json")
_PACKAGED_RECORD = _PACKAGED / "published" / PUBLISHED_RECORD_FILE
PUBLISHED_RECORD_CSV = (
    _PACKAGED_RECORD if _PACKAGED_RECORD.exists() else PROJECT_ROOT / "data" / "published" / PUBLISHED_RECORD_FILE
)
