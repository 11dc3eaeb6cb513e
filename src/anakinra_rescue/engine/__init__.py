"""The engine: the study's analysis, from a validated cohort to every regenerated number.

It owns the operational definitions (:mod:`.config`), the first-eligible
chronological matching (:mod:`.matching`), the per-patient outcomes
(:mod:`.outcomes`), the statistics as SPSS prints them (:mod:`.stats`), Tables
1-3 and Figure 1's data (:mod:`.tables`), the comparison of each regenerated
number with the printed one (:mod:`.comparison`), and :mod:`.pipeline`, the only
place where load, match, derive, tabulate and compare are chained. It imports
only :mod:`anakinra_rescue.data` and needs pandas, pandera, pyarrow and scipy alone.
"""
