"""Recording on real weights: our hooks against a plain forward hook, and scans against
brute force over the same corpus."""

import threading

import numpy as np
import pytest
import torch

from autointerp.interp.errors import OperationCancelled
from autointerp.interp.records import ScanSettings, bin_by_quantile
from autointerp.schemas.activations import BuiltinCorpus
from autointerp.subjects.catalog import ModelCatalog, builtin_sources
from autointerp.subjects.corpora import Corpora
from autointerp.subjects.loading import ModelLoader
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.scan import (
    STREAM_CHOICES,
    Scanner,
    batch_tensors,
    pack_excerpts,
    scan_corpus,
)

pytestmark = pytest.mark.integration

TEXT = "The jury said the election was conducted fairly, and 42 voters agreed."


@pytest.fixture(scope="module")
def loader(data_dir):
    return ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models")


def _plain_hook_activations(model, tokenizer, module_of_layer, text):
    """Written here, independent of the service: the input of the MLP output projection,
    captured during the model's ordinary full forward pass (LM head included)."""
    captured = {}
    handle = module_of_layer.register_forward_pre_hook(
        lambda _m, args: captured.__setitem__("a", args[0].detach().clone())
    )
    try:
        ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            model(input_ids=ids)
    finally:
        handle.remove()
    return captured["a"][0]


@pytest.mark.parametrize(
    ("name", "projection"),
    [
        ("minilm-l6", lambda m, layer: m.encoder.layer[layer].output.dense),
        ("smollm2-135m", lambda m, layer: m.model.layers[layer].mlp.down_proj),
        ("tiny-gpt2", lambda m, layer: m.transformer.h[layer].mlp.c_proj),
    ],
)
def test_recorded_activations_match_a_plain_hook(loader, name, projection):
    model, tokenizer = loader.model(name), loader.tokenizer(name)
    neurons = MlpNeurons.of(model)
    ids = tokenizer(TEXT, add_special_tokens=False, return_tensors="pt")["input_ids"]
    for layer in (0, neurons.shape.layers - 1):
        ours = neurons.record_layer(ids, layer)[0]
        expected = _plain_hook_activations(model, tokenizer, projection(model, layer), TEXT)
        assert ours.shape == expected.shape == (ids.shape[1], neurons.shape.neurons_per_layer)
        torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-5)


def test_gated_activation_is_act_gate_times_up(loader):
    """SmolLM2's neuron is act(gate) * up: recompute it from the block's own weights."""
    model, tokenizer = loader.model("smollm2-135m"), loader.tokenizer("smollm2-135m")
    mlp = model.model.layers[3].mlp
    inputs = {}
    handle = mlp.register_forward_pre_hook(lambda _m, a: inputs.__setitem__("x", a[0].clone()))
    ids = tokenizer(TEXT, add_special_tokens=False, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        model(input_ids=ids)
    handle.remove()
    x = inputs["x"]
    expected = torch.nn.functional.silu(x @ mlp.gate_proj.weight.T) * (x @ mlp.up_proj.weight.T)
    ours = MlpNeurons.of(model).record_layer(ids, 3)
    torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-5)


def _brute_force(neurons, tokenizer, texts, settings, layer):
    """Every excerpt's full activations for one layer, kept in memory (fine for a test)."""
    windows = list(pack_excerpts(texts, tokenizer, settings.excerpt_tokens, settings.max_tokens))
    per_excerpt = []
    for window in windows:
        per_excerpt.append(neurons.record_layer(torch.tensor([window]), layer)[0].float())
    return windows, per_excerpt


def _assert_holds_own_activations(selection, slot, neuron, windows, per_excerpt) -> int:
    """The selection's slot holds its excerpt's own activations (float16); the excerpt id."""
    excerpt = int(selection.excerpt_ids[slot, neuron])
    length = len(windows[excerpt])
    np.testing.assert_allclose(
        selection.activations[slot, neuron, :length].float().numpy(),
        per_excerpt[excerpt][:, neuron].numpy(),
        rtol=2e-3,
        atol=2e-3,
    )
    return excerpt


@pytest.mark.parametrize("name", ["minilm-l6", "smollm2-135m"])
def test_scan_top_k_equals_brute_force(loader, data_dir, name):
    model, tokenizer = loader.model(name), loader.tokenizer(name)
    neurons = MlpNeurons.of(model)
    corpus = Corpora(data_dir / "corpora")
    texts = list(corpus.texts(BuiltinCorpus()))[:400]
    layer = 1
    settings = ScanSettings(
        layers=[layer], excerpt_tokens=32, top_k=5, random_k=4, max_tokens=3000, batch_size=8
    )
    output = scan_corpus(neurons, tokenizer, texts, settings)
    windows, per_excerpt = _brute_force(neurons, tokenizer, texts, settings, layer)
    assert output.excerpts == len(windows)
    assert output.tokens == sum(len(w) for w in windows) == 3000

    maxes = torch.stack([a.max(dim=0).values for a in per_excerpt])  # (excerpts, neurons)
    mins = torch.stack([a.min(dim=0).values for a in per_excerpt])
    acc = output.layers[layer]
    top, bottom = acc.top.ranked(), acc.bottom.ranked()
    expected_top = maxes.topk(5, dim=0).values
    torch.testing.assert_close(top.keys, expected_top, rtol=1e-4, atol=1e-4)
    expected_bottom = (-mins).topk(5, dim=0).values
    torch.testing.assert_close(bottom.keys, expected_bottom, rtol=1e-4, atol=1e-4)
    # The stored per-token activations are the chosen excerpts' own (float16).
    for neuron in (0, 7, 1000):
        for slot in range(5):
            excerpt = _assert_holds_own_activations(top, slot, neuron, windows, per_excerpt)
            assert np.array_equal(output.excerpt_token_ids[excerpt], windows[excerpt])
    # Random samples: distinct real excerpts per neuron, not all neurons the same sample.
    random_ids = acc.random.excerpt_ids
    assert (random_ids >= 0).all()
    assert all(len(set(random_ids[:, n].tolist())) == 4 for n in range(0, 1536, 97))
    assert not (random_ids == random_ids[:, :1]).all()
    # Moments over every token.
    everything = torch.cat(per_excerpt).double()
    torch.testing.assert_close(acc.power_sums[0], everything.sum(dim=0), rtol=1e-5, atol=1e-3)
    assert acc.count == everything.shape[0]


def test_scan_memory_does_not_hold_every_excerpt(loader, data_dir):
    """Held excerpt tokens are bounded by the selections, not by the corpus length."""
    model, tokenizer = loader.model("minilm-l6"), loader.tokenizer("minilm-l6")
    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    settings = ScanSettings(
        layers=[0], excerpt_tokens=16, top_k=1, random_k=0, max_tokens=16 * 600, batch_size=32
    )
    output = scan_corpus(MlpNeurons.of(model), tokenizer, texts, settings)
    assert output.excerpts == 600
    held = set(output.excerpt_token_ids)
    assert held == set(output.layers[0].referenced_excerpts().tolist())


def test_scan_quantile_sample_estimates_the_corpus_quantiles(loader, data_dir):
    """The quantile sample is uniform: its own quantiles of excerpt max activation land near
    the corpus's, neuron after neuron (a biased sample, such as the top excerpts, would not)."""
    model, tokenizer = loader.model("minilm-l6"), loader.tokenizer("minilm-l6")
    neurons = MlpNeurons.of(model)
    texts = list(Corpora(data_dir / "corpora").texts(BuiltinCorpus()))[:400]
    layer, bins, per_bin = 2, 4, 10
    settings = ScanSettings(
        layers=[layer],
        excerpt_tokens=32,
        top_k=2,
        random_k=2,
        quantile_bins=bins,
        quantile_k=per_bin,
        max_tokens=3000,
        batch_size=8,
    )
    output = scan_corpus(neurons, tokenizer, texts, settings)
    windows, per_excerpt = _brute_force(neurons, tokenizer, texts, settings, layer)
    maxes = torch.stack([a.max(dim=0).values for a in per_excerpt]).numpy()  # (excerpts, n)
    sample = output.layers[layer].quantile_sample
    ids = sample.excerpt_ids.numpy()  # (bins * per_bin, neurons)
    assert (ids >= 0).all()
    assert all(len(set(ids[:, n])) == bins * per_bin for n in range(0, 1536, 101))
    assert set(ids.flatten()) <= set(output.excerpt_token_ids)
    # Held activations are the excerpts' own.
    for neuron in (3, 900):
        for slot in (0, 17):
            _assert_holds_own_activations(sample, slot, neuron, windows, per_excerpt)
    errors = []
    for neuron in range(maxes.shape[1]):
        column = maxes[:, neuron]
        for b in bin_by_quantile(column[ids[:, neuron]].tolist(), bins)[1:]:
            errors.append(abs((column <= b.lower).mean() - b.quantile_from))
    # 40 of ~94 excerpts: a boundary's rank is off by about 0.05 on average.
    assert np.mean(errors) < 0.07
    top = bin_by_quantile(np.sort(maxes, axis=0)[-bins * per_bin :, 0].tolist(), bins)
    assert abs((maxes[:, 0] <= top[1].lower).mean() - 0.25) > 0.3


def _scan_threads_since(before: set[threading.Thread]) -> list[threading.Thread]:
    """Scan threads alive now that were not before: this test's, not those of a scan that an
    earlier test's service still winds down in the background."""
    return [
        t for t in threading.enumerate() if t.name.startswith("autointerp-scan") and t not in before
    ]


def test_recording_leaves_other_threads_forward_passes_alone(loader):
    """A recording open in one thread (a scan's) neither sees nor stops another thread's
    forward pass (a request for the same model)."""
    neurons = MlpNeurons.of(loader.model("minilm-l6"))
    ids = loader.tokenizer("minilm-l6")(TEXT, return_tensors="pt")["input_ids"]
    expected = neurons.record_layer(ids, 3)
    seen, opened, release = [], threading.Event(), threading.Event()

    def record_in_background() -> None:
        with neurons.recording([0, 1], lambda layer, _: seen.append(layer)):
            opened.set()
            release.wait(timeout=60)

    background = threading.Thread(target=record_in_background)
    background.start()
    try:
        assert opened.wait(timeout=60)
        ours = neurons.record_layer(ids, 3)  # the other hooks would stop this at layer 1
    finally:
        release.set()
        background.join()
    assert seen == []
    torch.testing.assert_close(ours, expected, rtol=0, atol=0)


def _minilm_batches(loader, data_dir, count: int, rows: int = 8, length: int = 32):
    tokenizer = loader.tokenizer("minilm-l6")
    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    windows = list(pack_excerpts(texts, tokenizer, length, count * rows * length - 5))
    return [batch_tensors(windows[i : i + rows], length, 0) for i in range(0, len(windows), rows)]


def test_scan_with_batches_in_flight_equals_one_batch_at_a_time(loader, data_dir):
    """Threads change the speed of a scan, never its result: bit for bit the same selections
    (random and quantile samples included), moments and held tokens."""
    before = set(threading.enumerate())
    neurons = MlpNeurons.of(loader.model("minilm-l6"))
    batches = _minilm_batches(loader, data_dir, count=16)  # the last one short and padded
    settings = ScanSettings(
        layers=[4, 0, 2], excerpt_tokens=32, top_k=3, random_k=2, quantile_bins=2, quantile_k=2
    )
    outputs = []
    for streams in (1, 3, None):  # None: the threading trial switches on the first batches
        scanner = Scanner(neurons, settings, streams=streams)
        for batch in batches:
            scanner.add_batch(*batch)
        outputs.append(scanner.finish())
    one, several, trial = outputs
    assert (one.streams, several.streams) == (1, 3)
    assert trial.streams in STREAM_CHOICES  # the trial (13 batches) ended and chose
    for other in (several, trial):
        assert (one.excerpts, one.tokens) == (other.excerpts, other.tokens) == (128, 128 * 32 - 5)
        assert one.excerpt_token_ids.keys() == other.excerpt_token_ids.keys()
        for layer in settings.layers:
            a, b = one.layers[layer], other.layers[layer]
            for name in ("keys", "excerpt_ids", "activations", "power_sums", "maximum", "minimum"):
                assert torch.equal(getattr(a, name), getattr(b, name)), (layer, name)
    assert not _scan_threads_since(before)


@pytest.mark.parametrize("name", ["minilm-l6", "smollm2-135m"])
def test_the_torch_accumulation_equals_the_compiled_one(loader, data_dir, name):
    """The accelerator path, run here on the CPU, keeps the same records as the compiled
    host path: in every selection (signed gated units and the random and quantile samples
    included) the same keys rank by rank, the same excerpt wherever the key is not tied with
    another excerpt's (GELU's minimum, for one, is reached exactly by many excerpts, and the
    paths may keep different ones of those), the same float16 activations, moments to float
    tolerance."""
    neurons = MlpNeurons.of(loader.model(name))
    tokenizer = loader.tokenizer(name)
    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    windows = list(pack_excerpts(texts, tokenizer, 32, 10 * 8 * 32 - 5))
    pad = tokenizer.pad_token_id or 0
    batches = [batch_tensors(windows[i : i + 8], 32, pad) for i in range(0, len(windows), 8)]
    settings = ScanSettings(
        layers=[0, 3], excerpt_tokens=32, top_k=4, random_k=3, quantile_bins=2, quantile_k=2
    )
    outputs = []
    for accumulation in ("compiled", "torch"):
        scanner = Scanner(neurons, settings, accumulation=accumulation)
        for batch in batches:
            scanner.add_batch(*batch)
        outputs.append(scanner.finish())
    compiled, on_device = outputs
    assert type(on_device.layers[0]).__name__ == "TorchLayerAccumulator"
    assert compiled.excerpt_token_ids.keys() == on_device.excerpt_token_ids.keys()
    for layer in settings.layers:
        a, b = compiled.layers[layer], on_device.layers[layer]
        assert a.count == b.count
        for ours, theirs in zip(a.selections(), b.selections(), strict=True):
            ours, theirs = ours.ranked(), theirs.ranked()
            # Equal keys rank by rank: where the excerpts differ, two excerpts share that key.
            assert torch.equal(ours.keys, theirs.keys), layer
            same = ours.excerpt_ids == theirs.excerpt_ids
            assert same.float().mean() > 0.9, layer  # ties are the exception
            assert torch.equal(ours.activations[same], theirs.activations[same]), layer
        assert torch.equal(a.maximum, b.maximum) and torch.equal(a.minimum, b.minimum)
        # float32 sums in another order: compare against what the sums could round away.
        extreme = torch.maximum(a.maximum.abs(), a.minimum.abs()).double()
        powers = torch.arange(1, 5, dtype=torch.float64)[:, None]
        scale = a.count * extreme[None, :] ** powers
        assert ((a.power_sums - b.power_sums).abs() <= 1e-6 * scale).all(), layer


def test_a_failing_batch_fails_the_scan_with_its_own_error(loader, data_dir):
    """A batch whose forward pass fails (token ids past the vocabulary) fails the scan with
    that error; the batches after it stop instead of waiting for it, and no thread is left."""
    before = set(threading.enumerate())
    neurons = MlpNeurons.of(loader.model("minilm-l6"))
    batches = _minilm_batches(loader, data_dir, count=6)
    ids, mask = batches[2]
    batches[2] = (torch.full_like(ids, 10**6), mask)
    scanner = Scanner(neurons, ScanSettings(layers=[0, 5], excerpt_tokens=32), streams=2)
    with pytest.raises(IndexError):
        for batch in batches:
            scanner.add_batch(*batch)
        scanner.finish()
    scanner.close()
    assert not _scan_threads_since(before)


def test_a_scan_stopped_by_its_progress_callback_stops_its_threads(loader, data_dir):
    before = set(threading.enumerate())
    model, tokenizer = loader.model("minilm-l6"), loader.tokenizer("minilm-l6")
    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    settings = ScanSettings(layers=[1], excerpt_tokens=16, max_tokens=16 * 200, batch_size=8)
    progress = []

    def stop_after_three_batches(output) -> None:
        progress.append(output.excerpts)
        if output.excerpts >= 24:
            raise OperationCancelled("cancelled")  # what a scan task raises

    with pytest.raises(OperationCancelled):
        scan_corpus(MlpNeurons.of(model), tokenizer, texts, settings, stop_after_three_batches)
    assert progress == sorted(progress) and progress[-1] == 24
    assert not _scan_threads_since(before)
