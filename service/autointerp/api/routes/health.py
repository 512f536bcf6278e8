"""Liveness, readiness and metrics: for orchestrators and scrapers, outside /v1."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES, problem_response
from autointerp.schemas.common import Problem
from autointerp.store.redis import is_reachable
from autointerp.subjects.catalog import source_is_present

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
    """Ready to serve: Redis answers and the models this instance serves are on disk."""
    checks = {"redis": "ok" if await is_reachable(resources.redis) else "unreachable"}
    for name, source in resources.catalog.sources.items():
        checks[f"model:{name}"] = "ok" if source_is_present(source) else "missing"
    failing = [name for name, state in checks.items() if state != "ok"]
    if not failing:
        return Health(status="ready", checks=checks)
    reasons = ", ".join(f"{name} is {checks[name]}" for name in failing)
    problem = Problem(
        title="Service Unavailable", status=503, detail=f"not ready: {reasons}", checks=checks
    )
    return problem_response(problem, headers={"Retry-After": "5"})


@router.get("/metrics", operation_id="getMetrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this instance."""
    return Response(
        generate_latest(request.app.state.metrics_registry), media_type=CONTENT_TYPE_LATEST
    )
