"""The binary simulator: does the neuron fire on this token, yes or no?

A small model cannot be trusted to write, or to be read at, 0-10 values in one long prompt:
after a few lines it copies the placeholder and what is read is its prior, the same for every
explanation. This simulator asks one short question per token instead: given the explanation
and the excerpt, with the token marked «like this», does the neuron fire on it? The answer is
read from the logits of the answer's first token, as 10 * P(yes) / (P(yes) + P(no)), so
nothing is generated and nothing can be copied. The questions about one excerpt share their
beginning (instructions, explanation, excerpt), which a local backend computes once.
"""

from __future__ import annotations

import math
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


def supports_answer_logprobs(model: object) -> bool:
    """Whether a model can run the binary simulator (it reads answer logits directly)."""
    return bool(getattr(model, "supports_answer_logprobs", False))


def shown_text(tokens: Sequence[str]) -> str:
    """An excerpt as one line of words (tokens joined by spaces; line breaks as spaces)."""
    return " ".join(t.strip().replace("\n", " ") or "\u2423" for t in tokens)


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


def fires_value(logit: float, prior: float | None = None) -> float:
    """0-10: 10 * P(yes) / (P(yes) + P(no)); with a prior logit (the same question under a
    content-free explanation), of the logit the explanation adds to it."""
    shifted = logit if prior is None else logit - prior
    return 10.0 / (1.0 + math.exp(-shifted))


def _asked(tokens: Sequence[str]) -> list[str]:
    """What the question about each token shows: the word, and with CONTEXT the one before."""
    words = [shown_word(t) for t in tokens]
    if not CONTEXT:
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


async def simulate_binary(
    model: object,
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    calibrated: bool | None = None,
) -> Simulation:
    """Does the word match the explanation? Asked once per distinct word of the excerpts and
    read from the answer logits; calibrated by the same questions under a content-free
    explanation, so that what the model says of a word whatever it is told cancels out."""
    if not supports_answer_logprobs(model):
        raise InvalidRequest(
            "simulator 'binary' reads answer logits, which only a local (transformers) model "
            "gives; use a profile with backend 'transformers'"
        )
    scorer: AnswerScorer = model  # type: ignore[assignment]
    asked = [_asked(tokens) for tokens in excerpts]
    words = list(dict.fromkeys(w for row in asked for w in row))
    logits, usage = await _word_logits(scorer, explanation, words)
    priors: dict[str, float] = {}
    if CALIBRATED if calibrated is None else calibrated:
        neutral = []
        for text in NEUTRALS:
            logits_under, prior_usage = await _word_logits(scorer, text, words)
            neutral.append(logits_under)
            usage += prior_usage
        priors = {w: sum(n[w] for n in neutral) / len(neutral) for w in words}
    values = [[fires_value(logits[w], priors.get(w)) for w in row] for row in asked]
    return Simulation(values, 0, usage)


# -- naming: which word does it fire on? ----------------------------------------------------

NONE = ("none", "None")

_NAMING_SYSTEM = (
    "You study neurons of a language model. A neuron fires on some words of a text and is "
    "silent on the rest. You are told what a neuron fires on and shown a text. Answer with "
    "the one word of the text the neuron fires on most, copied exactly, or none if it fires "
    "on no word of the text."
)


def naming_chat(explanation: str, tokens: Sequence[str]) -> list[ChatMessage]:
    """Asks for the word of the excerpt the neuron fires on most (or none)."""
    return [
        ChatMessage("system", _NAMING_SYSTEM),
        ChatMessage(
            "user",
            f"The neuron fires on: {explanation.strip().rstrip('.')}.\n\n"
            f"Text: {shown_text(tokens)}\n\nWhich word does the neuron fire on most?",
        ),
    ]


def spellings(token: str) -> list[str]:
    """How an answer may write a token: as is, lower-cased, capitalized."""
    word = token.strip()
    return list(dict.fromkeys([word, word.lower(), word.capitalize()])) if word else []


async def _naming_shares(
    scorer: AnswerScorer, explanation: str, excerpts: Sequence[Sequence[str]]
) -> tuple[list[list[float]], Usage]:
    """Per excerpt and token, the share of the answer's probability that names the token
    (summed over its spellings), against naming another word or none."""
    candidates = list(
        dict.fromkeys([*NONE, *(s for tokens in excerpts for t in tokens for s in spellings(t))])
    )
    result = await scorer.answer_logprobs(
        [naming_chat(explanation, tokens) for tokens in excerpts], candidates
    )
    shares = []
    for tokens, logprobs in zip(excerpts, result.logprobs, strict=True):
        named = {s: math.exp(logprobs[s]) for t in tokens for s in spellings(t)}
        total = sum(named.values()) + sum(math.exp(logprobs[s]) for s in NONE)
        shares.append([sum(named[s] for s in spellings(t)) / total for t in tokens])
    return shares, result.usage


async def simulate_naming(
    model: object, explanation: str, excerpts: Sequence[Sequence[str]], calibrated: bool = True
) -> Simulation:
    """Which word does the neuron fire on? One short prompt per excerpt, all read in one call
    (their common beginning computed once). Calibrated: the share of the answer naming each
    token relative to its share under a content-free explanation (the model's prior: a small
    model names the first word whatever it is told), as 10 * (1 - prior / share) where the
    explanation raises it, else 0. Uncalibrated: 10 * the share."""
    if not supports_answer_logprobs(model):
        raise InvalidRequest("simulator 'naming' reads answer logits (a local model)")
    scorer: AnswerScorer = model  # type: ignore[assignment]
    shares, usage = await _naming_shares(scorer, explanation, excerpts)
    if not calibrated:
        return Simulation([[10.0 * v for v in row] for row in shares], 0, usage)
    priors, prior_usage = await _naming_shares(scorer, NEUTRALS[0], excerpts)
    values = [
        [10.0 * max(0.0, 1.0 - p / v) if v > 0 else 0.0 for v, p in zip(row, prior, strict=True)]
        for row, prior in zip(shares, priors, strict=True)
    ]
    return Simulation(values, 0, usage + prior_usage)
