"""Interleaved splits of a neuron record (the study's): top excerpts round-robin to train,
calibration, valid, test; random excerpts round-robin to calibration, valid, test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from autointerp.interp.records import ActivationRecord


class Split(StrEnum):
    """Where an excerpt is used."""

    train = "train"
    calibration = "calibration"
    valid = "valid"
    test = "test"


@dataclass(frozen=True)
class SplitRecords:
    """The top and random excerpts of one split."""

    top: list[ActivationRecord]
    random: list[ActivationRecord]


_TOP_ORDER = (Split.train, Split.calibration, Split.valid, Split.test)
_RANDOM_ORDER = (Split.calibration, Split.valid, Split.test)


def split_records(
    top: Sequence[ActivationRecord], random: Sequence[ActivationRecord]
) -> dict[Split, SplitRecords]:
    """Assign excerpts to splits round-robin, best top excerpt first."""
    return {
        split: SplitRecords(
            top=[r for i, r in enumerate(top) if _TOP_ORDER[i % 4] is split],
            random=[r for i, r in enumerate(random) if _RANDOM_ORDER[i % 3] is split]
            if split is not Split.train
            else [],
        )
        for split in Split
    }
