"""The FastAPI application factory and its lifespan (where this process's resources live)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from autointerp import __version__
from autointerp.api.problems import install_problem_handlers
from autointerp.api.routes import health, models, operations, submissions
from autointerp.config import Settings
from autointerp.observability import HttpMetrics, RequestContextMiddleware
from autointerp.ops.submission import submitter
from autointerp.runtime import build_runtime
from autointerp.store.embedded import EmbeddedRedis
from autointerp.store.redis import connect
from autointerp.tasks.base import Queue
from autointerp.tasks.broker import Brokers

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start Redis (embedded if none is configured), the brokers and in-process workers."""
    settings: Settings = app.state.settings
    embedded = None
    redis_url = settings.redis_url
    if redis_url is None:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        await asyncio.to_thread(embedded.start)
        redis_url = embedded.url
    redis = connect(redis_url)
    runtime = build_runtime(settings, redis)
    brokers = Brokers(redis_url, runtime)
    submitter(runtime, brokers)
    await brokers.startup()
    receivers = brokers.start_receivers(Queue) if settings.in_process_worker else []
    app.state.runtime, app.state.brokers = runtime, brokers
    log.info("service started", extra={"in_process_worker": settings.in_process_worker})
    try:
        yield
    finally:
        await brokers.stop_receivers(receivers)
        await brokers.shutdown()
        await redis.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


def create_app(settings: Settings) -> FastAPI:
    """Build the application; nothing connects until the lifespan starts."""
    app = FastAPI(
        title="autointerp",
        version=__version__,
        summary="Automated neuron explanation as a service: record, explain, simulate, score.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics_registry = CollectorRegistry()
    app.add_middleware(RequestContextMiddleware, metrics=HttpMetrics(app.state.metrics_registry))
    install_problem_handlers(app)
    for router in (health.router, operations.router, submissions.router, models.router):
        app.include_router(router)
    return app
