"""The FastAPI application factory and its lifespan (where this process's resources live).

The app itself only submits and reads: importing it loads no model stack. A process that
should also run operations (`serve` by default) passes `start_worker`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from autointerp import __version__
from autointerp.api.auth import Gate
from autointerp.api.guard import RequestGuardMiddleware
from autointerp.api.problems import install_problem_handlers
from autointerp.api.routes import (
    exchange,
    health,
    models,
    operations,
    search,
    submissions,
    usage,
    viewer,
)
from autointerp.config import Settings
from autointerp.observability import HttpMetrics, RequestContextMiddleware
from autointerp.resources import Resources, build_resources
from autointerp.store.embedded import EmbeddedRedis
from autointerp.store.queues import Brokers
from autointerp.store.redis import connect

log = logging.getLogger(__name__)

WorkerStarter = Callable[[Resources, Brokers], Awaitable[Callable[[], Awaitable[None]]]]
"""Starts in-process workers on the app's resources; returns what stops them."""


def _lifespan(
    start_worker: WorkerStarter | None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Start Redis (embedded if none is configured), the brokers and any workers."""
        settings: Settings = app.state.settings
        embedded = None
        redis_url = settings.redis_url
        if redis_url is None:
            embedded = EmbeddedRedis(settings.data_dir / "redis")
            # In this thread, not a pool's: the child dies with the thread that started it.
            embedded.start()
            redis_url = embedded.url
        redis = connect(redis_url)
        resources = build_resources(settings, redis)
        app.state.gate = Gate(settings, redis)
        brokers = Brokers(redis_url, settings.queue_prefix, settings.redelivery_idle_s)
        await brokers.startup()
        stop_worker = await start_worker(resources, brokers) if start_worker else None
        app.state.resources, app.state.brokers = resources, brokers
        log.info("service started", extra={"in_process_worker": stop_worker is not None})
        try:
            yield
        finally:
            if stop_worker is not None:
                await stop_worker()
            await brokers.shutdown()
            await resources.operations.events.close()
            await redis.aclose()
            if embedded is not None:
                await asyncio.to_thread(embedded.stop)

    return lifespan


def create_app(settings: Settings, start_worker: WorkerStarter | None = None) -> FastAPI:
    """Build the application; nothing connects until the lifespan starts."""
    app = FastAPI(
        title="autointerp",
        version=__version__,
        summary="Automated neuron explanation as a service: record, explain, simulate, score.",
        lifespan=_lifespan(start_worker),
        # No redirect from `/x/` to `/x`: Starlette builds its Location from the Host header.
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.metrics_registry = CollectorRegistry()
    app.add_middleware(RequestGuardMiddleware, settings=settings)
    # Added last, so outermost: refusals by the guard are counted and carry a request id.
    app.add_middleware(RequestContextMiddleware, metrics=HttpMetrics(app.state.metrics_registry))
    install_problem_handlers(app)
    routers = (
        health.router,
        operations.router,
        search.router,
        submissions.router,
        models.router,
        exchange.router,
        usage.router,
        viewer.router,
    )
    for router in routers:
        app.include_router(router)
    return app
