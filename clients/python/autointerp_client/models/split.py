from enum import StrEnum

class Split(StrEnum):
    CALIBRATION = "calibration"
    TEST = "test"
    TRAIN = "train"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
