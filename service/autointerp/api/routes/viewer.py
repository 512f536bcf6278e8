"""The neuron viewer: HTML shells and their static assets, outside /v1.

The pages hold no data and need no key: their scripts read the JSON API under /v1 with the
key the user enters (kept in the browser), exactly as the client does. None of these routes
is in the OpenAPI schema, so the generated client does not change."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path as FilePath
from string import Template

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, HTMLResponse

from autointerp import __version__
from autointerp.interp.errors import NotFound

router = APIRouter(include_in_schema=False)

ASSETS = FilePath(__file__).resolve().parent.parent / "viewer"
_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}

# Scripts and styles come from this server only; data reaches the DOM as text, never markup.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

# The same bounds as the API's routes (api/routes/models.py, api/routes/operations.py).
Model = Path(max_length=200)
LayerNumber = Path(ge=0, le=100_000)
Index = Path(ge=0, le=10_000_000)
OperationId = Path(pattern=r"^[0-9a-f]{64}$")


@cache
def _shell() -> Template:
    return Template((ASSETS / "page.html").read_text(encoding="utf-8"))


def _page(name: str, title: str, **data: str | int) -> HTMLResponse:
    """The shell of page `name` (its script is `name`.js), with its path parameters as
    escaped data attributes for the script to read."""
    attributes = " ".join(
        f'data-{key.replace("_", "-")}="{html.escape(str(value))}"' for key, value in data.items()
    )
    body = _shell().substitute(
        title=html.escape(title),
        page=name,
        data=attributes,
        version=html.escape(__version__),
    )
    return HTMLResponse(body, headers=_HEADERS)


@router.get("/")
async def home() -> HTMLResponse:
    """Search explanations; the models and their layers."""
    return _page("home", "autointerp viewer")


@router.get("/view/models/{model}/layers/{layer}")
async def layer_page(model: str = Model, layer: int = LayerNumber) -> HTMLResponse:
    """A layer's neurons by score, paginated, with the score histogram."""
    return _page("layer", f"{model} layer {layer}", model=model, layer=layer)


@router.get("/view/models/{model}/layers/{layer}/neurons/{index}")
async def neuron_page(
    model: str = Model, layer: int = LayerNumber, index: int = Index
) -> HTMLResponse:
    """A neuron's explanations, scores, excerpts as heat maps and activation moments."""
    return _page(
        "neuron", f"{model} layer {layer} neuron {index}", model=model, layer=layer, index=index
    )


@router.get("/view/operations/{operation_id}")
async def operation_page(operation_id: str = OperationId) -> HTMLResponse:
    """An operation's state and live progress."""
    return _page("operation", f"operation {operation_id[:12]}", operation_id=operation_id)


@router.get("/view/static/{name}")
async def asset(name: str = Path(pattern=r"^[a-z]+\.(css|js)$")) -> FileResponse:
    """One of the viewer's own scripts or its stylesheet."""
    path = ASSETS / name
    if not path.is_file():
        raise NotFound(f"the viewer has no asset {name}")
    media_type = _MEDIA_TYPES[path.suffix]
    return FileResponse(path, media_type=media_type, headers=_HEADERS)
