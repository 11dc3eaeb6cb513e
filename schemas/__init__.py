"""Pandera models for every table the project reads: the data dictionary.

Each column's meaning, unit and allowed values live here once, in
``pa.Field(description=...)``; the book renders its data dictionary from these
models rather than repeating them.
"""

from anakinra_rescue.schemas.cohort import DailyStatus, Patient
from anakinra_rescue.schemas.published import PublishedNumber

__all__ = ["DailyStatus", "Patient", "PublishedNumber"]
