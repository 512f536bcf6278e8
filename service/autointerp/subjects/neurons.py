"""Where each architecture's MLP neurons are, and recording them with forward hooks.

A neuron's activation is the MLP's hidden unit after the non-linearity, i.e. the input of the
MLP's output projection (docs/method.md). One mechanism serves every architecture: a forward
pre-hook on that projection. Recording stops the forward pass right after the last layer
needed (by raising from its hook), and runs the transformer body, never the LM head.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn
from transformers import PreTrainedModel
from transformers.pytorch_utils import Conv1D

from autointerp.interp.errors import InvalidRequest
from autointerp.subjects.architectures import LAYOUTS, ModelShape, model_shape


def _get(root: nn.Module, path: str) -> nn.Module:
    module = root
    for part in filter(None, path.split(".")):
        module = getattr(module, part)
    return module


def _in_features(module: nn.Module) -> int | None:
    """Input width of a linear map: nn.Linear, or GPT-2's transposed Conv1D."""
    if isinstance(module, nn.Linear):
        return module.in_features
    if isinstance(module, Conv1D):
        return int(module.weight.shape[0])
    return None


_MLP_NAMES = ("mlp", "ffn", "feed_forward", "output")


def _find_blocks(body: nn.Module, shape: ModelShape) -> nn.ModuleList:
    """The transformer's blocks: the first module list as long as the model has layers."""
    for module in body.modules():
        if isinstance(module, nn.ModuleList) and len(module) == shape.layers:
            return module
    raise InvalidRequest(
        f"cannot find the {shape.layers} blocks of architecture {shape.architecture!r}: "
        f"{type(body).__name__} holds no module list of that length"
    )


def _find_projection(block: nn.Module, shape: ModelShape) -> nn.Module:
    """The block's MLP output projection: the linear map that takes the MLP's width."""
    found = [(n, m) for n, m in block.named_modules() if _in_features(m) == shape.neurons_per_layer]
    if len(found) > 1:  # e.g. an attention projection of the same width: prefer the MLP's
        found = [(n, m) for n, m in found if any(part in n for part in _MLP_NAMES)]
    if len(found) != 1:
        raise InvalidRequest(
            f"cannot find the MLP output projection of architecture {shape.architecture!r}: "
            f"looked for one linear map taking {shape.neurons_per_layer} inputs in each "
            f"{type(block).__name__}, found {len(found)}"
            + (f" ({', '.join(n for n, _ in found)})" if found else "")
        )
    return found[0][1]


class _BatchShape(threading.local):
    value: tuple[int, ...] = ()


_batch_shape = _BatchShape()
"""(batch, tokens) of the forward pass this thread runs, for hooks that see them flattened."""


class StopForward(Exception):
    """Raised by the last hook needed: the rest of the network would be wasted work."""


@dataclass(frozen=True)
class MlpNeurons:
    """The MLP neurons of one loaded model: the body (the model without its head) and each
    block's MLP output projection, whose input is the neurons' activation."""

    model: PreTrainedModel
    shape: ModelShape
    body: nn.Module
    projections: list[nn.Module]
    takes_cache: bool
    """Whether the body's forward takes `use_cache` (decoders do, encoders do not)."""

    @classmethod
    def of(cls, model: PreTrainedModel) -> MlpNeurons:
        """Find the neurons: by the known layout of the architecture, else by searching the
        module tree; an error says what was looked for."""
        shape = model_shape(model.config.to_dict())
        body = model.base_model  # a head model's transformer; a bare encoder is its own
        layout = LAYOUTS.get(shape.architecture)
        if layout is not None:
            blocks = _get(body, layout.blocks)
            assert isinstance(blocks, nn.ModuleList)
            projections = [_get(block, layout.projection) for block in blocks]
        else:
            projections = [_find_projection(b, shape) for b in _find_blocks(body, shape)]
        takes_cache = "use_cache" in inspect.signature(body.forward).parameters
        return cls(model, shape, body, projections, takes_cache)

    def projection(self, layer: int) -> nn.Module:
        """The MLP output projection of one layer."""
        return self.projections[layer]

    @property
    def device(self) -> torch.device:
        """Where the model's weights are (inputs are moved there)."""
        return next(self.model.parameters()).device

    @contextmanager
    def recording(
        self, layers: list[int], sink: Callable[[int, torch.Tensor], None]
    ) -> Iterator[None]:
        """While active, each forward pass that this thread runs calls `sink(layer,
        activations[batch, tokens, neurons])` for the given layers, then stops after the last
        of them. Other threads' forward passes are left alone, so several threads can record
        the same model at once (a scan's batches in flight, a request beside a scan)."""
        last = max(layers)
        owner = threading.get_ident()
        handles = []
        for layer in layers:

            def hook(_: nn.Module, args: tuple[torch.Tensor, ...], layer: int = layer) -> None:
                if threading.get_ident() != owner:
                    return
                activations = args[0]
                if activations.dim() == 2:  # OPT flattens (batch, tokens) before its MLP
                    activations = activations.view(*_batch_shape.value, -1)
                sink(layer, activations)
                if layer == last:
                    raise StopForward

            handles.append(self.projection(layer).register_forward_pre_hook(hook))
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()

    def run(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> None:
        """A forward pass of the body alone (no LM head); hooks see the activations."""
        device = self.device
        inputs = {"input_ids": input_ids.to(device), "attention_mask": attention_mask.to(device)}
        if self.takes_cache:
            inputs["use_cache"] = False  # type: ignore[assignment]
        _batch_shape.value = tuple(input_ids.shape)
        try:
            self.body(**inputs)
        except StopForward:
            pass

    def record_layer(self, input_ids: torch.Tensor, layer: int) -> torch.Tensor:
        """Activations (batch, tokens, neurons) of one layer for unpadded input ids, on the
        host in float32."""
        captured: dict[int, torch.Tensor] = {}
        with torch.inference_mode(), self.recording([layer], captured.__setitem__):
            self.run(input_ids, torch.ones_like(input_ids))
        return captured[layer].to(device="cpu", dtype=torch.float32)
