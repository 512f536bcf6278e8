from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="ScanResult")



@_attrs_define
class ScanResult:
    """ The result of a scan: where its records are and what it covered.

        Attributes:
            excerpts (int):
            layers (list[int]):
            model (str):
            model_revision (str):
            neurons_per_layer (int):
            scan_id (str):
            tokens (int):
            kind (Literal['scan'] | Unset):  Default: 'scan'.
     """

    excerpts: int
    layers: list[int]
    model: str
    model_revision: str
    neurons_per_layer: int
    scan_id: str
    tokens: int
    kind: Literal['scan'] | Unset = 'scan'





    def to_dict(self) -> dict[str, Any]:
        excerpts = self.excerpts

        layers = self.layers



        model = self.model

        model_revision = self.model_revision

        neurons_per_layer = self.neurons_per_layer

        scan_id = self.scan_id

        tokens = self.tokens

        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "excerpts": excerpts,
            "layers": layers,
            "model": model,
            "model_revision": model_revision,
            "neurons_per_layer": neurons_per_layer,
            "scan_id": scan_id,
            "tokens": tokens,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        excerpts = d.pop("excerpts")

        layers = cast(list[int], d.pop("layers"))


        model = d.pop("model")

        model_revision = d.pop("model_revision")

        neurons_per_layer = d.pop("neurons_per_layer")

        scan_id = d.pop("scan_id")

        tokens = d.pop("tokens")

        kind = cast(Literal['scan'] | Unset , d.pop("kind", UNSET))
        if kind != 'scan'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'scan', got '{kind}'")

        scan_result = cls(
            excerpts=excerpts,
            layers=layers,
            model=model,
            model_revision=model_revision,
            neurons_per_layer=neurons_per_layer,
            scan_id=scan_id,
            tokens=tokens,
            kind=kind,
        )

        return scan_result

