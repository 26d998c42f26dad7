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
    FileError,
    MissingFileError,
    Competency,
    FrameworkBuilder,
    Framework,
    Scale,
    Method,
    Rule,
    Rollup,
    Policy,
    EvidenceLog,
    EvidenceError,
    Engine,
    LearnerState,
    Explanation,
    ProbabilitySource,
    STATUSES,
    set_column_cache_limit,
)
from . import _framework  # noqa: F401  (adds to_networkx, edges_frame, ... to Framework)
from . import io  # noqa: F401
from ._mastery import evaluate, evaluate_all, ratings  # noqa: F401  (also adds EvidenceLog.extend, ...)
from ._core import Progression, PacePlan, Roster  # noqa: F401
from ._progression import to_seconds  # noqa: F401  (also adds LearnerState.frontier, Roster.ingest, ...)

__all__ = [
    "__version__",
    "Error",
    "ValidationError",
    "CycleError",
    "UnknownIdError",
    "PolicyError",
    "ParseError",
    "FileError",
    "MissingFileError",
    "Competency",
    "FrameworkBuilder",
    "Framework",
    "io",
    "Scale",
    "Method",
    "Rule",
    "Rollup",
    "Policy",
    "EvidenceLog",
    "EvidenceError",
    "Engine",
    "LearnerState",
    "Explanation",
    "ProbabilitySource",
    "STATUSES",
    "set_column_cache_limit",
    "evaluate",
    "evaluate_all",
    "ratings",
    "Progression",
    "PacePlan",
    "Roster",
    "to_seconds",
]

# Bayesian Knowledge Tracing (pyBKT-like API): masterymap.bkt
from . import bkt  # noqa: E402

__all__ += ["bkt"]
