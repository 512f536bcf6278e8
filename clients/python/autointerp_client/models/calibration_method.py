from enum import StrEnum

class CalibrationMethod(StrEnum):
    CROSS_FIT = "cross_fit"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
