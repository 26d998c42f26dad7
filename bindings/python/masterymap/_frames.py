"""The one conversion from the C++ core's columns to pandas DataFrames (and networkx graphs).

The bound methods that return DataFrames (``EvidenceLog.to_dataframe``,
``LearnerState.to_dataframe``, ``Engine.ratings``, ``Roster.to_dataframe`` ...) are defined in
C++ and call the functions here, so the bound types stay unchanged. Categorical values
(statuses, ratings, ids) become pandas categoricals; their integer indices never leave this
module. One dtype per kind of column, in every frame:

- ``status``: an ordered categorical in learning order, :data:`STATUS_ORDER` (not_started <
  in_progress < expired < awaiting_confirmation < inferred < mastered < exceeded < exempt: every
  status not met before every met one, so ``status >= "inferred"`` is met and
  ``status >= "mastered"`` earned; :data:`STATUSES` lists the core's codes, ``inferred`` last,
  which index the uint8 arrays); a pacing
  ``status`` is ordered behind < on_track < ahead;
- ``rating``: an ordered categorical of the scale's labels, lowest first, so
  ``tab.rating >= "Proficient"`` and ``tab.rating.max()`` work (NaN: no rating);
- ``learner`` and ``competency``: unordered categoricals of the ids' canonical texts (learners
  in the order they came in, competencies in framework order); the same categories in every
  frame of one roster.

Times become ``datetime64[ns, UTC]`` columns (NaT where there is none), converted
from the core's float seconds at microsecond resolution by :func:`datetimes`.
"""
from __future__ import annotations

import weakref
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core, _progress

PACE_STATUSES = ["on_track", "behind", "ahead"]  # the core's codes
#: Pace statuses from worst to best: the order of the ordered categorical.
PACE_ORDER = ["behind", "on_track", "ahead"]
EDGE_COLUMNS = ["prerequisite", "dependent", "strength", "min_level"]
LEVEL_COLUMNS = ["learner", "domain", "level", "next_level", "next_done", "next_total",
                 "next_progress", "gap_count", "gap_levels"]


def _categorical(indices: np.ndarray, labels: List[str], ordered: bool = False) -> pd.Categorical:
    # Indices go to pandas as they come (uint32/uint8/int8): from_codes narrows them itself,
    # so widening them first would only copy.
    return pd.Categorical.from_codes(indices, categories=labels, ordered=ordered)


# The core's status code -> its position in STATUS_ORDER.
_STATUS_RANK = np.array([list(_core.STATUS_ORDER).index(s) for s in _core.STATUSES], dtype=np.int8)


def _statuses(indices: np.ndarray) -> pd.Categorical:
    """Status codes as the ordered categorical of :data:`STATUS_ORDER` (learning order)."""
    return _categorical(_STATUS_RANK[indices], list(_core.STATUS_ORDER), ordered=True)


def _ratings(indices: np.ndarray, scale_labels: List[str]) -> pd.Categorical:
    """Rating indices (-1 = none) as the ordered categorical of the scale's labels."""
    return _categorical(indices, scale_labels, ordered=True)


def _learners(count: int, learners: List[str]) -> pd.Categorical:
    """Learners 0..count-1 (one row each) as the learner categorical."""
    return _categorical(np.arange(count, dtype=np.uint32), learners)


# The learner categories of the last roster a bulk frame was built for: pandas checks that a
# categorical's categories are distinct once per Index (a hash table of every id: about 15 ms
# for 100,000 learners, a sixth of a bulk frame's budget), so frames built one after another
# (frontier, levels, pacing of one nightly roster) share one checked dtype. A roster's learners
# only ever grow by appending (a failed ingest leaves them as they were, and frames are built
# under the roster's read lock), so the same object with the same number of learners has the
# same learners. One entry: no roster is kept alive by it (a weak reference).
_LAST_LEARNERS: Tuple[Any, int, Optional[pd.CategoricalDtype]] = (None, -1, None)


def _learner_dtype(r: _core.Roster, learners: List[str]) -> pd.CategoricalDtype:
    """The learner categorical dtype of ``r`` (categories ``learners``, its learners now)."""
    global _LAST_LEARNERS
    ref, n, dtype = _LAST_LEARNERS
    if dtype is not None and n == len(learners) and ref is not None and ref() is r:
        return dtype
    dtype = pd.CategoricalDtype(learners)
    _LAST_LEARNERS = (weakref.ref(r), len(learners), dtype)
    return dtype


_UTC = pd.DatetimeTZDtype(tz="UTC")
# pandas before 2.2 wraps int64 nanoseconds as a tz-aware array without a copy; later versions
# deprecate that constructor (then: localize, one more pass).
_WRAP_DATETIMES = tuple(int(x) for x in pd.__version__.split(".")[:2]) < (2, 2)


def datetimes(seconds: np.ndarray, name: str) -> pd.api.extensions.ExtensionArray:
    """float64 seconds since the epoch as a ``datetime64[ns, UTC]`` array, to the microsecond
    (NaN -> NaT), for a DataFrame column.

    :raises ValueError: naming the column and the first row outside datetime64[ns]
        (1677-09-21 to 2262-04-11)
    """
    return nanos_utc(_core._seconds_to_nanos(seconds, name))


def nanos_utc(ns: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """int64 nanoseconds since the epoch (NaT = int64 min) as a ``datetime64[ns, UTC]`` array
    over the same memory where pandas allows it (before 2.2), for a DataFrame column."""
    ns = ns.view("M8[ns]")
    if _WRAP_DATETIMES:
        return pd.arrays.DatetimeArray(ns, dtype=_UTC)
    return pd.DatetimeIndex(ns).tz_localize("UTC").array


# --- framework --------------------------------------------------------------------------------

def framework_graph(fw: _core.Framework) -> Any:
    """``Framework.to_networkx`` (see its docstring)."""
    import networkx as nx  # optional dependency: only this method needs it

    g = nx.DiGraph(name=fw.name, hierarchy=fw.hierarchy())
    for cid in fw:
        c = fw[cid]
        g.add_node(cid, title=c.title, description=c.description, domain=c.domain,
                   level=c.level, kind=c.kind, tags=list(c.tags), metadata=dict(c.metadata))
    for e in fw.edges():
        attrs = {"strength": e["strength"]}
        if e["min_level"] is not None:
            attrs["min_level"] = e["min_level"]
        g.add_edge(e["prerequisite"], e["dependent"], **attrs)
    return g


def edges_frame(fw: _core.Framework) -> pd.DataFrame:
    """``Framework.edges_frame`` (see its docstring)."""
    return pd.DataFrame(fw.edges(), columns=EDGE_COLUMNS)


def competencies_frame(fw: _core.Framework) -> pd.DataFrame:
    """``Framework.competencies_frame`` (see its docstring)."""
    rows = []
    for cid in fw:
        c = fw[cid]
        rows.append({"id": c.id, "title": c.title, "description": c.description,
                     "domain": c.domain, "level": c.level, "kind": c.kind,
                     "depth": fw.depth(cid)})
    return pd.DataFrame(rows, columns=["id", "title", "description", "domain", "level", "kind",
                                       "depth"])


# --- evidence ---------------------------------------------------------------------------------

def evidence_frame(log: _core.EvidenceLog) -> pd.DataFrame:
    """``EvidenceLog.to_dataframe`` (see its docstring)."""
    c = log._columns()
    columns = {
        "learner": _categorical(c["learner"], list(log.learners)),
        "competency": _categorical(c["competency"], list(log.competencies)),
        "time": datetimes(c["time"], "time"),
        "score": c["score"].astype(np.float64),
        "kind": _categorical(c["kind"], list(log.kinds)),
        "weight": c["weight"].astype(np.float64),
        "source": _categorical(c["source"], list(log.sources)),
    }
    rows, texts = log._timestamps()
    if len(rows):  # only a log with timestamp texts has the column
        stamps = np.full(len(c["time"]), "", dtype=object)
        stamps[rows.astype(np.intp)] = texts
        columns["timestamp"] = stamps
    # the arrays are fresh and ours: a copy would only fault in more pages
    frame = pd.DataFrame(columns, copy=False)
    retractions = log.retractions
    if retractions:  # so that extend/ingest of the frame retracts the same sources again
        frame.attrs["log_retractions"] = list(retractions)
    return frame


# --- engine -----------------------------------------------------------------------------------

def ratings_frame(t: Dict[str, Any], scale_labels: List[str], all_rows: bool) -> pd.DataFrame:
    """The long ratings table of ``Engine._ratings`` as a DataFrame (see ``Engine.ratings``)."""
    learner, competency, status = t["learner"], t["competency"], t["status"]
    score, rating, evidence = t["score"], t["rating"], t["evidence"]
    if all_rows:  # expand to every (learner, competency), not_started where absent
        L, N = len(t["learners"]), len(t["competencies"])
        flat = learner.astype(np.int64) * N + competency
        learner, competency = np.repeat(np.arange(L), N), np.tile(np.arange(N), L)
        full_status = np.zeros(L * N, dtype=status.dtype)
        full_score = np.full(L * N, np.nan)
        full_rating = np.full(L * N, -1, dtype=rating.dtype)
        full_evidence = np.zeros(L * N, dtype=evidence.dtype)
        full_status[flat], full_score[flat] = status, score
        full_rating[flat], full_evidence[flat] = rating, evidence
        status, score, rating, evidence = full_status, full_score, full_rating, full_evidence
    return pd.DataFrame({
        "learner": _categorical(learner, t["learners"]),
        "competency": _categorical(competency, t["competencies"]),
        "status": _statuses(status),
        "score": score,
        "rating": _ratings(rating, scale_labels),
        "evidence": evidence,
    }, copy=False)  # the arrays are fresh and ours: no need for pandas to copy them again


def engine_ratings(engine: _core.Engine, log: _core.EvidenceLog, as_of: Any,
                   probabilities: Any, threads: int, all_competencies: bool,
                   progress: Any = None) -> pd.DataFrame:
    """``Engine.ratings`` (see its docstring)."""
    t = engine._ratings(log, as_of=as_of, probabilities=probabilities, threads=threads,
                        progress=progress)
    return ratings_frame(t, list(engine.policy.scale.labels), all_competencies)


def state_frame(st: _core.LearnerState) -> pd.DataFrame:
    """``LearnerState.to_dataframe`` (see its docstring)."""
    return pd.DataFrame({
        "status": _statuses(st.statuses()),
        "score": st.scores(),
        "rating": _ratings(st.ratings(), list(st.policy.scale.labels)),
        "evidence": st.evidence_counts(),
    }, index=pd.Index(list(st.framework), name="competency"))


# --- roster -----------------------------------------------------------------------------------

ROSTER_COLUMNS = ["learner", "competency", "status", "score", "rating"]


def _cell_frame(r: _core.Roster, d: dict, columns: list, extra: dict) -> pd.DataFrame:
    """A frame of (learner, competency) cells of a roster (``to_dataframe``'s visited cells and
    the roster-wide advice frames): the columns every one has (learner and competency codes,
    status codes, scores) from ``d``, then ``extra``, in the order ``columns``."""
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(d["learner"],
                                             dtype=_learner_dtype(r, list(r.learners))),
        "competency": _categorical(d["competency"], list(r.framework)),
        "status": _statuses(d["status"]),
        "score": d["score"],
        **extra,
    }, columns=columns)


def roster_frame(r: _core.Roster, all_competencies: bool) -> pd.DataFrame:
    """``Roster.to_dataframe`` (see its docstring)."""
    if not all_competencies:  # the visited cells, from each learner's stored cells
        c = r._cells()
        return _cell_frame(r, c, ROSTER_COLUMNS,
                           {"rating": _ratings(c["rating"], list(r.policy.scale.labels))})
    st = r.statuses()
    L, N = st.shape
    flat = st.reshape(-1)
    idx = np.arange(L * N)
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(idx // N, dtype=_learner_dtype(r, list(r.learners))),
        "competency": _categorical(idx % N, list(r.framework)),
        "status": _statuses(flat[idx]),
        "score": r.scores().reshape(-1)[idx],
        "rating": _ratings(r.ratings().reshape(-1)[idx], list(r.policy.scale.labels)),
    })


def roster_frontier(r: _core.Roster, progress: Any = None) -> pd.DataFrame:
    """``Roster.frontier`` (see its docstring): the codes of the frontier's cells come from
    C++ in bulk (``Roster._frontier``: int32 learner and int16 competency codes, the widths
    pandas keeps), the learner categories shared with the roster's other frames."""
    c = r._frontier(progress=progress)
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(c["learner"],
                                             dtype=_learner_dtype(r, list(r.learners))),
        "competency": _categorical(c["competency"], list(r.framework)),
    }, copy=False)  # fresh arrays, ours: a copy would only fault in more pages


def roster_levels(r: _core.Roster, domain: Optional[str], progress: Any = None) -> pd.DataFrame:
    """``Roster.levels`` (see its docstring): every domain's columns in one C++ call
    (``Roster._levels``), domain by domain, learners in order."""
    fw = r.framework
    if domain is None:
        domains = [d for d in fw.domains()
                   if any(c.level is not None and c.kind == "academic"
                          for c in (fw[i] for i in fw.competencies_in(d)))]
    else:
        domains = [domain]
    learners = list(r.learners)
    _progress.check(progress)  # (also when there is no domain to report on)
    if not domains:
        frame = pd.DataFrame(columns=LEVEL_COLUMNS)
        frame["learner"] = _learners(0, learners)
        return frame
    cols = r._levels(domains, progress=progress)
    L = len(learners)
    codes = np.tile(np.arange(L, dtype=np.int32), len(domains))
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(codes, dtype=_learner_dtype(r, learners)),
        "domain": np.repeat(np.array(domains, dtype=object), L),
        **cols,
    }, columns=LEVEL_COLUMNS, copy=False)


GAP_COLUMNS = ["learner", "competency", "status", "score", "domain", "level", "undermines",
               "ready"]
BLOCKER_COLUMNS = ["learner", "competency", "status", "score", "needed", "needed_level", "blocks",
                   "ready", "distance"]


def roster_gaps(r: _core.Roster, progress: Any = None) -> pd.DataFrame:
    """``Roster.gaps`` (see its docstring)."""
    d = r._gaps(progress=progress)
    return _cell_frame(r, d, GAP_COLUMNS, {
        "domain": _categorical(d["domain"], list(d["domains"])),
        "level": d["level"],
        "undermines": pd.Series(d["undermines"], dtype=object),
        "ready": d["ready"].astype(bool),
    })


def roster_blockers(r: _core.Roster, progress: Any = None) -> pd.DataFrame:
    """``Roster.blockers`` (see its docstring)."""
    d = r._blockers(progress=progress)
    return _cell_frame(r, d, BLOCKER_COLUMNS, {
        "needed": _categorical(d["needed"], list(d["needed_labels"])),
        "needed_level": d["needed_level"],
        "blocks": pd.Series(d["blocks"], dtype=object),
        "ready": d["ready"].astype(bool),
        "distance": d["distance"].astype(np.int64),
    })


def roster_pacing(r: _core.Roster, plan: _core.PacePlan, today: Any,
                  progress: Any = None) -> pd.DataFrame:
    """``Roster.pacing`` (see its docstring)."""
    learners = list(r.learners)
    frame = pd.DataFrame({"learner": pd.Categorical.from_codes(
        np.arange(len(learners), dtype=np.int32), dtype=_learner_dtype(r, learners))})
    for k, v in r._pacing(plan, today, progress=progress).items():
        frame[k] = v
    to_order = np.array([PACE_ORDER.index(x) for x in PACE_STATUSES], dtype=np.int8)
    frame["status"] = _categorical(to_order[frame["status"].to_numpy(dtype=np.int64)],
                                   PACE_ORDER, ordered=True)
    frame["complete"] = frame["complete"].astype(bool)
    frame["projected_finish"] = datetimes(frame["projected_finish"].to_numpy(), "projected_finish")
    return frame
