"""The rest of the pure core: normalization, splits, prompts, parsing, simulators."""

import math

import pytest

from autointerp.interp.activations import Polarity, normalize, polarized, relu_max
from autointerp.interp.errors import OperationFailed
from autointerp.interp.explainers import lexical_explanation, top_tokens
from autointerp.interp.ports import TokenLogprobs
from autointerp.interp.prompts import (
    ChatMessage,
    explanation_prompt,
    format_records,
    parse_explanation,
    validate_roles,
)
from autointerp.interp.records import ActivationRecord, ActivationStats, bin_by_quantile
from autointerp.interp.simulation import (
    align_generated,
    all_at_once_prompt,
    expected_value,
    parse_json_values,
    quotable,
    simulate_lexical,
)
from autointerp.interp.splits import Split, split_records


def record(tokens, values):
    return ActivationRecord(list(tokens), list(values))


def test_normalize_floors_clips_and_relus():
    assert normalize([-1.0, 0.0, 0.49, 1.0, 2.0], 2.0) == [0, 0, 2, 5, 10]
    assert normalize([3.0], 2.0) == [10]
    assert normalize([1.0, 2.0], 0.0) == [0, 0]


def test_polarity_filters_sign():
    r = record("abc", [1.0, -2.0, 0.5])
    assert polarized(r, Polarity.positive).activations == [1.0, 0.0, 0.5]
    assert polarized(r, Polarity.negative).activations == [0.0, 2.0, 0.0]
    assert relu_max([r]) == 1.0


def test_splits_are_round_robin():
    top = [record("a", [i]) for i in range(8)]
    random = [record("b", [i]) for i in range(6)]
    splits = split_records(top, random)
    assert [r.activations[0] for r in splits[Split.train].top] == [0, 4]
    assert [r.activations[0] for r in splits[Split.test].top] == [3, 7]
    assert [r.activations[0] for r in splits[Split.calibration].random] == [0, 3]
    assert [r.activations[0] for r in splits[Split.valid].random] == [1, 4]
    assert splits[Split.train].random == []


def test_moments_from_power_sums():
    values = [1.0, 2.0, 4.0, 7.0]
    sums = [sum(v**p for v in values) for p in (1, 2, 3, 4)]
    stats = ActivationStats.from_power_sums(4, *sums, maximum=7.0, minimum=1.0)
    mean = 3.5
    variance = sum((v - mean) ** 2 for v in values) / 4
    skew = sum((v - mean) ** 3 for v in values) / 4 / variance**1.5
    kurt = sum((v - mean) ** 4 for v in values) / 4 / variance**2 - 3
    assert stats.mean == pytest.approx(mean)
    assert stats.variance == pytest.approx(variance)
    assert stats.skewness == pytest.approx(skew)
    assert stats.kurtosis == pytest.approx(kurt)
    assert ActivationStats.from_power_sums(3, 3, 3, 3, 3, 1, 1).skewness is None


def test_quantile_bins_split_a_sample_by_its_own_quantiles():
    bins = bin_by_quantile([5.0, 1.0, 3.0, 2.0, 6.0, 4.0, 0.5], 3)
    # 7 excerpts into 3 bins of 2, 2, 3 by ascending max; bounds midway between neighbours.
    assert [b.members for b in bins] == [[6, 1], [3, 2], [5, 0, 4]]
    assert [(b.quantile_from, b.quantile_to) for b in bins] == [
        (0, 1 / 3),
        (1 / 3, 2 / 3),
        (2 / 3, 1),
    ]
    assert [(b.lower, b.upper) for b in bins] == [(None, 1.5), (1.5, 3.5), (3.5, None)]


def test_quantile_bins_leave_unplaceable_bounds_open_for_a_small_sample():
    bins = bin_by_quantile([2.0, 1.0], 4)
    assert [b.members for b in bins] == [[], [1], [], [0]]
    assert all(b.lower is None and b.upper is None for b in bins)
    assert bin_by_quantile([], 2)[0].members == []


def test_explanation_prompt_is_golden():
    messages = explanation_prompt([record([" the", " cat"], [0.0, 2.0])])
    assert [m.role for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert messages[-1].content.startswith(
        "Neuron 3\nActivations:\n<start>\n the\t0\n cat\t10\n<end>"
    )
    assert (
        messages[2].content == "the main thing this neuron does is find names of days of the week."
    )


def test_sparse_excerpts_are_repeated_with_nonzero_tokens_only():
    shown = format_records([record([f" w{i}" for i in range(10)], [0] * 9 + [1.0])], 1.0)
    assert "only its non-zero activations:\n<start>\n w9\t10\n<end>" in shown


def test_role_order_is_validated():
    with pytest.raises(ValueError, match="end with a user"):
        validate_roles([ChatMessage("system", "s"), ChatMessage("assistant", "a")])
    with pytest.raises(ValueError, match="alternate"):
        validate_roles([ChatMessage("user", "a"), ChatMessage("user", "b")])


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        (" days of the week.\nmore", "days of the week"),
        ("the main thing this neuron does is find digits.", "digits"),
        ('"find commas"', "commas"),
        ("", ""),
    ],
)
def test_parse_explanation(completion, expected):
    assert parse_explanation(completion) == expected


def test_expected_value_weights_only_values():
    top = {"0": math.log(0.5), "10": math.log(0.25), " 5": math.log(0.25), "cat": math.log(0.9)}
    assert expected_value(top) == pytest.approx((0 * 0.5 + 10 * 0.25 + 5 * 0.25) / 1.0)
    assert expected_value({"cat": -0.1}) is None


def test_all_at_once_prompt_slots_point_at_unknown():
    prompt = all_at_once_prompt("cats", [["a", "b\tc"], ["d"]])
    assert [len(s) for s in prompt.slots] == [2, 1]
    for slots in prompt.slots:
        for offset in slots:
            assert prompt.text[offset : offset + 7] == "unknown"
    assert "b\\tc\tunknown" in prompt.text


def test_align_generated_reads_logprobs_and_counts_misses():
    text = "a\t3\nx\t9\nc\t0\n"
    # Token pieces spanning the text; the value tokens carry distributions.
    pieces = ["a", "\t", "3", "\n", "x", "\t", "9", "\n", "c", "\t", "0", "\n"]
    dists = {2: {"3": 0.0}, 6: {"9": 0.0}, 10: {"0": math.log(0.5), "10": math.log(0.5)}}
    tokens = [TokenLogprobs(p, dists.get(i, {})) for i, p in enumerate(pieces)]
    values, failures = align_generated(text, tokens, ["a", "b", "c"])
    assert values == [3.0, 0.0, 5.0]
    assert failures == 1


def test_json_values_must_match_token_count():
    assert parse_json_values('sure: {"activations": [0, 12, 3]}', 3) == [0.0, 10.0, 3.0]
    with pytest.raises(OperationFailed, match="2 values for 3"):
        parse_json_values('{"activations": [1, 2]}', 3)
    with pytest.raises(OperationFailed, match="not JSON"):
        parse_json_values("I think it fires on cats", 3)


def test_lexical_explainer_and_simulator_recover_a_token_neuron():
    records = [
        record([" the", " cat", " sat"], [0.0, 5.0, 0.0]),
        record([" a", " cat"], [0.0, 4.0]),
    ]
    assert top_tokens(records, 1) == [(" cat", 4.5)]
    explanation = lexical_explanation(records, k=1)
    assert explanation == "the tokens 'cat'"
    simulated = simulate_lexical(explanation, [[" the", " Cat", " dog"]])
    assert simulated.values == [[0.0, 10.0, 0.0]]


def test_the_lexical_explainer_quotes_only_the_top_tokens_that_tell_where_it_fires():
    # " sat" fired once (mean 0.4 where it occurs, so a top token) and is silent four times:
    # quoting it would predict firing at all five.
    records = [
        record([" the", " cat", " sat"], [0.0, 5.0, 2.0]),
        record([" a", " cat", " sat", " sat"], [0.0, 4.0, 0.0, 0.0]),
        record([" sat", " sat", " on"], [0.0, 0.0, 0.0]),
    ]
    assert [t for t, _ in top_tokens(records)] == [" cat", " sat"]
    assert lexical_explanation(records) == "the tokens 'cat'"
    # A token that fires wherever it occurs is kept.
    records.append(record([" mat"], [3.0]))
    assert lexical_explanation(records) == "the tokens 'cat', 'mat'"


def test_the_lexical_explainer_leaves_out_tokens_it_cannot_quote():
    # "'s" cannot be quoted so that the lexical simulator reads it back as "'s".
    records = [
        record([" John", "'s", " cat"], [0.0, 6.0, 3.0]),
        record([" Mary", "'s", " cat", " and"], [0.0, 5.0, 4.0, 0.0]),
    ]
    assert lexical_explanation(records) == "the tokens 'cat'"
    # What is left out is what the lexical simulator cannot read back from a quote.
    assert not quotable("'s") and not quotable('"') and not quotable("\u2019")
    assert quotable("\u201c") and quotable(" cat") and not quotable(" ")
    opening = [record([" said", " \u201c", "Go"], [0.0, 5.0, 0.0])]
    assert lexical_explanation(opening) == "the tokens '\u201c'"
    # Where no count has a defined correlation (constant activations), all are quoted.
    flat = [record([" a", " b"], [1.0, 1.0])]
    assert lexical_explanation(flat) == "the tokens 'a', 'b'"
