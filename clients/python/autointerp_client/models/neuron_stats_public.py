from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="NeuronStatsPublic")



@_attrs_define
class NeuronStatsPublic:
    """ Moments of the neuron's activation over every scanned token.

        Attributes:
            count (int):
            kurtosis (float | None):
            max_ (float):
            mean (float):
            min_ (float):
            skewness (float | None):
            variance (float):
     """

    count: int
    kurtosis: float | None
    max_: float
    mean: float
    min_: float
    skewness: float | None
    variance: float





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        kurtosis: float | None
        kurtosis = self.kurtosis

        max_ = self.max_

        mean = self.mean

        min_ = self.min_

        skewness: float | None
        skewness = self.skewness

        variance = self.variance


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "count": count,
            "kurtosis": kurtosis,
            "max": max_,
            "mean": mean,
            "min": min_,
            "skewness": skewness,
            "variance": variance,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        def _parse_kurtosis(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        kurtosis = _parse_kurtosis(d.pop("kurtosis"))


        max_ = d.pop("max")

        mean = d.pop("mean")

        min_ = d.pop("min")

        def _parse_skewness(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        skewness = _parse_skewness(d.pop("skewness"))


        variance = d.pop("variance")

        neuron_stats_public = cls(
            count=count,
            kurtosis=kurtosis,
            max_=max_,
            mean=mean,
            min_=min_,
            skewness=skewness,
            variance=variance,
        )

        return neuron_stats_public

