"""Pandera models for every table the project reads: the data dictionary.

Each column's meaning, unit and allowed values live here once, in
``pa.Field(description=...)``; the book renders its data dictionary from these
models rather than repeating them.
"""

from schemas.cohort import DailyStatus, Patient
from schemas.published import PublishedNumber

__all__ = ["DailyStatus", "Patient", "PublishedNumber"]
