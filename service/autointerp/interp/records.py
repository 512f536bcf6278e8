"""The data model of METHOD.md: activation records, neuron records and their statistics."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ActivationRecord:
    """One excerpt: its tokens and one neuron's raw activation at each token."""

    tokens: list[str]
    """Token strings, as they appear in the text."""
    activations: list[float]
    """The neuron's activation at each token (same length as `tokens`)."""

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.activations):
            raise ValueError("tokens and activations differ in length")

    @property
    def max_activation(self) -> float:
        """The excerpt's maximum activation (the top-excerpt ranking key)."""
        return max(self.activations, default=0.0)


@dataclass(frozen=True)
class ActivationStats:
    """Moments of one neuron's activation over every token of a corpus."""

    count: int
    mean: float
    variance: float
    skewness: float | None
    """None when the variance is zero (undefined)."""
    kurtosis: float | None
    """Excess kurtosis; None when the variance is zero."""
    max: float
    min: float

    @classmethod
    def from_power_sums(
        cls, count: int, s1: float, s2: float, s3: float, s4: float, maximum: float, minimum: float
    ) -> ActivationStats:
        """Moments from the sums of a, a^2, a^3 and a^4 (how a streaming scan keeps them)."""
        if count == 0:
            return cls(0, 0.0, 0.0, None, None, 0.0, 0.0)
        mean = s1 / count
        # Central moments from raw moments.
        m2 = s2 / count - mean**2
        m3 = s3 / count - 3 * mean * s2 / count + 2 * mean**3
        m4 = s4 / count - 4 * mean * s3 / count + 6 * mean**2 * s2 / count - 3 * mean**4
        variance = max(m2, 0.0)
        if variance <= 1e-12 * max(1.0, abs(s2 / count)):
            return cls(count, mean, variance, None, None, maximum, minimum)
        std = math.sqrt(variance)
        return cls(count, mean, variance, m3 / std**3, m4 / variance**2 - 3.0, maximum, minimum)


def excerpts_per_record(top_k: int, random_k: int, quantile_bins: int, quantile_k: int) -> int:
    """Excerpts one neuron record holds: the top and bottom k, the random sample, and the
    quantile samples."""
    return 2 * top_k + random_k + quantile_bins * quantile_k


@dataclass(frozen=True)
class QuantileBin:
    """Sampled excerpts whose max activation lies between two quantiles of every excerpt's max."""

    quantile_from: float
    quantile_to: float
    lower: float | None
    """Estimated max activation at `quantile_from`; None for the first bin (unbounded) or
    where a sample too small for its bins left a neighbouring bin empty."""
    upper: float | None
    """Estimated max activation at `quantile_to`; None for the last bin, or as for `lower`."""
    members: list[int]
    """Indices into the sample, in ascending order of max activation."""


def bin_by_quantile(maxima: Sequence[float], bins: int) -> list[QuantileBin]:
    """Split a uniform random sample of excerpts, given by their max activations, into `bins`
    equal-count bins.

    The sample's own quantiles estimate the corpus's (a one-pass scan cannot know the corpus's
    boundaries before it ends); a boundary is the midpoint between the neighbouring bins'
    closest maxima, so every excerpt lies within its bin's bounds.
    """
    order = sorted(range(len(maxima)), key=lambda i: maxima[i])
    cuts = [len(order) * b // bins for b in range(bins + 1)]
    groups = [order[start:end] for start, end in itertools.pairwise(cuts)]

    def boundary(b: int) -> float | None:
        if b in (0, bins) or not groups[b - 1] or not groups[b]:
            return None  # unbounded, or no sample on one side to place it
        return (maxima[groups[b - 1][-1]] + maxima[groups[b][0]]) / 2

    return [
        QuantileBin(b / bins, (b + 1) / bins, boundary(b), boundary(b + 1), group)
        for b, group in enumerate(groups)
    ]
