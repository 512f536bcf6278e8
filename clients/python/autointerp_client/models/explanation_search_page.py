from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.explanation_hit import ExplanationHit





T = TypeVar("T", bound="ExplanationSearchPage")



@_attrs_define
class ExplanationSearchPage:
    """ One page of hits, best first.

        Attributes:
            hits (list[ExplanationHit]):
            next_cursor (None | str): Pass as `cursor` for the next page.
            total (int): Hits of the search in all pages.
     """

    hits: list[ExplanationHit]
    next_cursor: None | str
    total: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.explanation_hit import ExplanationHit # noqa: PLC0415
        hits = []
        for hits_item_data in self.hits:
            hits_item = hits_item_data.to_dict()
            hits.append(hits_item)



        next_cursor: None | str
        next_cursor = self.next_cursor

        total = self.total


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "hits": hits,
            "next_cursor": next_cursor,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explanation_hit import ExplanationHit # noqa: PLC0415
        d = dict(src_dict)
        hits = []
        _hits = d.pop("hits")
        for hits_item_data in (_hits):
            hits_item = ExplanationHit.from_dict(hits_item_data)



            hits.append(hits_item)


        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        total = d.pop("total")

        explanation_search_page = cls(
            hits=hits,
            next_cursor=next_cursor,
            total=total,
        )

        return explanation_search_page

