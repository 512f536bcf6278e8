"""The `autointerp` command: serve, worker, keys, llm-cache, openapi."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from autointerp.config import Settings
from autointerp.observability import configure_logging

if TYPE_CHECKING:
    from redis.asyncio import Redis

_KEEP_ALIVE_S = 75


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from autointerp.api.app import WorkerStarter, create_app

    start_worker: WorkerStarter | None = None
    if settings.in_process_worker:
        from autointerp.worker import start_worker as start_in_process

        start_worker = start_in_process

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    if not settings.auth and not settings.allow_unauthenticated_remote:
        from autointerp.api.guard import is_loopback

        if not is_loopback(host):
            sys.exit(
                f"refusing to serve {host} with auth off: anyone reaching it could read and "
                "delete everything. Set AUTOINTERP_AUTH=true and create keys with `autointerp "
                "keys create`, or bind 127.0.0.1, or (behind an authenticating proxy) set "
                "AUTOINTERP_ALLOW_UNAUTHENTICATED_REMOTE=true."
            )
    uvicorn.run(
        create_app(settings, start_worker),
        host=host,
        port=port,
        log_config=None,
        # uvicorn's 5 s default equals the idle expiry of common client pools (httpx's), so
        # the server can close a kept-alive connection just as a client reuses it for a
        # request, which then fails unanswered; idle connections are cheap to keep longer.
        timeout_keep_alive=_KEEP_ALIVE_S,
    )


def _worker(args: argparse.Namespace, settings: Settings) -> None:
    from autointerp.store.queues import Queue
    from autointerp.worker import run_worker

    queues = [Queue(q) for q in (args.queue or [q.value for q in Queue])]
    asyncio.run(run_worker(settings, queues))


@contextlib.asynccontextmanager
async def _command_redis(settings: Settings) -> AsyncIterator[Redis]:
    """The configured Redis, or the embedded one (the running service's, or started for this
    command)."""
    from autointerp.store.embedded import EmbeddedRedis
    from autointerp.store.redis import connect

    embedded = None
    url = settings.redis_url
    if url is None:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        if embedded.answers():
            url, embedded = embedded.url, None
        else:
            embedded.start()  # in this thread: the child dies with the thread that started it
            url = embedded.url
    redis = connect(url)
    try:
        yield redis
    finally:
        await redis.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


async def _keys_command(args: argparse.Namespace, settings: Settings) -> None:
    from autointerp.store.keys import KeyStore, Scope

    async with _command_redis(settings) as redis:
        keys = KeyStore(redis, settings.queue_prefix)
        if args.keys_command == "create":
            key, token = await keys.create(args.name, Scope(args.scope))
            sys.stdout.write(
                f"created key {key.id} ({key.name}, scope {key.scope.value}); shown once:\n"
                f"{token}\n"
            )
        elif args.keys_command == "list":
            for key in await keys.list():
                sys.stdout.write(f"{key.id}  {key.scope.value:<6}  {key.created_at}  {key.name}\n")
        elif not await keys.revoke(args.id):
            sys.exit(f"no key {args.id}")
        else:
            sys.stdout.write(f"revoked {args.id} (API processes refuse it within seconds)\n")


def _keys(args: argparse.Namespace, settings: Settings) -> None:
    asyncio.run(_keys_command(args, settings))


async def _llm_cache_command(args: argparse.Namespace, settings: Settings) -> None:
    from autointerp.llm.cache import cache_versions, clear_cache

    async with _command_redis(settings) as redis:
        if args.cache_command == "list":
            for version in await cache_versions(redis, settings.queue_prefix):
                sys.stdout.write(f"{version.version}  {version.entries:>7}  {version.identity}\n")
        else:
            dropped = await clear_cache(redis, settings.queue_prefix, args.version)
            what = f"version {args.version}" if args.version else "every version"
            sys.stdout.write(f"dropped {dropped} cached LLM calls of {what}\n")


def _llm_cache(args: argparse.Namespace, settings: Settings) -> None:
    if args.cache_command == "clear" and not (args.version or args.all):
        sys.exit("say which: --version VERSION (from `autointerp llm-cache list`) or --all")
    asyncio.run(_llm_cache_command(args, settings))


def _openapi(args: argparse.Namespace, settings: Settings) -> None:
    from autointerp.api.app import create_app

    spec = create_app(settings).openapi()
    text = json.dumps(spec, indent=2, sort_keys=True) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="autointerp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API (with in-process workers)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    worker = commands.add_parser("worker", help="run a worker for one or more queues")
    worker.add_argument("--queue", action="append", choices=["model", "llm"])
    keys = commands.add_parser("keys", help="create, list and revoke API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key and print it (once)")
    create.add_argument("--name", required=True, help="who or what it is for")
    create.add_argument(
        "--scope",
        choices=["read", "submit", "admin"],
        default="submit",
        help="read: GETs; submit: also POST operations and cancel its own; admin: everything",
    )
    key_commands.add_parser("list", help="every key (never its secret)")
    revoke = key_commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("id")
    cache = commands.add_parser("llm-cache", help="list and clear cached LLM calls by version")
    cache_commands = cache.add_subparsers(dest="cache_command", required=True)
    cache_commands.add_parser(
        "list", help="each version (a model identity): its id, entries, and what it stands for"
    )
    clear = cache_commands.add_parser("clear", help="drop one version's cached calls, or all")
    which = clear.add_mutually_exclusive_group()
    which.add_argument("--version", help="a version id from `autointerp llm-cache list`")
    which.add_argument("--all", action="store_true", help="every cached LLM call")
    spec = commands.add_parser("openapi", help="write the OpenAPI spec")
    spec.add_argument("--output", default="-")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.secret_values())
    commands_run = {
        "serve": _serve,
        "worker": _worker,
        "keys": _keys,
        "llm-cache": _llm_cache,
        "openapi": _openapi,
    }
    commands_run[args.command](args, settings)


if __name__ == "__main__":
    main()
