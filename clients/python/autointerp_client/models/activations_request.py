from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ActivationsRequest")



@_attrs_define
class ActivationsRequest:
    """ Texts to run through a model, recording some neurons of one layer.

        Attributes:
            layer (int):
            model (str): A model name from GET /v1/models.
            neurons (list[int]):
            texts (list[str]):
     """

    layer: int
    model: str
    neurons: list[int]
    texts: list[str]





    def to_dict(self) -> dict[str, Any]:
        layer = self.layer

        model = self.model

        neurons = self.neurons



        texts = self.texts




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "layer": layer,
            "model": model,
            "neurons": neurons,
            "texts": texts,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        layer = d.pop("layer")

        model = d.pop("model")

        neurons = cast(list[int], d.pop("neurons"))


        texts = cast(list[str], d.pop("texts"))


        activations_request = cls(
            layer=layer,
            model=model,
            neurons=neurons,
            texts=texts,
        )

        return activations_request

