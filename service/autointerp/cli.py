"""The `autointerp` command: serve, worker, keys, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from autointerp.config import Settings
from autointerp.observability import configure_logging

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


async def _keys_command(args: argparse.Namespace, settings: Settings) -> None:
    from autointerp.store.embedded import EmbeddedRedis
    from autointerp.store.keys import KeyStore, Scope
    from autointerp.store.redis import connect

    embedded = None
    url = settings.redis_url
    if url is None:  # the embedded Redis: the running service's, or started for this command
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        if embedded.answers():
            url, embedded = embedded.url, None
        else:
            embedded.start()  # in this thread: the child dies with the thread that started it
            url = embedded.url
    redis = connect(url)
    try:
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
    finally:
        await redis.aclose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


def _keys(args: argparse.Namespace, settings: Settings) -> None:
    asyncio.run(_keys_command(args, settings))


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
    spec = commands.add_parser("openapi", help="write the OpenAPI spec")
    spec.add_argument("--output", default="-")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level, settings.secret_values())
    commands_run = {"serve": _serve, "worker": _worker, "keys": _keys, "openapi": _openapi}
    commands_run[args.command](args, settings)


if __name__ == "__main__":
    main()
