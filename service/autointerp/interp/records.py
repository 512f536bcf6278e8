"""The data model of docs/method.md: activation records, neuron records and their statistics."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TokenizedText:
    """A text as token ids, each token's text as it appears in the input, and its span."""

    token_ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]
    """[start, end) character offsets into the text."""


@dataclass(frozen=True)
class ActivationRecord:
    """One excerpt: its tokens and one neuron's raw activation at each token."""

    tokens: list[str]
    """Token strings, as they appear in the text."""
    activations: list[float]
    """The neuron's activation at each token (same length as `tokens`)."""
    excerpt_id: int | None = None
    """Which excerpt of its scan this is, when it comes from one."""

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


@dataclass(frozen=True)
class ScanSettings:
    """What a corpus scan records and how much text it reads: the scan's request, its run and
    its stored description all carry this one object."""

    layers: list[int]
    excerpt_tokens: int = 64
    top_k: int = 20
    random_k: int = 15
    quantile_bins: int = 0
    quantile_k: int = 5
    max_tokens: int = 200_000
    batch_size: int = 16
    seed: int = 0

    @property
    def slots(self) -> int:
        """Excerpts one neuron record holds: the top and bottom k, the random sample, and the
        quantile samples."""
        return 2 * self.top_k + self.random_k + self.quantile_bins * self.quantile_k

    @property
    def quantile_sample(self) -> int:
        """Size of the uniform sample that is split into quantile bins."""
        return self.quantile_bins * self.quantile_k


def layer_groups(layers: list[int], groups: int) -> list[list[int]]:
    """Consecutive layers in `groups` groups whose sizes differ by at most one."""
    size, extra = divmod(len(layers), groups)
    bounds = [g * size + min(g, extra) for g in range(groups + 1)]
    return [layers[bounds[g] : bounds[g + 1]] for g in range(groups)]


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


@dataclass(frozen=True)
class ScanMeta:
    """A finished corpus scan: what it recorded, of which model, over how much text."""

    scan_id: str
    model: str
    model_revision: str
    settings: ScanSettings
    neurons_per_layer: int
    excerpts: int
    tokens: int

    @property
    def layers(self) -> list[int]:
        """The layers the scan recorded."""
        return self.settings.layers


@dataclass(frozen=True)
class NeuronRecord:
    """One neuron's record from a scan (docs/method.md's data model)."""

    top: list[ActivationRecord]
    """Excerpts with the highest maximum activation, best first."""
    bottom: list[ActivationRecord]
    """Excerpts with the lowest minimum activation, most negative first (signed neurons)."""
    random: list[ActivationRecord]
    """A uniform random sample of excerpts, drawn for this neuron alone."""
    quantile_sample: list[ActivationRecord]
    """A second uniform sample, split into `quantile_bins` bins by `quantiles()`."""
    quantile_bins: int
    stats: ActivationStats

    def quantiles(self) -> list[QuantileBin]:
        """The quantile sample in equal-count bins of excerpt max activation."""
        if not self.quantile_sample:
            return []
        return bin_by_quantile([r.max_activation for r in self.quantile_sample], self.quantile_bins)
