"""Prompts as typed messages, in our own wording, with our own few-shot examples.

Changing any text here changes model outputs: bump PROMPT_VERSION, which is part of every
cache key, and update the golden tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from autointerp.interp.activations import normalize, relu_max
from autointerp.interp.records import ActivationRecord

PROMPT_VERSION = "2026-11-25.1"
EXPLANATION_PREFIX = "the main thing this neuron does is find"
UNKNOWN = "unknown"
# Below this share of non-zero tokens, an excerpt is shown a second time with only its
# non-zero tokens, so that sparse activations stand out (as the study did).
_SPARSE_SHARE = 0.2

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat prompt."""

    role: Role
    content: str


def validate_roles(messages: Sequence[ChatMessage]) -> None:
    """A prompt is an optional system message, then user/assistant turns, ending with user."""
    roles = [m.role for m in messages if m.role != "system"]
    if any(m.role == "system" for m in messages[1:]):
        raise ValueError("a system message may only come first")
    if not roles or roles[-1] != "user":
        raise ValueError("a prompt must end with a user message")
    for previous, current in itertools.pairwise(roles):
        if previous == current:
            raise ValueError("user and assistant messages must alternate")


@dataclass(frozen=True)
class Example:
    """A few-shot example: excerpts of a made-up neuron and its explanation."""

    records: list[ActivationRecord]
    explanation: str


def _record(pairs: list[tuple[str, float]]) -> ActivationRecord:
    return ActivationRecord([t for t, _ in pairs], [a for _, a in pairs])


EXAMPLES = [
    Example(
        records=[
            _record(
                [
                    ("We", 0),
                    (" met", 0),
                    (" on", 0),
                    (" Monday", 10),
                    (" and", 0),
                    (" again", 0),
                    (" on", 0),
                    (" Friday", 8),
                    (" evening", 1),
                ]
            ),
            _record(
                [
                    ("The", 0),
                    (" shop", 0),
                    (" is", 0),
                    (" closed", 0),
                    (" every", 0),
                    (" Sunday", 9),
                    (".", 0),
                ]
            ),
        ],
        explanation="names of days of the week",
    ),
    Example(
        records=[
            _record(
                [
                    ("It", 0),
                    (" cost", 0),
                    (" 45", 7),
                    (" dollars", 2),
                    (",", 0),
                    (" up", 0),
                    (" from", 0),
                    (" 38", 10),
                    (".", 0),
                ]
            ),
            _record(
                [
                    ("In", 0),
                    (" 1961", 6),
                    (" the", 0),
                    (" town", 0),
                    (" had", 0),
                    (" 200", 8),
                    (" people", 0),
                ]
            ),
        ],
        explanation="numbers written as digits, most strongly amounts and counts",
    ),
]

_EXPLAIN_SYSTEM = (
    "We are studying one neuron of a neural network. The neuron looks for one particular "
    "thing in short documents. You will see documents as lines of `token<tab>activation`, "
    "where the activation goes from 0 to 10: 0 means the neuron is silent, higher means it "
    "fires more strongly. Most activations are 0. Work out what the neuron is looking for and "
    "summarize it in a single short phrase that completes the sentence "
    f'"{EXPLANATION_PREFIX} ...". Describe the pattern; do not list every example.'
)


def format_records(records: Sequence[ActivationRecord], max_activation: float) -> str:
    """Excerpts as `token<TAB>value` lines between <start>/<end> markers, values 0-10."""
    blocks = []
    for record in records:
        values = normalize(record.activations, max_activation)
        lines = [f"{t}\t{v}" for t, v in zip(record.tokens, values, strict=True)]
        blocks.append("<start>\n" + "\n".join(lines) + "\n<end>")
        nonzero = [(t, v) for t, v in zip(record.tokens, values, strict=True) if v]
        if nonzero and len(nonzero) < _SPARSE_SHARE * len(values):
            shown = "\n".join(f"{t}\t{v}" for t, v in nonzero)
            blocks.append(
                f"The same document with only its non-zero activations:\n<start>\n{shown}\n<end>"
            )
    return "\n\n".join(blocks)


def _explain_turn(records: Sequence[ActivationRecord], number: int) -> str:
    shown = format_records(records, relu_max(records))
    return f"Neuron {number}\nActivations:\n{shown}\n\nComplete: {EXPLANATION_PREFIX} ..."


def explanation_prompt(
    records: Sequence[ActivationRecord], examples: Sequence[Example] = EXAMPLES
) -> list[ChatMessage]:
    """The token-activation-pair explainer prompt: few-shot examples, then the target."""
    messages = [ChatMessage("system", _EXPLAIN_SYSTEM)]
    for number, example in enumerate(examples, 1):
        messages.append(ChatMessage("user", _explain_turn(example.records, number)))
        messages.append(ChatMessage("assistant", f"{EXPLANATION_PREFIX} {example.explanation}."))
    messages.append(ChatMessage("user", _explain_turn(records, len(examples) + 1)))
    validate_roles(messages)
    return messages


def token_list_prompt(top_tokens: Sequence[tuple[str, float]]) -> list[ChatMessage]:
    """The token-list explainer prompt: the neuron's top tokens by mean activation."""
    listed = "\n".join(f"{token!r}\t{value:.2f}" for token, value in top_tokens)
    system = (
        "We are studying one neuron of a neural network. You will see the tokens on which it "
        "fires most strongly on average, with the mean activation. Summarize what the neuron "
        f'looks for in a single short phrase that completes "{EXPLANATION_PREFIX} ...".'
    )
    messages = [
        ChatMessage("system", system),
        ChatMessage("user", f"Top tokens:\n{listed}\n\nComplete: {EXPLANATION_PREFIX} ..."),
    ]
    validate_roles(messages)
    return messages


def parse_explanation(completion: str) -> str:
    """The explanation from a completion: first line, without an echoed prefix or final period."""
    text = completion.strip().splitlines()[0].strip() if completion.strip() else ""
    text = text.strip('"').strip()
    lowered = text.lower()
    if lowered.startswith(EXPLANATION_PREFIX):
        text = text[len(EXPLANATION_PREFIX) :].strip()
    elif lowered.startswith("find "):
        text = text[len("find ") :]
    return text.rstrip(".").strip()
