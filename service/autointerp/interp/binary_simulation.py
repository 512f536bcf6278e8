"""The binary simulator: does the explanation describe this word, yes or no?

A small model cannot be trusted to write, or to be read at, 0-10 values in one long prompt:
after a few lines it copies the placeholder and what is read is its prior, the same for every
explanation (issue 18). This simulator asks one short question per distinct word of the
excerpts instead, and reads the answer from the logits of its first token: nothing is
generated, so nothing can be copied. The logit log P(yes) - log P(no) is read against its
mean under content-free explanations (what the model says of a word whatever it is told),
added to the low odds that a neuron fires at all (uncalibrated, it is read as it is), and
mapped to 0-10 by a sigmoid. The questions share everything but the word, which a local
backend computes once. It sees words, not positions: bench/README.md ("Local simulator
designs") has its gold checks and the designs that scored worse.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from autointerp.interp.errors import InvalidRequest
from autointerp.interp.ports import AnswerScorer, Usage
from autointerp.interp.prompts import ChatMessage
from autointerp.interp.simulation import Simulation

YES = ("Yes", "yes")
NO = ("No", "no")
NEUTRALS = ("certain words", 'the word "zebra"')
"""Content-free explanations: what the model answers under them (the mean logit) is its
prior, divided out. The second has the form of a token-set explanation, so that a word the
form itself contains ("the", "word") is not taken for a match."""
SHOTS = False
"""Whether the questions follow worked examples (bench/README.md: they lower token sets)."""
CALIBRATED = True
"""Whether answers are read against a content-free explanation's (bench/README.md)."""
CONTEXT = False
"""Whether each question names the token before the word too (one question per pair)."""
MIXED = False
"""Whether both questions are asked and their logits averaged (bench/README.md: better on
positions, twice the cost, a thinner token-set margin)."""
WEIGHTED = False
"""With MIXED, whether the two views are weighted by how much each one's logits vary over
the excerpts' tokens (the view the explanation speaks to tells words apart) instead of
averaged equally."""


def supports_answer_logprobs(model: object) -> bool:
    """Whether a model can run the binary simulator (it reads answer logits directly)."""
    return bool(getattr(model, "supports_answer_logprobs", False))


def shown_word(token: str) -> str:
    """A token as the question shows it."""
    return token.strip().replace("\n", " ") or "\u2423"


_SHOTS = (
    ('the word "dog"', "cat", "No"),
    ('the word "dog"', "dog", "Yes"),
    ("names of months", "June", "Yes"),
    ("names of months", "river", "No"),
)
_SHOT_SYSTEM = (
    "You decide whether a word matches the description of what a neuron fires on. Answer Yes or No."
)


def _question(explanation: str, word: str) -> str:
    return f'Description: {explanation.strip().rstrip(".")}.\nWord: "{word}"'


def word_chats(
    explanation: str, words: Sequence[str], shots: bool | None = None
) -> list[list[ChatMessage]]:
    """One chat per word, all sharing everything but the word (a backend computes that
    shared beginning once, so a question costs it ~7 tokens). `shots`: after worked examples
    of other descriptions (exact matches, word classes)."""
    if SHOTS if shots is None else shots:
        shown = [ChatMessage("system", _SHOT_SYSTEM)]
        for description, word, answer in _SHOTS:
            shown += [
                ChatMessage("user", _question(description, word)),
                ChatMessage("assistant", answer),
            ]
        return [[*shown, ChatMessage("user", _question(explanation, w))] for w in words]
    head = (
        f"Description: {explanation.strip().rstrip('.')}.\n"
        "Does the following word match the description? Answer Yes or No.\nWord: "
    )
    return [[ChatMessage("user", f'{head}"{w}"')] for w in words]


def yes_logit(logprobs: dict[str, float]) -> float:
    """log P(yes) - log P(no), summing the spellings of each answer."""
    yes = sum(math.exp(logprobs[c]) for c in YES if c in logprobs)
    no = sum(math.exp(logprobs[c]) for c in NO if c in logprobs)
    return math.log(max(yes, 1e-30)) - math.log(max(no, 1e-30))


FIRING_ODDS = -3.0
"""Calibrated answers are read as evidence for firing, starting from these log odds that a
neuron fires on a token (about 1 in 20): neurons are sparse. Reading them from even odds
put every word the explanation says nothing of at 5, where the sigmoid is steepest, so the
questions' noise there outweighed the few matches (bench/README.md: on real neurons 0.166 ->
0.205, on the gold token sets 0.865 -> 0.924)."""


def fires_value(logit: float) -> float:
    """0-10 from a log odds: 10 * P(yes) / (P(yes) + P(no)) for an answer's logit."""
    return 10.0 / (1.0 + math.exp(-logit))


def _asked(tokens: Sequence[str], context: bool) -> list[str]:
    """What the question about each token shows: the word, with `context` the one before."""
    words = [shown_word(t) for t in tokens]
    if not context:
        return words
    return [
        f'{w}", right after "{words[i - 1]}' if i else f'{w}", at the start of the text'
        for i, w in enumerate(words)
    ]


async def _word_logits(
    scorer: AnswerScorer, explanation: str, words: Sequence[str]
) -> tuple[dict[str, float], Usage]:
    result = await scorer.answer_logprobs(word_chats(explanation, words), [*YES, *NO])
    return {w: yes_logit(r) for w, r in zip(words, result.logprobs, strict=True)}, result.usage


async def _read(
    scorer: AnswerScorer,
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    context: bool,
    calibrated: bool,
) -> tuple[list[list[float]], Usage]:
    """Per token, the yes logit (less the prior's, when calibrated) of one view of it."""
    asked = [_asked(tokens, context) for tokens in excerpts]
    words = list(dict.fromkeys(w for row in asked for w in row))
    logits, usage = await _word_logits(scorer, explanation, words)
    priors = dict.fromkeys(words, 0.0)
    if calibrated:
        neutral = []
        for text in NEUTRALS:
            logits_under, prior_usage = await _word_logits(scorer, text, words)
            neutral.append(logits_under)
            usage += prior_usage
        priors = {w: sum(n[w] for n in neutral) / len(neutral) for w in words}
    return [[logits[w] - priors[w] for w in row] for row in asked], usage


async def simulate_binary(
    model: object,
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    calibrated: bool | None = None,
) -> Simulation:
    """Does the word match the explanation? Asked once per distinct word of the excerpts (with
    CONTEXT, per word and the one before it; with MIXED, both, their logits averaged) and
    read from the answer logits; calibrated by the same questions under content-free
    explanations, so that what the model says of a word whatever it is told cancels out, and
    what the explanation adds is read from FIRING_ODDS."""
    if not supports_answer_logprobs(model):
        raise InvalidRequest(
            "simulator 'binary' reads answer logits, which only a local (transformers) model "
            "gives; use a profile with backend 'transformers'"
        )
    scorer: AnswerScorer = model  # type: ignore[assignment]
    calibrate = CALIBRATED if calibrated is None else calibrated
    views = (False, True) if MIXED else (CONTEXT,)
    read, usage = [], Usage()
    for context in views:
        rows, view_usage = await _read(scorer, explanation, excerpts, context, calibrate)
        read.append(rows)
        usage += view_usage
    weights = [1.0] * len(read)
    if WEIGHTED and len(read) > 1:
        pooled = [[v for row in rows for v in row] for rows in read]
        weights = [statistics.pstdev(values) if values else 0.0 for values in pooled]
        if not sum(weights):
            weights = [1.0] * len(read)
    odds = FIRING_ODDS if calibrate else 0.0
    values = [
        [
            fires_value(odds + sum(w * x for w, x in zip(weights, v, strict=True)) / sum(weights))
            for v in zip(*rows_of_excerpt, strict=True)
        ]
        for rows_of_excerpt in zip(*read, strict=True)
    ]
    return Simulation(values, 0, usage)
