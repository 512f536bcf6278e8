"""The data model of METHOD.md: activation records, neuron records and their statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class NeuronId:
    """A neuron: its model, layer and index within the layer's MLP."""

    model: str
    layer: int
    index: int


@dataclass(frozen=True)
class NeuronRecord:
    """What a corpus scan knows about one neuron."""

    neuron: NeuronId
    top: list[ActivationRecord]
    """Excerpts with the highest maximum activation, best first."""
    bottom: list[ActivationRecord]
    """Excerpts with the most negative minimum activation, most negative first."""
    random: list[ActivationRecord]
    """A uniform random sample of excerpts, drawn independently for this neuron."""
    stats: ActivationStats
    extra: dict[str, str] = field(default_factory=dict)
