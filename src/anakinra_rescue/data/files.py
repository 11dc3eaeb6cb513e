"""Names of the files, folders and environment variables the package reads and writes, defined once.

The published record travels with the package: a wheel carries it as package
data (``anakinra_rescue/data/published/article_numbers.csv``, mapped from the
repository's ``data/published/`` in ``pyproject.toml``); a source checkout reads
it where it is committed.
"""

from pathlib import Path

PATIENTS_FILE = "patients.csv"
DAILY_STATUS_FILE = "daily_status.csv"
INFECTIONS_FILE = "infections.csv"  # optional
FIDELITY_FILE = "fidelity.csv"
SENSITIVITY_FILE = "sensitivity.csv"
PUBLISHED_RECORD_FILE = "article_numbers.csv"
DATA_DIR_ENV = "ANAKINRA_DATA_DIR"  # the folder a book build reads, when not the committed reconstruction
# "1" lets a book built from other data show per-patient rows and offer the cohort for download (make book PATIENT_LEVEL=1)
PATIENT_LEVEL_ENV = "ANAKINRA_PATIENT_LEVEL"

PROJECT_ROOT = Path(__file__).resolve().parents[3]
RECONSTRUCTED_DIR = PROJECT_ROOT / "data" / "reconstructed"
DATAPACKAGE_JSON = PROJECT_ROOT / "data" / "datapackage.json"
_PACKAGED_RECORD = Path(__file__).resolve().parent / "published" / PUBLISHED_RECORD_FILE
PUBLISHED_RECORD_CSV = (_PACKAGED_RECORD if _PACKAGED_RECORD.exists()
                        else PROJECT_ROOT / "data" / "published" / PUBLISHED_RECORD_FILE)
