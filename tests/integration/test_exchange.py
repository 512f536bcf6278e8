"""Export and import on live apps over real Redis: a scanned and explained layer exported and
imported into a fresh Redis reads and searches the same; neuron-explainer's files, written
here from that project's documented dataclasses, import and re-score; our export in their
layout loads with their loader's rules; a bad file fails naming its line, leaving nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import io
import json
import tarfile
from dataclasses import dataclass, field

import pytest
import redis

from autointerp.config import Settings
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration

MODEL = "minilm-l6"
TEXTS = [
    f"In {1900 + i} the river rose {i} feet, and the town of Mill {chr(65 + i % 26)} "
    f"counted {3 * i} boats; rain fell (as it did) on day {i % 7}."
    for i in range(48)
]
SCAN = {
    "model": MODEL,
    "corpus": {"type": "texts", "texts": TEXTS},
    "layers": [1, 2],
    "excerpt_tokens": 12,
    "top_k": 6,
    "random_k": 6,
    "quantile_bins": 2,
    "quantile_k": 2,
}
EXPLAINED = [(1, 5), (1, 40), (2, 7)]


# neuron-explainer's dataclasses, as their code declares them (neuron_explainer/activations/
# activations.py and explanations/explanations.py), and their `fast_dataclasses` rules: every
# object carries `dataclass_name`; `loads` rebuilds each by it.
@dataclass
class ActivationRecord:
    tokens: list[str]
    activations: list[float]


@dataclass
class NeuronId:
    layer_index: int
    neuron_index: int


@dataclass
class NeuronRecord:
    neuron_id: NeuronId
    random_sample: list[ActivationRecord] = field(default_factory=list)
    random_sample_by_quantile: list[list[ActivationRecord]] | None = None
    quantile_boundaries: list[float] | None = None
    mean: float | None = float("nan")
    variance: float | None = float("nan")
    skewness: float | None = float("nan")
    kurtosis: float | None = float("nan")
    most_positive_activation_records: list[ActivationRecord] = field(default_factory=list)


@dataclass
class ScoredSimulation:
    scored_sequence_simulations: list
    ev_correlation_score: float | None = None
    rsquared_score: float | None = None
    absolute_dev_explained_score: float | None = None


@dataclass
class ScoredExplanation:
    explanation: str
    scored_simulation: ScoredSimulation


@dataclass
class NeuronSimulationResults:
    neuron_id: NeuronId
    scored_explanations: list[ScoredExplanation]


THEIR_CLASSES = {
    c.__name__: c
    for c in (
        ActivationRecord,
        NeuronId,
        NeuronRecord,
        ScoredSimulation,
        ScoredExplanation,
        NeuronSimulationResults,
    )
}


def their_dumps(value) -> bytes:
    """fast_dataclasses.dumps: dataclasses as objects with their `dataclass_name`."""

    def tag(item):
        if dataclasses.is_dataclass(item):
            fields = {f.name: tag(getattr(item, f.name)) for f in dataclasses.fields(item)}
            return {"dataclass_name": type(item).__name__, **fields}
        if isinstance(item, list):
            return [tag(x) for x in item]
        return item

    return json.dumps(tag(value)).encode()


def their_loads(text):
    """fast_dataclasses.loads: each object with a known `dataclass_name` rebuilt as it."""

    def hook(d):
        name = d.pop("dataclass_name", None)
        return THEIR_CLASSES[name](**d) if name in THEIR_CLASSES else d

    return json.loads(text, object_hook=hook)


def _fresh_url(settings: Settings) -> str:
    """Another Redis database beside the test's."""
    base, db = str(settings.redis_url).rsplit("/", 1)
    return f"{base}/{(int(db) + 1) % 16}"


def _fresh(settings: Settings) -> Settings:
    """The same service on the other Redis database, emptied."""
    redis.Redis.from_url(_fresh_url(settings)).flushdb()
    return settings.model_copy(update={"redis_url": _fresh_url(settings)})


async def _succeeded(client, path: str, body: dict) -> dict:
    answer = await client.post(path, json=body)
    assert answer.status_code in (200, 202), answer.text
    done = await wait_for_operation(client, answer.json()["id"], timeout_s=180)
    assert done["state"] == "succeeded", done
    return done["result"]


async def _import(client, data: bytes, model: str, format: str, media: str) -> dict:
    uploaded = await client.post("/v1/uploads", content=data, headers={"Content-Type": media})
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["bytes"] == len(data)
    answer = await client.post(
        "/v1/imports", json={"model": model, "format": format, "upload": uploaded.json()["upload"]}
    )
    assert answer.status_code == 202, answer.text
    return await wait_for_operation(client, answer.json()["id"], timeout_s=180)


async def _searchable(client, count: int, **params) -> list[dict]:
    for _ in range(300):
        page = await client.get("/v1/explanations/search", params={"limit": 100, **params})
        if page.json()["total"] >= count:
            return page.json()["hits"]
        await asyncio.sleep(0.1)
    raise AssertionError("the explanations were not indexed")


def _hits(hits: list[dict]) -> list[tuple]:
    return [
        (
            h["model"],
            h["layer"],
            h["index"],
            h["explanation"],
            h["correlation"],
            round(h["relevance"], 4),
        )
        for h in hits
    ]


async def test_an_exported_layer_imports_into_a_fresh_redis_the_same(settings):
    async with running_app(settings) as client:
        await _succeeded(client, "/v1/scans", SCAN)
        for layer, index in EXPLAINED:
            await _succeeded(
                client,
                "/v1/explanations",
                {
                    "neuron": {"model": MODEL, "layer": layer, "index": index},
                    "profile": "lexical",
                    "explainer": "lexical",
                    "simulator": "lexical",
                    "samples": 1,
                },
            )
        exported = await client.get(
            f"/v1/models/{MODEL}/export", params={"layer_min": 1, "layer_max": 1}
        )
        assert exported.status_code == 200, exported.text
        assert exported.headers["content-type"] == "application/gzip"
        lines = [json.loads(x) for x in gzip.decompress(exported.content).splitlines()]
        assert lines[0]["type"] == "scan" and lines[0]["scan"]["model"] == MODEL
        neurons = lines[1:]
        assert [(n["layer"], n["index"]) for n in neurons] == [(1, i) for i in range(1536)]
        originals = {
            index: (await client.get(f"/v1/models/{MODEL}/layers/1/neurons/{index}")).json()
            for index in (0, 5, 40, 1535)
        }
        for index, original in originals.items():
            assert {**neurons[index], "type": None} == {**original, "type": None}
        original_hits = _hits(await _searchable(client, 2, q="numbers", layer_max=1))

        their_tar = await client.get(
            f"/v1/models/{MODEL}/export",
            params={"layer_min": 1, "layer_max": 1, "format": "neuron-explainer"},
        )
        assert their_tar.status_code == 200

    async with running_app(_fresh(settings)) as fresh:
        done = await _import(fresh, exported.content, MODEL, "autointerp", "application/gzip")
        assert done["state"] == "succeeded", done
        assert done["result"]["records"] == 1536 and done["result"]["results"] == 2
        for index, original in originals.items():
            read = await fresh.get(f"/v1/models/{MODEL}/layers/1/neurons/{index}")
            assert read.status_code == 200, read.text
            assert read.json() == original
        assert _hits(await _searchable(fresh, 2, q="numbers", layer_max=1)) == original_hits
        listed = (await fresh.get(f"/v1/models/{MODEL}/neurons")).json()["neurons"]
        assert {(n["layer"], n["index"]) for n in listed} == {(1, 5), (1, 40)}

    # Our export in neuron-explainer's layout, read by their loader's rules.
    with tarfile.open(fileobj=io.BytesIO(their_tar.content), mode="r:gz") as archive:
        names = archive.getnames()
        assert "collated-activations/1/5.json" in names and "explanations/1/5.jsonl" in names
        assert "explanations/1/6.jsonl" not in names  # not explained
        record = their_loads(archive.extractfile("collated-activations/1/5.json").read())
        explanations = their_loads(archive.extractfile("explanations/1/5.jsonl").read())
    assert isinstance(record, NeuronRecord) and record.neuron_id == NeuronId(1, 5)
    top = originals[5]["top"]
    assert [r.tokens for r in record.most_positive_activation_records] == [e["tokens"] for e in top]
    assert record.most_positive_activation_records[0].activations == top[0]["activations"]
    assert len(record.random_sample_by_quantile) == 2
    assert isinstance(explanations, NeuronSimulationResults)
    best = originals[5]["results"][0]
    assert explanations.scored_explanations[0].explanation == best["explanation"]
    assert (
        explanations.scored_explanations[0].scored_simulation.ev_correlation_score
        == best["correlation"]
    )


def _their_files() -> bytes:
    """A tar.gz of neuron-explainer files for two neurons of a model this server lacks."""

    def excerpt(words: list[str], hot: str) -> ActivationRecord:
        return ActivationRecord(words, [5.0 if w == hot else 0.0 for w in words])

    sentences = [
        "the cat sat on the mat".split(),
        "a cat and a dog ran".split(),
        "my cat likes fish".split(),
        "the sun is warm today".split(),
        "we walked to the shop".split(),
        "rain fell on the roof".split(),
        "birds sing in the trees".split(),
        "she read a long book".split(),
    ]
    files = {}
    for index in (3, 9):
        record = NeuronRecord(
            neuron_id=NeuronId(4, index),
            random_sample=[excerpt(s, "cat") for s in sentences[3:]],
            most_positive_activation_records=[excerpt(s, "cat") for s in sentences[:3]] * 4,
            mean=0.1,
            variance=0.8,
            skewness=4.0,
            kurtosis=20.0,
        )
        files[f"data/collated-activations/4/{index}.json"] = their_dumps(record)
    results = NeuronSimulationResults(
        neuron_id=NeuronId(4, 3),
        scored_explanations=[
            ScoredExplanation('the word "cat"', ScoredSimulation([], ev_correlation_score=0.81)),
            ScoredExplanation("small animals", ScoredSimulation([], ev_correlation_score=0.42)),
        ],
    )
    files["data/explanations/4/3.jsonl"] = their_dumps(results) + b"\n"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


async def test_neuron_explainer_files_import_and_re_score(settings):
    async with running_app(settings) as client:
        done = await _import(
            client, _their_files(), "gpt2-xl", "neuron-explainer", "application/gzip"
        )
        assert done["state"] == "succeeded", done
        assert done["result"] | {"scan_id": None} == {
            "kind": "import",
            "model": "gpt2-xl",
            "scan_id": None,
            "layers": [4],
            "neurons": 2,
            "records": 2,
            "results": 2,
        }
        read = await client.get("/v1/models/gpt2-xl/layers/4/neurons/3")
        assert read.status_code == 200, read.text
        neuron = read.json()
        assert neuron["top"][0]["tokens"] == ["the", "cat", "sat", "on", "the", "mat"]
        assert neuron["top"][0]["activations"] == [0, 5, 0, 0, 0, 0]
        assert neuron["stats"]["skewness"] == 4.0 and neuron["stats"]["max"] == 5.0
        assert [r["explanation"] for r in neuron["results"]] == ['the word "cat"', "small animals"]
        assert neuron["results"][0]["explainer"] == "neuron-explainer"

        hits = await _searchable(client, 1, q="feline")
        assert hits[0]["explanation"] in ('the word "cat"', "small animals")
        out_of_range = await client.get("/v1/models/gpt2-xl/layers/4/neurons/10")
        assert out_of_range.status_code == 422

        scored = await _succeeded(
            client,
            "/v1/scores",
            {
                "neuron": {"model": "gpt2-xl", "layer": 4, "index": 3},
                "explanation": 'the word "cat"',
                "profile": "lexical",
                "simulator": "lexical",
            },
        )
        assert scored["neuron"]["scan"] == neuron["scan_id"]
        assert scored["score"]["top_and_random"]["correlation"] > 0.9


def _bad_export(good: bytes) -> bytes:
    lines = gzip.decompress(good).splitlines()
    broken = json.loads(lines[2])
    broken["top"][0]["activations"] = broken["top"][0]["activations"][:-1]
    lines[2] = json.dumps(broken).encode()
    return gzip.compress(b"\n".join(lines) + b"\n")


async def test_a_bad_file_fails_naming_its_line_and_leaves_nothing(settings):
    async with running_app(settings) as client:
        await _succeeded(client, "/v1/scans", {**SCAN, "layers": [3]})
        exported = (await client.get(f"/v1/models/{MODEL}/export")).content

    async with running_app(_fresh(settings)) as fresh:
        done = await _import(fresh, _bad_export(exported), MODEL, "autointerp", "application/gzip")
        assert done["state"] == "failed"
        assert "line 3 of the upload" in done["error"]["detail"]
        assert "tokens" in done["error"]["detail"]
        missing = await fresh.get(f"/v1/models/{MODEL}/layers/3/neurons/0")
        assert missing.status_code == 404
        keys = redis.Redis.from_url(_fresh_url(settings)).keys("*:scan:*")
        assert keys == []

        not_gzip = await _import(
            fresh, b"plain text", MODEL, "autointerp", "application/octet-stream"
        )
        assert not_gzip["state"] == "failed" and "gzip" in not_gzip["error"]["detail"]
        wrong_media = await fresh.post(
            "/v1/uploads", content=b"x", headers={"Content-Type": "text/csv"}
        )
        assert wrong_media.status_code == 415
        unknown = await fresh.post(
            "/v1/imports", json={"model": MODEL, "format": "autointerp", "upload": "0" * 64}
        )
        assert unknown.status_code == 404 and "/v1/uploads" in unknown.json()["detail"]
