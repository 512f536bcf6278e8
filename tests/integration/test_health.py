"""Health, readiness, metrics and the problem+json error contract, on a real Redis."""

import asyncio

import httpx
import pytest
import redis.asyncio

from autointerp.api.app import create_app
from autointerp.config import Settings
from autointerp.store.embedded import EmbeddedRedis
from autointerp.store.keys import KeyStore, Scope
from tests.conftest import free_port, running_app

PROBLEM = "application/problem+json"


async def test_livez_and_readyz(settings):
    async with running_app(settings) as client:
        assert (await client.get("/livez")).json() == {"status": "ok", "checks": {}}
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["redis"] == "ok"


async def test_unknown_path_is_a_problem(settings):
    async with running_app(settings) as client:
        response = await client.get("/no/such/path")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert body["status"] == 404 and "/no/such/path" in body["detail"]


async def test_wrong_method_is_a_problem(settings):
    async with running_app(settings) as client:
        response = await client.delete("/livez")
        assert response.status_code == 405
        assert response.headers["content-type"] == PROBLEM


async def test_malformed_json_is_a_problem(settings):
    async with running_app(settings) as client:
        response = await client.post(
            "/v1/tokenizations", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM


async def test_request_id_is_echoed_or_generated(settings):
    async with running_app(settings) as client:
        echoed = await client.get("/livez", headers={"X-Request-ID": "abc-123"})
        assert echoed.headers["X-Request-ID"] == "abc-123"
        forged = await client.get("/livez", headers={"X-Request-ID": "bad id\nwith newline"})
        assert forged.headers["X-Request-ID"] != "bad id\nwith newline"
        assert len((await client.get("/livez")).headers["X-Request-ID"]) == 32


async def test_metrics_count_requests_by_route(settings):
    async with running_app(settings) as client:
        await client.get("/livez")
        text = (await client.get("/metrics")).text
        assert 'autointerp_http_requests_total{method="GET",route="/livez",status="200"}' in text


@pytest.mark.integration
@pytest.mark.parametrize("auth", [False, True])
async def test_readyz_follows_redis_down_and_back(tmp_path, data_dir, auth):
    """With Redis stopped, /readyz is 503 naming Redis, and so is a read (whose key, with
    auth on, cannot be looked up); it recovers without a restart."""
    server = EmbeddedRedis(tmp_path / "redis", port=free_port())
    server.start()
    settings = Settings(redis_url=server.url, data_dir=data_dir, auth=auth, _env_file=None)
    client = redis.asyncio.Redis.from_url(server.url)
    _, token = await KeyStore(client, settings.queue_prefix).create("health", Scope.read)
    await client.aclose()
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
                assert (await http.get("/readyz")).status_code == 200
                await asyncio.to_thread(server.stop)
                down = await http.get("/readyz")
                assert down.status_code == 503
                assert down.headers["content-type"] == PROBLEM
                assert "redis" in down.json()["detail"].lower()
                poll = await http.get("/v1/operations/" + "0" * 64, headers=headers)
                assert poll.status_code == 503 and poll.headers["content-type"] == PROBLEM
                if auth:  # no key cached yet: the lookup itself met the outage
                    assert "redis" in poll.json()["detail"].lower()
                await asyncio.to_thread(server.start)
                assert (await http.get("/readyz")).status_code == 200
    finally:
        server.stop()
