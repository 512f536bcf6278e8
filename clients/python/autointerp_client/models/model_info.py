from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModelInfo")



@_attrs_define
class ModelInfo:
    """ A subject model this server can record.

        Attributes:
            available (bool):
            description (str):
            device (str): Where it runs: auto, cpu, cuda, cuda:N or mps.
            dtype (str): Its precision: auto, float32, bfloat16 or float16.
            name (str):
            revision (None | str): What identifies its weights; null if unavailable.
            architecture (None | str | Unset):
            gated (bool | None | Unset):
            layers (int | None | Unset):
            neurons_per_layer (int | None | Unset):
            unavailable_reason (None | str | Unset): Why it cannot run now (missing files, no worker with its device).
     """

    available: bool
    description: str
    device: str
    dtype: str
    name: str
    revision: None | str
    architecture: None | str | Unset = UNSET
    gated: bool | None | Unset = UNSET
    layers: int | None | Unset = UNSET
    neurons_per_layer: int | None | Unset = UNSET
    unavailable_reason: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        available = self.available

        description = self.description

        device = self.device

        dtype = self.dtype

        name = self.name

        revision: None | str
        revision = self.revision

        architecture: None | str | Unset
        if isinstance(self.architecture, Unset):
            architecture = UNSET
        else:
            architecture = self.architecture

        gated: bool | None | Unset
        if isinstance(self.gated, Unset):
            gated = UNSET
        else:
            gated = self.gated

        layers: int | None | Unset
        if isinstance(self.layers, Unset):
            layers = UNSET
        else:
            layers = self.layers

        neurons_per_layer: int | None | Unset
        if isinstance(self.neurons_per_layer, Unset):
            neurons_per_layer = UNSET
        else:
            neurons_per_layer = self.neurons_per_layer

        unavailable_reason: None | str | Unset
        if isinstance(self.unavailable_reason, Unset):
            unavailable_reason = UNSET
        else:
            unavailable_reason = self.unavailable_reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "available": available,
            "description": description,
            "device": device,
            "dtype": dtype,
            "name": name,
            "revision": revision,
        })
        if architecture is not UNSET:
            field_dict["architecture"] = architecture
        if gated is not UNSET:
            field_dict["gated"] = gated
        if layers is not UNSET:
            field_dict["layers"] = layers
        if neurons_per_layer is not UNSET:
            field_dict["neurons_per_layer"] = neurons_per_layer
        if unavailable_reason is not UNSET:
            field_dict["unavailable_reason"] = unavailable_reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        description = d.pop("description")

        device = d.pop("device")

        dtype = d.pop("dtype")

        name = d.pop("name")

        def _parse_revision(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revision = _parse_revision(d.pop("revision"))


        def _parse_architecture(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        architecture = _parse_architecture(d.pop("architecture", UNSET))


        def _parse_gated(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        gated = _parse_gated(d.pop("gated", UNSET))


        def _parse_layers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        layers = _parse_layers(d.pop("layers", UNSET))


        def _parse_neurons_per_layer(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        neurons_per_layer = _parse_neurons_per_layer(d.pop("neurons_per_layer", UNSET))


        def _parse_unavailable_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unavailable_reason = _parse_unavailable_reason(d.pop("unavailable_reason", UNSET))


        model_info = cls(
            available=available,
            description=description,
            device=device,
            dtype=dtype,
            name=name,
            revision=revision,
            architecture=architecture,
            gated=gated,
            layers=layers,
            neurons_per_layer=neurons_per_layer,
            unavailable_reason=unavailable_reason,
        )

        return model_info

