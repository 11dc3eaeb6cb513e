"""A decision, with certificates, for every Table 3 status and score-difference number the cohort does not print.

Day k's printed quartiles and P-values form one family (:func:`family`): 12 quartiles (status and score difference,
Q1, median and Q3, two groups) and two P-values. For a number x of the family that the committed cohort misses,
with S the siblings it prints (:mod:`anakinra_rescue.examination.day_profiles` gives the pictures of day k):

* x holds in no picture under the engine reading (hence under neither): ``proven_impossible``; certificate: the
  exhaustive check of the domain;
* x holds alone, but not with S under either reading: ``article_inconsistent``; the named siblings are a smallest
  subset S' of S found by dropping one sibling at a time while the clash remains; certificates: a witness for x
  and the exhaustive check of x with S';
* x holds with all of S: ``attainable_not_reached``: another cohort would print x and everything this one prints;
  certificate: that witness.

When x holds under the engine reading only, the reason says so and an exhaustive check under the natural reading
comes with it. Pinned by ``tests/test_table3_decisions.py``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anakinra_rescue.data import published
from anakinra_rescue.data.vocabulary import Verdict, day_column
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.examination import day_profiles
from anakinra_rescue.schemas.published import COMPARED_GROUPS

Key = tuple[str, str, str, str]
ROWS = {"ordinal_status": "status", "score_difference": "difference"}


def family(day: int) -> list[Key]:
    """The printed numbers of day k that the pictures decide, in the article's order."""
    keys: list[Key] = []
    for variable in ROWS:
        for group in COMPARED_GROUPS:
            keys += [("table3", day_column(variable, day), group, name) for name in ("median", "q1", "q3")]
        keys.append(("table3", day_column(variable, day), "comparison", "p_value"))
    return keys


def _row(key: Key) -> str:
    return ROWS[key[1].rsplit("_day", 1)[0]]


def _day(key: Key) -> int:
    return int(key[1].rsplit("_day", 1)[1])


@dataclass
class Check:
    """Evaluates claims "these numbers of day k print together" on the pictures of day k."""

    record: pd.DataFrame
    day: int
    config: object = DEFAULT
    _masks: dict = field(default_factory=dict)

    def __post_init__(self):
        self.counts = {group: day_profiles.day_counts(self.record, group, self.day, self.config) for group in COMPARED_GROUPS}
        first = self.counts[COMPARED_GROUPS[0]].day0
        if any(counts.day0 != first for counts in self.counts.values()):  # each group would need its own domain
            self.spaces = {
                group: day_profiles.domain(counts.day0, self.config.improvement_points, self.config.score_difference_sign)
                for group, counts in self.counts.items()
            }
        else:
            shared = day_profiles.domain(first, self.config.improvement_points, self.config.score_difference_sign)
            self.spaces = dict.fromkeys(COMPARED_GROUPS, shared)

    def printed(self, key: Key) -> str:
        return published.required(self.record, *key, column="compared_as")

    def mask(self, group: str, reading: str, keys: frozenset[Key]) -> np.ndarray:
        """Pictures of ``group`` that agree with the counts under ``reading`` and print its quartiles among ``keys``."""
        mine = frozenset(key for key in keys if key[2] == group)
        cached = self._masks.get((group, reading, mine))
        if cached is None:
            space = self.spaces[group]
            if mine:
                cached = self.mask(group, reading, frozenset()).copy()
                for key in sorted(mine):
                    cached &= space.prints(_row(key), key[3], self.printed(key))
            else:
                cached = day_profiles.feasible(space, self.counts[group], reading)
            self._masks[(group, reading, mine)] = cached
        return cached

    def witness(self, reading: str, keys: frozenset[Key]) -> tuple[int, int] | None:
        """Indices of one picture per group printing every number of ``keys`` together, or None when none do."""
        masks = [self.mask(group, reading, keys) for group in COMPARED_GROUPS]
        if not all(mask.any() for mask in masks):
            return None
        p_keys = sorted(key for key in keys if key[2] == "comparison")
        if not p_keys:
            return tuple(int(np.flatnonzero(mask)[0]) for mask in masks)  # type: ignore[return-value]
        profiles = []
        for group, mask in zip(COMPARED_GROUPS, masks):
            space = self.spaces[group]
            parts = [space.status if _row(key) == "status" else space.differences for key in p_keys]
            rows = np.flatnonzero(mask)
            joined = np.concatenate([part[rows] for part in parts], axis=1)
            distinct, first_index = np.unique(joined, axis=0, return_index=True)
            profiles.append((distinct, rows[first_index], [part.shape[1] for part in parts]))
        (first, first_rows, widths), (second, second_rows, _) = profiles
        edges = np.cumsum([0, *widths])
        targets = [(self.printed(key), int(edges[k]), int(edges[k + 1])) for k, key in enumerate(p_keys)]
        hits = day_profiles.p_hits(targets, first, second, first_only=True)
        if not len(hits):
            return None
        return int(first_rows[hits[0, 0]]), int(second_rows[hits[0, 1]])

    def holds(self, keys: frozenset[Key]) -> dict[str, tuple[int, int] | None]:
        """The witness under each reading (the natural one is tried only when the engine's holds: it is a subset)."""
        engine = self.witness("engine", keys)
        return {"engine": engine, "natural": self.witness("natural", keys) if engine is not None else None}


@dataclass
class Decision:
    key: Key
    verdict: str
    siblings: tuple[Key, ...]  # the printed numbers it clashes with (article_inconsistent) or holds with
    readings: tuple[str, ...]  # readings under which the number holds alone
    certificates: list[dict]


def _pictures(check: Check, witness: tuple[int, int], reading: str, keys: frozenset[Key]) -> dict:
    return {
        "kind": "day_pictures",
        "day": check.day,
        "reading": reading,
        "prints": sorted(map(list, keys)),
        "matrices": {group: check.spaces[group].matrix(index).tolist() for group, index in zip(COMPARED_GROUPS, witness)},
    }


def _exhaustive(check: Check, reading: str, keys: frozenset[Key]) -> dict:
    return {
        "kind": "day_exhaustive",
        "day": check.day,
        "reading": reading,
        "prints": sorted(map(list, keys)),
        "domain_size": check.spaces[COMPARED_GROUPS[0]].size,
        "feasible": {group: int(check.mask(group, reading, frozenset()).sum()) for group in COMPARED_GROUPS},
    }


def decide_day(record: pd.DataFrame, day: int, reproduced: set[Key], config=DEFAULT, progress=None) -> list[Decision]:
    """Decisions for the numbers of day k's family that are not in ``reproduced``."""
    check = Check(record, day, config)
    keys = family(day)
    printed_here = [key for key in keys if published.printed(record, *key) is not None]
    kept = frozenset(key for key in printed_here if key in reproduced)
    decisions = []
    for key in printed_here:
        if key in reproduced:
            continue
        if progress:
            progress(f"  day {day}: {'/'.join(key[1:])}")
        alone = check.holds(frozenset([key]))
        readings = tuple(reading for reading, witness in alone.items() if witness is not None)
        if not readings:
            decisions.append(Decision(key, Verdict.PROVEN, (), (), [_exhaustive(check, "engine", frozenset([key]))]))
            continue
        found = alone[readings[-1]]
        assert found is not None
        certificates = [_pictures(check, found, readings[-1], frozenset([key]))]
        if "natural" not in readings:
            certificates.append(_exhaustive(check, "natural", frozenset([key])))
        together = check.holds(kept | {key})
        if together["engine"] is not None:
            reading = "natural" if together["natural"] is not None else "engine"
            witness = together[reading]
            assert witness is not None
            certificates = [_pictures(check, witness, reading, kept | {key})]
            if reading == "engine":
                certificates.append(_exhaustive(check, "natural", kept | {key}))
            decisions.append(Decision(key, Verdict.ATTAINABLE, tuple(sorted(kept)), readings, certificates))
            continue
        clash = set(kept)
        # P-values first: each one dropped shrinks the pairs to enumerate, so the later trials stay cheap
        for sibling in sorted(kept, key=lambda item: (item[2] != "comparison", item)):
            if check.witness("engine", frozenset(clash - {sibling}) | {key}) is None:
                clash.discard(sibling)
        certificates.append(_exhaustive(check, "engine", frozenset(clash) | {key}))
        decisions.append(Decision(key, Verdict.INCONSISTENT, tuple(sorted(clash)), readings, certificates))
    return decisions
