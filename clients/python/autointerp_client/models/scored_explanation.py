from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.method_protocol import MethodProtocol
from ..models.split import Split
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.calibration_out import CalibrationOut
  from ..models.score_out import ScoreOut





T = TypeVar("T", bound="ScoredExplanation")



@_attrs_define
class ScoredExplanation:
    """ An explanation with every score of it on one split.

        Attributes:
            calibrated_top_and_random (ScoreOut): Scores on pooled tokens; null where undefined (constant vectors, silent
                neuron).
            calibration (CalibrationOut): y_hat' = slope * y_hat + intercept: fitted on the calibration split, or with
                `cross_fit` on all scored excerpts (each excerpt's calibrated values use a fit on the
                others).
            explanation (str):
            random_only (ScoreOut): Scores on pooled tokens; null where undefined (constant vectors, silent neuron).
            split (Split): Where an excerpt is used.
            top_and_random (ScoreOut): Scores on pooled tokens; null where undefined (constant vectors, silent neuron).
            unaligned_tokens (int):
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
     """

    calibrated_top_and_random: ScoreOut
    calibration: CalibrationOut
    explanation: str
    random_only: ScoreOut
    split: Split
    top_and_random: ScoreOut
    unaligned_tokens: int
    protocol: MethodProtocol | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.calibration_out import CalibrationOut # noqa: PLC0415
        from ..models.score_out import ScoreOut # noqa: PLC0415
        calibrated_top_and_random = self.calibrated_top_and_random.to_dict()

        calibration = self.calibration.to_dict()

        explanation = self.explanation

        random_only = self.random_only.to_dict()

        split = self.split.value

        top_and_random = self.top_and_random.to_dict()

        unaligned_tokens = self.unaligned_tokens

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "calibrated_top_and_random": calibrated_top_and_random,
            "calibration": calibration,
            "explanation": explanation,
            "random_only": random_only,
            "split": split,
            "top_and_random": top_and_random,
            "unaligned_tokens": unaligned_tokens,
        })
        if protocol is not UNSET:
            field_dict["protocol"] = protocol

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calibration_out import CalibrationOut # noqa: PLC0415
        from ..models.score_out import ScoreOut # noqa: PLC0415
        d = dict(src_dict)
        calibrated_top_and_random = ScoreOut.from_dict(d.pop("calibrated_top_and_random"))




        calibration = CalibrationOut.from_dict(d.pop("calibration"))




        explanation = d.pop("explanation")

        random_only = ScoreOut.from_dict(d.pop("random_only"))




        split = Split(d.pop("split"))




        top_and_random = ScoreOut.from_dict(d.pop("top_and_random"))




        unaligned_tokens = d.pop("unaligned_tokens")

        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        scored_explanation = cls(
            calibrated_top_and_random=calibrated_top_and_random,
            calibration=calibration,
            explanation=explanation,
            random_only=random_only,
            split=split,
            top_and_random=top_and_random,
            unaligned_tokens=unaligned_tokens,
            protocol=protocol,
        )

        return scored_explanation

