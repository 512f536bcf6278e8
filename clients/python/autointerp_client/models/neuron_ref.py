from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NeuronRef")



@_attrs_define
class NeuronRef:
    """ A neuron whose record a scan has stored.

        Attributes:
            index (int):
            layer (int):
            model (str): A model name from GET /v1/models.
            scan (None | str | Unset): Scan id; default: the model's latest scan.
     """

    index: int
    layer: int
    model: str
    scan: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        index = self.index

        layer = self.layer

        model = self.model

        scan: None | str | Unset
        if isinstance(self.scan, Unset):
            scan = UNSET
        else:
            scan = self.scan


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "index": index,
            "layer": layer,
            "model": model,
        })
        if scan is not UNSET:
            field_dict["scan"] = scan

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        layer = d.pop("layer")

        model = d.pop("model")

        def _parse_scan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scan = _parse_scan(d.pop("scan", UNSET))


        neuron_ref = cls(
            index=index,
            layer=layer,
            model=model,
            scan=scan,
        )

        return neuron_ref

