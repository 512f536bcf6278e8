from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.excerpt_in import ExcerptIn





T = TypeVar("T", bound="InlineRecords")



@_attrs_define
class InlineRecords:
    """ A neuron record given in the request instead of read from a scan.

        Attributes:
            top (list[ExcerptIn]):
            random (list[ExcerptIn] | Unset):
     """

    top: list[ExcerptIn]
    random: list[ExcerptIn] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.excerpt_in import ExcerptIn # noqa: PLC0415
        top = []
        for top_item_data in self.top:
            top_item = top_item_data.to_dict()
            top.append(top_item)



        random: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.random, Unset):
            random = []
            for random_item_data in self.random:
                random_item = random_item_data.to_dict()
                random.append(random_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "top": top,
        })
        if random is not UNSET:
            field_dict["random"] = random

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.excerpt_in import ExcerptIn # noqa: PLC0415
        d = dict(src_dict)
        top = []
        _top = d.pop("top")
        for top_item_data in (_top):
            top_item = ExcerptIn.from_dict(top_item_data)



            top.append(top_item)


        _random = d.pop("random", UNSET)
        random: list[ExcerptIn] | Unset = UNSET
        if _random is not UNSET:
            random = []
            for random_item_data in _random:
                random_item = ExcerptIn.from_dict(random_item_data)



                random.append(random_item)


        inline_records = cls(
            top=top,
            random=random,
        )

        return inline_records

