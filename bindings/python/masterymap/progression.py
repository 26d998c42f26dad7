"""Progression: a framework compiled with a policy, answering frontier, blocked-by, gaps,
paths, recommendations and levels from one learner's dense columns.

The bound C++ type, re-exported unchanged. Per-learner answers are methods of
:class:`masterymap.LearnerState` (``st.frontier()``, ...).
"""
from ._core import Progression

__all__ = ["Progression"]
