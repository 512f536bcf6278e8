"""Liveness, readiness and metrics: for orchestrators and scrapers, outside /v1."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from autointerp.api.auth import Reader
from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES, problem_response
from autointerp.application.neurons import model_unavailable
from autointerp.schemas.common import Problem
from autointerp.store.redis import is_reachable
from autointerp.subjects.catalog import missing_files

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """A health answer with the result of each check."""

    status: str
    checks: dict[str, str] = {}


@router.get("/livez", operation_id="getLiveness", response_model=Health)
async def livez() -> Health:
    """The process is up (checks nothing else)."""
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="getReadiness",
    response_model=Health,
    responses={503: PROBLEM_RESPONSES[503]},
)
async def readyz(resources: ResourcesDep) -> Health | Response:
    """Ready to serve: Redis answers, and every configured model can run (its files are here
    and, for a model on an accelerator, some live model worker has that device)."""
    redis_up = await is_reachable(resources.redis)
    checks = {"redis": "ok" if redis_up else "unreachable"}
    catalog = resources.catalog
    for name, source in catalog.sources.items():
        if redis_up:
            reason = await model_unavailable(resources, name)
        else:  # the device check needs the worker registry in Redis
            reason = missing_files(source, catalog.hub)
        checks[f"model:{name}"] = "ok" if reason is None else f"unavailable: {reason}"
    failing = [name for name, state in checks.items() if state != "ok"]
    if not failing:
        return Health(status="ready", checks=checks)
    reasons = "; ".join(f"{name} is {checks[name]}" for name in failing)
    problem = Problem(
        title="Service Unavailable", status=503, detail=f"not ready: {reasons}", checks=checks
    )
    return problem_response(problem, headers={"Retry-After": "5"})


@router.get(
    "/metrics", operation_id="getMetrics", response_class=Response, responses=PROBLEM_RESPONSES
)
async def metrics(_: Reader, request: Request) -> Response:
    """Prometheus metrics of this instance."""
    return Response(
        generate_latest(request.app.state.metrics_registry), media_type=CONTENT_TYPE_LATEST
    )
