from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SimulationRequest")



@_attrs_define
class SimulationRequest:
    """ Predict activations from an explanation alone, on texts or on given tokens.

        Attributes:
            explanation (str): Words describing what the neuron does: no markup or control tokens, no token/activation
                listing, not numbers or punctuation alone.
            model (None | str | Unset): Tokenizer for `texts`.
            profile (str | Unset): A server-configured LLM profile. Default: 'local'.
            simulator (SimulatorKind | Unset): How activations are predicted.
            texts (list[str] | None | Unset):
            tokens (list[list[str]] | None | Unset):
     """

    explanation: str
    model: None | str | Unset = UNSET
    profile: str | Unset = 'local'
    simulator: SimulatorKind | Unset = UNSET
    texts: list[str] | None | Unset = UNSET
    tokens: list[list[str]] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        explanation = self.explanation

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        profile = self.profile

        simulator: str | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.value


        texts: list[str] | None | Unset
        if isinstance(self.texts, Unset):
            texts = UNSET
        elif isinstance(self.texts, list):
            texts = self.texts


        else:
            texts = self.texts

        tokens: list[list[str]] | None | Unset
        if isinstance(self.tokens, Unset):
            tokens = UNSET
        elif isinstance(self.tokens, list):
            tokens = []
            for tokens_type_0_item_data in self.tokens:
                tokens_type_0_item = tokens_type_0_item_data


                tokens.append(tokens_type_0_item)


        else:
            tokens = self.tokens


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "explanation": explanation,
        })
        if model is not UNSET:
            field_dict["model"] = model
        if profile is not UNSET:
            field_dict["profile"] = profile
        if simulator is not UNSET:
            field_dict["simulator"] = simulator
        if texts is not UNSET:
            field_dict["texts"] = texts
        if tokens is not UNSET:
            field_dict["tokens"] = tokens

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        explanation = d.pop("explanation")

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))


        profile = d.pop("profile", UNSET)

        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorKind | Unset
        if isinstance(_simulator,  Unset):
            simulator = UNSET
        else:
            simulator = SimulatorKind(_simulator)




        def _parse_texts(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                texts_type_0 = cast(list[str], data)

                return texts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        texts = _parse_texts(d.pop("texts", UNSET))


        def _parse_tokens(data: object) -> list[list[str]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tokens_type_0 = []
                _tokens_type_0 = data
                for tokens_type_0_item_data in (_tokens_type_0):
                    tokens_type_0_item = cast(list[str], tokens_type_0_item_data)

                    tokens_type_0.append(tokens_type_0_item)

                return tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[str]] | None | Unset, data)

        tokens = _parse_tokens(d.pop("tokens", UNSET))


        simulation_request = cls(
            explanation=explanation,
            model=model,
            profile=profile,
            simulator=simulator,
            texts=texts,
            tokens=tokens,
        )

        return simulation_request

