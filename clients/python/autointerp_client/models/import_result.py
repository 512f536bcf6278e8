from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="ImportResult")



@_attrs_define
class ImportResult:
    """ What an import stored.

        Attributes:
            layers (list[int]):
            model (str):
            neurons (int): Neurons with an imported record or result.
            records (int):
            results (int): Explanations and scores stored.
            scan_id (None | str): The scan holding imported records, if any.
            kind (Literal['import'] | Unset):  Default: 'import'.
     """

    layers: list[int]
    model: str
    neurons: int
    records: int
    results: int
    scan_id: None | str
    kind: Literal['import'] | Unset = 'import'





    def to_dict(self) -> dict[str, Any]:
        layers = self.layers



        model = self.model

        neurons = self.neurons

        records = self.records

        results = self.results

        scan_id: None | str
        scan_id = self.scan_id

        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "layers": layers,
            "model": model,
            "neurons": neurons,
            "records": records,
            "results": results,
            "scan_id": scan_id,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        layers = cast(list[int], d.pop("layers"))


        model = d.pop("model")

        neurons = d.pop("neurons")

        records = d.pop("records")

        results = d.pop("results")

        def _parse_scan_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scan_id = _parse_scan_id(d.pop("scan_id"))


        kind = cast(Literal['import'] | Unset , d.pop("kind", UNSET))
        if kind != 'import'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'import', got '{kind}'")

        import_result = cls(
            layers=layers,
            model=model,
            neurons=neurons,
            records=records,
            results=results,
            scan_id=scan_id,
            kind=kind,
        )

        return import_result

