"""The synthetic cohort: patients built so that the engine prints the article's numbers.

It owns the row solver for continuous rows (:mod:`.solver`), the search for
outcome trajectories after day 0 (:mod:`.trajectories`), the daily rows and the
decoy pool that the matching must reject (:mod:`.daily`), and the assembly of
the whole cohort from a seed (:mod:`.reconstruct`). It imports the data layer
and the engine, whose own statistics and matching score and check every
candidate, and never the examination or the book.
"""
