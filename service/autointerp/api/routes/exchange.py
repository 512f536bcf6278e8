"""Export a scan's neurons as a streamed download; upload files to import."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from autointerp.api.auth import Reader, Submitter
from autointerp.api.deps import ResourcesDep
from autointerp.api.guard import UPLOAD_MEDIA_TYPES, UPLOAD_PATH
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.application.exports import export_lines, export_neuron_explainer, export_scope
from autointerp.interp.errors import PayloadTooLarge
from autointerp.schemas.exchange import Upload
from autointerp.store.uploads import UploadTooLarge

router = APIRouter(prefix="/v1", tags=["exchange"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/models/{model}/export",
    operation_id="exportNeurons",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/gzip": _BINARY}}, **PROBLEM_RESPONSES},
)
async def export_neurons(
    _: Reader,
    resources: ResourcesDep,
    model: str = Path(max_length=200),
    scan: str | None = Query(
        default=None, pattern=r"^[0-9a-f]{64}$", description="A scan id; default: the latest."
    ),
    layer_min: int | None = Query(default=None, ge=0, le=100_000),
    layer_max: int | None = Query(default=None, ge=0, le=100_000),
    format: Literal["autointerp", "neuron-explainer"] = Query(
        default="autointerp",
        description="`autointerp`: gzip'd JSON Lines, a scan line then one line per neuron "
        "(docs/export.md). `neuron-explainer`: a gzip'd tar of its `collated-activations/"
        "{layer}/{neuron}.json` and `explanations/{layer}/{neuron}.jsonl` files.",
    ),
) -> StreamingResponse:
    """A scan's neuron records with every cached explanation and score, streamed a neuron at
    a time."""
    meta, layers = await export_scope(resources, model, scan, (layer_min, layer_max))
    if format == "autointerp":
        body, name = export_lines(resources, meta, layers), f"{model}-{meta.scan_id[:12]}.jsonl.gz"
    else:
        body, name = (
            export_neuron_explainer(resources, meta, layers),
            f"{model}-{meta.scan_id[:12]}.tar.gz",
        )
    return StreamingResponse(
        body,
        media_type="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    UPLOAD_PATH.removeprefix("/v1"),
    operation_id="createUpload",
    status_code=201,
    response_model=Upload,
    responses=PROBLEM_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: _BINARY for media in UPLOAD_MEDIA_TYPES},
        }
    },
)
async def create_upload(_: Submitter, resources: ResourcesDep, request: Request) -> Upload:
    """Store a file to import (our export, or a tar of neuron-explainer's files), named by
    the SHA-256 of its bytes; pass that to POST /v1/imports."""
    limit = resources.settings.max_upload_bytes
    try:
        digest, size = await resources.uploads.receive(request.stream(), limit)
    except UploadTooLarge as error:
        raise PayloadTooLarge(str(error)) from None
    return Upload(upload=digest, bytes=size, expires_in_s=resources.uploads.ttl_s)
