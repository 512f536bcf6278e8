"""The two protocols a request may choose (docs/method.md): ours, and the study's as
neuron-explainer implements it. They differ in four rules, each a separate switch so that
its effect on scores can be measured alone (bench/protocol_differences.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from autointerp.interp.activations import Polarity, polarized, signed
from autointerp.interp.records import ActivationRecord
from autointerp.interp.splits import Split, SplitRecords, split_records


class MethodProtocol(StrEnum):
    """Which rules an explanation or score follows."""

    autointerp = "autointerp"
    """Ours: the default."""
    study = "study"
    """neuron-explainer's (Bills et al., 2023), reproduced exactly."""


@dataclass(frozen=True)
class Rules:
    """Where the protocols differ; every switch off is ours, every switch on the study's."""

    study_splits: bool = False
    """(1) n = len // splits excerpts per split, the leftovers dropped (ours deals them to the
    earliest splits)."""
    study_listing: bool = False
    """(2) Prompt listings laid out as neuron-explainer's prompt builder writes them: the
    zero-filtered repeat decided once per block over all its tokens and appended after the
    whole listing (ours decides per excerpt and repeats it right after that excerpt)."""
    raw_scores: bool = False
    """(3) Scored against sign * a, unclipped: for positive polarity the raw activation
    (ours: max(sign * a, 0), what the simulator's scale can express)."""
    prompt_per_excerpt: bool = False
    """(4) `all_at_once` simulates one excerpt per prompt (ours packs all scored excerpts into
    one prompt, paying for the few-shot prefix once)."""


OURS = Rules()
STUDY = Rules(study_splits=True, study_listing=True, raw_scores=True, prompt_per_excerpt=True)
RULES = {MethodProtocol.autointerp: OURS, MethodProtocol.study: STUDY}


@dataclass(frozen=True)
class Prepared:
    """A neuron's excerpts made ready under some rules."""

    train: list[ActivationRecord]
    """The train split's top excerpts as the explainer sees them: max(sign * a, 0) (a prompt
    shows clipped values under either protocol)."""
    splits: dict[Split, SplitRecords]
    """Every split, with the activations that scores compare against."""


def prepare(
    top: Sequence[ActivationRecord],
    random: Sequence[ActivationRecord],
    polarity: Polarity,
    rules: Rules,
) -> Prepared:
    """Split raw top (by polarity) and random excerpts, and sign them for the polarity."""
    clipped = split_records(
        [polarized(r, polarity) for r in top],
        [polarized(r, polarity) for r in random],
        drop_leftovers=rules.study_splits,
    )
    if not rules.raw_scores:
        return Prepared(clipped[Split.train].top, clipped)
    unclipped = split_records(
        [signed(r, polarity) for r in top],
        [signed(r, polarity) for r in random],
        drop_leftovers=rules.study_splits,
    )
    return Prepared(clipped[Split.train].top, unclipped)
