"""Loading subject models and tokenizers, with a converted cache for GGUF files.

GGUF weights are de-quantized on every load (~15 s for SmolLM2-135M); we convert them once to a
safetensors folder under the data directory, after which a load takes well under a second.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import (
    AutoModel,
    AutoModelForCausalLM,
    AutoTokenizer,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from autointerp.interp.errors import OperationFailed
from autointerp.subjects.catalog import TINY_GPT2_CONFIG, ModelCatalog, ModelSource
from autointerp.subjects.devices import resolve_device, resolve_dtype

log = logging.getLogger(__name__)


class ModelLoader:
    """Loads tokenizers and models by source, keeping each loaded once per process."""

    def __init__(
        self, catalog: ModelCatalog, cache_dir: Path, local_files_only: bool = True
    ) -> None:
        self.catalog = catalog
        self.cache_dir = cache_dir
        self.local_files_only = local_files_only
        self._tokenizers: dict[str, PreTrainedTokenizerBase] = {}
        self._models: dict[str, PreTrainedModel] = {}
        self._lock = threading.RLock()  # re-entrant: tiny-gpt2 borrows another model's tokenizer

    def check_revision(self, name: str, pinned: str) -> None:
        """Fail when this process would load other weights than the operation was submitted
        for (a worker whose configuration differs from the submitting host's)."""
        revision = self.catalog.revision(name)
        if revision != pinned:
            raise OperationFailed(
                f"this worker has model {name!r} at revision {revision}; the operation was "
                f"submitted for {pinned}: give every host the same model configuration"
            )

    def tokenizer(self, name: str) -> PreTrainedTokenizerBase:
        """The tokenizer of a named model (loaded once)."""
        source = self.catalog.source(name)
        with self._lock:
            if name not in self._tokenizers:
                self._tokenizers[name] = self._load_tokenizer(source)
            return self._tokenizers[name]

    def model(self, name: str) -> PreTrainedModel:
        """The named model in eval mode (loaded once)."""
        source = self.catalog.source(name)
        with self._lock:
            if name not in self._models:
                model = self._load_model(source)
                model.eval()
                self._models[name] = model
            return self._models[name]

    # -- per source kind -------------------------------------------------------------------

    def _load_tokenizer(self, source: ModelSource) -> PreTrainedTokenizerBase:
        if source.kind == "random-gpt2":
            return self.tokenizer(source.location)
        folder, extra = self._pretrained_args(source)
        return AutoTokenizer.from_pretrained(folder, **extra)

    def _load_model(self, source: ModelSource) -> PreTrainedModel:
        device = resolve_device(source.device)
        if source.kind == "random-gpt2":
            return _on(_tiny_random_gpt2(self._load_tokenizer(source)), device)
        config = self.catalog.config(source.name)
        checkpoint = config.get("dtype") or config.get("torch_dtype")
        dtype = resolve_dtype(source.dtype, device, str(checkpoint) if checkpoint else None)
        folder, extra = self._pretrained_args(source)
        auto = AutoModelForCausalLM if self.catalog.is_causal(source.name) else AutoModel
        model = auto.from_pretrained(folder, dtype=dtype, **extra)
        return _on(model, device)

    def _pretrained_args(self, source: ModelSource) -> tuple[str, dict[str, Any]]:
        extra: dict[str, Any] = {"trust_remote_code": source.trust_remote_code}
        if source.kind == "gguf":
            return str(self._converted_gguf(source)), extra
        if source.kind == "hub":
            # Fetched only when the operator allowed downloads, and only at the pinned commit.
            hub = self.catalog.hub
            return source.location, {
                **extra,
                "revision": source.revision,
                "local_files_only": not hub.allow_downloads,
                "cache_dir": hub.cache_dir,
            }
        return source.location, {**extra, "local_files_only": True}

    def _converted_path(self, source: ModelSource) -> Path:
        revision = self.catalog.revision(source.name)
        return self.cache_dir / "converted" / f"{source.name}-{_slug(revision)}"

    def _converted_gguf(self, source: ModelSource) -> Path:
        """A safetensors copy of a GGUF model, made on first use."""
        target = self._converted_path(source)
        if (target / "config.json").exists():
            return target
        gguf = Path(source.location)
        log.info("converting GGUF to safetensors (once)", extra={"model": source.name})
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        quantized = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
        config = quantized.config
        # A de-quantized model is a plain float model; drop the marker so it can be saved.
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        plain = AutoModelForCausalLM.from_config(config)
        plain.load_state_dict(quantized.state_dict())
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        plain.save_pretrained(partial)
        tokenizer.save_pretrained(partial)
        partial.rename(target)  # atomic: a crash mid-save never leaves a half cache
        return target


def _on(model: PreTrainedModel, device: torch.device) -> PreTrainedModel:
    """The model moved to `device` (nn.Module.to, which transformers' stubs type oddly)."""
    moved = nn.Module.to(model, device)
    assert isinstance(moved, PreTrainedModel)
    return moved


def _tiny_random_gpt2(tokenizer: PreTrainedTokenizerBase) -> PreTrainedModel:
    dimensions = {k: v for k, v in TINY_GPT2_CONFIG.items() if k != "model_type"}
    config = GPT2Config(
        vocab_size=len(tokenizer),
        bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id,
        **dimensions,
    )
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(0)
    try:
        return GPT2LMHeadModel(config)
    finally:
        torch.random.set_rng_state(generator_state)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in text)
