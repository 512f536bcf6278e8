from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.polarity import Polarity
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NeuronSearchRequest")



@_attrs_define
class NeuronSearchRequest:
    """ One text to run through a model, finding the neurons of some layers that fire most.

        Attributes:
            model (str): A model name from GET /v1/models.
            text (str):
            layers (list[int] | None | Unset): Layers to search; all when null.
            overall (int | Unset): Top neurons over the whole text, by their peak activation on it. Default: 20.
            per_token (int | Unset): Top neurons kept at each token. Default: 5.
            polarity (Polarity | Unset): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
     """

    model: str
    text: str
    layers: list[int] | None | Unset = UNSET
    overall: int | Unset = 20
    per_token: int | Unset = 5
    polarity: Polarity | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        model = self.model

        text = self.text

        layers: list[int] | None | Unset
        if isinstance(self.layers, Unset):
            layers = UNSET
        elif isinstance(self.layers, list):
            layers = self.layers


        else:
            layers = self.layers

        overall = self.overall

        per_token = self.per_token

        polarity: str | Unset = UNSET
        if not isinstance(self.polarity, Unset):
            polarity = self.polarity.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "model": model,
            "text": text,
        })
        if layers is not UNSET:
            field_dict["layers"] = layers
        if overall is not UNSET:
            field_dict["overall"] = overall
        if per_token is not UNSET:
            field_dict["per_token"] = per_token
        if polarity is not UNSET:
            field_dict["polarity"] = polarity

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        text = d.pop("text")

        def _parse_layers(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                layers_type_0 = cast(list[int], data)

                return layers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        layers = _parse_layers(d.pop("layers", UNSET))


        overall = d.pop("overall", UNSET)

        per_token = d.pop("per_token", UNSET)

        _polarity = d.pop("polarity", UNSET)
        polarity: Polarity | Unset
        if isinstance(_polarity,  Unset):
            polarity = UNSET
        else:
            polarity = Polarity(_polarity)




        neuron_search_request = cls(
            model=model,
            text=text,
            layers=layers,
            overall=overall,
            per_token=per_token,
            polarity=polarity,
        )

        return neuron_search_request

