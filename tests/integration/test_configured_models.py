"""Operator-configured models: small random-weight models of many transformer families, built
with `from_config` and saved as real model folders, configured by name through the settings
alone. Their activations through the HTTP API equal an independent hook written here, and a
scan's top excerpts equal brute force."""

from pathlib import Path

import pytest
import torch
import transformers
from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer

from autointerp.config import LLMProfile, ModelConfig
from autointerp.subjects.catalog import builtin_sources
from autointerp.subjects.scan import pack_excerpts
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration

SMALL = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4}
LLAMA_LIKE = {**SMALL, "intermediate_size": 48, "num_key_value_heads": 2, "head_dim": 8}
# family -> (config class, its arguments, causal, this test's own path to layer i's MLP output
# projection, whose input is the neuron's activation).
FAMILIES = {
    "gpt2": ("GPT2Config", {"n_embd": 32, "n_layer": 2, "n_head": 4, "n_inner": 48}, True,
             "transformer.h.{i}.mlp.c_proj"),
    "gptj": ("GPTJConfig", {"n_embd": 32, "n_layer": 2, "n_head": 4, "n_inner": 48,
                            "rotary_dim": 4}, True, "transformer.h.{i}.mlp.fc_out"),
    "gpt_neox": ("GPTNeoXConfig", {**SMALL, "intermediate_size": 48}, True,
                 "gpt_neox.layers.{i}.mlp.dense_4h_to_h"),
    "opt": ("OPTConfig", {**SMALL, "ffn_dim": 48, "word_embed_proj_dim": 32}, True,
            "model.decoder.layers.{i}.fc2"),
    "bloom": ("BloomConfig", {"hidden_size": 32, "n_layer": 2, "n_head": 4}, True,
              "transformer.h.{i}.mlp.dense_4h_to_h"),
    "falcon": ("FalconConfig", {**SMALL, "ffn_hidden_size": 48}, True,
               "transformer.h.{i}.mlp.dense_4h_to_h"),
    "phi": ("PhiConfig", {**SMALL, "intermediate_size": 48}, True, "model.layers.{i}.mlp.fc2"),
    "phi3": ("Phi3Config", {**SMALL, "intermediate_size": 48}, True,
             "model.layers.{i}.mlp.down_proj"),
    "llama": ("LlamaConfig", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "mistral": ("MistralConfig", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "qwen2": ("Qwen2Config", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "qwen3": ("Qwen3Config", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "gemma2": ("Gemma2Config", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "olmo2": ("Olmo2Config", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "stablelm": ("StableLmConfig", LLAMA_LIKE, True, "model.layers.{i}.mlp.down_proj"),
    "starcoder2": ("Starcoder2Config", LLAMA_LIKE, True, "model.layers.{i}.mlp.c_proj"),
    "gpt_bigcode": ("GPTBigCodeConfig", {"n_embd": 32, "n_layer": 2, "n_head": 4,
                                         "n_inner": 48}, True, "transformer.h.{i}.mlp.c_proj"),
    "bert": ("BertConfig", {**SMALL, "intermediate_size": 48}, False,
             "encoder.layer.{i}.output.dense"),
    "roberta": ("RobertaConfig", {**SMALL, "intermediate_size": 48}, False,
                "encoder.layer.{i}.output.dense"),
    "distilbert": ("DistilBertConfig", {"dim": 32, "n_layers": 2, "n_heads": 4,
                                        "hidden_dim": 48}, False, "transformer.layer.{i}.ffn.lin2"),
}  # fmt: skip
TEXTS = ["The cat sat on the mat.", "Numbers like 42 and 7 appear here, twice: 42."]
NEURONS = [0, 5, 47]


def _tokenizer():
    return AutoTokenizer.from_pretrained(builtin_sources()["minilm-l6"].location)


def _build(family: str, folder: Path, positions: int = 128) -> None:
    config_class, arguments, causal, _ = FAMILIES[family]
    tokenizer = _tokenizer()
    config = getattr(transformers, config_class)(
        vocab_size=len(tokenizer),
        max_position_embeddings=positions,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id,
        **arguments,
    )
    torch.manual_seed(0)
    auto = AutoModelForCausalLM if causal else AutoModel
    auto.from_config(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.fixture(scope="module")
def model_folders(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("models")
    folders = {}
    for family in FAMILIES:
        _build(family, root / family)
        folders[family] = root / family
    return folders


def _configured(settings, folders, **extra):
    models = {
        f"my-{family}": ModelConfig(source="folder", location=str(folder), device="cpu")
        for family, folder in folders.items()
    }
    return settings.model_copy(update={"models": models, **extra})


def _hooked(folder: Path, family: str, layer: int, token_ids: list[int]) -> torch.Tensor:
    """The activation at `layer`, by a pre-hook on the module this test names."""
    _, _, causal, path = FAMILIES[family]
    model = (AutoModelForCausalLM if causal else AutoModel).from_pretrained(folder).eval()
    captured = {}
    module = model.get_submodule(path.format(i=layer))
    handle = module.register_forward_pre_hook(lambda _, args: captured.setdefault("a", args[0]))
    with torch.inference_mode():
        model(input_ids=torch.tensor([token_ids]))
    handle.remove()
    return captured["a"].reshape(len(token_ids), -1)  # OPT hands its MLP (batch x tokens, n)


async def test_every_family_records_what_an_independent_hook_sees(settings, model_folders):
    async with running_app(_configured(settings, model_folders)) as client:
        listed = {m["name"]: m for m in (await client.get("/v1/models")).json()}
        for family, folder in model_folders.items():
            info = listed[f"my-{family}"]
            assert info["available"] and info["layers"] == 2, info
            width = 128 if family == "bloom" else 48  # BLOOM's MLP is 4 x hidden
            assert info["neurons_per_layer"] == width, info
            assert info["revision"].startswith("sha256:")
            body = {"model": f"my-{family}", "texts": TEXTS, "layer": 1, "neurons": NEURONS}
            submitted = await client.post("/v1/activations", json=body)
            assert submitted.status_code == 202, submitted.text
            done = await wait_for_operation(client, submitted.json()["id"])
            assert done["state"] == "succeeded", (family, done["error"])
            for text in done["result"]["texts"]:
                expected = _hooked(folder, family, 1, text["token_ids"])[:, NEURONS]
                got = torch.tensor(text["activations"])
                assert torch.allclose(got, expected, atol=1e-5), family


@pytest.mark.parametrize("family", ["llama", "falcon", "distilbert"])
async def test_a_configured_models_scan_top_k_equals_brute_force(settings, model_folders, family):
    texts = [f"{t} Line {i} of {family}." for i in range(30) for t in TEXTS]
    scan = {
        "model": f"my-{family}",
        "corpus": {"type": "texts", "texts": texts},
        "layers": [0],
        "excerpt_tokens": 16,
        "top_k": 5,
        "random_k": 3,
    }
    async with running_app(_configured(settings, {family: model_folders[family]})) as client:
        submitted = (await client.post("/v1/scans", json=scan)).json()
        done = await wait_for_operation(client, submitted["id"], timeout_s=120)
        assert done["state"] == "succeeded", done["error"]
        records = {
            n: (await client.get(f"/v1/models/my-{family}/layers/0/neurons/{n}")).json()
            for n in NEURONS
        }
    windows = list(pack_excerpts(texts, _tokenizer(), 16, 200_000))
    maxima = torch.stack(
        [_hooked(model_folders[family], family, 0, w).max(dim=0).values for w in windows]
    )
    for neuron, record in records.items():
        # Repeated text makes equal windows, so ties are compared by value, not by id.
        expected = maxima[:, neuron].topk(5).values
        chosen = torch.tensor([maxima[e["excerpt_id"], neuron].item() for e in record["top"]])
        assert torch.allclose(chosen, expected, atol=1e-6), (family, neuron)
        for excerpt in record["top"]:  # and each holds its excerpt's own activations (float16)
            stored = torch.tensor(max(excerpt["activations"]))
            assert torch.isclose(stored, maxima[excerpt["excerpt_id"], neuron], rtol=1e-2)


async def test_a_model_on_a_missing_device_is_unavailable_with_the_reason(settings, tmp_path):
    folder = tmp_path / "gpu-llama"
    _build("llama", folder)
    models = {"gpu-llama": ModelConfig(source="folder", location=str(folder), device="cuda")}
    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA device")
    async with running_app(settings.model_copy(update={"models": models})) as client:
        info = (await client.get("/v1/models/gpu-llama")).json()
        ready = await client.get("/readyz")
        refused = await client.post(
            "/v1/activations",
            json={"model": "gpu-llama", "texts": ["a"], "layer": 0, "neurons": [0]},
        )
    assert info["available"] is False and "cuda" in info["unavailable_reason"]
    assert info["layers"] == 2  # its shape is still known from its configuration
    assert ready.status_code == 503 and "gpu-llama" in ready.json()["detail"]
    assert "cuda" in ready.json()["checks"]["model:gpu-llama"]
    assert refused.status_code == 422 and "unavailable" in refused.json()["detail"]


async def test_a_missing_folder_is_named_by_readyz_and_refused(settings, tmp_path):
    models = {"gone": ModelConfig(source="folder", location=str(tmp_path / "nothing"))}
    async with running_app(settings.model_copy(update={"models": models})) as client:
        ready = await client.get("/readyz")
        info = (await client.get("/v1/models/gone")).json()
        refused = await client.post("/v1/tokenizations", json={"model": "gone", "texts": ["a"]})
    assert ready.status_code == 503 and "does not exist" in ready.json()["checks"]["model:gone"]
    assert info["available"] is False and info["revision"] is None
    assert refused.status_code == 422 and "does not exist" in refused.json()["detail"]


async def test_a_hub_model_loads_from_the_local_cache_at_its_pinned_revision(settings, tmp_path):
    """A hub model is read from the local Hugging Face cache at its pinned commit, with
    downloads off; a commit the cache does not hold is unavailable, saying why."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--autointerp-tests--tiny-llama"
    _build("llama", repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    models = {
        "hub-llama": ModelConfig(
            source="hub", location="autointerp-tests/tiny-llama", revision=commit
        ),
        "hub-elsewhere": ModelConfig(
            source="hub", location="autointerp-tests/tiny-llama", revision="f" * 40
        ),
    }
    configured = settings.model_copy(update={"models": models, "hub_cache_dir": tmp_path / "hub"})
    async with running_app(configured) as client:
        info = (await client.get("/v1/models/hub-llama")).json()
        missing = (await client.get("/v1/models/hub-elsewhere")).json()
        body = {"model": "hub-llama", "texts": TEXTS[:1], "layer": 1, "neurons": NEURONS}
        done = await wait_for_operation(
            client, (await client.post("/v1/activations", json=body)).json()["id"]
        )
    assert info["available"] and info["revision"] == commit and info["layers"] == 2
    assert missing["available"] is False
    assert "not in the local Hugging Face cache" in missing["unavailable_reason"]
    assert done["state"] == "succeeded", done["error"]
    text = done["result"]["texts"][0]
    expected = _hooked(repo / "snapshots" / commit, "llama", 1, text["token_ids"])[:, NEURONS]
    assert torch.allclose(torch.tensor(text["activations"]), expected, atol=1e-5)


async def test_a_configured_causal_model_serves_the_local_llm_backend(settings, tmp_path):
    """Any configured causal model can be the `transformers` backend's model: here a random
    Llama simulates by reading its own logits (all_at_once)."""
    _build("llama", tmp_path / "llama", positions=2048)  # room for the simulation prompt
    configured = _configured(settings, {"llama": tmp_path / "llama"})
    profiles = {
        **configured.llm_profiles,
        "my-local": LLMProfile(backend="transformers", model="my-llama"),
    }
    configured = configured.model_copy(update={"llm_profiles": profiles})
    body = {
        "explanation": "the word 'cat'",
        "profile": "my-local",
        "simulator": "all_at_once",
        "tokens": [["The", " cat", " sat"]],
    }
    async with running_app(configured) as client:
        submitted = await client.post("/v1/simulations", json=body)
        assert submitted.status_code == 202, submitted.text
        done = await wait_for_operation(client, submitted.json()["id"], timeout_s=120)
    assert done["state"] == "succeeded", done["error"]
    values = done["result"]["excerpts"][0]["values"]
    assert len(values) == 3 and all(0 <= v <= 10 for v in values)
    assert done["result"]["usage"]["prompt_tokens"] > 0


async def test_a_model_whose_shape_cannot_be_read_is_listed_unavailable(settings, tmp_path):
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "config.json").write_text('{"model_type": "odd"}')
    models = {"odd": ModelConfig(source="folder", location=str(tmp_path / "odd"))}
    async with running_app(settings.model_copy(update={"models": models})) as client:
        info = (await client.get("/v1/models/odd")).json()
        refused = await client.post(
            "/v1/activations", json={"model": "odd", "texts": ["a"], "layer": 0, "neurons": [0]}
        )
    assert info["available"] is False and "cannot read the shape" in info["unavailable_reason"]
    assert refused.status_code == 422 and "cannot read the shape" in refused.json()["detail"]
