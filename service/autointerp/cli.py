"""The `autointerp` command: serve, worker, openapi."""

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
    spec = commands.add_parser("openapi", help="write the OpenAPI spec")
    spec.add_argument("--output", default="-")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    {"serve": _serve, "worker": _worker, "openapi": _openapi}[args.command](args, settings)


if __name__ == "__main__":
    main()
