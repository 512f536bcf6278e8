"""Scores: pure functions on pooled real and simulated activations.

All tokens of all scored excerpts are pooled into one pair of vectors before any score is
computed (docs/method.md): averaging per excerpt would weight a 3-token excerpt like a 64-token one
and make correlation undefined on any excerpt where the neuron is silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from autointerp.interp.errors import InvalidRequest


@dataclass(frozen=True)
class ScoreParts:
    """Every score of one simulation against real activations."""

    correlation: float | None
    """Pearson correlation of pooled tokens; None when either side is constant."""
    r_squared: float | None
    """1 - mean((y - y_hat)^2) / mean(y^2); None when y is all zero."""
    absolute_deviation_explained: float | None
    """1 - mean(|y - y_hat|) / mean(|y|); None when y is all zero."""
    tokens: int


def pool(sequences: Sequence[Sequence[float] | np.ndarray]) -> np.ndarray:
    """Concatenate per-excerpt values into one vector."""
    return np.concatenate([np.asarray(s, dtype=np.float64) for s in sequences] or [np.zeros(0)])


def correlation(real: np.ndarray, simulated: np.ndarray) -> float | None:
    """Pearson correlation; undefined (None, never 0) when either vector is constant."""
    if real.size < 2 or np.ptp(real) == 0 or np.ptp(simulated) == 0:
        return None
    return float(np.corrcoef(real, simulated)[0, 1])


def score(real: np.ndarray, simulated: np.ndarray) -> ScoreParts:
    """The three scores of docs/method.md on pooled vectors."""
    if real.shape != simulated.shape:
        raise InvalidRequest(f"real and simulated lengths differ: {real.size} vs {simulated.size}")
    mean_square = float(np.mean(real**2)) if real.size else 0.0
    mean_abs = float(np.mean(np.abs(real))) if real.size else 0.0
    return ScoreParts(
        correlation=correlation(real, simulated),
        r_squared=1 - float(np.mean((real - simulated) ** 2)) / mean_square
        if mean_square > 0
        else None,
        absolute_deviation_explained=1 - float(np.mean(np.abs(real - simulated))) / mean_abs
        if mean_abs > 0
        else None,
        tokens=int(real.size),
    )


@dataclass(frozen=True)
class Calibration:
    """A linear map y_hat' = slope * y_hat + intercept fitted by least squares."""

    slope: float
    intercept: float

    def apply(self, simulated: np.ndarray) -> np.ndarray:
        """The calibrated simulation."""
        return self.slope * simulated + self.intercept


def fit_calibration(real: np.ndarray, simulated: np.ndarray) -> Calibration:
    """Least-squares fit of real on simulated, with a non-negative slope.

    A negative slope would turn an anti-correlated simulation into a well-scoring one; it is
    clamped to 0 (predict the mean), as it is when the simulation is constant.
    """
    mean = Calibration(slope=0.0, intercept=float(np.mean(real)) if real.size else 0.0)
    if simulated.size < 2 or np.ptp(simulated) == 0:
        return mean
    slope, intercept = np.polyfit(simulated, real, 1)
    return Calibration(slope=float(slope), intercept=float(intercept)) if slope > 0 else mean


class CalibrationMethod(StrEnum):
    """Where the calibration of a score is fitted."""

    cross_fit = "cross_fit"
    """On the scored excerpts themselves, each excerpt calibrated by a fit on the others
    (leave one excerpt out): out of sample, and no extra simulation."""
    split = "split"  # type: ignore[assignment]  # a member named like str.split
    """On the calibration split (docs/method.md), which is then simulated too."""


def cross_fitted(
    real: Sequence[Sequence[float]], simulated: Sequence[Sequence[float]]
) -> np.ndarray:
    """The pooled simulation with each excerpt calibrated by a fit on every other excerpt."""
    calibrated = []
    for held_out in range(len(real)):
        others = [i for i in range(len(real)) if i != held_out]
        fit = fit_calibration(pool([real[i] for i in others]), pool([simulated[i] for i in others]))
        calibrated.append(fit.apply(np.asarray(simulated[held_out], dtype=np.float64)))
    return pool(calibrated)
