"""Explainers: from a neuron's top excerpts to a one-sentence explanation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from autointerp.interp.errors import OperationFailed
from autointerp.interp.ports import ChatParameters, LanguageModel, Usage
from autointerp.interp.prompts import explanation_prompt, parse_explanation, token_list_prompt
from autointerp.interp.records import ActivationRecord
from autointerp.interp.simulation import check_chat_result


class ExplainerKind(StrEnum):
    """How explanations are written."""

    token_activation_pair = "token_activation_pair"
    token_list = "token_list"
    lexical = "lexical"


@dataclass(frozen=True)
class Explanations:
    """Candidate explanations and what writing them cost."""

    texts: list[str]
    usage: Usage


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


def lexical_explanation(records: Sequence[ActivationRecord], k: int = 10) -> str:
    """A readable explanation from top tokens alone, quoting them (no language model)."""
    tokens = [token.strip() for token, _ in top_tokens(records, k) if token.strip()]
    if not tokens:
        return "nothing in particular (it did not fire on these excerpts)"
    return "the tokens " + ", ".join(f"'{t}'" for t in dict.fromkeys(tokens))


async def explain(
    kind: ExplainerKind,
    model: LanguageModel | None,
    records: Sequence[ActivationRecord],
    samples: int,
    temperature: float,
) -> Explanations:
    """`samples` candidate explanations of polarized training excerpts."""
    if kind is ExplainerKind.lexical or model is None:
        return Explanations([lexical_explanation(records)], Usage())
    messages = (
        explanation_prompt(records)
        if kind is ExplainerKind.token_activation_pair
        else token_list_prompt(top_tokens(records))
    )
    result = check_chat_result(
        await model.chat(
            messages, ChatParameters(n=samples, temperature=temperature, max_tokens=60)
        )
    )
    texts = [parse_explanation(choice.text) for choice in result.choices]
    texts = [t for t in dict.fromkeys(texts) if t]
    if not texts:
        raise OperationFailed("the language model returned no usable explanation")
    return Explanations(texts, result.usage)
