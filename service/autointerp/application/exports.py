"""Export: a scan's neuron records with every cached explanation and score, streamed a neuron
at a time (never built whole in memory), as our gzip'd JSON Lines or as a tar of OpenAI
neuron-explainer's files."""

from __future__ import annotations

import dataclasses
import io
import json
import tarfile
import zlib
from collections.abc import AsyncIterator
from typing import Any

from autointerp.application.neurons import known_model, neuron_results
from autointerp.interp.errors import InvalidRequest, NotFound
from autointerp.interp.records import ScanMeta
from autointerp.resources import Resources
from autointerp.schemas.activations import ExcerptPublic, NeuronRecordPublic, NeuronResult
from autointerp.schemas.conversions import neuron_record_out
from autointerp.schemas.exchange import EXPORT_FORMAT, EXPORT_VERSION, NeuronLine, tagged


async def export_scope(
    resources: Resources, model: str, scan_id: str | None, layers: tuple[int | None, int | None]
) -> tuple[ScanMeta, list[int]]:
    """The scan (default: the model's latest) and which of its layers to export, checked
    before the first byte is sent."""
    await known_model(resources, model)
    scan_id = scan_id or await resources.records.latest_scan(model)
    meta = await resources.records.meta(scan_id) if scan_id else None
    if meta is None or meta.model != model:
        raise NotFound(f"no scan of model {model!r} found; submit one with POST /v1/scans")
    low, high = layers
    chosen = [
        layer
        for layer in meta.layers
        if (low is None or layer >= low) and (high is None or layer <= high)
    ]
    if not chosen:
        raise InvalidRequest(
            f"scan {meta.scan_id} recorded layers {meta.layers}, none within the range asked"
        )
    return meta, chosen


async def _neurons(
    resources: Resources, meta: ScanMeta, layers: list[int]
) -> AsyncIterator[NeuronRecordPublic]:
    store = resources.records
    for layer in layers:
        for index in await store.neuron_indices(meta, layer):
            record = await store.neuron_record(meta, layer, index)
            if record is None:  # the scan was deleted meanwhile
                raise NotFound(f"scan {meta.scan_id} is gone")
            results = await neuron_results(resources, meta.model, layer, index)
            yield neuron_record_out(meta.model, layer, index, meta.scan_id, record, results)


async def export_lines(
    resources: Resources, meta: ScanMeta, layers: list[int]
) -> AsyncIterator[bytes]:
    """Our export, gzip'd: the scan line, then one line per neuron (schemas.exchange)."""
    packer = zlib.compressobj(wbits=31)  # 31: a gzip container
    scan = {"type": "scan", "format": EXPORT_FORMAT, "version": EXPORT_VERSION}
    scan["scan"] = dataclasses.asdict(meta)
    yield packer.compress(json.dumps(scan).encode() + b"\n")
    async for neuron in _neurons(resources, meta, layers):
        line = NeuronLine(**neuron.model_dump()).model_dump_json()
        chunk = packer.compress(line.encode() + b"\n")
        if chunk:
            yield chunk
    yield packer.flush()


class _Drain(io.RawIOBase):
    """A write-only file whose bytes are taken out as they come (tarfile's stream mode)."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pending += data
        return len(data)

    def take(self) -> bytes:
        taken = bytes(self.pending)
        self.pending.clear()
        return taken


def _their_records(excerpts: list[ExcerptPublic]) -> list[dict[str, Any]]:
    return [
        tagged("ActivationRecord", tokens=e.tokens, activations=e.activations) for e in excerpts
    ]


def their_neuron_record(neuron: NeuronRecordPublic) -> dict[str, Any]:
    """A neuron record as neuron-explainer's `NeuronRecord` (it has no bottom excerpts: a
    negative-polarity reader should use our export)."""
    bins = neuron.quantiles
    inner = [b.upper for b in bins[:-1]]
    return tagged(
        "NeuronRecord",
        neuron_id=tagged("NeuronId", layer_index=neuron.layer, neuron_index=neuron.index),
        random_sample=_their_records(neuron.random),
        random_sample_by_quantile=[_their_records(b.excerpts) for b in bins] or None,
        quantile_boundaries=inner if bins and None not in inner else None,
        mean=neuron.stats.mean,
        variance=neuron.stats.variance,
        skewness=neuron.stats.skewness,
        kurtosis=neuron.stats.kurtosis,
        most_positive_activation_records=_their_records(neuron.top),
    )


def their_simulation_results(layer: int, index: int, results: list[NeuronResult]) -> dict[str, Any]:
    """A neuron's positive-polarity explanations as neuron-explainer's
    `NeuronSimulationResults` (the score is the top-and-random correlation; per-sequence
    simulations are not kept, so `scored_sequence_simulations` is empty)."""
    scored = [
        tagged(
            "ScoredExplanation",
            explanation=r.explanation,
            scored_simulation=tagged(
                "ScoredSimulation",
                scored_sequence_simulations=[],
                ev_correlation_score=r.correlation,
                rsquared_score=None,
                absolute_dev_explained_score=None,
            ),
        )
        for r in results
        if r.polarity.value == "positive"
    ]
    return tagged(
        "NeuronSimulationResults",
        neuron_id=tagged("NeuronId", layer_index=layer, neuron_index=index),
        scored_explanations=scored,
    )


def _add(tar: tarfile.TarFile, name: str, content: dict[str, Any], line_end: bool) -> None:
    data = json.dumps(content).encode() + (b"\n" if line_end else b"")
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mode = 0o644
    tar.addfile(member, io.BytesIO(data))


async def export_neuron_explainer(
    resources: Resources, meta: ScanMeta, layers: list[int]
) -> AsyncIterator[bytes]:
    """A gzip'd tar of `collated-activations/{layer}/{neuron}.json` (`NeuronRecord`) and,
    for neurons with explanations, `explanations/{layer}/{neuron}.jsonl`
    (`NeuronSimulationResults`), which neuron-explainer's loaders read."""
    drain = _Drain()
    with tarfile.open(fileobj=drain, mode="w|gz") as tar:
        async for neuron in _neurons(resources, meta, layers):
            layer, index = neuron.layer, neuron.index
            _add(
                tar,
                f"collated-activations/{layer}/{index}.json",
                their_neuron_record(neuron),
                False,
            )
            if any(r.polarity.value == "positive" for r in neuron.results):
                simulations = their_simulation_results(layer, index, neuron.results)
                _add(tar, f"explanations/{layer}/{index}.jsonl", simulations, True)
            yield drain.take()
    yield drain.take()
