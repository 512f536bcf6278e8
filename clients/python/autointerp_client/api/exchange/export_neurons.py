from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.export_neurons_format import ExportNeuronsFormat
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    model: str,
    *,
    scan: None | str | Unset = UNSET,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    format_: ExportNeuronsFormat | Unset = ExportNeuronsFormat.AUTOINTERP,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_scan: None | str | Unset
    if isinstance(scan, Unset):
        json_scan = UNSET
    else:
        json_scan = scan
    params["scan"] = json_scan

    json_layer_min: int | None | Unset
    if isinstance(layer_min, Unset):
        json_layer_min = UNSET
    else:
        json_layer_min = layer_min
    params["layer_min"] = json_layer_min

    json_layer_max: int | None | Unset
    if isinstance(layer_max, Unset):
        json_layer_max = UNSET
    else:
        json_layer_max = layer_max
    params["layer_max"] = json_layer_max

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models/{model}/export".format(model=quote(str(model), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | None:
    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())



        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model: str,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    format_: ExportNeuronsFormat | Unset = ExportNeuronsFormat.AUTOINTERP,

) -> Response[Problem]:
    """ Export Neurons

     A scan's neuron records with every cached explanation and score, streamed a neuron at
    a time.

    Args:
        model (str):
        scan (None | str | Unset): A scan id; default: the latest.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        format_ (ExportNeuronsFormat | Unset): `autointerp`: gzip'd JSON Lines, a scan line then
            one line per neuron (docs/export.md). `neuron-explainer`: a gzip'd tar of its `collated-
            activations/{layer}/{neuron}.json` and `explanations/{layer}/{neuron}.jsonl` files.
            Default: ExportNeuronsFormat.AUTOINTERP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
     """


    kwargs = _get_kwargs(
        model=model,
scan=scan,
layer_min=layer_min,
layer_max=layer_max,
format_=format_,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    model: str,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    format_: ExportNeuronsFormat | Unset = ExportNeuronsFormat.AUTOINTERP,

) -> Problem | None:
    """ Export Neurons

     A scan's neuron records with every cached explanation and score, streamed a neuron at
    a time.

    Args:
        model (str):
        scan (None | str | Unset): A scan id; default: the latest.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        format_ (ExportNeuronsFormat | Unset): `autointerp`: gzip'd JSON Lines, a scan line then
            one line per neuron (docs/export.md). `neuron-explainer`: a gzip'd tar of its `collated-
            activations/{layer}/{neuron}.json` and `explanations/{layer}/{neuron}.jsonl` files.
            Default: ExportNeuronsFormat.AUTOINTERP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
     """


    return sync_detailed(
        model=model,
client=client,
scan=scan,
layer_min=layer_min,
layer_max=layer_max,
format_=format_,

    ).parsed

async def asyncio_detailed(
    model: str,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    format_: ExportNeuronsFormat | Unset = ExportNeuronsFormat.AUTOINTERP,

) -> Response[Problem]:
    """ Export Neurons

     A scan's neuron records with every cached explanation and score, streamed a neuron at
    a time.

    Args:
        model (str):
        scan (None | str | Unset): A scan id; default: the latest.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        format_ (ExportNeuronsFormat | Unset): `autointerp`: gzip'd JSON Lines, a scan line then
            one line per neuron (docs/export.md). `neuron-explainer`: a gzip'd tar of its `collated-
            activations/{layer}/{neuron}.json` and `explanations/{layer}/{neuron}.jsonl` files.
            Default: ExportNeuronsFormat.AUTOINTERP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
     """


    kwargs = _get_kwargs(
        model=model,
scan=scan,
layer_min=layer_min,
layer_max=layer_max,
format_=format_,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    model: str,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    format_: ExportNeuronsFormat | Unset = ExportNeuronsFormat.AUTOINTERP,

) -> Problem | None:
    """ Export Neurons

     A scan's neuron records with every cached explanation and score, streamed a neuron at
    a time.

    Args:
        model (str):
        scan (None | str | Unset): A scan id; default: the latest.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        format_ (ExportNeuronsFormat | Unset): `autointerp`: gzip'd JSON Lines, a scan line then
            one line per neuron (docs/export.md). `neuron-explainer`: a gzip'd tar of its `collated-
            activations/{layer}/{neuron}.json` and `explanations/{layer}/{neuron}.jsonl` files.
            Default: ExportNeuronsFormat.AUTOINTERP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
     """


    return (await asyncio_detailed(
        model=model,
client=client,
scan=scan,
layer_min=layer_min,
layer_max=layer_max,
format_=format_,

    )).parsed
