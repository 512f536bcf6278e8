"""Gold checks for simulators: synthetic neurons whose behaviour is known exactly, run on real
text, each with its exact explanation and with wrong ones.

A simulator that listens to the explanation scores a neuron's gold explanation high and the
wrong ones low, and its simulations of different explanations of one neuron differ. One that
reads only its prior (the text, not the explanation) gives every explanation the same score,
which no explainer can be judged through. docs/method.md ("Gold checks") says how to read them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import mean

import numpy as np

from autointerp.interp.evaluation import score_explanation, simulate
from autointerp.interp.ports import LanguageModel
from autointerp.interp.records import ActivationRecord
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split, split_records

Fires = Callable[[Sequence[str], int], bool]
"""Whether a neuron fires at position i of an excerpt's tokens."""

# Brown's quotation marks are `` and ''; a word-piece tokenizer splits each into two tokens.
# A lone ' is an apostrophe (we'll, the dogs' bowls), never a quotation mark.
_OPENING = {"``", '"', "\u201c"}
_CLOSING = {"''", '"', "\u201d"}
_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i"}


def _word(token: str) -> str:
    """A token as a word: without the spaces and word-piece marks tokenizers add."""
    return token.strip().removeprefix("##").removeprefix("\u0120").lower()


def _in(words: set[str]) -> Fires:
    return lambda tokens, i: _word(tokens[i]) in words


def _after(word: str) -> Fires:
    return lambda tokens, i: i > 0 and _word(tokens[i - 1]) == word


def _number(tokens: Sequence[str], i: int) -> bool:
    return any(c.isdigit() for c in tokens[i])


def _marks(tokens: Sequence[str]) -> list[tuple[int, int, str]]:
    """The quotation marks of an excerpt as (first token, last token, kind), a mark split
    into two tokens (` ` or ' ') taken as one."""
    marks, position = [], 0
    while position < len(tokens):
        word = tokens[position].strip()
        following = tokens[position + 1].strip() if position + 1 < len(tokens) else ""
        if word in ("`", "'") and following == word:
            marks.append((position, position + 1, "open" if word == "`" else "close"))
            position += 2
            continue
        if word in _OPENING and (word != '"' or not marks or marks[-1][2] == "close"):
            marks.append((position, position, "open"))
        elif word in _CLOSING:
            marks.append((position, position, "close"))
        position += 1
    return marks


def _second_half_of_quote(tokens: Sequence[str], i: int) -> bool:
    """Inside a quotation that opens and closes within the excerpt, in its second half."""
    opened = None
    for first, last, kind in _marks(tokens):
        if kind == "open":
            opened = last
        elif opened is not None:
            inside = first - opened - 1
            if opened + 1 + inside // 2 <= i < first:
                return True
            opened = None
    return False


@dataclass(frozen=True)
class GoldNeuron:
    """A synthetic neuron: 1 where `fires`, else 0; its exact explanation and wrong ones."""

    name: str
    family: str
    """`token set` (what the lexical floor can read), or a behaviour needing understanding."""
    explanation: str
    wrong: tuple[str, ...]
    fires: Fires

    def activations(self, tokens: Sequence[str]) -> list[float]:
        return [1.0 if self.fires(tokens, i) else 0.0 for i in range(len(tokens))]


TOKEN_SET = "token set"
GOLD_NEURONS = (
    GoldNeuron(
        "the",
        TOKEN_SET,
        'the word "the"',
        ('the word "and"', "numbers written with digits", "personal pronouns"),
        _in({"the"}),
    ),
    GoldNeuron(
        "of-in-on",
        TOKEN_SET,
        'the words "of", "in" and "on"',
        ('the word "the"', 'the word "and"', "words inside quotation marks"),
        _in({"of", "in", "on"}),
    ),
    GoldNeuron(
        "and",
        TOKEN_SET,
        'the word "and"',
        ('the words "of", "in" and "on"', "numbers written with digits", 'the word "the"'),
        _in({"and"}),
    ),
    GoldNeuron(
        "pronouns",
        "word class",
        "personal pronouns such as he, she, it and they",
        ('the word "the"', "numbers written with digits", 'the word "and"'),
        _in(_PRONOUNS),
    ),
    GoldNeuron(
        "after-the",
        "next token",
        'the word right after "the" (not "the" itself)',
        ('the word "the"', "personal pronouns", 'the word "and"'),
        _after("the"),
    ),
    GoldNeuron(
        "numbers",
        "numbers",
        "numbers written with digits, such as 1961 or 12",
        ('the word "the"', "personal pronouns", "words inside quotation marks"),
        _number,
    ),
    GoldNeuron(
        "quote-second-half",
        "quotation",
        "the second half of the words inside a quotation",
        ('the word "the"', "numbers written with digits", 'the words "of", "in" and "on"'),
        _second_half_of_quote,
    ),
)


def windows(texts: Sequence[Sequence[str]], length: int) -> list[list[str]]:
    """Consecutive excerpts of `length` tokens from tokenized texts."""
    return [
        list(tokens[start : start + length])
        for tokens in texts
        for start in range(0, len(tokens) - length + 1, length)
    ]


def gold_records(
    neuron: GoldNeuron,
    excerpts: Sequence[Sequence[str]],
    top_k: int = 20,
    random_k: int = 15,
    seed: int = 0,
) -> tuple[list[ActivationRecord], list[ActivationRecord]]:
    """The neuron's top excerpts (most firing tokens first, ties by position in the corpus)
    and a seeded random sample of the others, as a scan would record them."""
    records = [ActivationRecord(list(t), neuron.activations(t), i) for i, t in enumerate(excerpts)]
    ranked = sorted(records, key=lambda r: (-sum(r.activations), r.excerpt_id or 0))
    top = [r for r in ranked[:top_k] if r.max_activation > 0]
    chosen = {r.excerpt_id for r in top}
    rest = [r for r in records if r.excerpt_id not in chosen]
    return top, random.Random(seed).sample(rest, min(random_k, len(rest)))


@dataclass(frozen=True)
class GoldResult:
    """One neuron's gold check."""

    neuron: GoldNeuron
    gold: float
    """Top-and-random correlation of the gold explanation on the test split."""
    wrong: list[float]
    agreement: float
    """Mean correlation between the simulations of its different explanations (1: the
    simulator ignores the explanation)."""


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return 1.0 if np.array_equal(a, b) else 0.0
    return float(np.corrcoef(a, b)[0, 1])


async def check_neuron(
    neuron: GoldNeuron,
    kind: SimulatorKind,
    model: LanguageModel | None,
    excerpts: Sequence[Sequence[str]],
    top_k: int = 20,
    random_k: int = 15,
) -> GoldResult:
    """Score the gold and wrong explanations of one neuron on its test split, and compare
    the simulations of its explanations with each other (the test split holds a quarter of
    the `top_k` top excerpts and a third of the `random_k` random ones)."""
    top, random_sample = gold_records(neuron, excerpts, top_k, random_k)
    splits = split_records(top, random_sample)
    explanations = (neuron.explanation, *neuron.wrong)
    scores = []
    for text in explanations:
        result = await score_explanation(kind, model, text, splits, Split.test)
        scores.append(result.top_and_random.correlation or 0.0)
    scored = [r.tokens for r in (*splits[Split.test].top, *splits[Split.test].random)]
    simulations = [
        np.concatenate(
            [np.asarray(v, dtype=float) for v in (await simulate(kind, model, t, scored)).values]
        )
        for t in explanations
    ]
    pairs = [_correlation(a, b) for a, b in itertools.combinations(simulations, 2)]
    return GoldResult(neuron, scores[0], scores[1:], mean(pairs))


async def gold_check(
    kind: SimulatorKind,
    model: LanguageModel | None,
    excerpts: Sequence[Sequence[str]],
    neurons: Sequence[GoldNeuron] = GOLD_NEURONS,
    top_k: int = 20,
    random_k: int = 15,
) -> list[GoldResult]:
    """Every gold neuron's check."""
    return [await check_neuron(n, kind, model, excerpts, top_k, random_k) for n in neurons]
