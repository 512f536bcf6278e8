from enum import StrEnum

class SimulatorKind(StrEnum):
    ALL_AT_ONCE = "all_at_once"
    BINARY = "binary"
    GENERATED = "generated"
    JSON = "json"
    LEXICAL = "lexical"

    def __str__(self) -> str:
        return str(self.value)
