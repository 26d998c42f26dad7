"""masterymap: competency-based progression as a prerequisite graph with mastery rules.

The compiled module :mod:`masterymap._core` holds the bound C++ types; this package has one
module per concept, each re-exporting the bound types unchanged (or, for ``bkt.Model``,
wrapping one): :mod:`~masterymap.framework`, :mod:`~masterymap.scale`,
:mod:`~masterymap.policy`, :mod:`~masterymap.evidence`, :mod:`~masterymap.engine`,
:mod:`~masterymap.progression`, :mod:`~masterymap.pacing`, :mod:`~masterymap.roster`,
:mod:`~masterymap.bkt`, :mod:`~masterymap.io`, :mod:`~masterymap.editions`. Every public name is also available here.
Methods that convert to or from pandas are bound in C++ and call the two conversion modules
``_columns`` (data in) and ``_frames`` (DataFrames out). numpy and pandas are required.
"""
from ._core import (
    CycleError,
    Error,
    FileError,
    MissingFileError,
    ParseError,
    PolicyError,
    UnknownIdError,
    ValidationError,
    __version__,
)
from . import bkt, io, testing
from .engine import (
    STATUS_ORDER,
    STATUSES,
    Engine,
    Explanation,
    LearnerState,
    ProbabilitySource,
    evaluate,
    evaluate_all,
    is_earned,
    is_met,
    ratings,
    status_text,
)
from .editions import RevisionMap, migrate, revisions
from .evidence import EvidenceError, EvidenceLog, set_column_cache_limit
from .framework import Association, Competency, Framework, FrameworkBuilder
from .pacing import PacePlan, PaceReport, to_seconds
from .policy import Method, Policy, Rollup, Rule
from .progression import (
    Blocker,
    DomainLevel,
    Gap,
    LearningPath,
    Progression,
    Recommendation,
)
from .roster import Roster
from .scale import Scale


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
    "Association",
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
    "STATUS_ORDER",
    "is_earned",
    "is_met",
    "status_text",
    "set_column_cache_limit",
    "evaluate",
    "evaluate_all",
    "ratings",
    "Progression",
    "Blocker",
    "Gap",
    "LearningPath",
    "Recommendation",
    "DomainLevel",
    "PaceReport",
    "PacePlan",
    "Roster",
    "RevisionMap",
    "revisions",
    "migrate",
    "to_seconds",
    "bkt",
    "testing",
]
