"""The data layer: what comes in, and the article's printed numbers to compare against.

It owns reading ``patients.csv`` and ``daily_status.csv`` into typed frames
(:mod:`.io`, with located :mod:`.problems`; large plain files in pieces through pyarrow,
:mod:`.csv_chunks`) and writing them (:mod:`.csv_writer`), the glue to the pandera models in
``schemas/`` and the cross-table rules between the two files
(:mod:`.cohort_rules`), the published record of every number the article prints
with the facts that are true of the article alone, such as its group size
(:mod:`.published`), the data dictionary and Frictionless descriptor generated
from the models (:mod:`.dictionary`), random valid cohorts for tests and
benchmarks (:mod:`.simulate`), and the names of files, folders and environment
variables (:mod:`.files`). It imports nothing else from the package.
"""
