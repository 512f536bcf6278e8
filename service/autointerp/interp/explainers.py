"""Explainers: from a neuron's top excerpts to a one-sentence explanation."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from autointerp.interp.errors import OperationFailed
from autointerp.interp.ports import ChatParameters, LanguageModel, Usage
from autointerp.interp.prompts import (
    check_explanation,
    explanation_prompt,
    parse_explanation,
    prompt_lines,
    token_list_prompt,
)
from autointerp.interp.records import ActivationRecord
from autointerp.interp.scoring import correlation, pool
from autointerp.interp.simulation import quotable, simulate_lexical


class ExplainerKind(StrEnum):
    """How explanations are written."""

    token_activation_pair = "token_activation_pair"
    token_list = "token_list"
    lexical = "lexical"


RESAMPLE_TEMPERATURE = 1.0
"""The temperature of a draw asked for again after a greedy (temperature 0) one: greedy
decoding would only repeat the answer."""


def default_temperature(samples: int) -> float:
    """A request's temperature when it gives none: 0 (greedy, deterministic) for one sample,
    1 for best-of-k, whose candidates must differ."""
    return 0.0 if samples == 1 else 1.0


def draw_seed(seed: int, call: int) -> int:
    """The seed of the `call`-th call of one explanation: the request's seed for the first,
    then seeds derived from it (not seed + call, which would repeat the next seed's draws)."""
    if call == 0:
        return seed
    digest = hashlib.sha256(f"{seed}:{call}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


@dataclass(frozen=True)
class Rejected:
    """A candidate the explainer returned that is not an explanation, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Explanations:
    """Candidate explanations and what writing them cost."""

    texts: list[str]
    usage: Usage
    asked: int = 1
    """How many candidates were asked for (`texts` may hold fewer: see `rejected`)."""
    calls: int = 0
    """Calls made to the language model."""
    rejected: list[Rejected] = field(default_factory=list)


def top_tokens(records: Sequence[ActivationRecord], k: int = 10) -> list[tuple[str, float]]:
    """The k tokens with the highest mean activation where they occur, ties by token text."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for record in records:
        for token, value in zip(record.tokens, record.activations, strict=True):
            sums[token] += value
            counts[token] += 1
    means = [(token, sums[token] / counts[token]) for token in sums]
    positive = [(t, m) for t, m in means if m > 0]
    return sorted(positive, key=lambda item: (-item[1], item[0]))[:k]


def _quoting(tokens: Sequence[str]) -> str:
    return "the tokens " + ", ".join(f"'{t}'" for t in tokens)


def lexical_explanation(records: Sequence[ActivationRecord], k: int = 10) -> str:
    """A readable explanation from top tokens alone, quoting them (no language model): of the
    k top tokens, as many of the first as best tell where the neuron fires in `records`, the
    lexical simulation of the quote whose correlation with the activations is highest (all
    of them where no count gives a defined correlation). A token whose quote the lexical
    simulator would not read back as that token (`'s`: the quote ends at its mark) is left
    out.

    Quoting all k lets in tokens that happened to fire once (on 25 SmolLM2-135M neurons,
    bench/README.md "Quality", choosing the count raised the test score from 0.263 to 0.345)."""
    stripped = (t.strip() for t, _ in top_tokens(records, k))
    tokens = list(dict.fromkeys(t for t in stripped if quotable(t)))
    if not tokens:
        return "nothing in particular (it did not fire on these excerpts)"
    real = pool([r.activations for r in records])
    excerpts = [r.tokens for r in records]
    best, best_correlation = len(tokens), -2.0
    for count in range(1, len(tokens) + 1):
        simulated = pool(simulate_lexical(_quoting(tokens[:count]), excerpts).values)
        value = correlation(real, simulated)
        if value is not None and value > best_correlation:  # ties keep the shorter quote
            best, best_correlation = count, value
    return _quoting(tokens[:best])


def max_calls(samples: int) -> int:
    """How many calls one explanation may make: one for all samples, then up to two more
    per sample, one draw each, for samples a server did not return or that were rejected."""
    return 2 * samples + 1


async def explain(
    kind: ExplainerKind,
    model: LanguageModel | None,
    records: Sequence[ActivationRecord],
    samples: int,
    temperature: float,
    study_listing: bool = False,
    seed: int = 0,
) -> Explanations:
    """`samples` candidate explanations of polarized training excerpts (`study_listing`:
    the token-activation-pair prompt laid out as the study's, protocol `study`).

    The first call asks for all `samples` (n), with `seed`. Every candidate is checked
    (check_explanation); while fewer distinct usable ones than asked have come back (a server
    that ignores n, duplicates, rejections), one more is drawn per call, each with its own
    seed, up to max_calls in all. Fewer than asked is reported in the result (`asked`,
    `rejected`), none at all is a failed operation naming the reasons."""
    if kind is ExplainerKind.lexical or model is None:
        return Explanations([lexical_explanation(records)], Usage(), asked=samples)
    messages = (
        explanation_prompt(records, study_listing=study_listing)
        if kind is ExplainerKind.token_activation_pair
        else token_list_prompt(top_tokens(records))
    )
    lines = prompt_lines(messages)
    texts: list[str] = []
    rejected: list[Rejected] = []
    usage, calls = Usage(), 0
    while len(texts) < samples and calls < max_calls(samples):
        sampled_at = temperature if calls == 0 else temperature or RESAMPLE_TEMPERATURE
        parameters = ChatParameters(
            n=samples if calls == 0 else 1,
            temperature=sampled_at,
            max_tokens=60,
            # Greedy decoding needs no seed (and its cached answer then serves every seed).
            seed=draw_seed(seed, calls) if sampled_at else None,
        )
        result = await model.chat(messages, parameters)
        usage, calls = usage + result.usage, calls + 1
        for choice in result.choices:
            text = parse_explanation(choice.text)
            reason = check_explanation(text, lines)
            if reason is not None:
                rejected.append(Rejected(text, reason))
            elif text not in texts and len(texts) < samples:
                texts.append(text)
    if not texts:
        reasons = "; ".join(f"{r.text[:60]!r}: {r.reason}" for r in rejected[:5])
        raise OperationFailed(
            f"the language model returned no usable explanation in {calls} calls"
            + (f" (rejected: {reasons})" if reasons else " (no completions)")
        )
    return Explanations(texts, usage, asked=samples, calls=calls, rejected=rejected)
