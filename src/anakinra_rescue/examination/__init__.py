"""Examination of the article and of the reconstruction, beyond regenerating the tables.

It owns the proofs that some printed numbers cannot be reproduced
(:mod:`.fidelity`), the audit of every printed number against the others
(:mod:`.audit`), the matched-pair reanalysis (:mod:`.reanalysis`), covariate
balance (:mod:`.balance`), the sensitivity over seeded reconstructions
(:mod:`.sensitivity`) and the STROBE checklist (:mod:`.strobe`). It may import
the data layer, the engine and the reconstruction; nothing below imports it.
"""
