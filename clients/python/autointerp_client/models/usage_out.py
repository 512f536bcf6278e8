from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="UsageOut")



@_attrs_define
class UsageOut:
    """ Language-model tokens spent.

        Attributes:
            cached_calls (int):
            calls (int):
            completion_tokens (int):
            prompt_tokens (int):
     """

    cached_calls: int
    calls: int
    completion_tokens: int
    prompt_tokens: int





    def to_dict(self) -> dict[str, Any]:
        cached_calls = self.cached_calls

        calls = self.calls

        completion_tokens = self.completion_tokens

        prompt_tokens = self.prompt_tokens


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "cached_calls": cached_calls,
            "calls": calls,
            "completion_tokens": completion_tokens,
            "prompt_tokens": prompt_tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cached_calls = d.pop("cached_calls")

        calls = d.pop("calls")

        completion_tokens = d.pop("completion_tokens")

        prompt_tokens = d.pop("prompt_tokens")

        usage_out = cls(
            cached_calls=cached_calls,
            calls=calls,
            completion_tokens=completion_tokens,
            prompt_tokens=prompt_tokens,
        )

        return usage_out

