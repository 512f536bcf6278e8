"""The compiled scan accumulator against brute force over the same batches, in numpy."""

import numba
import numpy as np
import pytest
import torch

from autointerp.subjects.accumulate import LayerAccumulator, _copy_winners
from autointerp.subjects.intrinsics import half_bits

BATCH, TOKENS, NEURONS = 8, 12, 40


@numba.njit
def to_half_bits(values, out):
    for i in range(values.shape[0]):
        out[i] = half_bits(values[i])


def test_half_bits_round_like_numpy():
    """Every float32 class: normals, subnormals, ties, overflow to inf, inf, zeros."""
    bits = np.random.default_rng(0).integers(0, 2**32, 2_000_000, dtype=np.uint64)
    special = [0.0, -0.0, np.inf, -np.inf, 65504, 65519.99, 65520, 6e-8, 2.98e-8, 1 + 2**-11]
    values = np.concatenate([bits.astype(np.uint32).view(np.float32), np.float32(special)])
    values = values[~np.isnan(values)]
    ours = np.empty(values.shape, dtype=np.uint16)
    to_half_bits(values, ours)
    with np.errstate(over="ignore"):
        expected = values.astype(np.float16).view(np.uint16)
    np.testing.assert_array_equal(ours, expected)


@pytest.mark.parametrize("tokens", [3, 8, 13, 64])
def test_winner_copy_equals_numpy(tokens):
    """Eight tokens at a time and the rest one by one; an excerpt that wins several slots of
    a neuron (consecutive winners) is written to each; other slots stay untouched."""
    rng = np.random.default_rng(tokens)
    acts = rng.standard_normal((4, tokens, 40)).astype(np.float32)
    winners = [  # (slot, neuron, row), ordered by row, then neuron
        (slot, n, b)
        for b in range(4)
        for n in sorted(rng.choice(40, 25, replace=False))
        for slot in rng.choice(9, rng.integers(1, 4), replace=False)
    ]
    held = np.full((9, 40, tokens), 7, dtype=np.uint16)
    _copy_winners(np.array(winners, dtype=np.int64), acts, held)
    expected = np.full_like(held, 7)
    for slot, n, b in winners:
        expected[slot, n] = acts[b, :, n].astype(np.float16).view(np.uint16)
    np.testing.assert_array_equal(held, expected)


def _batches(seed: int, count: int):
    """Heavy-tailed signed activations, with short (right-padded) excerpts mixed in."""
    rng = np.random.default_rng(seed)
    for index in range(count):
        acts = (rng.standard_normal((BATCH, TOKENS, NEURONS)) ** 3).astype(np.float32)
        lengths = rng.integers(1, TOKENS + 1, BATCH)
        lengths[rng.random(BATCH) < 0.5] = TOKENS
        ids = np.arange(index * BATCH, (index + 1) * BATCH)
        yield torch.from_numpy(acts), torch.from_numpy(lengths), torch.from_numpy(ids)


def _top_k_columns(keys: np.ndarray, k: int) -> np.ndarray:
    """Per neuron, the rows of the k largest keys (excerpts, neurons), best first."""
    return np.argsort(-keys, axis=0, kind="stable")[:k]


@pytest.mark.parametrize(("top_k", "random_k", "quantile"), [(3, 2, 0), (5, 4, 6), (20, 15, 0)])
def test_accumulator_equals_brute_force(top_k, random_k, quantile):
    seed = 7
    generator = torch.Generator().manual_seed(seed)
    acc = LayerAccumulator(NEURONS, TOKENS, top_k, random_k, generator, quantile_sample=quantile)
    # The same random keys the accumulator draws: per batch the random sample's, then the
    # quantile sample's.
    generator = torch.Generator().manual_seed(seed)
    everything, real, random_keys, quantile_keys = [], [], [], []
    for acts, lengths, ids in _batches(seed, 9):
        acc.update(acts, lengths, ids)
        random_keys.append(torch.rand((BATCH, NEURONS), generator=generator).numpy())
        if quantile:
            quantile_keys.append(torch.rand((BATCH, NEURONS), generator=generator).numpy())
        everything.append(acts.numpy())
        real.append(np.arange(TOKENS)[None, :] < lengths.numpy()[:, None])
    acts, real = np.concatenate(everything), np.concatenate(real)  # (excerpts, tokens, ...)
    maxes = np.where(real[..., None], acts, -np.inf).max(axis=1)  # (excerpts, neurons)
    mins = np.where(real[..., None], acts, np.inf).min(axis=1)
    expected = {
        "top": (maxes, top_k),
        "bottom": (-mins, top_k),
        "random": (np.concatenate(random_keys), random_k),
    }
    if quantile:
        expected["quantile_sample"] = (np.concatenate(quantile_keys), quantile)
    for name, (keys, k) in expected.items():
        selection = getattr(acc, name).ranked()
        rows = _top_k_columns(keys, k)
        np.testing.assert_array_equal(selection.excerpt_ids.numpy(), rows, err_msg=name)
        np.testing.assert_array_equal(
            selection.keys.numpy(), np.take_along_axis(keys, rows, 0), err_msg=name
        )
        held = selection.activations.numpy()  # (k, neurons, tokens) float16
        own = acts[rows, :, np.arange(NEURONS)[None, :]]  # (k, neurons, tokens)
        np.testing.assert_array_equal(held, own.astype(np.float16), err_msg=name)
    values = np.where(real[..., None], acts, 0).astype(np.float64)
    powers = [(values**p).sum(axis=(0, 1)) for p in (1, 2, 3, 4)]
    np.testing.assert_allclose(acc.power_sums.numpy(), np.stack(powers), rtol=1e-5)
    np.testing.assert_array_equal(acc.maximum.numpy(), maxes.max(axis=0))
    np.testing.assert_array_equal(acc.minimum.numpy(), mins.min(axis=0))
    assert acc.count == real.sum()


def test_accumulator_keeps_fewer_excerpts_than_slots():
    """With fewer excerpts than k, every excerpt is held and the other slots stay empty."""
    acc = LayerAccumulator(NEURONS, TOKENS, 20, 15, torch.Generator().manual_seed(0))
    acts, lengths, ids = next(_batches(1, 1))
    acc.update(acts, lengths, ids)
    top = acc.top.ranked()
    assert (top.excerpt_ids[:BATCH].sort(dim=0).values == ids[:, None]).all()
    assert (top.excerpt_ids[BATCH:] == -1).all()
    assert torch.isinf(top.keys[BATCH:]).all()
    assert (acc.random.excerpt_ids >= 0).sum() == BATCH * NEURONS
