"""Where the project's own files live, found from the installed package."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_RECORD_CSV = PROJECT_ROOT / "data" / "published" / "article_numbers.csv"
