from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.firing_neuron import FiringNeuron





T = TypeVar("T", bound="TokenNeurons")



@_attrs_define
class TokenNeurons:
    """ One token of the text and the neurons that fire most on it.

        Attributes:
            offset (list[int]): [start, end) character offsets.
            text (str): The token's text as it appears in the input.
            token_id (int):
            top (list[FiringNeuron]): Strongest first.
     """

    offset: list[int]
    text: str
    token_id: int
    top: list[FiringNeuron]





    def to_dict(self) -> dict[str, Any]:
        from ..models.firing_neuron import FiringNeuron # noqa: PLC0415
        offset = []
        for offset_item_data in self.offset:
            offset_item: int
            offset_item = offset_item_data
            offset.append(offset_item)



        text = self.text

        token_id = self.token_id

        top = []
        for top_item_data in self.top:
            top_item = top_item_data.to_dict()
            top.append(top_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "offset": offset,
            "text": text,
            "token_id": token_id,
            "top": top,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.firing_neuron import FiringNeuron # noqa: PLC0415
        d = dict(src_dict)
        offset = []
        _offset = d.pop("offset")
        for offset_item_data in (_offset):
            def _parse_offset_item(data: object) -> int:
                return cast(int, data)

            offset_item = _parse_offset_item(offset_item_data)

            offset.append(offset_item)


        text = d.pop("text")

        token_id = d.pop("token_id")

        top = []
        _top = d.pop("top")
        for top_item_data in (_top):
            top_item = FiringNeuron.from_dict(top_item_data)



            top.append(top_item)


        token_neurons = cls(
            offset=offset,
            text=text,
            token_id=token_id,
            top=top,
        )

        return token_neurons

