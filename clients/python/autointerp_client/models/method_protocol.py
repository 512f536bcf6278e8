from enum import StrEnum

class MethodProtocol(StrEnum):
    AUTOINTERP = "autointerp"
    STUDY = "study"

    def __str__(self) -> str:
        return str(self.value)
