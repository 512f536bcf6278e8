"""Measure one scan's peak memory in a fresh process: `python tests/scan_memory_probe.py JSON`.

JSON: {"model": name, "data_dir": path, "settings": {ScanSettings fields}, "streams": n}.
Prints {"baseline": bytes, "peak": bytes}: the resident set once the model is loaded and a
tiny scan has compiled everything, and the high-water mark of the scan and its record
encoding after it (the kernel's VmHWM, reset between the two). Run alone: other processes'
memory does not count, but another scan's threads would.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import replace
from pathlib import Path

from autointerp.interp.records import ScanSettings
from autointerp.schemas.activations import BuiltinCorpus
from autointerp.subjects.catalog import ModelCatalog, builtin_sources
from autointerp.subjects.corpora import Corpora
from autointerp.subjects.loading import ModelLoader
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.scan import scan_corpus
from autointerp.tasks.scans import _write_layer


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


class _DiscardingStore:
    """Takes each chunk of encoded records the way the record store does, and drops it."""

    async def write_layer(self, scan_id: str, layer: int, blobs: dict[int, bytes]) -> None:
        del scan_id, layer, blobs


def main() -> None:
    spec = json.loads(sys.argv[1])
    data_dir = Path(spec["data_dir"])
    loader = ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models")
    model, tokenizer = loader.model(spec["model"]), loader.tokenizer(spec["model"])
    neurons = MlpNeurons.of(model)
    settings = ScanSettings(**spec["settings"])
    texts = list(Corpora(data_dir / "corpora").texts(BuiltinCorpus()))
    streams = spec["streams"]
    tiny = replace(settings, batch_size=1, max_tokens=settings.excerpt_tokens)
    scan_corpus(neurons, tokenizer, texts, tiny, streams=streams)
    baseline = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    output = scan_corpus(neurons, tokenizer, texts, settings, streams=streams)
    store = _DiscardingStore()
    for layer, acc in output.layers.items():
        asyncio.run(_write_layer(store, "probe", layer, acc))  # type: ignore[arg-type]
    sys.stdout.write(json.dumps({"baseline": baseline, "peak": _status("VmHWM")}) + "\n")


if __name__ == "__main__":
    main()
