"""Turning raw activations into what a language model is shown: signed by polarity, ReLU'd,
and scaled to integers 0-10 (docs/method.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from autointerp.interp.records import ActivationRecord

MAX_NORMALIZED = 10


class Polarity(StrEnum):
    """Which side of a signed neuron is explained: max(a, 0) or max(-a, 0)."""

    positive = "positive"
    negative = "negative"


def polarized(record: ActivationRecord, polarity: Polarity) -> ActivationRecord:
    """The record with activations max(a, 0) (positive) or max(-a, 0) (negative)."""
    sign = 1.0 if polarity is Polarity.positive else -1.0
    return replace(record, activations=[max(sign * a, 0.0) for a in record.activations])


def signed(record: ActivationRecord, polarity: Polarity) -> ActivationRecord:
    """The record with activations a (positive) or -a (negative), unclipped: what the study
    scored (protocol `study`)."""
    sign = 1.0 if polarity is Polarity.positive else -1.0
    return replace(record, activations=[sign * a for a in record.activations])


def relu_max(records: Sequence[ActivationRecord]) -> float:
    """The largest ReLU'd activation over the records (0 when none is positive)."""
    return max((max(a, 0.0) for r in records for a in r.activations), default=0.0)


def normalize(activations: Sequence[float], max_activation: float) -> list[int]:
    """min(10, floor(10 * max(a, 0) / max)); all zeros when max <= 0."""
    if max_activation <= 0:
        return [0] * len(activations)
    return [
        min(MAX_NORMALIZED, math.floor(MAX_NORMALIZED * max(a, 0.0) / max_activation))
        for a in activations
    ]
