"""masterymap: competency-based progression as a prerequisite graph with mastery rules.

The C++ core lives in :mod:`masterymap._core`; this package re-exports it with a few
pure-Python conveniences on top (pandas and networkx views).
"""
from ._core import (  # noqa: F401
    __version__,
    Error,
    ValidationError,
    CycleError,
    UnknownIdError,
    PolicyError,
    ParseError,
    Competency,
    FrameworkBuilder,
    Framework,
)
from . import _framework  # noqa: F401  (adds to_networkx, edges_frame, ... to Framework)
from . import io  # noqa: F401

__all__ = [
    "__version__",
    "Error",
    "ValidationError",
    "CycleError",
    "UnknownIdError",
    "PolicyError",
    "ParseError",
    "Competency",
    "FrameworkBuilder",
    "Framework",
    "io",
]
