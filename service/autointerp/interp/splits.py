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
    top: Sequence[ActivationRecord],
    random: Sequence[ActivationRecord],
    drop_leftovers: bool = False,
) -> dict[Split, SplitRecords]:
    """Assign excerpts to splits round-robin, best top excerpt first. The leftovers of an
    uneven count go to the earliest splits, or with `drop_leftovers` (the study's
    `get_slices_for_splits`) nowhere, so that every split holds len // splits of each kind."""
    used_top = len(top) - len(top) % 4 if drop_leftovers else len(top)
    used_random = len(random) - len(random) % 3 if drop_leftovers else len(random)
    return {
        split: SplitRecords(
            top=[r for i, r in enumerate(top[:used_top]) if _TOP_ORDER[i % 4] is split],
            random=[r for i, r in enumerate(random[:used_random]) if _RANDOM_ORDER[i % 3] is split]
            if split is not Split.train
            else [],
        )
        for split in Split
    }
