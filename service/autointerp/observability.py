"""Structured JSON logs carrying the request id, and Prometheus metrics for HTTP traffic."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable
from contextvars import ContextVar

from prometheus_client import CollectorRegistry, Counter, Histogram
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# A secret counts as shown when a word of the text holds this many of its characters in a
# row: upstream errors echo keys masked ("sk-abc1****wxyz"), not only whole.
_SHOWN_CHARS = 6
_WORD = re.compile(r"[^\s'\"`,;()\[\]{}<>]+")
REDACTED = "[redacted]"


class Redactor:
    """Replaces every word that shows part of a configured secret (API keys, passwords)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._grams = {
            secret[i : i + _SHOWN_CHARS]
            for secret in secrets
            if len(secret) >= 2 * _SHOWN_CHARS
            for i in range(len(secret) - _SHOWN_CHARS + 1)
        }

    def __call__(self, text: str) -> str:
        if not self._grams:
            return text
        return _WORD.sub(lambda word: REDACTED if self._shows(word.group()) else word.group(), text)

    def _shows(self, word: str) -> bool:
        return any(
            word[i : i + _SHOWN_CHARS] in self._grams for i in range(len(word) - _SHOWN_CHARS + 1)
        )


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """One JSON line per log record on stderr, each with the current request id, with every
    configured secret redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False)
    )
    handler.addFilter(_RequestIdFilter())
    handler.addFilter(_RedactingFilter(Redactor(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access",):  # we log requests ourselves, with the request id
        logging.getLogger(noisy).disabled = True


class HttpMetrics:
    """Request counters and latency histograms in the app's own registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "autointerp_http_requests",
            "HTTP requests by route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "autointerp_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["method", "route"],
            registry=registry,
        )


class RequestContextMiddleware:
    """Pure ASGI middleware: request id in, request id out, one access log line, metrics."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger("autointerp.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode())
        request_id = _sanitize(incoming) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(elapsed)
            self.log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            request_id_var.reset(token)


def _sanitize(value: bytes | None) -> str | None:
    # Echo a caller's id only if it is short and printable, so logs cannot be forged.
    if not value or len(value) > 128:
        return None
    text = value.decode("ascii", errors="replace")
    return text if all(c.isalnum() or c in "-_.:" for c in text) else None
