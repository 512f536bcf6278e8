"""Where each architecture keeps its MLP neurons, and a model's shape from its configuration
file alone: no torch or transformers, so an API process can check a request's layer and
neuron ranges without loading the model stack."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autointerp.interp.errors import InvalidRequest


@dataclass(frozen=True)
class MlpLayout:
    """Where one architecture keeps its blocks and each block's MLP output projection."""

    body: str
    """Attribute path of the transformer body (the model without its head)."""
    blocks: str
    """Attribute path, from the body, of the list of blocks."""
    projection: str
    """Attribute path, from a block, of the MLP's output projection."""
    gated: bool
    """Gated MLPs (act(gate) * up) have signed activations; GELU ones are mostly >= 0."""


# model_type (config.model_type) -> layout. Gated MLPs share the Llama layout.
_LLAMA_LIKE = MlpLayout(body="model", blocks="layers", projection="mlp.down_proj", gated=True)
LAYOUTS: dict[str, MlpLayout] = {
    "gpt2": MlpLayout(body="transformer", blocks="h", projection="mlp.c_proj", gated=False),
    "bert": MlpLayout(body="", blocks="encoder.layer", projection="output.dense", gated=False),
    "gpt_neox": MlpLayout(
        body="gpt_neox", blocks="layers", projection="mlp.dense_4h_to_h", gated=False
    ),
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


def layout_of(model_type: str) -> MlpLayout:
    """The layout of a supported architecture, or an error listing the supported ones."""
    layout = LAYOUTS.get(model_type)
    if layout is None:
        supported = ", ".join(sorted(LAYOUTS))
        raise InvalidRequest(
            f"unsupported architecture {model_type!r}; supported: {supported}",
            allowed=sorted(LAYOUTS),
        )
    return layout


def model_shape(config: Mapping[str, Any]) -> ModelShape:
    """Layers and neurons per layer, read from a configuration (config.json's keys; a loaded
    model's `config.to_dict()` has the same)."""
    model_type = str(config.get("model_type"))
    layout = layout_of(model_type)
    if model_type == "gpt2":
        layers, width = config["n_layer"], config.get("n_inner") or 4 * config["n_embd"]
    else:
        layers, width = config["num_hidden_layers"], config["intermediate_size"]
    return ModelShape(model_type, int(layers), int(width), layout.gated)
