from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.method_protocol import MethodProtocol
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.batch_child import BatchChild





T = TypeVar("T", bound="BatchResult")



@_attrs_define
class BatchResult:
    """ The result of a batch: every child, and how many succeeded.

        Attributes:
            children (list[BatchChild]):
            failed (int):
            layer (int):
            model (str):
            scan_id (str):
            succeeded (int):
            kind (Literal['batch'] | Unset):  Default: 'batch'.
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
     """

    children: list[BatchChild]
    failed: int
    layer: int
    model: str
    scan_id: str
    succeeded: int
    kind: Literal['batch'] | Unset = 'batch'
    protocol: MethodProtocol | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_child import BatchChild # noqa: PLC0415
        children = []
        for children_item_data in self.children:
            children_item = children_item_data.to_dict()
            children.append(children_item)



        failed = self.failed

        layer = self.layer

        model = self.model

        scan_id = self.scan_id

        succeeded = self.succeeded

        kind = self.kind

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "children": children,
            "failed": failed,
            "layer": layer,
            "model": model,
            "scan_id": scan_id,
            "succeeded": succeeded,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind
        if protocol is not UNSET:
            field_dict["protocol"] = protocol

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_child import BatchChild # noqa: PLC0415
        d = dict(src_dict)
        children = []
        _children = d.pop("children")
        for children_item_data in (_children):
            children_item = BatchChild.from_dict(children_item_data)



            children.append(children_item)


        failed = d.pop("failed")

        layer = d.pop("layer")

        model = d.pop("model")

        scan_id = d.pop("scan_id")

        succeeded = d.pop("succeeded")

        kind = cast(Literal['batch'] | Unset , d.pop("kind", UNSET))
        if kind != 'batch'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'batch', got '{kind}'")

        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        batch_result = cls(
            children=children,
            failed=failed,
            layer=layer,
            model=model,
            scan_id=scan_id,
            succeeded=succeeded,
            kind=kind,
            protocol=protocol,
        )

        return batch_result

