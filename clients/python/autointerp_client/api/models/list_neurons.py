from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.list_neurons_sort import ListNeuronsSort
from ...models.neuron_listing_page import NeuronListingPage
from ...models.polarity import Polarity
from ...models.problem import Problem
from ...models.simulator_kind import SimulatorKind
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    model: str,
    *,
    sort: ListNeuronsSort | Unset = ListNeuronsSort.SCORE,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    polarity: None | Polarity | Unset = UNSET,
    explainer: None | str | Unset = UNSET,
    simulator: None | SimulatorKind | Unset = UNSET,
    scan: None | str | Unset = UNSET,
    score_min: float | None | Unset = UNSET,
    score_max: float | None | Unset = UNSET,
    random_only_min: float | None | Unset = UNSET,
    random_only_max: float | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

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

    json_polarity: None | str | Unset
    if isinstance(polarity, Unset):
        json_polarity = UNSET
    elif isinstance(polarity, Polarity):
        json_polarity = polarity.value
    else:
        json_polarity = polarity
    params["polarity"] = json_polarity

    json_explainer: None | str | Unset
    if isinstance(explainer, Unset):
        json_explainer = UNSET
    else:
        json_explainer = explainer
    params["explainer"] = json_explainer

    json_simulator: None | str | Unset
    if isinstance(simulator, Unset):
        json_simulator = UNSET
    elif isinstance(simulator, SimulatorKind):
        json_simulator = simulator.value
    else:
        json_simulator = simulator
    params["simulator"] = json_simulator

    json_scan: None | str | Unset
    if isinstance(scan, Unset):
        json_scan = UNSET
    else:
        json_scan = scan
    params["scan"] = json_scan

    json_score_min: float | None | Unset
    if isinstance(score_min, Unset):
        json_score_min = UNSET
    else:
        json_score_min = score_min
    params["score_min"] = json_score_min

    json_score_max: float | None | Unset
    if isinstance(score_max, Unset):
        json_score_max = UNSET
    else:
        json_score_max = score_max
    params["score_max"] = json_score_max

    json_random_only_min: float | None | Unset
    if isinstance(random_only_min, Unset):
        json_random_only_min = UNSET
    else:
        json_random_only_min = random_only_min
    params["random_only_min"] = json_random_only_min

    json_random_only_max: float | None | Unset
    if isinstance(random_only_max, Unset):
        json_random_only_max = UNSET
    else:
        json_random_only_max = random_only_max
    params["random_only_max"] = json_random_only_max


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models/{model}/neurons".format(model=quote(str(model), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NeuronListingPage | Problem | None:
    if response.status_code == 200:
        response_200 = NeuronListingPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NeuronListingPage | Problem]:
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
    sort: ListNeuronsSort | Unset = ListNeuronsSort.SCORE,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    polarity: None | Polarity | Unset = UNSET,
    explainer: None | str | Unset = UNSET,
    simulator: None | SimulatorKind | Unset = UNSET,
    scan: None | str | Unset = UNSET,
    score_min: float | None | Unset = UNSET,
    score_max: float | None | Unset = UNSET,
    random_only_min: float | None | Unset = UNSET,
    random_only_max: float | None | Unset = UNSET,

) -> Response[NeuronListingPage | Problem]:
    """ List Neurons

     The model's explained neurons, each once with its best-scored explanation among those
    the filters admit, with the histogram of those best scores over every page.

    Args:
        model (str):
        sort (ListNeuronsSort | Unset): Best score first, or by layer then neuron index. Default:
            ListNeuronsSort.SCORE.
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 100.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        polarity (None | Polarity | Unset):
        explainer (None | str | Unset): An LLM profile.
        simulator (None | SimulatorKind | Unset):
        scan (None | str | Unset):
        score_min (float | None | Unset):
        score_max (float | None | Unset):
        random_only_min (float | None | Unset):
        random_only_max (float | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NeuronListingPage | Problem]
     """


    kwargs = _get_kwargs(
        model=model,
sort=sort,
cursor=cursor,
limit=limit,
layer_min=layer_min,
layer_max=layer_max,
polarity=polarity,
explainer=explainer,
simulator=simulator,
scan=scan,
score_min=score_min,
score_max=score_max,
random_only_min=random_only_min,
random_only_max=random_only_max,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    model: str,
    *,
    client: AuthenticatedClient,
    sort: ListNeuronsSort | Unset = ListNeuronsSort.SCORE,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    polarity: None | Polarity | Unset = UNSET,
    explainer: None | str | Unset = UNSET,
    simulator: None | SimulatorKind | Unset = UNSET,
    scan: None | str | Unset = UNSET,
    score_min: float | None | Unset = UNSET,
    score_max: float | None | Unset = UNSET,
    random_only_min: float | None | Unset = UNSET,
    random_only_max: float | None | Unset = UNSET,

) -> NeuronListingPage | Problem | None:
    """ List Neurons

     The model's explained neurons, each once with its best-scored explanation among those
    the filters admit, with the histogram of those best scores over every page.

    Args:
        model (str):
        sort (ListNeuronsSort | Unset): Best score first, or by layer then neuron index. Default:
            ListNeuronsSort.SCORE.
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 100.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        polarity (None | Polarity | Unset):
        explainer (None | str | Unset): An LLM profile.
        simulator (None | SimulatorKind | Unset):
        scan (None | str | Unset):
        score_min (float | None | Unset):
        score_max (float | None | Unset):
        random_only_min (float | None | Unset):
        random_only_max (float | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NeuronListingPage | Problem
     """


    return sync_detailed(
        model=model,
client=client,
sort=sort,
cursor=cursor,
limit=limit,
layer_min=layer_min,
layer_max=layer_max,
polarity=polarity,
explainer=explainer,
simulator=simulator,
scan=scan,
score_min=score_min,
score_max=score_max,
random_only_min=random_only_min,
random_only_max=random_only_max,

    ).parsed

async def asyncio_detailed(
    model: str,
    *,
    client: AuthenticatedClient,
    sort: ListNeuronsSort | Unset = ListNeuronsSort.SCORE,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    polarity: None | Polarity | Unset = UNSET,
    explainer: None | str | Unset = UNSET,
    simulator: None | SimulatorKind | Unset = UNSET,
    scan: None | str | Unset = UNSET,
    score_min: float | None | Unset = UNSET,
    score_max: float | None | Unset = UNSET,
    random_only_min: float | None | Unset = UNSET,
    random_only_max: float | None | Unset = UNSET,

) -> Response[NeuronListingPage | Problem]:
    """ List Neurons

     The model's explained neurons, each once with its best-scored explanation among those
    the filters admit, with the histogram of those best scores over every page.

    Args:
        model (str):
        sort (ListNeuronsSort | Unset): Best score first, or by layer then neuron index. Default:
            ListNeuronsSort.SCORE.
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 100.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        polarity (None | Polarity | Unset):
        explainer (None | str | Unset): An LLM profile.
        simulator (None | SimulatorKind | Unset):
        scan (None | str | Unset):
        score_min (float | None | Unset):
        score_max (float | None | Unset):
        random_only_min (float | None | Unset):
        random_only_max (float | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NeuronListingPage | Problem]
     """


    kwargs = _get_kwargs(
        model=model,
sort=sort,
cursor=cursor,
limit=limit,
layer_min=layer_min,
layer_max=layer_max,
polarity=polarity,
explainer=explainer,
simulator=simulator,
scan=scan,
score_min=score_min,
score_max=score_max,
random_only_min=random_only_min,
random_only_max=random_only_max,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    model: str,
    *,
    client: AuthenticatedClient,
    sort: ListNeuronsSort | Unset = ListNeuronsSort.SCORE,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    layer_min: int | None | Unset = UNSET,
    layer_max: int | None | Unset = UNSET,
    polarity: None | Polarity | Unset = UNSET,
    explainer: None | str | Unset = UNSET,
    simulator: None | SimulatorKind | Unset = UNSET,
    scan: None | str | Unset = UNSET,
    score_min: float | None | Unset = UNSET,
    score_max: float | None | Unset = UNSET,
    random_only_min: float | None | Unset = UNSET,
    random_only_max: float | None | Unset = UNSET,

) -> NeuronListingPage | Problem | None:
    """ List Neurons

     The model's explained neurons, each once with its best-scored explanation among those
    the filters admit, with the histogram of those best scores over every page.

    Args:
        model (str):
        sort (ListNeuronsSort | Unset): Best score first, or by layer then neuron index. Default:
            ListNeuronsSort.SCORE.
        cursor (None | str | Unset):
        limit (int | Unset):  Default: 100.
        layer_min (int | None | Unset):
        layer_max (int | None | Unset):
        polarity (None | Polarity | Unset):
        explainer (None | str | Unset): An LLM profile.
        simulator (None | SimulatorKind | Unset):
        scan (None | str | Unset):
        score_min (float | None | Unset):
        score_max (float | None | Unset):
        random_only_min (float | None | Unset):
        random_only_max (float | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NeuronListingPage | Problem
     """


    return (await asyncio_detailed(
        model=model,
client=client,
sort=sort,
cursor=cursor,
limit=limit,
layer_min=layer_min,
layer_max=layer_max,
polarity=polarity,
explainer=explainer,
simulator=simulator,
scan=scan,
score_min=score_min,
score_max=score_max,
random_only_min=random_only_min,
random_only_max=random_only_max,

    )).parsed
