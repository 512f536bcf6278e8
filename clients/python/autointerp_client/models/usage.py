from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Usage")



@_attrs_define
class Usage:
    """ LLM tokens one key's finished operations reported on one UTC day.

        Attributes:
            completion_tokens (int):
            day (str):
            key (str):
            prompt_tokens (int):
            budget (int | None | Unset):
            remaining (int | None | Unset):
     """

    completion_tokens: int
    day: str
    key: str
    prompt_tokens: int
    budget: int | None | Unset = UNSET
    remaining: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        completion_tokens = self.completion_tokens

        day = self.day

        key = self.key

        prompt_tokens = self.prompt_tokens

        budget: int | None | Unset
        if isinstance(self.budget, Unset):
            budget = UNSET
        else:
            budget = self.budget

        remaining: int | None | Unset
        if isinstance(self.remaining, Unset):
            remaining = UNSET
        else:
            remaining = self.remaining


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "completion_tokens": completion_tokens,
            "day": day,
            "key": key,
            "prompt_tokens": prompt_tokens,
        })
        if budget is not UNSET:
            field_dict["budget"] = budget
        if remaining is not UNSET:
            field_dict["remaining"] = remaining

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        completion_tokens = d.pop("completion_tokens")

        day = d.pop("day")

        key = d.pop("key")

        prompt_tokens = d.pop("prompt_tokens")

        def _parse_budget(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        budget = _parse_budget(d.pop("budget", UNSET))


        def _parse_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        remaining = _parse_remaining(d.pop("remaining", UNSET))


        usage = cls(
            completion_tokens=completion_tokens,
            day=day,
            key=key,
            prompt_tokens=prompt_tokens,
            budget=budget,
            remaining=remaining,
        )

        return usage

