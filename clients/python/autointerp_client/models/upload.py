from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Upload")



@_attrs_define
class Upload:
    """ A stored upload, to be named by an import.

        Attributes:
            bytes_ (int):
            expires_in_s (int): The upload is deleted after this many seconds.
            upload (str): The SHA-256 of the uploaded bytes: pass it to an import.
     """

    bytes_: int
    expires_in_s: int
    upload: str





    def to_dict(self) -> dict[str, Any]:
        bytes_ = self.bytes_

        expires_in_s = self.expires_in_s

        upload = self.upload


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "bytes": bytes_,
            "expires_in_s": expires_in_s,
            "upload": upload,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_ = d.pop("bytes")

        expires_in_s = d.pop("expires_in_s")

        upload = d.pop("upload")

        upload = cls(
            bytes_=bytes_,
            expires_in_s=expires_in_s,
            upload=upload,
        )

        return upload

