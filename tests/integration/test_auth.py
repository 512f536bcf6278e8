"""Keys, scopes, owners and limits (#16, finding 3 and 10), the request guard, and secrets
kept out of errors (finding 9): each against the real app and a real Redis."""

import asyncio
import http.server
import json
import subprocess
import sys
import threading

import pytest
from redis.asyncio import Redis

from autointerp.api.auth import Gate
from autointerp.config import LLMProfile, RateLimit
from autointerp.interp.errors import RateLimited
from autointerp.store.keys import KeyStore, Scope
from autointerp.store.limits import UsageLedger
from tests.conftest import running_app, service_env, wait_for_operation

pytestmark = pytest.mark.integration
TOKENIZE = {"model": "tiny-gpt2", "texts": ["hello there"]}
SCAN = {"model": "tiny-gpt2", "corpus": {"type": "builtin"}, "max_tokens": 2000}


async def _keys(settings) -> dict[Scope, str]:
    redis = Redis.from_url(settings.redis_url)
    try:
        store = KeyStore(redis, settings.queue_prefix)
        return {scope: (await store.create(f"test {scope}", scope))[1] for scope in Scope}
    finally:
        await redis.aclose()


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_without_a_key_only_health_answers(settings):
    async with running_app(settings.model_copy(update={"auth": True})) as client:
        for method, path in [
            ("GET", "/v1/operations"),
            ("GET", "/v1/models"),
            ("GET", "/metrics"),
            ("POST", "/v1/tokenizations"),
            ("DELETE", "/v1/models/tiny-gpt2/scans/" + "0" * 64),
            ("POST", f"/v1/operations/{'0' * 64}:cancel"),
        ]:
            response = await client.request(
                method, path, json=TOKENIZE if method == "POST" else None
            )
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.headers["content-type"] == "application/problem+json"
        wrong = await client.get("/v1/models", headers=_as("aik_0123456789abcdef_" + "x" * 43))
        assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["detail"]
        assert (await client.get("/livez")).status_code == 200


async def test_scopes_owners_and_shared_results(settings):
    settings = settings.model_copy(update={"auth": True})
    keys = await _keys(settings)
    other = (await _keys(settings))[Scope.submit]
    async with running_app(settings) as client:
        reader, submitter, admin = (_as(keys[s]) for s in (Scope.read, Scope.submit, Scope.admin))
        assert (await client.get("/v1/models", headers=reader)).status_code == 200
        refused = await client.post("/v1/tokenizations", json=TOKENIZE, headers=reader)
        assert refused.status_code == 403 and "submit scope" in refused.json()["detail"]

        mine = await client.post("/v1/tokenizations", json=TOKENIZE, headers=submitter)
        assert mine.status_code == 202, mine.text
        op = mine.json()["id"]
        # The same request from another key is the same (shared) operation, in both listings.
        twin = await client.post("/v1/tokenizations", json=TOKENIZE, headers=_as(other))
        assert twin.json()["id"] == op
        theirs = await client.post(
            "/v1/tokenizations", json={**TOKENIZE, "texts": ["other"]}, headers=_as(other)
        )
        listed = await client.get("/v1/operations", headers=submitter)
        assert [o["id"] for o in listed.json()["operations"]] == [op]
        everyone = await client.get("/v1/operations", headers=admin)
        assert {o["id"] for o in everyone.json()["operations"]} == {op, theirs.json()["id"]}
        assert (await client.get("/v1/operations", headers=reader)).json()["operations"] == []

        # Cancel: the submitter its own, not another's; an admin any. DELETE is admin's.
        not_mine = await client.post(
            f"/v1/operations/{theirs.json()['id']}:cancel", headers=submitter
        )
        assert not_mine.status_code == 403
        assert (
            await client.post(f"/v1/operations/{op}:cancel", headers=submitter)
        ).status_code == 200
        by_admin = await client.post(f"/v1/operations/{theirs.json()['id']}:cancel", headers=admin)
        assert by_admin.status_code == 200
        gone = "/v1/models/tiny-gpt2/layers/0/neurons/0/results"
        assert (await client.delete(gone, headers=submitter)).status_code == 403
        assert (await client.delete(gone, headers=admin)).status_code == 204
        assert (await client.delete(f"/v1/operations/{op}", headers=submitter)).status_code == 403
        assert (await client.delete(f"/v1/operations/{op}", headers=admin)).status_code == 204
        assert (await client.get(f"/v1/operations/{op}", headers=reader)).status_code == 404


async def test_rate_limits_answer_429_with_retry_after_and_ratelimit_headers(settings):
    limits = {"read": RateLimit(burst=3, per_minute=6)}
    settings = settings.model_copy(update={"auth": True, "rate_limits": limits})
    keys = await _keys(settings)
    async with running_app(settings) as client:
        answers = [await client.get("/v1/models", headers=_as(keys[Scope.read])) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[0].headers["ratelimit-policy"] == '"read";q=3;w=30'
        assert answers[2].headers["ratelimit"].startswith('"read";r=0;')
        limited = answers[3]
        assert int(limited.headers["retry-after"]) in range(1, 11)
        assert limited.headers["content-type"] == "application/problem+json"
        # Buckets are per key: another key still has its own.
        other = await client.get("/v1/models", headers=_as(keys[Scope.admin]))
        assert other.status_code == 200


async def test_a_key_has_a_few_expensive_operations_at_once(settings):
    settings = settings.model_copy(
        update={"auth": True, "max_active_operations": 1, "in_process_worker": False}
    )
    keys = await _keys(settings)
    async with running_app(settings) as client:
        headers = _as(keys[Scope.submit])
        assert (await client.post("/v1/scans", json=SCAN, headers=headers)).status_code == 202
        again = await client.post("/v1/scans", json=SCAN, headers=headers)
        assert again.status_code == 202  # the same scan is not a second one
        second = await client.post("/v1/scans", json={**SCAN, "seed": 1}, headers=headers)
        assert second.status_code == 429, second.text
        assert "its most (1)" in second.json()["detail"]
        small = await client.post("/v1/tokenizations", json=TOKENIZE, headers=headers)
        assert small.status_code == 202


async def test_event_streams_are_capped_per_key_and_per_process(settings, redis_url):
    redis = Redis.from_url(redis_url)
    capped = settings.model_copy(update={"max_event_streams": 3, "max_event_streams_per_key": 2})
    gate = Gate(capped, redis)
    keys = KeyStore(redis, "t")
    one, _ = await keys.create("one", Scope.read)
    two, _ = await keys.create("two", Scope.read)
    with gate.event_stream(one), gate.event_stream(one):
        with pytest.raises(RateLimited, match="this key has 2"), gate.event_stream(one):
            pass
        with gate.event_stream(two):
            with pytest.raises(RateLimited, match="process has 3"), gate.event_stream(two):
                pass
    with gate.event_stream(one):  # closed streams free their slots
        pass
    await redis.aclose()


async def test_concurrent_event_streams_and_scans_cannot_pass_their_caps_together(settings):
    """The probe: 40 streams opened at once got 30 through a cap of 8 (checked in one step,
    counted in another), and 9 scans submitted at once got 6 through a cap of 4."""
    settings = settings.model_copy(
        update={
            "auth": True,
            "in_process_worker": False,
            "max_event_streams_per_key": 8,
            "max_active_operations": 4,
        }
    )
    keys = await _keys(settings)
    async with running_app(settings) as client:
        headers = _as(keys[Scope.submit])
        scans = [{**SCAN, "max_tokens": 2000 + i} for i in range(9)]
        answers = await asyncio.gather(
            *(client.post("/v1/scans", json=body, headers=headers) for body in scans)
        )
        assert sorted(a.status_code for a in answers) == [202] * 4 + [429] * 5
        gate = client._transport.app.state.gate
        key = await gate.key(keys[Scope.submit])

        async def hold() -> None:
            with gate.event_stream(key):
                await asyncio.sleep(0.2)

        results = await asyncio.gather(*(hold() for _ in range(40)), return_exceptions=True)
        assert sum(isinstance(r, RateLimited) for r in results) == 32


async def test_the_request_guard(settings):
    """Finding 10 (no body limit) and the lows: DNS rebinding (any Host), a cross-site form
    POST that cancels, and OPTIONS on the cancel path answering Allow: GET."""
    settings = settings.model_copy(update={"max_request_bytes": 4096})
    async with running_app(settings) as client:
        big = {"model": "tiny-gpt2", "texts": ["word " * 2000]}
        too_large = await client.post("/v1/tokenizations", json=big)
        assert too_large.status_code == 413 and "4096 bytes" in too_large.json()["detail"]

        async def chunks():
            for _ in range(10):
                yield b" " * 1000

        streamed = await client.post(
            "/v1/tokenizations", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        rebound = await client.get("/v1/models", headers={"host": "attacker.example"})
        assert rebound.status_code == 400 and "attacker.example" in rebound.json()["detail"]
        cancel = f"/v1/operations/{'0' * 64}:cancel"
        cross_site = await client.post(cancel, headers={"origin": "http://attacker.example"})
        assert cross_site.status_code == 403
        form = await client.post(
            "/v1/tokenizations",
            content=b"model=x",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 415
        options = await client.options(cancel)
        assert options.status_code == 405 and options.headers["allow"] == "POST"
        # The probe: malformed Host or Origin headers answered 500 with tracebacks.
        for host in ("[", "[abc]"):
            bad = await client.get("/livez", headers={"host": host})
            assert bad.status_code == 400, (host, bad.text)
        bad_origin = await client.post(
            "/v1/tokenizations", json=TOKENIZE, headers={"origin": "http://["}
        )
        assert bad_origin.status_code == 403
        other_port = await client.post(
            "/v1/tokenizations", json=TOKENIZE, headers={"origin": "http://localhost:9999"}
        )
        assert other_port.status_code == 403  # another origin, though the same host
        # Another text than the last request's, whose strict 202 a finished twin would
        # turn into a 200 (the in-process worker is quick).
        same = await client.post(
            "/v1/tokenizations",
            json={**TOKENIZE, "texts": ["same origin"]},
            headers={"origin": "http://localhost"},
        )
        assert same.status_code in (200, 202)
        # No redirect built from the Host header.
        slash = await client.get("/livez/")
        assert slash.status_code == 404 and "location" not in slash.headers
        assert (await client.post("/v1/tokenizations", json=TOKENIZE)).status_code == 202


def test_serve_refuses_a_public_bind_with_auth_off(settings):
    result = subprocess.run(
        [sys.executable, "-m", "autointerp", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=service_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refusing to serve 0.0.0.0 with auth off" in result.stderr


def test_keys_command_creates_lists_and_revokes(settings):
    def keys(*args):
        return subprocess.run(
            [sys.executable, "-m", "autointerp", "keys", *args],
            env=service_env(settings),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    created = keys("create", "--name", "ci robot", "--scope", "read")
    token = created.strip().splitlines()[-1]
    key_id = token.split("_")[1]
    assert token.startswith("aik_") and key_id in keys("list") and token not in keys("list")
    assert "ci robot" in keys("list")
    keys("revoke", key_id)
    assert key_id not in keys("list")


class _EchoingUpstream(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that refuses the key, echoing it masked as OpenAI does."""

    def do_POST(self):
        key = self.headers["Authorization"].removeprefix("Bearer ")
        body = json.dumps(
            {
                "error": {
                    "message": f"Incorrect API key provided: {key[:8]}****{key[-4:]}. "
                    f"Also whole: {key}",
                    "type": "invalid_request_error",
                    "code": "invalid_api_key",
                }
            }
        ).encode()
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


async def test_an_upstream_error_echoing_the_key_is_stored_redacted(settings, caplog):
    server = http.server.HTTPServer(("127.0.0.1", 0), _EchoingUpstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = "sk-proj-Qw3rTy7UiOp9AsDfGhJkL1"
    profile = LLMProfile(
        backend="openai",
        model="gpt-test",
        base_url=f"http://127.0.0.1:{server.server_port}/v1",
        api_key=secret,
        max_retries=0,
    )
    profiles = {**settings.llm_profiles, "upstream": profile}
    settings = settings.model_copy(update={"llm_profiles": profiles, "transient_retries": 0})
    body = {
        "records": {"top": [{"tokens": ["a", "b"], "activations": [0.0, 1.0]}]},
        "profile": "upstream",
        "simulator": "generated",
        "samples": 1,
    }
    try:
        async with running_app(settings) as client:
            response = await client.post("/v1/explanations", json=body)
            assert response.status_code == 202, response.text
            done = await wait_for_operation(client, response.json()["id"])
    finally:
        server.shutdown()
    assert done["state"] == "failed"
    stored = json.dumps(done)
    assert "[redacted]" in stored, stored
    for fragment in (secret, secret[:8], secret[-4:] + "."):
        assert fragment not in stored


async def test_usage_reports_a_keys_tokens_today_against_its_budget(settings):
    settings = settings.model_copy(update={"auth": True, "llm_tokens_per_day": 1000})
    keys = await _keys(settings)
    submitter_id, admin_id = (keys[s].split("_")[1] for s in (Scope.submit, Scope.admin))
    redis = Redis.from_url(settings.redis_url)
    await UsageLedger(redis, settings.queue_prefix).charge(submitter_id, 300, 45)
    await redis.aclose()
    async with running_app(settings) as client:
        mine = await client.get("/v1/usage", headers=_as(keys[Scope.submit]))
        assert mine.status_code == 200, mine.text
        body = mine.json()
        assert (body["key"], body["prompt_tokens"], body["completion_tokens"]) == (
            submitter_id,
            300,
            45,
        )
        assert (body["budget"], body["remaining"]) == (1000, 655)
        other = f"/v1/usage?key={admin_id}"
        assert (await client.get(other, headers=_as(keys[Scope.submit]))).status_code == 403
        theirs = await client.get(f"/v1/usage?key={submitter_id}", headers=_as(keys[Scope.admin]))
        assert theirs.json()["remaining"] == 655


async def test_malformed_bodies_take_tokens_and_meet_the_scope_check_first(settings):
    """The probe: an invalid JSON body was a 422 before the scope check (a read key POSTing
    got 422, not 403) and took no token, so malformed bodies were never rate-limited."""
    limits = {"submit": RateLimit(burst=3, per_minute=6)}
    settings = settings.model_copy(update={"auth": True, "rate_limits": limits})
    keys = await _keys(settings)
    async with running_app(settings) as client:
        bad = {"content-type": "application/json"}
        read = await client.post(
            "/v1/tokenizations", content=b"{bad", headers={**bad, **_as(keys[Scope.read])}
        )
        assert read.status_code == 403, read.text
        answers = [
            await client.post(
                "/v1/tokenizations", content=b"{bad", headers={**bad, **_as(keys[Scope.submit])}
            )
            for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [422, 422, 422, 429]
        assert "ratelimit" in answers[0].headers
        # Without a key the trailing-slash path is protected too (no redirect, no answer).
        assert (await client.get("/metrics/")).status_code == 401


async def test_idempotency_keys_are_per_api_key(settings):
    """The probe: one API key's Idempotency-Key blocked another key using the same one."""
    settings = settings.model_copy(update={"auth": True})
    keys = await _keys(settings)
    other = (await _keys(settings))[Scope.submit]
    async with running_app(settings) as client:
        idem = {"Idempotency-Key": "shared-1"}
        one = await client.post(
            "/v1/tokenizations", json=TOKENIZE, headers={**idem, **_as(keys[Scope.submit])}
        )
        two = await client.post(
            "/v1/tokenizations",
            json={**TOKENIZE, "texts": ["two"]},
            headers={**idem, **_as(other)},
        )
        assert one.status_code in (200, 202) and two.status_code in (200, 202), two.text
        again = await client.post(
            "/v1/tokenizations",
            json={**TOKENIZE, "texts": ["three"]},
            headers={**idem, **_as(keys[Scope.submit])},
        )
        assert again.status_code == 422  # the same key reusing it for another body


async def test_spellings_of_one_corpus_file_are_one_scan(settings):
    (settings.corpora_dir / "sub").mkdir()
    (settings.corpora_dir / "sub" / "texts.txt").write_text("A few words.\n\nAnd more words.\n")
    async with running_app(settings.model_copy(update={"in_process_worker": False})) as client:
        ids = set()
        for path in ("sub/texts.txt", "./sub/../sub/texts.txt", "sub//texts.txt"):
            body = {"model": "tiny-gpt2", "corpus": {"type": "file", "path": path}}
            response = await client.post("/v1/scans", json=body)
            assert response.status_code == 202, response.text
            ids.add(response.json()["id"])
        assert len(ids) == 1
