"""Simulators: predict a neuron's activation (0-10) at every token from an explanation.

Three strategies by what the backend offers (docs/method.md), plus a lexical one with no model:
  all_at_once  prompt logprobs: every value shown as `unknown`, read in one forward pass;
  generated    chat logprobs: the model rewrites `token<TAB>value` lines, values read from
               the top logprobs, aligned back to the real tokens;
  json         no logprobs: the model writes one integer per token.
A simulation that cannot be read is an OperationFailed, never a row of zeros.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from autointerp.interp.activations import normalize, relu_max
from autointerp.interp.errors import InvalidRequest, OperationFailed
from autointerp.interp.ports import ChatParameters, ChatResult, LanguageModel, TokenLogprobs, Usage
from autointerp.interp.prompts import (
    EXAMPLES,
    EXPLANATION_PREFIX,
    UNKNOWN,
    ChatMessage,
    Example,
    format_records_as_study,
)

_VALUES = {str(v): v for v in range(11)}
# At most this share of tokens may fail to align before a generated simulation is rejected.
MAX_UNALIGNED_SHARE = 0.5


class SimulatorKind(StrEnum):
    """How activations are predicted."""

    all_at_once = "all_at_once"
    generated = "generated"
    json = "json"
    lexical = "lexical"
    binary = "binary"
    """Per token, P(yes) of "does the neuron fire here?" from the answer logits of a local
    model, calibrated against content-free explanations and read from the odds that a
    neuron fires at all (interp.binary_simulation)."""


def check_simulator(
    kind: SimulatorKind, has_model: bool, prompt_logprobs: bool, answer_logprobs: bool = False
) -> None:
    """Refuse a simulator the chosen language model cannot run (checked at submit, so the
    caller hears it at once rather than from a failed operation later)."""
    if kind is SimulatorKind.lexical:
        return
    if not has_model:
        raise InvalidRequest(
            f"simulator {kind.value!r} needs a language model; this profile has none "
            "(use simulator 'lexical', or a profile with a model)"
        )
    if kind is SimulatorKind.binary and not answer_logprobs:
        raise InvalidRequest(
            "simulator 'binary' reads answer logits, which only a local model gives; use a "
            "profile with backend 'transformers'"
        )
    if kind is SimulatorKind.all_at_once and not prompt_logprobs:
        raise InvalidRequest(
            "simulator 'all_at_once' needs prompt logprobs, which this profile's backend does "
            "not return; use simulator 'generated' or 'json', or a profile with prompt_logprobs"
        )


@dataclass(frozen=True)
class Simulation:
    """Predicted activations per excerpt, with what it cost and what could not be read."""

    values: list[list[float]]
    unaligned_tokens: int
    usage: Usage


def shown_token(token: str) -> str:
    """A token as one prompt line can hold it (tabs and newlines escaped)."""
    return token.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def expected_value(top: dict[str, float]) -> float | None:
    """sum(v * p_v) / sum(p_v) over the values 0..10 among the top tokens; None if none."""
    weights: dict[int, float] = {}
    for text, logprob in top.items():
        value = _VALUES.get(text.strip())
        if value is not None:
            weights[value] = weights.get(value, 0.0) + math.exp(logprob)
    total = sum(weights.values())
    return sum(v * p for v, p in weights.items()) / total if total > 0 else None


_HEADER = (
    "We are studying neurons of a neural network. Each neuron looks for one particular thing "
    "in short documents. Given an explanation of what a neuron does, predict how strongly it "
    "fires on each token of a document, from 0 (silent) to 10 (strongest). Documents are "
    "lines of `token<tab>activation`; most activations are 0."
)


def _example_block(number: int, example: Example) -> str:
    shown = []
    for record in example.records:
        values = normalize(record.activations, relu_max(example.records))
        lines = "\n".join(
            f"{shown_token(t)}\t{v}" for t, v in zip(record.tokens, values, strict=True)
        )
        shown.append(f"<start>\n{lines}\n<end>")
    explained = f"Explanation: {EXPLANATION_PREFIX} {example.explanation}."
    return f"Neuron {number}\n{explained}\nActivations:\n" + "\n".join(shown)


@dataclass(frozen=True)
class AllAtOncePrompt:
    """A completion prompt and, per excerpt and token, the offset of its `unknown` slot."""

    text: str
    slots: list[list[int]]


def _study_example_block(number: int, example: Example) -> str:
    shown = format_records_as_study(example.records, relu_max(example.records))
    explained = f"Explanation of neuron {number} behavior: {EXPLANATION_PREFIX} "
    return f"\n\nNeuron {number}\n{explained}{example.explanation}\nActivations: {shown}\n"


def _study_prompt(
    explanation: str, excerpts: Sequence[Sequence[str]], examples: Sequence[Example]
) -> AllAtOncePrompt:
    # neuron-explainer's ExplanationNeuronSimulator, its messages joined: tokens as they are,
    # excerpts laid out as `format_sequences_for_simulation` writes them.
    text = f"{_HEADER}\n" + "".join(_study_example_block(n, e) for n, e in enumerate(examples, 1))
    number = len(examples) + 1
    text += f"\n\nNeuron {number}\nExplanation of neuron {number} behavior: {EXPLANATION_PREFIX} "
    text += f"{explanation.strip()}\nActivations: "
    slots: list[list[int]] = []
    for position, tokens in enumerate(excerpts):
        text += "\n<start>\n" if position == 0 else "\n<end>\n<start>\n"
        excerpt_slots = []
        for at, token in enumerate(tokens):
            text += f"\n{token}\t" if at else f"{token}\t"
            excerpt_slots.append(len(text))
            text += UNKNOWN
        slots.append(excerpt_slots)
    return AllAtOncePrompt(text + "\n<end>\n", slots)


def all_at_once_prompt(
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    examples: Sequence[Example] = EXAMPLES[:1],
    study_listing: bool = False,
) -> AllAtOncePrompt:
    """One prompt for several excerpts: the few-shot prefix is paid for once. With
    `study_listing`, laid out as neuron-explainer's simulator prompt (protocol `study`)."""
    if study_listing:
        return _study_prompt(explanation, excerpts, examples)
    shown = "".join(f"{_example_block(n, e)}\n\n" for n, e in enumerate(examples, 1))
    text = f"{_HEADER}\n\n{shown}Neuron {len(examples) + 1}\n"
    text += f"Explanation: {EXPLANATION_PREFIX} {explanation}.\nActivations:\n"
    slots: list[list[int]] = []
    for tokens in excerpts:
        text += "<start>\n"
        excerpt_slots = []
        for token in tokens:
            text += f"{shown_token(token)}\t"
            excerpt_slots.append(len(text))
            text += f"{UNKNOWN}\n"
        text += "<end>\n"
        slots.append(excerpt_slots)
    return AllAtOncePrompt(text, slots)


async def simulate_all_at_once(
    model: LanguageModel,
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    study_listing: bool = False,
    prompt_per_excerpt: bool = False,
) -> Simulation:
    """Read every slot's value distribution from one forward pass over the prompt; with
    `prompt_per_excerpt` (the study's), one prompt and pass per excerpt."""
    groups = [[tokens] for tokens in excerpts] if prompt_per_excerpt else [excerpts]
    prompts = [all_at_once_prompt(explanation, g, study_listing=study_listing) for g in groups]
    # A small model that has just read many `unknown`s may rank that word above every digit;
    # asking for the value tokens themselves keeps their probabilities in view.
    results = await asyncio.gather(
        *(model.prompt_logprobs(p.text, include=list(_VALUES)) for p in prompts)
    )
    values, missing, usage = [], 0, Usage()
    for prompt, result in zip(prompts, results, strict=True):
        usage += result.usage
        at_offset = {token.offset: token for token in result.tokens}
        for excerpt_slots in prompt.slots:
            row = []
            for offset in excerpt_slots:
                token = at_offset.get(offset)
                value = expected_value(token.top) if token is not None else None
                missing += value is None
                row.append(value if value is not None else 0.0)
            values.append(row)
    total = sum(len(tokens) for tokens in excerpts)
    if total and missing > MAX_UNALIGNED_SHARE * total:
        raise OperationFailed(
            f"the model gave no 0-10 value distribution at {missing} of {total} tokens"
        )
    return Simulation(values, missing, usage)


def _chat_messages(
    explanation: str, tokens: Sequence[str], answer_format: str
) -> list[ChatMessage]:
    example = EXAMPLES[0].records[0]
    example_values = normalize(example.activations, relu_max(EXAMPLES[0].records))

    def ask(explained: str, shown: Sequence[str]) -> str:
        listed = "\n".join(shown_token(t) for t in shown)
        return (
            f"Explanation: {EXPLANATION_PREFIX} {explained}.\nTokens, one per line:\n"
            f"<start>\n{listed}\n<end>\n{answer_format}"
        )

    if answer_format.startswith("Answer with JSON"):
        example_answer = json.dumps({"activations": example_values})
    else:
        example_answer = "\n".join(
            f"{shown_token(t)}\t{v}" for t, v in zip(example.tokens, example_values, strict=True)
        )
    return [
        ChatMessage("system", _HEADER),
        ChatMessage("user", ask(EXAMPLES[0].explanation, example.tokens)),
        ChatMessage("assistant", example_answer),
        ChatMessage("user", ask(explanation, tokens)),
    ]


_LINES_FORMAT = "Answer with the same tokens, one per line, each as `token<tab>activation`."
_JSON_FORMAT = (
    'Answer with JSON only: {"activations": [...]} with one integer 0-10 per token, in order.'
)


def _logprobs_at(tokens: list[TokenLogprobs], offset: int) -> dict[str, float] | None:
    position = 0
    for token in tokens:
        if position <= offset < position + len(token.text):
            return token.top
        position += len(token.text)
    return None


def align_generated(
    text: str, logprobs: list[TokenLogprobs] | None, tokens: Sequence[str]
) -> tuple[list[float], int]:
    """Values for the real tokens from `token<TAB>value` lines; and how many failed to align.

    The model may drop, merge or mis-copy lines: each real token is matched to the next line
    (within a short look-ahead) whose token text matches; unmatched tokens count as failures.
    """
    lines: list[tuple[str, str, int]] = []
    offset = 0
    for raw in text.split("\n"):
        if "\t" in raw:
            shown, written = raw.rsplit("\t", 1)
            lines.append((shown.strip(), written.strip(), offset + len(shown) + 1))
        offset += len(raw) + 1
    values: list[float] = []
    failures, cursor = 0, 0
    for token in tokens:
        wanted = shown_token(token).strip()
        match = next(
            (i for i in range(cursor, min(cursor + 3, len(lines))) if lines[i][0] == wanted), None
        )
        if match is None:
            failures += 1
            values.append(0.0)
            continue
        cursor = match + 1
        _, literal, value_offset = lines[match]
        top = _logprobs_at(logprobs, value_offset) if logprobs else None
        value: float | None = expected_value(top) if top else None
        if value is None:
            value = float(_VALUES[literal]) if literal in _VALUES else None
        failures += value is None
        values.append(value if value is not None else 0.0)
    return values, failures


async def simulate_generated(
    model: LanguageModel, explanation: str, excerpts: Sequence[Sequence[str]]
) -> Simulation:
    """One chat call per excerpt; values from the top logprobs of each value token."""
    values, failures, usage = [], 0, Usage()
    for tokens in excerpts:
        result = await model.chat(
            _chat_messages(explanation, tokens, _LINES_FORMAT),
            ChatParameters(max_tokens=8 * len(tokens) + 16, top_logprobs=10),
        )
        usage += result.usage
        choice = result.choices[0]
        row, failed = align_generated(choice.text, choice.tokens, tokens)
        if failed > MAX_UNALIGNED_SHARE * len(tokens):
            raise OperationFailed(
                f"the simulation could not be aligned: {failed} of {len(tokens)} tokens missing"
            )
        values.append(row)
        failures += failed
    return Simulation(values, failures, usage)


def parse_json_values(text: str, expected: int) -> list[float]:
    """The integers of a JSON answer; OperationFailed if absent or of the wrong length."""
    found = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        data = json.loads(found.group(0)) if found else None
        raw = data["activations"] if isinstance(data, dict) else None
        numbers = [min(10.0, max(0.0, float(v))) for v in raw] if isinstance(raw, list) else None
    except (json.JSONDecodeError, TypeError, ValueError):
        numbers = None
    if numbers is None:
        raise OperationFailed("the simulation answer is not JSON with an 'activations' list")
    if len(numbers) != expected:
        raise OperationFailed(f"the simulation gave {len(numbers)} values for {expected} tokens")
    return numbers


async def simulate_json(
    model: LanguageModel, explanation: str, excerpts: Sequence[Sequence[str]]
) -> Simulation:
    """One chat call per excerpt, no logprobs: the integers as written."""
    values, usage = [], Usage()
    for tokens in excerpts:
        result = await model.chat(
            _chat_messages(explanation, tokens, _JSON_FORMAT),
            ChatParameters(max_tokens=4 * len(tokens) + 32, json_mode=True),
        )
        usage += result.usage
        values.append(parse_json_values(result.choices[0].text, len(tokens)))
    return Simulation(values, 0, usage)


def _quoted(explanation: str) -> set[str]:
    # Straight and typographic quotes (\u2018 \u2019 \u201c \u201d).
    found = re.findall("['\"\u2018\u201c]([^'\"\u2019\u201d]+)['\"\u2019\u201d]", explanation)
    return {q.strip().lower() for q in found}


def quotable(token: str) -> bool:
    """Whether a token quoted in an explanation is read back as itself by the lexical
    simulator (`'s` is not: the quote ends at its mark)."""
    return bool(token.strip()) and _quoted(f"'{token}'") == {token.strip().lower()}


def simulate_lexical(explanation: str, excerpts: Sequence[Sequence[str]]) -> Simulation:
    """No model: 10 at tokens the explanation quotes ('the', "of"), else 0."""
    quoted = _quoted(explanation)
    values = [[10.0 if t.strip().lower() in quoted else 0.0 for t in tokens] for tokens in excerpts]
    return Simulation(values, 0, Usage())


def check_chat_result(result: ChatResult) -> ChatResult:
    """A chat result must have at least one choice."""
    if not result.choices:
        raise OperationFailed("the language model returned no completion")
    return result
