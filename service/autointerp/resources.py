"""What every process of the service shares: configuration and the adapters that need no
model stack (Redis stores, the model catalog, corpora, LLM profiles). Built at startup, never
at import; workers add the model loader and language models on top (`tasks.base`)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from autointerp.config import Settings
from autointerp.llm.profiles import LLMProfiles
from autointerp.search.embedding import SentenceEmbedder
from autointerp.search.explanations import ExplanationSearch
from autointerp.store.identity import namespace
from autointerp.store.operations import OperationStore
from autointerp.store.records import RecordStore
from autointerp.store.uploads import UploadStore
from autointerp.store.workers import WorkerRegistry
from autointerp.subjects.catalog import (
    HubAccess,
    ModelCatalog,
    model_sources,
)
from autointerp.subjects.corpora import Corpora, HubDatasets


@dataclass(frozen=True)
class Resources:
    """Shared resources of one API or worker process."""

    settings: Settings
    redis: Redis
    operations: OperationStore
    records: RecordStore
    catalog: ModelCatalog
    corpora: Corpora
    profiles: LLMProfiles
    workers: WorkerRegistry
    search: ExplanationSearch
    uploads: UploadStore


def build_resources(settings: Settings, redis: Redis) -> Resources:
    """Wire the shared adapters for one process."""
    sources = model_sources(settings.configured_models())
    hub = HubAccess(settings.allow_hub_downloads, settings.hub_cache_dir)
    catalog = ModelCatalog(sources, hub)
    return Resources(
        settings=settings,
        redis=redis,
        operations=OperationStore(redis, settings.queue_prefix, settings.operation_ttl_s),
        records=RecordStore(redis, settings.queue_prefix),
        catalog=catalog,
        corpora=Corpora(
            settings.corpora_dir or settings.data_dir / "corpora",
            HubDatasets(
                allowed=tuple(settings.huggingface_datasets),
                remote_data_files=settings.huggingface_remote_data_files,
                cache_dir=settings.hub_cache_dir,
                downloads=settings.allow_hub_downloads,
            ),
        ),
        profiles=LLMProfiles(settings.llm_profiles, catalog),
        workers=WorkerRegistry(redis, settings.queue_prefix),
        search=ExplanationSearch(
            redis, namespace(settings.queue_prefix), SentenceEmbedder(settings.data_dir / "models")
        ),
        uploads=UploadStore(redis, settings.queue_prefix, settings.upload_ttl_s),
    )
