from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.import_format import ImportFormat






T = TypeVar("T", bound="ImportRequest")



@_attrs_define
class ImportRequest:
    """ Bring exported or published neuron records and explanations into this server.

        Attributes:
            format_ (ImportFormat): What an uploaded file holds.
            model (str): The model the neurons belong to. A model this server does not have may be named: its imported
                neurons can then be read, searched and re-scored, not recorded.
            upload (str): From POST /v1/uploads.
     """

    format_: ImportFormat
    model: str
    upload: str





    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_.value

        model = self.model

        upload = self.upload


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "format": format_,
            "model": model,
            "upload": upload,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = ImportFormat(d.pop("format"))




        model = d.pop("model")

        upload = d.pop("upload")

        import_request = cls(
            format_=format_,
            model=model,
            upload=upload,
        )

        return import_request

