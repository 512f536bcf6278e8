from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RejectedOut")



@_attrs_define
class RejectedOut:
    """ A candidate the explainer returned that is not an explanation.

        Attributes:
            explanation (str):
            reason (str):
     """

    explanation: str
    reason: str





    def to_dict(self) -> dict[str, Any]:
        explanation = self.explanation

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "explanation": explanation,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        explanation = d.pop("explanation")

        reason = d.pop("reason")

        rejected_out = cls(
            explanation=explanation,
            reason=reason,
        )

        return rejected_out

