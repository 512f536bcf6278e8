from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.neuron_record_public import NeuronRecordPublic
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    model: str,
    layer: int,
    index: int,
    *,
    scan: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_scan: None | str | Unset
    if isinstance(scan, Unset):
        json_scan = UNSET
    else:
        json_scan = scan
    params["scan"] = json_scan


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models/{model}/layers/{layer}/neurons/{index}".format(model=quote(str(model), safe=""),layer=quote(str(layer), safe=""),index=quote(str(index), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NeuronRecordPublic | Problem | None:
    if response.status_code == 200:
        response_200 = NeuronRecordPublic.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NeuronRecordPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model: str,
    layer: int,
    index: int,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,

) -> Response[NeuronRecordPublic | Problem]:
    """ Get Neuron

     The neuron's record from a scan: top, bottom and random excerpts and moments.

    Args:
        model (str):
        layer (int):
        index (int):
        scan (None | str | Unset): A scan id; default: the latest.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NeuronRecordPublic | Problem]
     """


    kwargs = _get_kwargs(
        model=model,
layer=layer,
index=index,
scan=scan,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    model: str,
    layer: int,
    index: int,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,

) -> NeuronRecordPublic | Problem | None:
    """ Get Neuron

     The neuron's record from a scan: top, bottom and random excerpts and moments.

    Args:
        model (str):
        layer (int):
        index (int):
        scan (None | str | Unset): A scan id; default: the latest.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NeuronRecordPublic | Problem
     """


    return sync_detailed(
        model=model,
layer=layer,
index=index,
client=client,
scan=scan,

    ).parsed

async def asyncio_detailed(
    model: str,
    layer: int,
    index: int,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,

) -> Response[NeuronRecordPublic | Problem]:
    """ Get Neuron

     The neuron's record from a scan: top, bottom and random excerpts and moments.

    Args:
        model (str):
        layer (int):
        index (int):
        scan (None | str | Unset): A scan id; default: the latest.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NeuronRecordPublic | Problem]
     """


    kwargs = _get_kwargs(
        model=model,
layer=layer,
index=index,
scan=scan,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    model: str,
    layer: int,
    index: int,
    *,
    client: AuthenticatedClient,
    scan: None | str | Unset = UNSET,

) -> NeuronRecordPublic | Problem | None:
    """ Get Neuron

     The neuron's record from a scan: top, bottom and random excerpts and moments.

    Args:
        model (str):
        layer (int):
        index (int):
        scan (None | str | Unset): A scan id; default: the latest.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NeuronRecordPublic | Problem
     """


    return (await asyncio_detailed(
        model=model,
layer=layer,
index=index,
client=client,
scan=scan,

    )).parsed
