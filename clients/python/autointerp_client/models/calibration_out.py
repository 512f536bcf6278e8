from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CalibrationOut")



@_attrs_define
class CalibrationOut:
    """ y_hat' = slope * y_hat + intercept: fitted on the calibration split, or with
    `cross_fit` on all scored excerpts (each excerpt's calibrated values use a fit on the
    others).

        Attributes:
            intercept (float):
            slope (float):
     """

    intercept: float
    slope: float





    def to_dict(self) -> dict[str, Any]:
        intercept = self.intercept

        slope = self.slope


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "intercept": intercept,
            "slope": slope,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        intercept = d.pop("intercept")

        slope = d.pop("slope")

        calibration_out = cls(
            intercept=intercept,
            slope=slope,
        )

        return calibration_out

