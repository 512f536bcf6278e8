"""The objects a process builds at startup and hands to routes and tasks (nothing at import)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel
from redis.asyncio import Redis

from autointerp.config import Settings
from autointerp.llm.profiles import LanguageModels
from autointerp.ops.store import OperationStore
from autointerp.schemas.operations import Operation, OperationKind
from autointerp.store.records import RecordStore
from autointerp.subjects.catalog import builtin_sources
from autointerp.subjects.corpora import Corpora
from autointerp.subjects.loading import ModelLoader


@dataclass
class Runtime:
    """Shared resources of one API or worker process."""

    settings: Settings
    redis: Redis
    operations: OperationStore
    models: ModelLoader
    corpora: Corpora
    records: RecordStore
    llms: LanguageModels
    submit: Callable[[OperationKind, BaseModel], Awaitable[Operation]] | None = None
    """Set once the process has brokers: lets a task (a batch) submit child operations."""


def build_runtime(settings: Settings, redis: Redis) -> Runtime:
    """Wire the adapters for one process."""
    models = ModelLoader(builtin_sources(), settings.data_dir / "models")
    return Runtime(
        settings=settings,
        redis=redis,
        operations=OperationStore(redis, settings.queue_prefix, settings.operation_ttl_s),
        models=models,
        corpora=Corpora(settings.corpora_dir or settings.data_dir / "corpora"),
        records=RecordStore(redis, settings.queue_prefix),
        llms=LanguageModels(settings.llm_profiles, models, redis, settings.queue_prefix),
    )
