"""masterymap: competency-based progression as a prerequisite graph with mastery rules.

The C++ core lives in :mod:`masterymap._core`; this package re-exports it with a few
pure-Python conveniences on top.
"""
from ._core import (  # noqa: F401
    __version__,
    Error,
    ValidationError,
    CycleError,
    UnknownIdError,
    PolicyError,
    ParseError,
)

__all__ = [
    "__version__",
    "Error",
    "ValidationError",
    "CycleError",
    "UnknownIdError",
    "PolicyError",
    "ParseError",
]

# Bayesian Knowledge Tracing (pyBKT-like API): masterymap.bkt
from . import bkt  # noqa: E402

__all__ += ["bkt"]
