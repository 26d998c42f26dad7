"""Progression on :class:`LearnerState` and the DataFrame side of :class:`Roster`.

The work is done in C++ (``Progression``, ``Roster``); this module attaches the methods named in
the design (``st.frontier()``, ``st.blocked_by(id)``, ``st.gaps()``, ``st.path_to(goal)``,
``st.recommend(k)``, ``st.level(domain)``, ``st.pacing(plan)``, ``roster.learner(id)``,
``roster.to_dataframe()``, ...) and turns the C++ columns into pandas DataFrames.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from ._core import (
    STATUSES,
    Engine,
    EvidenceLog,
    LearnerState,
    PacePlan,
    Progression,
    Roster,
    _pacing,
    _to_seconds,
)

_PACE_STATUSES = ["on_track", "behind", "ahead"]


# --- Roster ----------------------------------------------------------------------------------

def _ingest(self: Roster, data: Any) -> dict:
    """Adds evidence: an :class:`EvidenceLog`, or a DataFrame / dict of columns (learner,
    competency, score, time, and optionally kind, weight, source). An event whose rule folds
    event by event updates its one cell in O(1); other learners it touches are re-evaluated.
    Returns dict(rows, learners_touched, new_learners, full, fast_rows, learners_reevaluated).
    Raises EvidenceError (listing every bad row) and changes nothing on a bad batch.
    """
    if not isinstance(data, EvidenceLog):
        log = EvidenceLog()
        log.extend(data)
        data = log
    return self._ingest_log(data)


def _ids(self: Roster) -> list:
    return list(self.framework)


def _to_dataframe(self: Roster, all_competencies: bool = False) -> Any:
    """Every learner's ratings as one long DataFrame: learner, competency, status, score, rating
    (categoricals). Only pairs that are not ``not_started`` unless ``all_competencies``."""
    import pandas as pd

    st = self.status_codes()
    L, N = st.shape
    flat = st.reshape(-1)
    idx = np.arange(L * N) if all_competencies else np.flatnonzero(flat != 0)
    rating = self.rating_codes().reshape(-1)[idx].astype(np.int64)
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(idx // N, categories=list(self.learners)),
        "competency": pd.Categorical.from_codes(idx % N, categories=_ids(self)),
        "status": pd.Categorical.from_codes(flat[idx].astype(np.int64), categories=list(STATUSES)),
        "score": self.scores().reshape(-1)[idx],
        "rating": pd.Categorical.from_codes(rating, categories=list(self.policy.scale.labels)),
    })


def _frontier(self: Roster) -> Any:
    """The frontier of every learner as a DataFrame (learner, competency), computed in C++ in
    parallel; learners in order, competencies in framework order."""
    import pandas as pd

    f = self.frontier_matrix()
    L, N = f.shape
    idx = np.flatnonzero(f.reshape(-1))
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(idx // N, categories=list(self.learners)),
        "competency": pd.Categorical.from_codes(idx % N, categories=_ids(self)),
    })


def _levels(self: Roster, domain: Optional[str] = None) -> Any:
    """Every learner's level per domain as a DataFrame: learner, domain, level (NaN: none),
    next_level, next_done, next_total, next_progress, gaps (count), gap_levels. One domain, or
    every domain with leveled competencies."""
    import pandas as pd

    if domain is None:
        domains = []
        for d in self.framework.domains():
            if any(c.level is not None and c.kind == "academic" for c in
                   (self.framework[i] for i in self.framework.competencies_in(d))):
                domains.append(d)
    else:
        domains = [domain]
    frames = []
    for d in domains:
        cols = self._levels(d)
        frame = pd.DataFrame({"learner": list(self.learners), "domain": d})
        for k, v in cols.items():
            frame[k] = v
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["learner", "domain", "level", "next_level", "next_done", "next_total",
                                     "next_progress", "gaps", "gap_levels"])
    return pd.concat(frames, ignore_index=True)


def _roster_pacing(self: Roster, plan: PacePlan, today: Any = None) -> Any:
    """Every learner against a :class:`PacePlan` as a DataFrame (one row per learner): status,
    done, expected, total, complete, expected_rate, actual_rate, acceleration, needed_rate
    (per day), projected_finish (seconds; NaN when it cannot be projected), days_ahead."""
    import pandas as pd

    cols = self._pacing(plan, today)
    frame = pd.DataFrame({"learner": list(self.learners)})
    for k, v in cols.items():
        frame[k] = v
    frame["status"] = pd.Categorical.from_codes(frame["status"].astype(np.int64), categories=_PACE_STATUSES)
    frame["complete"] = frame["complete"].astype(bool)
    return frame


def _roster_add(self: Roster, learner: str, competency: str, score: float, time: Any,
                kind: str = "formative", weight: float = 1.0, source: str = "") -> dict:
    """Adds one piece of evidence and updates the learner's tables at once.

    For rules that fold event by event (latest, highest, mean, weighted_mean, weighted_average,
    decaying_average, n_mastery; no window, expiry or monotonic holding; not under a rollup)
    and an event that is the newest of its (learner, competency), only that cell is updated,
    in O(1) and bit-identical to a full re-evaluation; otherwise the learner is re-evaluated.
    For many events, :meth:`ingest` a DataFrame instead (one call, GIL released).

    :param time: seconds, an ISO 8601 string, a datetime or a date
    :returns: the ingest summary (``fast_rows`` is 1 when the O(1) path was taken)
    :raises EvidenceError: on a bad row (the roster is unchanged)
    """
    return self._add(str(learner), str(competency), _to_seconds(time), float(score), str(kind),
                     float(weight), str(source))


Roster.ingest = _ingest
Roster.add = _roster_add
Roster.to_dataframe = _to_dataframe
Roster.frontier = _frontier
Roster.levels = _levels
Roster.pacing = _roster_pacing


def to_seconds(t: Any) -> float:
    """Seconds since the epoch of a number, an ISO 8601 string, a datetime or a date."""
    return _to_seconds(t)
