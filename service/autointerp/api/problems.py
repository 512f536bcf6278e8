"""Every error leaves the service as RFC 9457 `application/problem+json`, mapped here only."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from autointerp.interp.errors import AutointerpError, DependencyUnavailable
from autointerp.observability import REQUEST_ID_HEADER, request_id_var
from autointerp.schemas.common import FieldError, Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON response carrying a problem document."""
    return JSONResponse(
        problem.to_json_dict(),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def phrase(status: int) -> str:
    """The status's reason phrase (`Too Many Requests`), the title of a plain problem, as
    RFC 9110 names it (Python 3.11 still has 413's older name)."""
    if status == 413:
        return "Content Too Large"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else phrase(exc.status_code)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}; see /docs for the API"
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    problem = Problem(
        title=phrase(exc.status_code),
        status=exc.status_code,
        detail=detail,
        instance=request.url.path,
    )
    return problem_response(problem, headers=getattr(exc, "headers", None))


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(
            loc=[p if isinstance(p, int) else str(p) for p in e["loc"]],
            msg=e["msg"],
            type=e["type"],
        )
        for e in exc.errors()
    ]
    first = errors[0] if errors else None
    summary = f"{_location(tuple(first.loc))}: {first.msg}" if first else "invalid request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    problem = Problem(
        type="https://autointerp.dev/problems/validation",
        title="Request validation failed",
        status=422,
        detail=summary + more,
        instance=request.url.path,
        errors=errors,
    )
    return problem_response(problem)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AutointerpError)
    problem = Problem.of(exc, instance=request.url.path)
    return problem_response(problem, headers=getattr(exc, "headers", None))


async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("redis unavailable: %s", exc)
    return await _domain_error(
        request, DependencyUnavailable("Redis is not answering; retry later")
    )


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    request_id = request_id_var.get()
    problem = Problem(
        title="Internal Server Error",
        status=500,
        detail="the server failed to handle this request; the request id identifies its logs",
        instance=request.url.path,
    )
    # Starlette answers unhandled errors outside the middleware that adds the request id.
    return problem_response(
        problem, headers={REQUEST_ID_HEADER: request_id} if request_id else None
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every kind of error through a problem document."""
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(AutointerpError, _domain_error)
    app.add_exception_handler(RedisConnectionError, _redis_unavailable)
    app.add_exception_handler(RedisTimeoutError, _redis_unavailable)
    app.add_exception_handler(Exception, _unhandled)


# Documented on every route, so the spec and the generated client know the error shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in (
        (400, "The body could not be parsed (not JSON, or not UTF-8)."),
        (401, "No API key, or an unknown or revoked one (when auth is on)."),
        (403, "The key's scope does not allow this."),
        (404, "Not found."),
        (413, "The request body is larger than the server takes."),
        (422, "The request is invalid; `detail` says what is allowed."),
        (429, "Too many requests for this key; `Retry-After` says when to try again."),
        (500, "Internal error."),
        (503, "A dependency (Redis) is unavailable; retry later."),
    )
}
