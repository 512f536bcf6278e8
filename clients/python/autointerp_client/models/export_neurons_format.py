from enum import StrEnum

class ExportNeuronsFormat(StrEnum):
    AUTOINTERP = "autointerp"
    NEURON_EXPLAINER = "neuron-explainer"

    def __str__(self) -> str:
        return str(self.value)
