from typing import Any

__version__: str

class Error(RuntimeError): ...

class ValidationError(Error):
    problems: list[dict[str, Any]]

class CycleError(ValidationError):
    cycle: list[str]
    cycles: list[list[str]]

class UnknownIdError(Error):
    id: str

class PolicyError(Error):
    problems: list[str]

class ParseError(Error):
    line: int
    column: int
    row: int

from . import bkt as bkt
