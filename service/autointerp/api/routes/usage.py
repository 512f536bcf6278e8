"""What a key has spent: its language-model tokens today, against its daily budget."""

from __future__ import annotations

from fastapi import APIRouter, Query

from autointerp.api.auth import GateDep, Reader
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.errors import Forbidden
from autointerp.schemas.common import WireModel
from autointerp.store.keys import Scope
from autointerp.store.limits import UsageLedger

router = APIRouter(prefix="/v1/usage", tags=["usage"])


class Usage(WireModel):
    """LLM tokens one key's finished operations reported on one UTC day."""

    key: str
    day: str
    prompt_tokens: int
    completion_tokens: int
    budget: int | None = None
    """The daily budget of prompt + completion tokens (AUTOINTERP_LLM_TOKENS_PER_DAY), if any."""
    remaining: int | None = None


@router.get("", operation_id="getUsage", response_model=Usage, responses=PROBLEM_RESPONSES)
async def get_usage(
    caller: Reader,
    gate: GateDep,
    key: str | None = Query(
        default=None, pattern=r"^[0-9a-f]{16}$", description="Another key's id (admin only)."
    ),
) -> Usage:
    """The calling key's usage today (an admin key may ask for another's)."""
    if key is not None and key != caller.id and not caller.allows(Scope.admin):
        raise Forbidden("only an admin key may read another key's usage")
    key_id = key or caller.id
    settings = gate.settings
    spent = await UsageLedger(gate.keys.redis, settings.queue_prefix).today(key_id)
    budget = settings.llm_tokens_per_day or None
    return Usage(
        key=key_id,
        day=spent.day,
        prompt_tokens=spent.prompt_tokens,
        completion_tokens=spent.completion_tokens,
        budget=budget,
        remaining=None if budget is None else max(0, budget - spent.tokens),
    )
