"""What a printed number allows: the data and test results that print as the article printed them.

One home for the arithmetic that the reconstruction (to build data) and the examination (to prove what no data
can give) share:

* :data:`P_TOLERANCE`: a P-value printed with three decimals is its value within half a unit of the last one;
* :func:`haverage_position`: where SPSS's default quartile (EXAMINE, HAVERAGE; R type 6) reads the order statistics;
* :func:`moments`: every (sum, sum of squares) on a grid whose mean and SD print as given;
* :func:`grimmer_sd`: whether any whole-number data print a mean and an SD together (GRIMMER, Anaya 2016);
* :func:`t_p_values`: the Student or Welch P of every pair of such moments at once;
* :func:`exact_u_values`: every whole Mann-Whitney U whose exact P prints as given.

Rounding itself (half-up printing, rounding boxes, printed decimals) is the published record's, in
:mod:`anakinra_rescue.data.published`, one layer down, where the record is read. Pinned by
``tests/test_printed.py`` (moments against brute force, the t P-values against
``scipy.stats.ttest_ind_from_stats``, GRIMMER against :func:`moments`) and ``tests/test_audit.py``
(:func:`exact_u_values`).
"""

import math

import numpy as np
import scipy  # scipy.stats is loaded on first use; see anakinra_rescue.engine.stats

from anakinra_rescue.data.published import rounding_box
from anakinra_rescue.engine import stats
from anakinra_rescue.engine.comparison import prints_as

P_TOLERANCE = 0.0005  # half a unit of the third decimal, the precision the article prints P-values with


def haverage_position(fraction: float, size: int) -> float:
    """The 1-based position (n + 1) p at which SPSS's HAVERAGE reads the ``fraction`` quantile of ``size`` values."""
    return fraction * (size + 1)


def moments(mean_text: str, sd_text: str, size: int, step: float) -> list[tuple[int, int]]:
    """Every (S, Q) in grid units of ``step`` whose mean and SD, for ``size`` values, print as given."""
    found = []
    centre = float(mean_text) * size / step
    for total in range(math.floor(centre - size), math.ceil(centre + size) + 1):
        if not prints_as(mean_text, total * step / size):
            continue
        sd = float(sd_text) / step
        half = 0.5 * 10 ** -len(sd_text.split(".")[1]) / step if "." in sd_text else 0.5 / step
        low = math.floor((size - 1) * max(sd - half, 0) ** 2 + total * total / size) - 1
        high = math.ceil((size - 1) * (sd + half) ** 2 + total * total / size) + 1
        for squares in range(low + (low - total) % 2, high + 1, 2):
            variance = (squares - total * total / size) / (size - 1)
            if variance > 0 and prints_as(sd_text, math.sqrt(variance) * step):
                found.append((total, squares))
    return found


def grimmer_sd(mean: str, sd: str, n: int) -> bool:
    """GRIMMER-style: is there an integer sum of squares compatible with an integer sum and the printed mean and SD?

    A quick necessary condition over the rounding boxes (a sum of squares has its sum's parity); :func:`moments`
    with ``step=1`` lists the pairs themselves."""
    for total in range(math.ceil(rounding_box(mean)[0] * n), math.floor(rounding_box(mean)[1] * n - 1e-9) + 1):
        low, high = rounding_box(sd)
        squares_low = (n - 1) * low**2 + total**2 / n
        squares_high = (n - 1) * high**2 + total**2 / n
        if any(square % 2 == total % 2 for square in range(math.ceil(squares_low), math.floor(squares_high) + 1)):
            return True
    return False


def t_p_values(first: np.ndarray, second: np.ndarray, sizes: tuple[int, int], step: float, equal: bool) -> np.ndarray:
    """Student (``equal``) or Welch two-sided P for every pair of (S, Q) rows of ``first`` and ``second``: a matrix
    with a row per row of ``first`` (SPSS T-TEST's "Equal variances assumed" and "not assumed" lines)."""
    first, second = np.asarray(first, dtype=float).reshape(-1, 2), np.asarray(second, dtype=float).reshape(-1, 2)
    n1, n2 = sizes
    m1, m2 = first[:, :1] * step / n1, second[:, 0] * step / n2
    v1 = (first[:, 1:] - first[:, :1] ** 2 / n1) / (n1 - 1) * step**2
    v2 = (second[:, 1] - second[:, 0] ** 2 / n2) / (n2 - 1) * step**2
    df: float | np.ndarray
    if equal:
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
        error, df = np.sqrt(pooled * (1 / n1 + 1 / n2)), n1 + n2 - 2
    else:
        error = np.sqrt(v1 / n1 + v2 / n2)
        df = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    return 2 * scipy.stats.t.sf(np.abs(m1 - m2) / error, df)


def exact_u_values(printed: str, n_a: int, n_b: int) -> list[int]:
    """Every whole U (the smaller of U and n_a n_b - U) whose exact Mann-Whitney P, without ties, prints as ``printed``."""
    return [u for u in range(n_a * n_b // 2 + 1) if prints_as(printed, stats.exact_mann_whitney_p(u, n_a, n_b))]
