from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TextActivations")



@_attrs_define
class TextActivations:
    """ One text's tokens and, per token, the activation of each requested neuron.

        Attributes:
            activations (list[list[float]]): [token][neuron], neurons as requested.
            offsets (list[list[int]]): [start, end) character offsets.
            token_ids (list[int]):
            tokens (list[str]): Each token's text as it appears in the input.
     """

    activations: list[list[float]]
    offsets: list[list[int]]
    token_ids: list[int]
    tokens: list[str]





    def to_dict(self) -> dict[str, Any]:
        activations = []
        for activations_item_data in self.activations:
            activations_item = activations_item_data


            activations.append(activations_item)



        offsets = []
        for offsets_item_data in self.offsets:
            offsets_item = []
            for offsets_item_item_data in offsets_item_data:
                offsets_item_item: int
                offsets_item_item = offsets_item_item_data
                offsets_item.append(offsets_item_item)


            offsets.append(offsets_item)



        token_ids = self.token_ids



        tokens = self.tokens




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "activations": activations,
            "offsets": offsets,
            "token_ids": token_ids,
            "tokens": tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activations = []
        _activations = d.pop("activations")
        for activations_item_data in (_activations):
            activations_item = cast(list[float], activations_item_data)

            activations.append(activations_item)


        offsets = []
        _offsets = d.pop("offsets")
        for offsets_item_data in (_offsets):
            offsets_item = []
            _offsets_item = offsets_item_data
            for offsets_item_item_data in (_offsets_item):
                def _parse_offsets_item_item(data: object) -> int:
                    return cast(int, data)

                offsets_item_item = _parse_offsets_item_item(offsets_item_item_data)

                offsets_item.append(offsets_item_item)

            offsets.append(offsets_item)


        token_ids = cast(list[int], d.pop("token_ids"))


        tokens = cast(list[str], d.pop("tokens"))


        text_activations = cls(
            activations=activations,
            offsets=offsets,
            token_ids=token_ids,
            tokens=tokens,
        )

        return text_activations

