"""Import: neuron records, explanations and scores from our own export or from OpenAI
neuron-explainer's published files, all or nothing.

Two passes over the uploaded file: the first checks every line (a bad one fails the import
naming its file and line, before anything is written) and sizes the records; the second
writes the records under an unpublished scan, and one transaction then publishes the scan,
the explanations and their rankings together. If the second pass fails, its records are
deleted: nothing half-imported is left behind.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import hashlib
import json
import logging
import math
import re
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from autointerp.interp.activations import Polarity
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.protocols import MethodProtocol
from autointerp.interp.records import ActivationStats, ScanMeta, ScanSettings
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.exchange import (
    ImportFormat,
    ImportRequest,
    ImportResult,
    NeuronLine,
    ScanLine,
    TheirActivationRecord,
    TheirNeuronRecord,
    TheirSimulationResults,
)
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.search.explanations import indexed
from autointerp.search.index import IndexedExplanation
from autointerp.store.records import encode_neuron
from autointerp.tasks.base import OperationContext, Runner

log = logging.getLogger(__name__)

NEURON_EXPLAINER_EXPLAINER = "neuron-explainer"
"""The explainer named on imported neuron-explainer explanations."""
MAX_MEMBER_BYTES = 64 * 1024 * 1024
_WRITE_BATCH = 256
_THEIR_FILE = re.compile(r"(?:^|/)(collated-activations|explanations)/(\d+)/(\d+)\.(json|jsonl)$")
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Excerpt:
    tokens: list[str]
    activations: list[float]
    excerpt_id: int | None = None


@dataclass(frozen=True)
class ImportedRecord:
    """One neuron's record as read from a file (quantile bins flattened, lowest first)."""

    where: str
    layer: int
    index: int
    top: list[Excerpt]
    bottom: list[Excerpt]
    random: list[Excerpt]
    quantile_sample: list[Excerpt]
    quantile_bins: int
    stats: ActivationStats


@dataclass(frozen=True)
class ImportedResults:
    where: str
    layer: int
    index: int
    results: list[NeuronResult]


Item = ImportedRecord | ImportedResults


@dataclass
class Survey:
    """What the checking pass learned: the scan (ours) or the sizes records need (theirs)."""

    meta: ScanMeta | None = None
    layers: set[int] = field(default_factory=set)
    record_layers: set[int] = field(default_factory=set)
    neurons: set[tuple[int, int]] = field(default_factory=set)
    records: int = 0
    results: int = 0
    top_k: int = 0
    random_k: int = 0
    quantile_bins: int = 0
    quantile_k: int = 0
    excerpt_tokens: int = 0
    excerpt_tokens_seen: dict[int, str] = field(default_factory=dict)


def _parse(model: type[ModelT], text: str | bytes, where: str) -> ModelT:
    try:
        return model.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        at = ".".join(str(part) for part in first["loc"]) or "the object"
        raise InvalidRequest(f"{where}: {at}: {first['msg']}") from None


def _excerpt(
    tokens: list[str], activations: list[float], where: str, excerpt_id: int | None = None
) -> Excerpt:
    if len(tokens) != len(activations) or not tokens:
        raise InvalidRequest(
            f"{where}: an excerpt has {len(tokens)} tokens and {len(activations)} activations "
            "(they must be equal in number, and not none)"
        )
    if not all(math.isfinite(a) for a in activations):
        raise InvalidRequest(f"{where}: an excerpt has an activation that is not a finite number")
    return Excerpt(tokens, activations, excerpt_id)


# Our export.


def _read_ours(path: Path, operation_id: str) -> Iterator[ScanMeta | Item]:
    number = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                where = f"line {number} of the upload"
                if not line.strip():
                    continue
                if number == 1:
                    yield _scan_of(_parse(ScanLine, line, where), where)
                    continue
                yield from _neuron_of(_parse(NeuronLine, line, where), where)
            if number == 0:
                raise InvalidRequest("the upload is empty")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise InvalidRequest(f"the upload is not gzip'd JSON Lines: {error}") from None


def _scan_of(line: ScanLine, where: str) -> ScanMeta:
    data = line.scan
    try:
        return ScanMeta(**{**data, "settings": ScanSettings(**data["settings"])})
    except (TypeError, KeyError) as error:
        raise InvalidRequest(f"{where}: `scan` is not a scan description ({error})") from None


def _neuron_of(line: NeuronLine, where: str) -> Iterator[Item]:
    def excerpts(items: list[Any]) -> list[Excerpt]:
        return [_excerpt(e.tokens, e.activations, where, e.excerpt_id) for e in items]

    stats = ActivationStats(**line.stats.model_dump())
    yield ImportedRecord(
        where,
        line.layer,
        line.index,
        excerpts(line.top),
        excerpts(line.bottom),
        excerpts(line.random),
        [e for b in line.quantiles for e in excerpts(b.excerpts)],
        len(line.quantiles),
        stats,
    )
    if line.results:
        yield ImportedResults(where, line.layer, line.index, line.results)


# neuron-explainer's files.


def _read_theirs(path: Path, operation_id: str) -> Iterator[ScanMeta | Item]:
    try:
        archive = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise InvalidRequest(f"the upload is not a tar (or gzip'd tar) file: {error}") from None
    with archive:
        try:
            for member in archive:
                found = _THEIR_FILE.search(member.name)
                if not member.isfile() or found is None:
                    continue  # directories, READMEs
                if member.size > MAX_MEMBER_BYTES:
                    raise InvalidRequest(f"{member.name}: larger than {MAX_MEMBER_BYTES} bytes")
                kind, layer, index = found.group(1), int(found.group(2)), int(found.group(3))
                extracted = archive.extractfile(member)
                assert extracted is not None, "a regular file"
                content = extracted.read()
                if kind == "collated-activations":
                    yield _their_record(content, member.name, layer, index)
                else:
                    yield from _their_results(content, member.name, layer, index, operation_id)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise InvalidRequest(f"the upload's tar is damaged: {error}") from None


def _check_id(theirs: Any, layer: int, index: int, where: str) -> None:
    named = (theirs.neuron_id.layer_index, theirs.neuron_id.neuron_index)
    if named != (layer, index):
        raise InvalidRequest(f"{where}: its neuron_id is {named}, its path says {(layer, index)}")


def _their_record(content: bytes, name: str, layer: int, index: int) -> ImportedRecord:
    record = _parse(TheirNeuronRecord, content, name)
    _check_id(record, layer, index, name)

    def excerpts(items: list[TheirActivationRecord]) -> list[Excerpt]:
        return [_excerpt(r.tokens, r.activations, name) for r in items]

    top = excerpts(record.most_positive_activation_records)
    random = excerpts(record.random_sample)
    bins = record.random_sample_by_quantile or []
    quantile_sample = [e for b in bins for e in excerpts(b)]
    values = [a for e in top + random + quantile_sample for a in e.activations]
    if not values:
        raise InvalidRequest(f"{name}: the record has no excerpts")
    sample = np.array([a for e in random for a in e.activations] or values, dtype=np.float64)

    def moment(theirs: float | None, fallback: float | None) -> float | None:
        return theirs if theirs is not None and math.isfinite(theirs) else fallback

    stats = ActivationStats(
        count=len(values),  # they keep no count: the tokens imported
        mean=moment(record.mean, float(sample.mean())) or 0.0,
        variance=moment(record.variance, float(sample.var())) or 0.0,
        skewness=moment(record.skewness, None),
        kurtosis=moment(record.kurtosis, None),
        max=max(values),
        min=min(values),
    )
    return ImportedRecord(name, layer, index, top, [], random, quantile_sample, len(bins), stats)


def _their_results(
    content: bytes, name: str, layer: int, index: int, operation_id: str
) -> Iterator[ImportedResults]:
    for number, line in enumerate(content.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        simulations = _parse(TheirSimulationResults, line, where)
        _check_id(simulations, layer, index, where)
        results = []
        for position, scored in enumerate(simulations.scored_explanations):
            score = (
                scored.scored_simulation.ev_correlation_score if scored.scored_simulation else None
            )
            made = hashlib.sha256(f"{operation_id}:{name}:{number}:{position}".encode())
            results.append(
                NeuronResult(
                    operation_id=made.hexdigest(),
                    kind="explanation",
                    explanation=scored.explanation,
                    explainer=NEURON_EXPLAINER_EXPLAINER,
                    polarity=Polarity.positive,
                    simulator=SimulatorKind.all_at_once,
                    split=Split.test,
                    correlation=score if score is not None and math.isfinite(score) else None,
                    random_only_correlation=None,
                    scan_id=None,
                    protocol=MethodProtocol.study,  # scored by neuron-explainer itself
                )
            )
        yield ImportedResults(where, layer, index, results)


READERS: dict[ImportFormat, Callable[[Path, str], Iterator[ScanMeta | Item]]] = {
    ImportFormat.autointerp: _read_ours,
    ImportFormat.neuron_explainer: _read_theirs,
}


# The checking pass.


def _survey(
    items: Iterator[ScanMeta | Item], check_neuron: Callable[[int, int, str], None]
) -> Survey:
    survey = Survey()
    for item in items:
        if isinstance(item, ScanMeta):
            survey.meta = item
            continue
        check_neuron(item.layer, item.index, item.where)
        survey.layers.add(item.layer)
        survey.neurons.add((item.layer, item.index))
        if isinstance(item, ImportedResults):
            survey.results += len(item.results)
            continue
        survey.records += 1
        survey.record_layers.add(item.layer)
        _fit(survey, item)
    return survey


def _fit(survey: Survey, record: ImportedRecord) -> None:
    """Size the slots for a record; for our export, check it fits the scan it names."""
    every = record.top + record.bottom + record.random + record.quantile_sample
    longest = max((len(e.tokens) for e in every), default=0)
    per_bin = (
        math.ceil(len(record.quantile_sample) / record.quantile_bins) if record.quantile_bins else 0
    )
    meta = survey.meta
    if meta is None:
        survey.top_k = max(survey.top_k, len(record.top), len(record.bottom))
        survey.random_k = max(survey.random_k, len(record.random))
        survey.quantile_bins = max(survey.quantile_bins, record.quantile_bins)
        survey.quantile_k = max(survey.quantile_k, per_bin)
        survey.excerpt_tokens = max(survey.excerpt_tokens, longest)
        return
    settings = meta.settings
    fits = (
        record.layer in meta.layers
        and max(len(record.top), len(record.bottom)) <= settings.top_k
        and len(record.random) <= settings.random_k
        and len(record.quantile_sample) <= settings.quantile_sample
        and longest <= settings.excerpt_tokens
    )
    if not fits:
        raise InvalidRequest(
            f"{record.where}: the record does not fit the scan the first line describes"
        )
    for excerpt in every:  # one excerpt id, one text
        assert excerpt.excerpt_id is not None, "our export names every excerpt"
        text = hashlib.sha256(json.dumps(excerpt.tokens).encode()).hexdigest()
        if survey.excerpt_tokens_seen.setdefault(excerpt.excerpt_id, text) != text:
            raise InvalidRequest(
                f"{record.where}: excerpt {excerpt.excerpt_id} has other tokens than before"
            )


def _imported_settings(survey: Survey) -> ScanSettings:
    return ScanSettings(
        layers=sorted(survey.record_layers),
        excerpt_tokens=max(survey.excerpt_tokens, 1),
        top_k=survey.top_k,
        random_k=survey.random_k,
        quantile_bins=survey.quantile_bins if survey.quantile_k else 0,
        quantile_k=max(survey.quantile_k, 1),
        max_tokens=0,
    )


# The writing pass.


@dataclass
class _Writer:
    """Encodes records into a scan's layout and writes them in batches."""

    context: OperationContext
    model: str
    scan_id: str
    settings: ScanSettings
    write_records: bool
    adopt_results: bool
    """Results scored on records imported with them name this import's scan."""
    results: list[tuple[int, int, str, str, float | None]] = field(default_factory=list)
    documents: list[IndexedExplanation] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)
    next_excerpt: int = 0
    written_excerpts: set[int] = field(default_factory=set)
    blobs: dict[int, dict[int, bytes]] = field(default_factory=dict)
    excerpts: dict[int, np.ndarray] = field(default_factory=dict)

    def take(self, item: ScanMeta | Item) -> None:
        if isinstance(item, ImportedRecord):
            if self.write_records:
                self.encode(item)
        elif isinstance(item, ImportedResults):
            for result in item.results:
                if self.adopt_results:
                    result = result.model_copy(update={"scan_id": self.scan_id})
                row = (item.layer, item.index, result.operation_id, result.model_dump_json())
                self.results.append((*row, result.correlation))
                self.documents.append(indexed(self.model, item.layer, item.index, result))

    def encode(self, record: ImportedRecord) -> None:
        settings = self.settings
        ids = np.full(settings.slots, -1, dtype=np.int32)
        values = np.zeros((settings.slots, settings.excerpt_tokens), dtype=np.float16)
        k, random_k = settings.top_k, settings.random_k
        starts = (0, k, 2 * k, 2 * k + random_k)
        groups = (record.top, record.bottom, record.random, record.quantile_sample)
        for start, group in zip(starts, groups, strict=True):
            for slot, excerpt in enumerate(group, start=start):
                ids[slot] = self._excerpt_id(excerpt)
                values[slot, : len(excerpt.activations)] = excerpt.activations
        layer = self.blobs.setdefault(record.layer, {})
        layer[record.index] = encode_neuron(ids, values, record.stats)

    def _excerpt_id(self, excerpt: Excerpt) -> int:
        if excerpt.excerpt_id is None:  # theirs: every excerpt is its own
            excerpt_id, self.next_excerpt = self.next_excerpt, self.next_excerpt + 1
        else:
            excerpt_id = excerpt.excerpt_id
        if excerpt_id not in self.written_excerpts:
            self.written_excerpts.add(excerpt_id)
            token_ids = [
                self.vocabulary.setdefault(t, len(self.vocabulary)) for t in excerpt.tokens
            ]
            self.excerpts[excerpt_id] = np.array(token_ids, dtype=np.int32)
        return excerpt_id

    async def flush(self) -> None:
        store = self.context.resources.records
        for layer, blobs in self.blobs.items():
            await store.write_layer(self.scan_id, layer, blobs)
        await store.write_excerpts(self.scan_id, self.excerpts)
        self.blobs, self.excerpts = {}, {}

    async def finish(self) -> None:
        await self.flush()
        texts = {token_id: text for text, token_id in self.vocabulary.items()}
        await self.context.resources.records.write_vocabulary(self.scan_id, texts)


def _batches(items: Iterator[ScanMeta | Item]) -> Callable[[], list[ScanMeta | Item]]:
    def take() -> list[ScanMeta | Item]:
        return [item for _, item in zip(range(_WRITE_BATCH), items, strict=False)]

    return take


async def _run(resolved: Resolved[ImportRequest], context: OperationContext) -> ImportResult:
    request, resources = resolved.request, context.resources
    read = READERS[request.format]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        await resources.uploads.save(request.upload, path)
        await context.report_progress(0.05, "checking the upload")
        check = await _neuron_check(context, request.model)
        survey = await asyncio.to_thread(_survey, read(path, context.operation_id), check)
        if not survey.neurons:
            raise InvalidRequest("the upload holds no neuron records or explanations")
        await context.report_progress(0.3, f"checked {len(survey.neurons)} neurons")
        return await _write(request, context, survey, read(path, context.operation_id))


async def _neuron_check(context: OperationContext, model: str) -> Callable[[int, int, str], None]:
    """For a model this server has: its layers and neurons bound what may be imported."""
    catalog = context.resources.catalog
    if model not in catalog.sources:
        return lambda layer, index, where: None
    shape = await asyncio.to_thread(catalog.shape, model)

    def check(layer: int, index: int, where: str) -> None:
        try:
            shape.check(layer, [index])
        except InvalidRequest as error:
            raise InvalidRequest(f"{where}: {error.detail} (model {model!r})") from None

    return check


async def _write(
    request: ImportRequest,
    context: OperationContext,
    survey: Survey,
    items: Iterator[ScanMeta | Item],
) -> ImportResult:
    store = context.resources.records
    ours = survey.meta
    scan_id = ours.scan_id if ours is not None else context.operation_id
    if ours is not None:  # an export of some of the scan's layers holds only those
        settings = dataclasses.replace(ours.settings, layers=sorted(survey.record_layers))
    else:
        settings = _imported_settings(survey)
    # Our export's scan may be here already (imported before, or never deleted).
    write_records = survey.records > 0 and await store.meta(scan_id) is None
    writer = _Writer(
        context,
        request.model,
        scan_id,
        settings,
        write_records=write_records,
        adopt_results=ours is None and survey.records > 0,
    )
    done, take = 0, _batches(items)
    try:
        while batch := await asyncio.to_thread(take):
            for item in batch:
                writer.take(item)
            done += len(batch)
            await writer.flush()
            fraction = min(done / max(survey.records + survey.results, 1), 1.0)
            await context.report_progress(0.3 + 0.6 * fraction, "writing")
        meta = None
        if write_records:
            await writer.finish()
            meta = _scan_meta(request, survey, scan_id, settings, len(writer.written_excerpts))
        shape = await _shape_after(context, request.model, survey)
        await store.publish_import(meta, writer.results, request.model, shape)
    except BaseException:
        if write_records:
            await store.discard_unpublished(scan_id, settings.layers)
        raise
    await _index(context, writer.documents)
    return ImportResult(
        model=request.model,
        scan_id=scan_id if survey.records else None,
        layers=sorted(survey.layers),
        neurons=len(survey.neurons),
        records=survey.records,
        results=len(writer.results),
    )


def _scan_meta(
    request: ImportRequest, survey: Survey, scan_id: str, settings: ScanSettings, excerpts: int
) -> ScanMeta:
    ours = survey.meta
    if ours is not None:
        return dataclasses.replace(ours, model=request.model, settings=settings)
    return ScanMeta(
        scan_id=scan_id,
        model=request.model,
        model_revision=f"imported:{request.upload[:16]}",
        settings=settings,
        neurons_per_layer=1 + max(index for _, index in survey.neurons),
        excerpts=excerpts,
        tokens=0,  # unknown: their files do not say how much text was read
    )


async def _index(context: OperationContext, documents: list[IndexedExplanation]) -> None:
    for start in range(0, len(documents), _WRITE_BATCH):
        try:
            await context.resources.search.add(documents[start : start + _WRITE_BATCH])
        except Exception:  # search is secondary: the next worker start's backfill indexes it
            log.exception("could not index imported explanations for search")
            return


async def _shape_after(
    context: OperationContext, model: str, survey: Survey
) -> tuple[int, int] | None:
    """The shape a model known only from imports has once this import is in."""
    if model in context.resources.catalog.sources:
        return None
    before = await context.resources.records.imported_shape(model) or (0, 0)
    layers = 1 + max(layer for layer, _ in survey.neurons)
    neurons = 1 + max(index for _, index in survey.neurons)
    return max(before[0], layers), max(before[1], neurons)


IMPORT = Runner(kind=OperationKind.import_, run=_run)
