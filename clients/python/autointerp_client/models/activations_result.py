from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.text_activations import TextActivations





T = TypeVar("T", bound="ActivationsResult")



@_attrs_define
class ActivationsResult:
    """ The result of an activations operation.

        Attributes:
            layer (int):
            model (str):
            model_revision (str):
            neurons (list[int]):
            texts (list[TextActivations]):
            kind (Literal['activations'] | Unset):  Default: 'activations'.
     """

    layer: int
    model: str
    model_revision: str
    neurons: list[int]
    texts: list[TextActivations]
    kind: Literal['activations'] | Unset = 'activations'





    def to_dict(self) -> dict[str, Any]:
        from ..models.text_activations import TextActivations # noqa: PLC0415
        layer = self.layer

        model = self.model

        model_revision = self.model_revision

        neurons = self.neurons



        texts = []
        for texts_item_data in self.texts:
            texts_item = texts_item_data.to_dict()
            texts.append(texts_item)



        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "layer": layer,
            "model": model,
            "model_revision": model_revision,
            "neurons": neurons,
            "texts": texts,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_activations import TextActivations # noqa: PLC0415
        d = dict(src_dict)
        layer = d.pop("layer")

        model = d.pop("model")

        model_revision = d.pop("model_revision")

        neurons = cast(list[int], d.pop("neurons"))


        texts = []
        _texts = d.pop("texts")
        for texts_item_data in (_texts):
            texts_item = TextActivations.from_dict(texts_item_data)



            texts.append(texts_item)


        kind = cast(Literal['activations'] | Unset , d.pop("kind", UNSET))
        if kind != 'activations'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'activations', got '{kind}'")

        activations_result = cls(
            layer=layer,
            model=model,
            model_revision=model_revision,
            neurons=neurons,
            texts=texts,
            kind=kind,
        )

        return activations_result

