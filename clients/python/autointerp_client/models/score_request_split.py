from enum import StrEnum

class ScoreRequestSplit(StrEnum):
    TEST = "test"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
