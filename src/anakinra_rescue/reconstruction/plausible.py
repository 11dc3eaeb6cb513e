"""Plausible designed patients: the repairs that keep every printed number and meet the plausibility rules.

The solver gives each group a multiset of values per row of Tables 1 and 2; which patient carries which value
is free, and the article prints nothing that depends on it. These functions use that freedom, without any
random draw, so that each patient is plausible under :mod:`anakinra_rescue.data.plausibility`:

- :func:`day0_components_under_news`: the day-0 respiratory rates, temperatures and heart rates with the fewest
  NEWS2 points go to the patients with the lowest day-0 NEWS;
- :func:`day0_scores_over_their_points`: the day-0 NEWS and SOFA values go to the patients whose own day-0
  components give the most points (news2_at_least_its_components, sofa_at_least_its_respiratory_points,
  sofa_fits_ventilation);
- :func:`charlson_over_its_flags`: comorbidity flags move between patients of a group, keeping its counts, until
  no patient's Charlson index is below the points of its own flags (charlson_at_least_its_comorbidities).
"""

import numpy as np
import pandas as pd

from anakinra_rescue.data import plausibility
from anakinra_rescue.data.vocabulary import Level
from anakinra_rescue.schemas.published import COMPARED_GROUPS


class ImplausibleDesign(ValueError):
    """The solved values admit no plausible assignment (a repair could not meet a plausibility rule)."""


def _day0_rows(designed: pd.DataFrame) -> pd.DataFrame:
    return designed.rename(columns={"day0_status": "ordinal_status"})


def day0_floors(designed: pd.DataFrame) -> dict[str, pd.Series]:
    """Per designed patient, the least day-0 NEWS and SOFA its own day-0 components and status allow."""
    rows = _day0_rows(designed)
    sofa = plausibility.sofa_respiratory_points(rows)
    ventilated = rows["ordinal_status"] == int(Level.INVASIVE_VENTILATION)
    sofa = sofa.where(~ventilated, np.maximum(sofa, plausibility.MIN_SOFA_ON_VENTILATION))
    return {"news_score": plausibility.news2_points(rows), "sofa_score": sofa}


def _assign_over_floors(values: np.ndarray, floors: pd.Series, status: pd.Series) -> pd.Series:
    """The values on the patients with the highest floors, largest value to highest floor (ties: worse status
    first, then row order). This is feasible whenever any assignment is: value k of the descending values must
    be at least floor k of the descending floors."""
    order = pd.DataFrame({"floor": floors, "status": status, "row": np.arange(len(floors))}, index=floors.index)
    ranked = order.sort_values(["floor", "status", "row"], ascending=[False, False, True], kind="stable").index
    assigned = pd.Series(np.nan, index=floors.index)
    assigned[ranked[: len(values)]] = np.sort(values)[::-1]
    return assigned


NEWS2_COMPONENTS = tuple(plausibility.NEWS2_BANDS)


def day0_components_under_news(designed: pd.DataFrame) -> pd.DataFrame:
    """Reassign each group's day-0 respiratory rate, temperature and heart rate so that the patients with the
    lowest day-0 NEWS carry the values with the fewest NEWS2 points (a missing value gives none), and those with
    no NEWS the most. No row of Table 2 changes: each group keeps its values."""
    designed = designed.copy()
    for group in COMPARED_GROUPS:
        members = designed.index[designed["group"] == group]
        news = designed.loc[members, "news_score"].fillna(np.inf)
        patients = news.to_frame("news").assign(row=np.arange(len(members))).sort_values(["news", "row"]).index
        for column in NEWS2_COMPONENTS:
            values = designed.loc[members, column].to_numpy(dtype=float)
            points = plausibility.news2_component_points(column, values)
            order = np.lexsort((np.nan_to_num(values, nan=-np.inf), points))
            designed.loc[patients, column] = values[order]
    return designed


def day0_scores_over_their_points(designed: pd.DataFrame) -> pd.DataFrame:
    """Reassign each group's day-0 NEWS and SOFA values so that each is at least its patient's floor.

    Raises :class:`ImplausibleDesign` when a group's values cannot cover its floors."""
    designed = designed.copy()
    floors = day0_floors(designed)
    for group in COMPARED_GROUPS:
        members = designed.index[designed["group"] == group]
        for column, floor in floors.items():
            values = designed.loc[members, column].dropna().to_numpy(dtype=float)
            assigned = _assign_over_floors(values, floor[members], designed.loc[members, "day0_status"])
            short = assigned.notna() & (assigned < floor[members])
            if short.any():
                raise ImplausibleDesign(
                    f"{group}: the solved day-0 {column} values {sorted(values)} cannot cover the floors "
                    f"{sorted(floor[members].tolist())} of the patients' own components"
                )
            designed.loc[members, column] = assigned
    return designed


def charlson_over_its_flags(designed: pd.DataFrame) -> pd.DataFrame:
    """Move comorbidity flags inside each group until each patient's Charlson index covers its own flags.

    A flag moves from a patient short of points to the patient of the same group without that flag (recorded as
    False, so missing values stay missing) who has the most points to spare; each group keeps its counts."""
    designed = designed.copy()
    for group in COMPARED_GROUPS:
        members = list(designed.index[designed["group"] == group])
        for _ in range(len(members) * len(plausibility.CHARLSON_ITEMS)):
            spare = designed.loc[members, "charlson_index"] - plausibility.charlson_points(designed.loc[members])
            if (spare >= 0).all():
                break
            short = spare.index[spare < 0][0]
            moved = False
            for column in plausibility.CHARLSON_ITEMS:
                if designed.at[short, column] is not True and designed.at[short, column] != True:  # noqa: E712
                    continue
                takers = [row for row in members if designed.at[row, column] == False and spare[row] >= 1]  # noqa: E712
                if takers:
                    taker = max(takers, key=lambda row: (spare[row], -members.index(row)))
                    designed.at[short, column], designed.at[taker, column] = False, True
                    moved = True
                    break
            if not moved:
                raise ImplausibleDesign(f"{group}: no patient can take a comorbidity flag of row {short}")
        else:
            raise ImplausibleDesign(f"{group}: the comorbidity flags did not settle under the Charlson indexes")
    return designed
