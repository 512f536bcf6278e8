"""The LLM cache and the profile identity pinned into operations name the server's model (what
its GET /models reports, and the operator's `revision`), not only its URL: a server fixed or
swapped behind the same URL gets fresh results. Old versions can be listed and cleared."""

import time

import httpx
from fakeredis import FakeAsyncRedis

from autointerp.config import LLMProfile
from autointerp.interp.ports import PromptLogprobsResult, PromptToken, Usage
from autointerp.llm.cache import CachedLanguageModel, cache_versions, clear_cache
from autointerp.llm.profiles import LLMProfiles
from autointerp.subjects.catalog import ModelCatalog, builtin_sources

PROFILE = LLMProfile(
    backend="openai", model="m", base_url="http://llm.test/v1", prompt_logprobs=True
)
GGUF = {"id": "/models/m.gguf", "object": "model", "owned_by": "me", "permissions": []}


def serving(entry, listed=None):
    """A fake OpenAI-compatible server at http://llm.test/v1 listing `entry` as its model."""

    def handler(request):
        if listed is not None:
            listed.append(request.url.path)
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"object": "list", "data": [entry]})
        return httpx.Response(404, json={"error": {"message": "not here"}})

    return httpx.MockTransport(handler)


def profiles_behind(transport, **fields):
    profile = PROFILE.model_copy(update=fields)
    return LLMProfiles({"p": profile}, ModelCatalog(builtin_sources()), transport=transport)


class CountingModel:
    """Answers every prompt with one token, counting the calls that reach it."""

    supports_prompt_logprobs = True

    def __init__(self):
        self.calls = 0

    async def prompt_logprobs(self, prompt, *, top_logprobs=10, include=()):
        self.calls += 1
        return PromptLogprobsResult(
            [PromptToken(prompt, 0, {"x": -float(self.calls)})], Usage(1, calls=1)
        )


def cached(inner, redis, profiles):
    return CachedLanguageModel(
        inner, redis, profiles.identity("p"), "test", server=lambda: profiles.server_model("p")
    )


async def test_servers_at_one_url_reporting_other_models_have_other_identities():
    first = profiles_behind(serving({**GGUF, "meta": {"n_params": 134515008, "size": 1}}))
    other = profiles_behind(serving({**GGUF, "meta": {"n_params": 134515008, "size": 2}}))
    same = profiles_behind(serving({**GGUF, "meta": {"size": 1, "n_params": 134515008}}))
    renamed = profiles_behind(serving({**GGUF, "id": "/models/other.gguf"}))
    identities = [await p.pinned_identity("p") for p in (first, other, same, renamed)]
    assert identities[0] != identities[1] and identities[0] == identities[2]
    assert identities[3] not in identities[:3]
    assert "/models/m.gguf" in identities[0]["server_model"]
    assert identities[0]["base_url"] == "http://llm.test/v1"
    # The operator's revision, bumped when the server changed in a way it does not report.
    bumped = profiles_behind(serving(GGUF), revision="llama-cpp-python 0.3.37")
    plain = profiles_behind(serving(GGUF))
    assert await bumped.pinned_identity("p") != await plain.pinned_identity("p")


async def test_what_a_server_stamps_with_the_time_of_asking_is_not_identity():
    # llama.cpp's llama-server and vLLM answer `created` with the time of the request.
    now = profiles_behind(serving({**GGUF, "owned_by": "llamacpp", "created": int(time.time())}))
    later = profiles_behind(serving({**GGUF, "owned_by": "llamacpp", "created": 1}))
    assert await now.pinned_identity("p") == await later.pinned_identity("p")
    # OpenAI's is when the model was made: a new one is another model.
    made = {"id": "m", "object": "model", "owned_by": "system"}
    old = profiles_behind(serving({**made, "created": 1700000000}))
    new = profiles_behind(serving({**made, "created": 1720000000}))
    assert await old.pinned_identity("p") != await new.pinned_identity("p")


async def test_the_listing_is_read_once_per_process():
    listed = []
    profiles = profiles_behind(serving(GGUF, listed))
    for _ in range(3):
        await profiles.pinned_identity("p")
        await profiles.server_model("p")
    assert listed == ["/v1/models"]


async def test_a_second_server_at_the_same_url_is_not_served_the_firsts_results():
    redis, inner = FakeAsyncRedis(), CountingModel()
    first = profiles_behind(serving({**GGUF, "meta": {"size": 1}}))
    fixed = profiles_behind(serving({**GGUF, "meta": {"size": 2}}))
    again = profiles_behind(serving({**GGUF, "meta": {"size": 1}}))
    answers = [
        await cached(inner, redis, profiles).prompt_logprobs("We met")
        for profiles in (first, fixed, again)
    ]
    assert inner.calls == 2  # the fixed server computed its own; the first's came back cached
    assert answers[0].tokens == answers[2].tokens != answers[1].tokens
    assert answers[2].usage.cached_calls == 1


async def test_an_unreadable_listing_bypasses_the_cache():
    def down(request):
        raise httpx.ConnectError("refused", request=request)

    redis, inner = FakeAsyncRedis(), CountingModel()
    profiles = profiles_behind(httpx.MockTransport(down))
    assert (await profiles.pinned_identity("p"))["server_model"] is None
    for _ in range(2):
        await cached(inner, redis, profiles).prompt_logprobs("We met")
    assert inner.calls == 2 and await redis.keys("*") == []


async def test_a_server_without_a_listing_is_still_cached():
    def no_listing(request):
        return httpx.Response(404, json={"error": {"message": "no such route"}})

    redis, inner = FakeAsyncRedis(), CountingModel()
    profiles = profiles_behind(httpx.MockTransport(no_listing))
    assert (await profiles.pinned_identity("p"))["server_model"] == "no model listing (HTTP 404)"
    for _ in range(2):
        await cached(inner, redis, profiles).prompt_logprobs("We met")
    assert inner.calls == 1


async def test_the_cache_is_listed_and_cleared_by_version():
    redis, inner = FakeAsyncRedis(), CountingModel()
    first = profiles_behind(serving({**GGUF, "meta": {"size": 1}}))
    fixed = profiles_behind(serving({**GGUF, "meta": {"size": 2}}))
    for profiles in (first, fixed):
        for prompt in ("a", "b"):
            await cached(inner, redis, profiles).prompt_logprobs(prompt)
    versions = await cache_versions(redis, "test")
    assert len(versions) == 2 and all(v.entries == 2 for v in versions)
    old = next(v for v in versions if '\\"size\\":1' in v.identity or '"size":1' in v.identity)
    assert await clear_cache(redis, "test", old.version) == 2
    assert [v.entries for v in await cache_versions(redis, "test")] == [2]
    await cached(inner, redis, first).prompt_logprobs("a")  # recomputed
    await cached(inner, redis, fixed).prompt_logprobs("a")  # still cached
    assert inner.calls == 5
    assert await clear_cache(redis, "test") == 3  # everything
    assert await cache_versions(redis, "test") == []
