"""Stubs of the xAPI functions of masterymap._core.io (bind_xapi.cpp), re-exported by io.pyi."""
import os
from typing import Any, Optional, Union

from ._framework import Framework
from ._scale import Scale

def validate_xapi_statement(text: str, version: str = "2.0") -> list[tuple[str, str]]: ...
def parse_rfc3339(text: str) -> Optional[float]: ...
def parse_xapi(source: Union[str, bytes, "os.PathLike[str]"], *, is_path: bool = False,
               version: str = "2.0", alignment: dict[str, str] = ...,
               framework: Optional[Framework] = None, learner: str = "ifi",
               learners: dict[str, str] = ..., verb_kinds: dict[str, str] = ...,
               default_kind: str = "formative", scale: Optional[Scale] = None,
               success_score: Optional[float] = None, failure_score: Optional[float] = None,
               completion_score: Optional[float] = None, negative: str = "reject",
               skip_unaligned: bool = True, cmi5: bool = False,
               mastery_scores: dict[str, float] = ..., cmi5_aus: dict[str, str] = ...,
               default_time: Any = None, threads: int = 0,
               skipped: bool = True) -> dict[str, Any]: ...
def default_verb_kinds() -> dict[str, str]: ...
