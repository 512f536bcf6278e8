"""Checks on every request before a route sees it, as one ASGI middleware: the Host header
(against DNS rebinding), cross-site writes, the body's media type and size (413 before it is
parsed), and with auth on the API key, its rate limit and the scope the method needs; on the
way out, the rate-limit headers."""

from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from autointerp.api.auth import authenticate, is_protected, method_scope, require_scope
from autointerp.api.problems import phrase, problem_response
from autointerp.config import Settings
from autointerp.interp.errors import RefusedRequest
from autointerp.schemas.common import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
UPLOAD_PATH = "/v1/uploads"
UPLOAD_MEDIA_TYPES = ("application/gzip", "application/x-tar", "application/octet-stream")
"""What an upload may be (files to import); every other body is JSON."""


def is_loopback(host: str) -> bool:
    """Whether a bind address or Host name is this machine only."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str | None:
    """`example.org:8000` -> `example.org`; `[::1]:8000` -> `::1`; None when malformed."""
    try:
        return urlsplit(f"//{host_header}").hostname or ""
    except ValueError:
        return None


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _same_origin(origin: str, host_header: str) -> bool:
    """Whether an Origin header names this server: the Host's name, and its port (an Origin
    with its scheme's default port for a Host without one, as behind a TLS proxy)."""
    try:
        theirs = urlsplit(origin)
        ours = urlsplit(f"//{host_header}")
        their_port = theirs.port or _DEFAULT_PORTS.get(theirs.scheme)
        our_port = ours.port
    except ValueError:
        return False
    if not theirs.hostname or theirs.hostname != ours.hostname:
        return False
    return their_port == (our_port or _DEFAULT_PORTS.get(theirs.scheme))


class _TooLarge(BaseException):
    """Raised from receive when a streamed body passes the limit. A BaseException, so that
    the body parser's `except Exception` (which answers 400) lets it through to us."""


class RequestGuardMiddleware:
    """Refuses what no route should handle, with a problem document."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.allowed_hosts = tuple(settings.allowed_hosts)

    def _host_allowed(self, name: str) -> bool:
        if self.allowed_hosts:
            return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.allowed_hosts)
        return self.settings.auth or is_loopback(name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _send_problem(send, scope, *refusal)
            return
        if self.settings.auth and is_protected(scope["path"]):
            # Before the body is read or parsed: without a key nothing but a 401, and every
            # request with one takes a token (malformed bodies too) and has its method's scope.
            try:
                await self._admit(scope, headers)
            except RefusedRequest as error:
                await _send_problem(send, scope, error.status, error.detail, error.headers)
                return
            except (RedisConnectionError, RedisTimeoutError):  # outside the app's handlers
                detail = "Redis is not answering; retry later"
                await _send_problem(send, scope, 503, detail, {"Retry-After": "5"})
                return
        await self._call_limited(scope, receive, send)

    async def _admit(self, scope: Scope, headers: dict[str, str]) -> None:
        """Authenticate, take a token from the key's bucket for the method's class, check the
        method's scope; leaves the key and the RateLimit headers in the request's state."""
        gate = scope["app"].state.gate
        key = await authenticate(gate, headers.get("authorization"))
        state = scope.setdefault("state", {})
        needed = method_scope(scope["method"])
        state["rate_limit_headers"] = await gate.limit(key, needed)
        try:
            require_scope(key, needed)
        except RefusedRequest as error:
            error.headers.update(state["rate_limit_headers"])
            raise
        state["api_key"] = key

    async def _call_limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app, its body cut at the size limit, its answer with the RateLimit headers."""
        limit, received = self._limit(scope["path"]), 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def send_with_limits(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(_with_rate_limit_headers(scope, message))

        try:
            await self.app(scope, counted_receive, send_with_limits)
        except _TooLarge:
            if started:
                raise
            await _send_problem(send, scope, *self._too_large(scope["path"]))

    def _limit(self, path: str) -> int:
        settings = self.settings
        return settings.max_upload_bytes if path == UPLOAD_PATH else settings.max_request_bytes

    def _too_large(self, path: str) -> tuple[int, str]:
        return 413, f"the request body is larger than {self._limit(path)} bytes"

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        name = _host_name(headers.get("host", ""))
        if name is None or not self._host_allowed(name):
            return 400, (
                f"this server does not answer to the host {name!r}; the operator allows "
                "hosts with AUTOINTERP_ALLOWED_HOSTS"
            )
        if scope["method"] not in _WRITES:
            return None
        origin = headers.get("origin")
        if origin and not _same_origin(origin, headers.get("host", "")):
            return 403, "cross-site writes are refused (the Origin is another site)"
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > 0:
            if int(length) > self._limit(scope["path"]):
                return self._too_large(scope["path"])
        if (length and length != "0") or "transfer-encoding" in headers:
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if scope["path"] == UPLOAD_PATH:
                if media not in UPLOAD_MEDIA_TYPES:
                    return 415, f"uploads must be one of {', '.join(UPLOAD_MEDIA_TYPES)}"
            elif media != "application/json":
                return 415, "request bodies must be application/json"
        return None


def _with_rate_limit_headers(scope: Scope, message: Message) -> Message:
    """The response start with the RateLimit headers the admission left in the request's
    state (whatever response the route made)."""
    extra = scope.get("state", {}).get("rate_limit_headers")
    if message["type"] == "http.response.start" and extra:
        message["headers"] = [
            *message.get("headers", []),
            *((k.encode(), v.encode()) for k, v in extra.items()),
        ]
    return message


async def _send_problem(
    send: Send, scope: Scope, status: int, detail: str, headers: dict[str, str] | None = None
) -> None:
    problem = Problem(title=phrase(status), status=status, detail=detail, instance=scope["path"])

    async def no_body() -> Message:  # the answer reads nothing of the request
        return {"type": "http.request", "body": b"", "more_body": False}

    await problem_response(problem, headers)(scope, no_body, send)
