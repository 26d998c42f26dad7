"""Progression: a framework compiled with a policy, answering frontier, blocked-by, gaps,
paths, recommendations and levels from one learner's dense columns.

The bound C++ type, re-exported unchanged. Per-learner answers are methods of
:class:`masterymap.LearnerState` (``st.frontier()``, ...), computed in C++ on the engine's
progression (compiled once per engine, on first use). Structured answers are typed objects
with attributes, a readable ``repr`` and ``to_dict()``: :class:`Blocker`, :class:`Gap`,
:class:`LearningPath`, :class:`Recommendation`, :class:`DomainLevel`.
"""
from ._core import Blocker, DomainLevel, Gap, LearningPath, Progression, Recommendation

__all__ = ["Blocker", "DomainLevel", "Gap", "LearningPath", "Progression", "Recommendation"]
