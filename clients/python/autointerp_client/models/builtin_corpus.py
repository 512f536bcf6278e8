from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="BuiltinCorpus")



@_attrs_define
class BuiltinCorpus:
    """ A corpus the server installs from a package registry (see scripts/fetch-corpora.sh).

        Attributes:
            name (Literal['brown'] | Unset):  Default: 'brown'.
            type_ (Literal['builtin'] | Unset):  Default: 'builtin'.
     """

    name: Literal['brown'] | Unset = 'brown'
    type_: Literal['builtin'] | Unset = 'builtin'





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = cast(Literal['brown'] | Unset , d.pop("name", UNSET))
        if name != 'brown'and not isinstance(name, Unset):
            raise ValueError(f"name must match const 'brown', got '{name}'")

        type_ = cast(Literal['builtin'] | Unset , d.pop("type", UNSET))
        if type_ != 'builtin'and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'builtin', got '{type_}'")

        builtin_corpus = cls(
            name=name,
            type_=type_,
        )

        return builtin_corpus

