from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.rejected_out import RejectedOut





T = TypeVar("T", bound="SamplingOut")



@_attrs_define
class SamplingOut:
    """ How the candidates were drawn.

        Attributes:
            asked (int): Candidates asked for (`samples`).
            calls (int): Calls to the explainer's model.
            obtained (int): Distinct usable candidates: fewer than asked when the server returned fewer or some were
                rejected, within the bound on calls.
            rejected (list[RejectedOut]):
     """

    asked: int
    calls: int
    obtained: int
    rejected: list[RejectedOut]





    def to_dict(self) -> dict[str, Any]:
        from ..models.rejected_out import RejectedOut # noqa: PLC0415
        asked = self.asked

        calls = self.calls

        obtained = self.obtained

        rejected = []
        for rejected_item_data in self.rejected:
            rejected_item = rejected_item_data.to_dict()
            rejected.append(rejected_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "asked": asked,
            "calls": calls,
            "obtained": obtained,
            "rejected": rejected,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rejected_out import RejectedOut # noqa: PLC0415
        d = dict(src_dict)
        asked = d.pop("asked")

        calls = d.pop("calls")

        obtained = d.pop("obtained")

        rejected = []
        _rejected = d.pop("rejected")
        for rejected_item_data in (_rejected):
            rejected_item = RejectedOut.from_dict(rejected_item_data)



            rejected.append(rejected_item)


        sampling_out = cls(
            asked=asked,
            calls=calls,
            obtained=obtained,
            rejected=rejected,
        )

        return sampling_out

