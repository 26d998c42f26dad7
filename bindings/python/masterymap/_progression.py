"""PENDING C++ BINDING -- the one place where methods are still attached to bound types.

The nine progression methods of :class:`LearnerState` (``frontier``, ``inner_fringe``,
``blocked_by``, ``gaps``, ``path_to``, ``recommend``, ``level``, ``levels``, ``pacing``) and
``Roster.learner`` are being bound directly in C++ with typed results (bind_engine.cpp,
bind_progression.cpp, bind_roster.cpp, bind_pacing.cpp). Until that lands they are attached
here, unchanged in behaviour; that change deletes this module (and its import in
``masterymap/__init__.py``) and the matching exemption list ``PENDING_CPP`` in
tests/python/test_package.py. Nothing else may attach attributes to a ``_core`` type.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Union

import numpy as np

from ._core import (
    Engine,
    LearnerState,
    PacePlan,
    Progression,
    Roster,
    UnknownIdError,
    _pacing,
)


def _progression(st: LearnerState) -> Progression:
    return Progression(st.framework, st.policy)


def _last_evidence(st: LearnerState) -> np.ndarray:
    """Latest evidence time per competency, up to the state's evaluation time (NaN = none)."""
    out = np.full(len(st), np.nan)
    counts = st.evidence_counts()
    for i in np.flatnonzero(counts):
        times = [e["time"] for e in st.explain(int(i)).evidence if e["time"] <= st.as_of]
        if times:
            out[i] = max(times)
    return out


def frontier(self: LearnerState) -> list:
    """Ready to learn: competencies not done whose gating prerequisites are met (framework order).

    ``required`` prerequisites must be done (mastered, exceeded, exempt); ``familiar`` ones at
    least at the edge's lower level (its ``min_level``, else the scale's lowest rating above the
    bottom when below mastery, else any evidence); ``recommended`` ones never gate.
    """
    return _progression(self).frontier(self.statuses(), self.scores())


def inner_fringe(self: LearnerState) -> list:
    """Recently learned: done competencies none of whose gating dependents are done yet."""
    return _progression(self).inner_fringe(self.statuses(), self.scores())


def blocked_by(self: LearnerState, id: Union[str, int]) -> list:
    """Why ``id`` cannot be started: its unmet prerequisites, transitively, in learning order.

    Each is a dict: id, status, score, needed ("mastered", "started" or a rating label),
    needed_level, blocks (the dependents it holds back), ready (can start now), distance (steps
    from ready). Empty when ``id`` is done or ready.
    """
    return _progression(self).blocked_by(id, self.statuses(), self.scores())


def gaps(self: LearnerState) -> list:
    """Unmastered prerequisites under work with evidence, ranked by how much rests on them.

    Each is a dict: id, status, score, domain, level, undermines (the mastered or in-progress
    competencies that rest on it), ready.
    """
    return _progression(self).gaps(self.statuses(), self.scores())


def path_to(self: LearnerState, goal: Union[str, Sequence[str]], rate: Optional[float] = None,
            per: str = "day") -> dict:
    """An ordered plan to one or more goals: dict(goals, steps, length, days).

    Steps are the goals not done and their unmet prerequisites (as :meth:`blocked_by`), in a
    valid learning order that does the nearest-to-ready work first. With ``rate`` competencies
    per ``per`` ("day" or "week"), ``days`` is the projected duration.
    """
    rate_per_day = None
    if rate is not None:
        rate_per_day = float(rate) / (7.0 if per == "week" else 1.0)
        if per not in ("day", "week"):
            raise ValueError("per must be 'day' or 'week'")
    return _progression(self).path_to(goal, self.statuses(), self.scores(), rate_per_day)


def recommend(self: LearnerState, k: int = 5, goals: Any = None, **weights: float) -> list:
    """The top ``k`` of the frontier, each a dict with ``score`` and ``reasons``.

    score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
    + level_weight / (1 + level - lowest frontier level) + recency_weight * exp(-days since the
    latest evidence / recency_days) + gap_weight * competencies with evidence it undermines.
    Defaults: weights 1, goal_weight 2, recency_days 14. Ties go to learning order.
    """
    return _progression(self).recommend(k, self.statuses(), self.scores(), _last_evidence(self),
                                        self.as_of, goals, **weights)


def level(self: LearnerState, domain: str) -> dict:
    """The learner's level in a domain of a learning map.

    dict(domain, level (the highest level whose competencies are all done, or None), levels,
    next_level, next_done, next_total, next_progress, next_remaining, gaps (not done below the
    level), gap_levels).
    """
    return _progression(self).level(domain, self.statuses(), self.scores())


def levels(self: LearnerState) -> list:
    """:meth:`level` for every domain with leveled competencies."""
    return _progression(self).levels(self.statuses(), self.scores())


def pacing(self: LearnerState, plan: PacePlan, today: Any = None) -> dict:
    """This learner against a :class:`PacePlan` (``today`` defaults to the evaluation time).

    dict(status, done, expected, total, complete, expected_rate, actual_rate, acceleration,
    needed_rate, projected_finish, projected_finish_date, days_ahead, remaining, today); rates
    are per day.
    """
    return _pacing(_progression(self), plan, self.statuses(), self.scores(), _last_evidence(self),
                   self.as_of, today)


# --- Roster ---------------------------------------------------------------------------------

def _learner(self: Roster, id: str) -> LearnerState:
    """One learner's full :class:`LearnerState` (with ``explain`` and the progression methods)."""
    if id not in self:
        raise UnknownIdError(f"unknown learner id '{id}'")
    return Engine(self.framework, self.policy).evaluate(self.log, id, as_of=self.as_of)


# --- the attachments (the only ones in the package; see the module docstring) -----------------

for _name, _fn in [("frontier", frontier), ("inner_fringe", inner_fringe), ("blocked_by", blocked_by),
                   ("gaps", gaps), ("path_to", path_to), ("recommend", recommend), ("level", level),
                   ("levels", levels), ("pacing", pacing)]:
    setattr(LearnerState, _name, _fn)
setattr(Roster, "learner", _learner)
