"""Stubs of masterymap._core: the exception types (bind_errors.cpp).

Stub-only module: masterymap._core is one compiled module, so this file has no module at run
time. ``__init__.pyi`` re-exports each name from here; import them from masterymap._core.
"""

from typing import Any, Optional


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
    line: Optional[int]    # 1-based position in the file; None when unknown or not a file
    column: Optional[int]  # in characters
    row: Optional[int]     # 0-based data row of a table; None when not about a row

class FileError(Error, OSError): ...
class MissingFileError(FileError, FileNotFoundError): ...
