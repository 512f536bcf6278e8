from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="HuggingFaceCorpus")



@_attrs_define
class HuggingFaceCorpus:
    """ A Hugging Face hub dataset at a pinned commit, streamed: only one the operator allows
    (AUTOINTERP_HUGGINGFACE_DATASETS), and only from the hub, never a path on the server.

        Attributes:
            name (str): A hub dataset id, `owner/name` (a path is not one).
            revision (str): The dataset commit to read (a branch could change under cached scans).
            config (None | str | Unset):
            split (str | Unset):  Default: 'train'.
            text_field (str | Unset):  Default: 'text'.
            type_ (Literal['huggingface'] | Unset):  Default: 'huggingface'.
     """

    name: str
    revision: str
    config: None | str | Unset = UNSET
    split: str | Unset = 'train'
    text_field: str | Unset = 'text'
    type_: Literal['huggingface'] | Unset = 'huggingface'





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        revision = self.revision

        config: None | str | Unset
        if isinstance(self.config, Unset):
            config = UNSET
        else:
            config = self.config

        split = self.split

        text_field = self.text_field

        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "revision": revision,
        })
        if config is not UNSET:
            field_dict["config"] = config
        if split is not UNSET:
            field_dict["split"] = split
        if text_field is not UNSET:
            field_dict["text_field"] = text_field
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        revision = d.pop("revision")

        def _parse_config(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        config = _parse_config(d.pop("config", UNSET))


        split = d.pop("split", UNSET)

        text_field = d.pop("text_field", UNSET)

        type_ = cast(Literal['huggingface'] | Unset , d.pop("type", UNSET))
        if type_ != 'huggingface'and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'huggingface', got '{type_}'")

        hugging_face_corpus = cls(
            name=name,
            revision=revision,
            config=config,
            split=split,
            text_field=text_field,
            type_=type_,
        )

        return hugging_face_corpus

