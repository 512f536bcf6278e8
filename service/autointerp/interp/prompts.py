"""Prompts as typed messages, in our own wording, with our own few-shot examples.

Changing any text here changes model outputs: bump PROMPT_VERSION, which is part of every
cache key, and update the golden tests.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from autointerp.interp.activations import normalize, relu_max
from autointerp.interp.records import ActivationRecord

PROMPT_VERSION = "2026-12-01.1"
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
    f'"{EXPLANATION_PREFIX} ...". Describe the pattern; do not list every example. Answer '
    "with the phrase alone, in plain words: no tags, no token and activation lines."
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


# Protocol `study`: listings laid out as neuron-explainer's prompt builder writes them.
_STUDY_REPEAT = "Same activations, but with all zeros filtered out:"


def format_records_as_study(
    records: Sequence[ActivationRecord], max_activation: float, omit_zeros: bool = False
) -> str:
    """Excerpts as neuron-explainer's `format_activation_records` writes them: one
    `token<TAB>value` line per token, excerpts between <start>/<end> lines, the whole
    starting and ending with a newline; `omit_zeros` keeps the non-zero lines only (an
    excerpt with none becomes an empty pair of markers)."""
    excerpts = []
    for record in records:
        values = normalize(record.activations, max_activation)
        pairs = zip(record.tokens, values, strict=True)
        excerpts.append("\n".join(f"{t}\t{v}" for t, v in pairs if v > 0 or not omit_zeros))
    return "\n<start>\n" + "\n<end>\n<start>\n".join(excerpts) + "\n<end>\n"


def nonzero_share(records: Sequence[ActivationRecord], max_activation: float) -> float:
    """The share of all the records' tokens whose 0-10 value is not 0."""
    values = [v for r in records for v in normalize(r.activations, max_activation)]
    return sum(v != 0 for v in values) / len(values) if values else 0.0


def _study_explain_turn(records: Sequence[ActivationRecord], number: int) -> str:
    # neuron-explainer's TokenActivationPairExplainer: the repeat is decided once for the
    # whole block and follows the full listing.
    top = relu_max(records)
    turn = f"\n\nNeuron {number}\nActivations:{format_records_as_study(records, top)}"
    if nonzero_share(records, top) < _SPARSE_SHARE:
        turn += f"\n{_STUDY_REPEAT}{format_records_as_study(records, top, omit_zeros=True)}"
    return turn + f"\nExplanation of neuron {number} behavior: {EXPLANATION_PREFIX}"


def explanation_prompt(
    records: Sequence[ActivationRecord],
    examples: Sequence[Example] = EXAMPLES,
    study_listing: bool = False,
) -> list[ChatMessage]:
    """The token-activation-pair explainer prompt: few-shot examples, then the target; with
    `study_listing`, each neuron's turns as neuron-explainer writes them (protocol `study`)."""
    turn = _study_explain_turn if study_listing else _explain_turn
    messages = [ChatMessage("system", _EXPLAIN_SYSTEM)]
    for number, example in enumerate(examples, 1):
        messages.append(ChatMessage("user", turn(example.records, number)))
        # The study's turn ends with the prefix, which its answer continues.
        prefix = "" if study_listing else EXPLANATION_PREFIX
        messages.append(ChatMessage("assistant", f"{prefix} {example.explanation}."))
    messages.append(ChatMessage("user", turn(records, len(examples) + 1)))
    validate_roles(messages)
    return messages


def token_list_prompt(top_tokens: Sequence[tuple[str, float]]) -> list[ChatMessage]:
    """The token-list explainer prompt: the neuron's top tokens by mean activation."""
    listed = "\n".join(f"{token!r}\t{value:.2f}" for token, value in top_tokens)
    system = (
        "We are studying one neuron of a neural network. You will see the tokens on which it "
        "fires most strongly on average, with the mean activation. Summarize what the neuron "
        f'looks for in a single short phrase that completes "{EXPLANATION_PREFIX} ...". '
        "Answer with the phrase alone, in plain words."
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


# What an explanation must not be (check_explanation).
_MARKUP = re.compile(r"<\|[^<>]*\|>|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|\[(?:CLS|SEP|PAD|MASK|UNK)\]")
_LISTING = re.compile(r"\t|\\t")
_QUOTED_SPAN = re.compile("'[^']*'|\"[^\"]*\"|[\u2018\u201c][^\u2019\u201d]*[\u2019\u201d]")
_WORD = re.compile(r"[^\W_]+")
# Copied wording: a share of the words in runs of at least _RUN words found in the prompt, or
# one run of _LONG_RUN words.
_RUN, _COPIED_SHARE, _LONG_RUN = 3, 0.6, 6
_SCAFFOLDING = (
    "The same document with only its non-zero activations:",
    "Same activations, but with all zeros filtered out:",
    f"Complete: {EXPLANATION_PREFIX} ...",
)


def prompt_lines(messages: Sequence[ChatMessage]) -> list[str]:
    """A prompt's own wording, what an explanation must not echo: its system and user lines
    without the excerpt listings (`token<TAB>value` lines, which an explanation may quote) and
    without the worked examples' answers, plus the fixed lines of every layout."""
    lines = [
        line
        for message in messages
        if message.role != "assistant"
        for line in message.content.splitlines()
        if "\t" not in line
    ]
    return [*lines, *_SCAFFOLDING]


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _long_run(words: list[str], lines: Sequence[str]) -> bool:
    """Whether the words are one of the lines, or share a run of _LONG_RUN words with one."""
    line_words = [_WORD.findall(line.lower()) for line in lines]
    if words in line_words:
        return True
    long_runs = set().union(*(_ngrams(w, _LONG_RUN) for w in line_words))
    return bool(_ngrams(words, _LONG_RUN) & long_runs)


def _copied(words: list[str], lines: Sequence[str]) -> bool:
    """Whether most of the words, or a long run of them, come straight from the lines."""
    if _long_run(words, lines):
        return True
    line_words = [_WORD.findall(line.lower()) for line in lines]
    runs = set().union(*(_ngrams(w, _RUN) for w in line_words))
    covered = [False] * len(words)
    for i in range(len(words) - _RUN + 1):
        if tuple(words[i : i + _RUN]) in runs:
            covered[i : i + _RUN] = [True] * _RUN
    return len(words) >= _RUN and sum(covered) >= _COPIED_SHARE * len(words)


def check_explanation(text: str, lines: Sequence[str] = ()) -> str | None:
    """Why `text` is not an explanation, or None if it is one: empty, markup or a control
    token, a token/activation listing, no words (numbers or punctuation alone), mostly the
    prompt's own wording (`lines`, prompt_lines) copied back: most of it, or six words in a
    row. (A worked example's answer is not refused: it may be right for a neuron like the
    example's.)"""
    if not text.strip():
        return "empty"
    # A quoted token is described, not emitted: "the token '[SEP]'" is an explanation.
    markup = _MARKUP.search(_QUOTED_SPAN.sub(" ", text))
    if markup:
        return f"markup or a control token ({markup.group(0)!r})"
    if _LISTING.search(text):
        return "a token/activation listing (tab-separated), not a description"
    if not any(character.isalpha() for character in text):
        return "no words (numbers or punctuation alone)"
    words = _WORD.findall(text.lower())
    if lines and _copied(words, lines):
        return "the prompt's own wording copied back"
    return None
