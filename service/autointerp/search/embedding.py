"""Sentence embeddings of explanations and queries: all-MiniLM-L6-v2 (the built-in
`minilm-l6`, shipped in a wheel), its last hidden states mean-pooled over real tokens and
scaled to unit length, as the model was trained to be used.

torch and transformers are imported on first use: an API process that never searches does
not load them.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

EMBEDDING_MODEL = "minilm-l6"
DIMENSIONS = 384
_MAX_TOKENS = 128  # explanations are a sentence; longer text is cut


class SentenceEmbedder:
    """Loads the model once per process; `embed` is thread-safe."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any] | None = None

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                from autointerp.subjects.catalog import ModelCatalog, builtin_sources
                from autointerp.subjects.loading import ModelLoader

                loader = ModelLoader(ModelCatalog(builtin_sources()), self.cache_dir)
                self._loaded = (loader.tokenizer(EMBEDDING_MODEL), loader.model(EMBEDDING_MODEL))
            return self._loaded

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (len(texts), DIMENSIONS) float32."""
        import torch

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        tokenizer, model = self._load()
        inputs = tokenizer(
            texts, padding=True, truncation=True, max_length=_MAX_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = model.base_model(**inputs).last_hidden_state
        mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        unit = torch.nn.functional.normalize(pooled.float(), dim=1)
        return unit.numpy().astype(np.float32)
