"""The binary simulator's reading of answer logits, with a scripted scorer (no model)."""

import math
from collections.abc import Sequence

import pytest
from fakeredis import FakeAsyncRedis

from autointerp.interp import binary_simulation as bs
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.evaluation import simulate
from autointerp.interp.ports import AnswerLogprobsResult, Usage
from autointerp.interp.prompts import ChatMessage
from autointerp.interp.simulation import SimulatorKind, check_simulator
from autointerp.llm.cache import CachedLanguageModel


class Scripted:
    """Says yes (P = 0.9) to a word when the explanation quotes it, else P(yes) = 0.3; under
    a neutral explanation, P(yes) = 0.3 for every word but 'the' (0.6)."""

    supports_prompt_logprobs = False
    supports_answer_logprobs = True

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        rows = []
        asked = []
        for chat in chats:
            question = chat[-1].content
            explanation = question.split("\n")[0]
            word = question.rsplit('"', 2)[-2]
            asked.append(word)
            neutral = any(n in explanation for n in bs.NEUTRALS)
            if neutral:
                yes = 0.6 if word == "the" else 0.3
            else:
                yes = 0.9 if f'"{word}"' in explanation else 0.3
            row = {
                c: math.log(yes / 2) if c in bs.YES else math.log((1 - yes) / 2) for c in candidates
            }
            rows.append(row)
        self.asked.append(asked)
        return AnswerLogprobsResult(rows, Usage(prompt_tokens=len(chats), calls=1))


async def test_each_distinct_word_is_asked_once_and_read_against_the_neutral_prior():
    scorer = Scripted()
    excerpts = [["the", " cat", " and"], ["and", " the"]]
    simulation = await bs.simulate_binary(scorer, 'the word "and"', excerpts, calibrated=True)
    assert scorer.asked[0] == ["the", "cat", "and"]  # the explanation's questions
    assert len(scorer.asked) == 1 + len(bs.NEUTRALS)
    and_value = simulation.values[0][2]
    assert simulation.values[1][0] == and_value
    # A word the explanation does not change reads the base rate of firing (no shift from
    # the prior); one it makes 21 times likelier ("yes" odds 9 against 3/7) than that.
    base = bs.fires_value(bs.FIRING_ODDS)
    assert simulation.values[0][1] == pytest.approx(base)
    assert base < 0.5
    assert and_value == pytest.approx(bs.fires_value(bs.FIRING_ODDS + math.log(21)))
    # 'the' is likely "yes" whatever the model is told: the prior brings it below 'cat'.
    assert simulation.values[0][0] < simulation.values[0][1]
    assert simulation.usage.calls == 1 + len(bs.NEUTRALS)


async def test_uncalibrated_values_are_p_yes():
    simulation = await bs.simulate_binary(Scripted(), 'the word "cat"', [["cat", "dog"]], False)
    assert simulation.values == [[pytest.approx(9.0), pytest.approx(3.0)]]


async def test_the_binary_simulator_needs_answer_logits():
    with pytest.raises(InvalidRequest, match="binary"):
        check_simulator(SimulatorKind.binary, True, True, answer_logprobs=False)
    check_simulator(SimulatorKind.binary, True, False, answer_logprobs=True)
    scored = await simulate(SimulatorKind.binary, Scripted(), 'the word "cat"', [["a", "cat"]])
    assert scored.values[0][1] > scored.values[0][0]


async def test_answer_logprobs_are_cached_and_the_capability_passes_through():
    redis = FakeAsyncRedis()
    inner = Scripted()
    model = CachedLanguageModel(inner, redis, {"backend": "transformers", "model": "m"}, "test")
    assert bs.supports_answer_logprobs(model)
    first = await bs.simulate_binary(model, 'the word "cat"', [["a", "cat"]])
    again = await bs.simulate_binary(model, 'the word "cat"', [["a", "cat"]])
    assert again.values == first.values
    assert len(inner.asked) == 1 + len(bs.NEUTRALS)  # the second simulation read Redis only
    assert again.usage.cached_calls == again.usage.calls == 1 + len(bs.NEUTRALS)


def test_a_model_without_answer_logits_is_refused():
    class ChatOnly:
        supports_prompt_logprobs = False

    assert not bs.supports_answer_logprobs(ChatOnly())
    assert not bs.supports_answer_logprobs(
        CachedLanguageModel(ChatOnly(), FakeAsyncRedis(), {}, "test")  # type: ignore[arg-type]
    )


class WordsOnly:
    """Tells words apart (P(yes) 0.9 for 'cat', else 0.3) when asked about a word alone, and
    says 0.5 to every question that names the token before it."""

    supports_prompt_logprobs = False
    supports_answer_logprobs = True

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        rows = []
        for chat in chats:
            question = chat[-1].content
            in_context = "right after" in question or "at the start" in question
            yes = 0.5 if in_context else (0.9 if question.endswith('"cat"') else 0.3)
            answers = {"Yes": yes, "No": 1 - yes}
            rows.append({c: math.log(answers.get(c, 1e-12)) for c in candidates})
        return AnswerLogprobsResult(rows, Usage(prompt_tokens=len(chats), calls=1))


async def test_weighted_views_follow_the_one_that_tells_words_apart(monkeypatch):
    monkeypatch.setattr(bs, "MIXED", True)
    excerpts = [["the", " cat", " sat"]]
    words_alone = await bs.simulate_binary(WordsOnly(), "cats", excerpts, calibrated=False)
    monkeypatch.setattr(bs, "WEIGHTED", True)
    weighted = await bs.simulate_binary(WordsOnly(), "cats", excerpts, calibrated=False)
    # Averaged, the flat view halves every logit; weighted by spread, it counts for nothing.
    assert weighted.values == [[pytest.approx(3.0), pytest.approx(9.0), pytest.approx(3.0)]]
    assert words_alone.values[0][1] < 9.0 - 1


async def test_calibrated_views_are_read_from_the_firing_odds_once(monkeypatch):
    # WordsOnly says the same under every explanation, so calibration leaves no evidence:
    # every token reads the base rate, whatever views are asked and however weighted.
    excerpts = [["the", " cat", " sat"]]
    base = bs.fires_value(bs.FIRING_ODDS)
    for mixed, weighted in ((False, False), (True, False), (True, True)):
        monkeypatch.setattr(bs, "MIXED", mixed)
        monkeypatch.setattr(bs, "WEIGHTED", weighted)
        simulation = await bs.simulate_binary(WordsOnly(), "cats", excerpts, calibrated=True)
        assert simulation.values == [[pytest.approx(base)] * 3]
