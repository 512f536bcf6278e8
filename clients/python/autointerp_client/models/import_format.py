from enum import StrEnum

class ImportFormat(StrEnum):
    AUTOINTERP = "autointerp"
    NEURON_EXPLAINER = "neuron-explainer"

    def __str__(self) -> str:
        return str(self.value)
