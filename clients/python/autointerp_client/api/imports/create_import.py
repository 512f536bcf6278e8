from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.import_request import ImportRequest
from ...models.operation import Operation
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ImportRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/imports",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Operation | Problem | None:
    if response.status_code == 200:
        response_200 = Operation.from_dict(response.json())



        return response_200

    if response.status_code == 202:
        response_202 = Operation.from_dict(response.json())



        return response_202

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Operation | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Operation | Problem]:
    """ Submit

     Import an uploaded file (POST /v1/uploads): our export, or neuron-explainer's collated activations
    and explanations, all or nothing; imported explanations are searchable and imported records re-
    scorable.

    Args:
        idempotency_key (None | str | Unset): Reusing a key with a different body is a 422.
        body (ImportRequest): Bring exported or published neuron records and explanations into
            this server.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Operation | Problem | None:
    """ Submit

     Import an uploaded file (POST /v1/uploads): our export, or neuron-explainer's collated activations
    and explanations, all or nothing; imported explanations are searchable and imported records re-
    scorable.

    Args:
        idempotency_key (None | str | Unset): Reusing a key with a different body is a 422.
        body (ImportRequest): Bring exported or published neuron records and explanations into
            this server.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Operation | Problem]:
    """ Submit

     Import an uploaded file (POST /v1/uploads): our export, or neuron-explainer's collated activations
    and explanations, all or nothing; imported explanations are searchable and imported records re-
    scorable.

    Args:
        idempotency_key (None | str | Unset): Reusing a key with a different body is a 422.
        body (ImportRequest): Bring exported or published neuron records and explanations into
            this server.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Operation | Problem]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Operation | Problem | None:
    """ Submit

     Import an uploaded file (POST /v1/uploads): our export, or neuron-explainer's collated activations
    and explanations, all or nothing; imported explanations are searchable and imported records re-
    scorable.

    Args:
        idempotency_key (None | str | Unset): Reusing a key with a different body is a 422.
        body (ImportRequest): Bring exported or published neuron records and explanations into
            this server.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Operation | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
