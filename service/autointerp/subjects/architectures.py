"""A model's shape from its configuration file alone, and where known architectures keep
their MLP neurons: no torch or transformers, so an API process can check a request's layer
and neuron ranges without loading the model stack.

Most transformer families need no entry here: the layer count and MLP width are read from the
configuration keys the families use, and the worker finds the blocks and each block's MLP
output projection in the loaded module tree (`subjects.neurons`). `LAYOUTS` only overrides
that search where it is known ahead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autointerp.interp.errors import InvalidRequest


@dataclass(frozen=True)
class MlpLayout:
    """Where one architecture keeps its blocks and each block's MLP output projection."""

    blocks: str
    """Attribute path, from the body (the model without its head), of the list of blocks."""
    projection: str
    """Attribute path, from a block, of the MLP's output projection."""
    gated: bool
    """Gated MLPs (act(gate) * up) have signed activations; GELU ones are mostly >= 0."""


# model_type (config.model_type) -> layout. Gated MLPs share the Llama layout.
_LLAMA_LIKE = MlpLayout(blocks="layers", projection="mlp.down_proj", gated=True)
LAYOUTS: dict[str, MlpLayout] = {
    "gpt2": MlpLayout(blocks="h", projection="mlp.c_proj", gated=False),
    "bert": MlpLayout(blocks="encoder.layer", projection="output.dense", gated=False),
    "gpt_neox": MlpLayout(blocks="layers", projection="mlp.dense_4h_to_h", gated=False),
    **{
        name: _LLAMA_LIKE
        for name in ("llama", "qwen2", "qwen3", "mistral", "gemma", "gemma2", "gemma3_text")
    },
}


@dataclass(frozen=True)
class ModelShape:
    """A model's architecture and neuron counts, from its configuration alone."""

    architecture: str
    layers: int
    neurons_per_layer: int
    gated: bool
    hidden: int = 0
    """Width of the residual stream (0 where the configuration does not say)."""
    heads: int = 0
    """Attention heads per layer (0 where the configuration does not say)."""

    def check(self, layer: int, neurons: Sequence[int] = ()) -> None:
        """Raise a 4xx-class error naming the valid range of a layer or neuron."""
        if not 0 <= layer < self.layers:
            raise InvalidRequest(
                f"layer {layer} out of range: model has layers 0-{self.layers - 1}"
            )
        for neuron in neurons:
            if not 0 <= neuron < self.neurons_per_layer:
                raise InvalidRequest(
                    f"neuron {neuron} out of range: "
                    f"layers have neurons 0-{self.neurons_per_layer - 1}"
                )


# Families whose MLP is gated (act(gate) * up): their neurons are signed.
GATED = {
    "llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "olmo", "olmo2",
    "stablelm", "phi3",
}  # fmt: skip
# Configuration keys of the layer count and of the MLP width, by family convention.
_LAYER_KEYS = ("num_hidden_layers", "n_layer", "num_layers", "n_layers")
_WIDTH_KEYS = ("intermediate_size", "ffn_hidden_size", "ffn_dim", "hidden_dim", "n_inner", "d_ff")
_HIDDEN_KEYS = ("hidden_size", "n_embd", "d_model", "dim")
_HEAD_KEYS = ("num_attention_heads", "n_head", "num_heads", "n_heads", "encoder_attention_heads")
_EXPERT_KEYS = ("num_experts", "num_local_experts", "n_routed_experts", "moe_num_experts")


def _first(config: Mapping[str, Any], keys: Sequence[str]) -> int | None:
    for key in keys:
        if isinstance(config.get(key), int):
            return int(config[key])
    return None


def model_shape(config: Mapping[str, Any]) -> ModelShape:
    """Layers and neurons per layer, read from a configuration (config.json's keys; a loaded
    model's `config.to_dict()` has the same). A multimodal configuration's text model is used."""
    if isinstance(config.get("text_config"), Mapping):
        config = config["text_config"]
    model_type = str(config.get("model_type"))
    if any(_first(config, (key,)) for key in _EXPERT_KEYS):
        raise InvalidRequest(
            f"architecture {model_type!r} has mixture-of-experts MLPs, which are not supported: "
            "a neuron is one unit of a dense MLP"
        )
    layers = _first(config, _LAYER_KEYS)
    width = _first(config, _WIDTH_KEYS)
    hidden = _first(config, _HIDDEN_KEYS)
    if width is None and hidden is not None:
        width = 4 * hidden  # GPT-2-style configurations leave the MLP width at its default
    if layers is None or width is None:
        raise InvalidRequest(
            f"cannot read the shape of architecture {model_type!r}: its configuration has none "
            f"of {', '.join(_LAYER_KEYS)} (layers) or of {', '.join(_WIDTH_KEYS + _HIDDEN_KEYS)} "
            "(MLP width)"
        )
    layout = LAYOUTS.get(model_type)
    gated = layout.gated if layout else model_type in GATED
    heads = _first(config, _HEAD_KEYS)
    return ModelShape(model_type, layers, width, gated, hidden or 0, heads or 0)
