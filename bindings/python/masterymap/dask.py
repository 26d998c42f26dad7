"""The same code on Dask: ratings, cohort analytics and BKT fits of evidence in a Dask DataFrame,
equal to the in-process API (``import masterymap.dask``; ``import masterymap`` alone does not
import dask).

How it partitions. Every function first numbers the rows globally (partition number << 40 |
position in the partition, an int64 that orders rows as ``ddf.compute()`` does), then shuffles
the rows by a hash of the learner's canonical id text (for :func:`bkt_fit`: of the skill's), so
all of a learner's rows land in one partition; each partition then sorts its rows back by that
number. Dask's shuffle does not keep the row order (without a distributed client the default
shuffle reorders a learner's rows), and the engine breaks ties between pieces of evidence with
equal times by row order: without the restored order, ratings can differ (tests show one).
When the partitions already hold whole learners (evidence written per learner, or per school
with no learner in two), ``partitioned=True`` skips the shuffle, the costliest step on a
cluster: one small task gathers a hash of each partition's learner ids, and a learner with rows
in two partitions is a ValueError naming it, raised before any partition is worked on; then
every partition is worked on as it is.

What travels once. The framework and policy go into the graph once, as one compiled
:class:`~masterymap.Engine` under one key that every partition's task depends on (pickled once
per graph, not once per task); each task works with one C++ thread by default (``threads=1``:
Dask runs the tasks in parallel).

Time. A policy with windows in days or expiry (``window_days``, ``expires_after_days``) gives
ratings that depend on the evaluation time, so ``as_of`` is then required (ValueError naming the
rules), and every partition evaluates at that one instant. The cohort functions default
``as_of`` to the latest evidence time of the whole frame (a reduction over the partitions, as a
:class:`~masterymap.Roster` that ingested everything would use).

Exactness. :func:`ratings` gives, per partition, exactly the rows ``masterymap.ratings`` gives
for those learners. :func:`summary`, :func:`time_to_mastery` and :func:`groups_by_frontier`
build one :class:`~masterymap.Roster` per partition and merge facts, never figures: counts add;
mean and median scores come from the merged scores of each cell (the C++ summary adds each
cell's scores in ascending order, and the merge does the same, so the sums agree to the bit);
median attempts from the merged attempts; Kaplan–Meier curves and their quantiles from the
merged spells (C++ ``kaplan_meier``). :func:`bkt_fit` fits skills as tasks; a skill's fit depends
only on the multiset of its sequences (the C++ fit orders them canonically), so the merged model
equals ``masterymap.bkt.fit``.

Order of results. :func:`ratings`: partition by partition; within one, learners as the local
engine numbers them (a categorical learner column's category order, else first appearance),
then competencies in framework order (the local frame's rows for those learners, in the same
relative order); the ``learner`` column is a categorical whose categories Dask unions on
compute (unknown in the meta). The merged functions return exactly the local frames, learner
categories included. Learners are those with rows, as for a local roster (whose ingest, like
``EvidenceLog.extend``, creates no learner for an unused category of a categorical column):
each partition drops the categories it does not use. :func:`bkt_fit` numbers skills as the local fit does: a categorical skill column's
category order (the categories of ``ddf.compute()``), else first appearance.

Errors. A bad row is found by the partition that holds it after the shuffle; its
:class:`~masterymap.EvidenceError` is rebuilt with every row (``.rows``, each problem's ``row``
and message) its position in ``ddf.compute()``, the message naming the Dask function and saying
that only that partition's rows were checked (every problem of that partition is listed). The
BKT fit's ValueErrors naming rows are renumbered the same way. Each task gets the input
partitions' lengths (one small task per input partition) for this. Errors of the cohort code
shared with :class:`~masterymap.Roster` name the Dask function (``masterymap.dask.summary():
by has no group ...``).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask.base import tokenize
from dask.dataframe.utils import clear_known_categories
from dask.delayed import Delayed

from . import _cohort, _core, _ids
from . import bkt as _bkt
from ._arguments import checked
from ._core import Engine, EvidenceLog, Framework, Policy, Roster
from ._dask_rows import (ROW, _check_npartitions, _named, _partitioned, _rename, _restore,
                         _rows_of)

__all__ = ["ratings", "summary", "time_to_mastery", "groups_by_frontier", "bkt_fit",
           "time_dependent_rules"]

# --- time -------------------------------------------------------------------------------------

@checked
def time_dependent_rules(policy: Policy) -> List[str]:
    """The rules of ``policy`` whose ratings depend on the evaluation time, as texts such as
    ``"rule.window_days=30"`` or ``"overrides.competencies['X'].expires_after_days=90"``
    (empty: the ratings do not depend on ``as_of`` beyond ignoring later evidence)."""
    out = []

    def add(where: str, r: Any) -> None:
        for name in ("window_days", "expires_after_days"):
            v = getattr(r, name)
            if v is not None:
                out.append(f"{where}.{name}={v:g}")

    add("rule", policy.rule)
    for d, r in sorted(policy.domain_rules.items()):
        add(f"overrides.domains[{d!r}]", r)
    for c, r in sorted(policy.competency_rules.items()):
        add(f"overrides.competencies[{c!r}]", r)
    return out


def _as_of(policy: Policy, as_of: Any, where: str) -> Optional[float]:
    if as_of is None:
        rules = time_dependent_rules(policy)
        if rules:
            raise ValueError(
                f"{where}: as_of is required: the policy's ratings depend on the evaluation "
                f"time ({', '.join(rules)}), so every partition must be evaluated at the same "
                "instant")
        return None
    return float(_core._to_seconds(as_of, "as_of"))


def _latest(df: pd.DataFrame, engine: Engine, learner: str,
            offsets: Optional[np.ndarray] = None, where: str = "masterymap.dask") -> float:
    """The latest evidence time of a partition (NaN: none), as the roster reads times: the
    partition taken as a roster takes it (a school's own kinds, the scale's labels as scores),
    so what the roster accepts is accepted here, and what it refuses is refused with its
    message."""
    rows = df[ROW].to_numpy()
    df = _rename(_restore(df), learner)
    if len(df) == 0:
        return float("nan")
    kinds = [str(k) for k in pd.unique(df["kind"].dropna())] if "kind" in df else []
    log = EvidenceLog(kinds=kinds)
    with _rows_of(rows, offsets, where):
        log.extend(df, framework=engine.framework, policy=engine.policy)
    t = log._columns()["time"]
    return float(np.max(t)) if len(t) else float("nan")


def _max_time(times: Sequence[float]) -> float:
    present = [t for t in times if not np.isnan(t)]
    return max(present) if present else float("nan")


# --- the engine, once per graph ---------------------------------------------------------------

def _engine(framework: Framework, policy: Policy) -> Delayed:
    """The compiled engine as one graph key (named by the framework's and policy's JSON, so
    graphs built twice share it)."""
    engine = Engine(framework, policy)
    name = "masterymap-engine-" + tokenize(framework.to_json(), policy.to_json())
    return dask.delayed(engine, name=name, pure=True)


# --- ratings ----------------------------------------------------------------------------------

def _ratings_part(df: pd.DataFrame, engine: Engine, learner: str, as_of: Optional[float],
                  threads: int, all_competencies: bool, offsets: Optional[np.ndarray] = None,
                  where: str = "masterymap.dask.ratings()") -> pd.DataFrame:
    rows = df[ROW].to_numpy()
    df = _rename(_restore(df), learner)
    log = EvidenceLog()
    if len(df):
        with _rows_of(rows, offsets, where):
            log.extend(df, framework=engine.framework, policy=engine.policy)
    return engine.ratings(log, as_of=as_of, threads=threads, all_competencies=all_competencies)


@checked
def ratings(framework: Framework, policy: Policy, ddf: dd.DataFrame, *, as_of: Any = None,
            learner: str = "learner", all_competencies: bool = False, threads: int = 1,
            npartitions: Optional[int] = None, shuffle: Optional[str] = None,
            partitioned: bool = False) -> dd.DataFrame:
    """Ratings of every learner of ``ddf`` as a lazy Dask DataFrame: computed, its rows are
    those of ``masterymap.ratings(framework, policy, log)`` for a log of ``ddf.compute()``
    (module notes: partition by partition; within one, in the local order).

    :param ddf: evidence rows as ``EvidenceLog.extend`` takes them (learner, competency, score,
        time, optionally kind, weight, source), validated against the framework and policy
    :param as_of: the evaluation time (any time ``masterymap.to_seconds`` takes); required when
        the policy has windows in days or expiry
    :param learner: the learner column's name
    :param threads: C++ threads per task (Dask runs the tasks in parallel)
    :param npartitions: partitions after the shuffle (default: ``ddf``'s)
    :param shuffle: Dask's shuffle method (``"tasks"``, ``"disk"``; default: Dask's choice)
    :param partitioned: ``ddf``'s partitions already hold whole learners (every row of a
        learner in one partition, e.g. files written per learner or per school with no learner
        in two): no shuffle; each partition keeps its rows in their order. Checked at compute,
        before any partition is rated (one small task gathers a hash of each partition's
        learner ids: ValueError naming the learners found in two partitions). Not with
        ``npartitions`` or ``shuffle``
    :raises ValueError: ``as_of`` missing under a time-dependent policy (naming its rules)
    :raises KeyError: no ``learner`` column
    :raises PolicyError: the policy does not fit the framework (at once, not at compute)
    :raises ValueError: ``npartitions`` < 1
    :raises EvidenceError: (at compute) every bad row of the first partition found to have
        some, numbered as positions in ``ddf.compute()`` (``.rows``, each problem's ``row`` and
        message); other partitions may have bad rows too

    Columns and dtypes as ``masterymap.ratings``; the ``learner`` categories are unknown in the
    meta and the union of the partitions' once computed. Cost: one shuffle, then O(rows) per
    partition.
    """
    where = "masterymap.dask.ratings()"
    _check_npartitions(npartitions, where)
    t = _as_of(policy, as_of, where)
    engine = Engine(framework, policy)
    meta = engine.ratings(EvidenceLog())
    meta = clear_known_categories(meta, cols=["learner"])  # the union of the partitions'
    parts, offsets = _partitioned(ddf, learner, "learner", npartitions, shuffle, where,
                                  partitioned)
    return parts.map_partitions(_ratings_part, _engine(framework, policy), learner, t, threads,
                                all_competencies, offsets, where, meta=meta)


# --- the rosters of the partitions ------------------------------------------------------------

def _roster_part(df: pd.DataFrame, engine: Engine, learner: str, as_of: float,
                 threads: int, offsets: Optional[np.ndarray] = None,
                 where: str = "masterymap.dask") -> Tuple[Roster, np.ndarray]:
    """The partition's roster (at ``as_of``; NaN: none yet) and each of its learners' key in
    the whole frame's learner numbering (learners in the roster's order)."""
    restored_rows = df[ROW].to_numpy()
    restored = _restore(df)
    # The key of each row's learner in the whole frame's numbering: a categorical's code (the
    # roster numbers learners in category order), else the global row (first appearance).
    column = restored[learner]
    keys = (column.cat.codes.to_numpy().astype(np.int64)
            if isinstance(column.dtype, pd.CategoricalDtype)
            else np.sort(df[ROW].to_numpy()) if len(df) else np.zeros(0, dtype=np.int64))
    df = _rename(restored, learner)
    r = Roster(engine.framework, engine.policy, threads=threads,
               as_of=None if np.isnan(as_of) else as_of)
    if len(df) == 0:
        return r, np.zeros(0, dtype=np.int64)
    with _rows_of(restored_rows, offsets, where):
        r.ingest(df)
    # Each distinct learner's first row, by its index among the canonical names (distinct
    # texts: one index per learner), without building a text per row.
    indices, names, _ = _ids.ids(df["learner"], "learner")
    distinct, first = np.unique(indices, return_index=True)
    order = {name: i for i, name in enumerate(r.learners)}
    first_rows = np.zeros(len(order), dtype=np.int64)
    first_rows[[order[names[int(i)]] for i in distinct]] = keys[first]
    return r, first_rows


def _rosters(framework: Framework, policy: Policy, ddf: dd.DataFrame, as_of: Any, learner: str,
             threads: int, npartitions: Optional[int], shuffle: Optional[str],
             where: str, partitioned: bool = False) -> Tuple[List[Delayed], Delayed]:
    """One delayed (roster, first rows) per partition, and the evaluation time (delayed)."""
    _check_npartitions(npartitions, where)
    t = _as_of(policy, as_of, where)
    shuffled, offsets = _partitioned(ddf, learner, "learner", npartitions, shuffle, where,
                                     partitioned)
    parts = shuffled.to_delayed()
    engine = _engine(framework, policy)
    if t is None:
        at = dask.delayed(_max_time, pure=True)(
            [dask.delayed(_latest, pure=True)(p, engine, learner, offsets, where) for p in parts])
    else:
        at = dask.delayed(t)
    rosters = [dask.delayed(_roster_part, pure=True)(p, engine, learner, at, threads, offsets,
                                                     where)
               for p in parts]
    return rosters, at


# --- summary ----------------------------------------------------------------------------------

def _summary_facts(part: Tuple[Roster, np.ndarray], mapped: pd.Series,
                   named: Optional[pd.Index],
                   where: str = "masterymap.dask.summary()") -> Dict[str, Any]:
    """What the merge needs of one roster: learners per group, the cells it visits (status not
    not_started: group, competency, status, rating, score) and the attempts of the spells that
    ended in mastery."""
    r = part[0]
    if named is not None:
        with _named(where):
            _cohort.check_grouped(list(r.learners), named)
    group_of = _cohort.groups_of(list(r.learners), mapped)
    c = r._cells()  # the visited cells (status not not_started), learners in order
    sp = r._first_mastery(float("nan"))
    hit = sp["event"] != 0
    return {
        "group_of": group_of,
        "group": group_of[c["learner"]],
        "competency": c["competency"].astype(np.int64),
        "status": c["status"],
        "rating": c["rating"],
        "score": c["score"],
        "a_competency": sp["competency"][hit],
        "a_group": group_of[sp["learner"][hit]],
        "a_attempts": sp["attempts"][hit],
    }


def _sequential_sum(x: np.ndarray) -> float:
    # np.cumsum adds one by one (np.sum would add pairwise): the C++ loop's order.
    return float(np.cumsum(x)[-1]) if len(x) else 0.0


def _summary_merge(facts: List[Dict[str, Any]], names: List[str], competencies: List[str],
                   labels: List[str], min_n: int, grouped: bool) -> pd.DataFrame:
    # Only the groups some learner of the frame is in (as Roster.summary): renumber the codes.
    seen = [f["group_of"] for f in facts]
    used = np.unique(np.concatenate(seen)) if seen else np.zeros(0, dtype=np.int64)
    used = used[used >= 0].astype(np.int64)
    remap = np.full(len(names) + 1, -1, dtype=np.int64)  # remap[-1]: no group stays -1
    remap[used] = np.arange(len(used))
    facts = [{**f, "group_of": remap[f["group_of"]], "group": remap[f["group"]],
              "a_group": remap[f["a_group"]]} for f in facts]
    names = [names[int(i)] for i in used]
    C, groups = len(competencies), len(names)
    G, R, S = groups + 1, len(labels) + 1, len(_core.STATUSES)
    cells = G * C

    def cat(key: str) -> np.ndarray:
        arrays = [f[key] for f in facts]
        return np.concatenate(arrays) if arrays else np.zeros(0)

    group_of = cat("group_of").astype(np.int64)
    learners = np.zeros(G, dtype=np.int64)
    learners[groups] = len(group_of)
    learners[:groups] += np.bincount(group_of[group_of >= 0], minlength=groups)[:groups]
    g = cat("group").astype(np.int64)
    c = cat("competency").astype(np.int64)
    status = cat("status").astype(np.int64)
    rating = cat("rating").astype(np.int64)
    score = cat("score").astype(np.float64)
    rating = np.where(rating < 0, R - 1, np.minimum(rating, R - 1))
    # Every visited cell counts in the whole roster and in its learner's group.
    own = g >= 0
    cell = np.concatenate([groups * C + c, (g * C + c)[own]])
    status = np.concatenate([status, status[own]])
    rating = np.concatenate([rating, rating[own]])
    score = np.concatenate([score, score[own]])
    status_counts = np.bincount(cell * S + status, minlength=cells * S).reshape(cells, S)
    rating_counts = np.bincount(cell * R + rating, minlength=cells * R).reshape(cells, R)
    seen = status_counts.sum(axis=1)
    per_cell = np.repeat(learners, C)
    status_counts[:, 0] += per_cell - seen   # the cells nobody visited: not started, no rating
    rating_counts[:, R - 1] += per_cell - seen
    has = ~np.isnan(score)
    scored = np.bincount(cell[has], minlength=cells)
    score_sum = np.zeros(cells)
    score_median = np.full(cells, np.nan)
    sc, ce = score[has], cell[has]
    order = np.lexsort((sc, ce))
    sc, ce = sc[order], ce[order]
    bounds = np.flatnonzero(np.diff(ce)) + 1
    for seg, at in zip(np.split(sc, bounds), np.concatenate([[0], bounds])):
        if not len(seg):
            continue
        i = int(ce[at])
        score_sum[i] = _sequential_sum(seg)
        h = len(seg) // 2
        hi = seg[h]
        score_median[i] = hi if len(seg) % 2 else seg[h - 1] + (hi - seg[h - 1]) / 2
    d = {"learners": learners, "status_counts": status_counts, "rating_counts": rating_counts,
         "scored": scored, "score_sum": score_sum, "score_median": score_median}
    attempts = {"competency": cat("a_competency"), "group": cat("a_group"),
                "attempts": cat("a_attempts")}
    medians = _cohort.attempt_medians(attempts, len(names), len(competencies))
    return _cohort.summary_frame(d, medians, names, competencies, labels, min_n, grouped)


@checked
def summary(framework: Framework, policy: Policy, ddf: dd.DataFrame, by: Any = None, *,
            min_n: Optional[int] = None, as_of: Any = None, learner: str = "learner",
            threads: int = 1,
            npartitions: Optional[int] = None, shuffle: Optional[str] = None,
            partitioned: bool = False) -> Delayed:
    """``Roster.summary(by, min_n=)`` of a roster that ingested ``ddf.compute()`` (with
    ``as_of``), as a Delayed whose ``compute()`` is that DataFrame, equal to it exactly.

    One roster per partition; the merge adds counts and takes the mean and median score of each
    cell from its merged scores (the sum in ascending order, as the C++ summary adds them), the
    median attempts from the merged attempts: never averaged figures.

    :param by: learner -> group (a pandas Series, a one-column DataFrame or a dict), as
        ``Roster.summary``; it travels once in the graph
    :param min_n: as ``Roster.summary``: None suppresses subgroup cells below 10 learners with
        ``by`` and nothing without it; an explicit value applies either way
    :param as_of: the evaluation time (default: the latest evidence time of ``ddf``); required
        under a time-dependent policy
    Other options as :func:`ratings`.
    :raises TypeError: a ``by`` of another type; ValueError as :func:`ratings`
    """
    where = "masterymap.dask.summary()"
    with _named(where):
        names, mapped, named, _ = _cohort.group_codes(None, by)
    rosters, _ = _rosters(framework, policy, ddf, as_of, learner, threads, npartitions, shuffle,
                          where, partitioned)
    mapped_d = dask.delayed(mapped, name="masterymap-groups-" + tokenize(mapped), pure=True)
    named_d = (None if by is None else
               dask.delayed(named, name="masterymap-named-" + tokenize(named), pure=True))
    facts = [dask.delayed(_summary_facts, pure=True)(r, mapped_d, named_d, where)
             for r in rosters]
    return dask.delayed(_summary_merge, pure=True)(facts, names, list(framework),
                                                   list(policy.scale.labels),
                                                   _cohort.default_min_n(min_n, by),
                                                   by is not None)


# --- time to mastery --------------------------------------------------------------------------

def _spells(part: Tuple[Roster, np.ndarray], origin: float) -> Dict[str, np.ndarray]:
    sp = part[0]._first_mastery(origin)
    return {k: sp[k] for k in ("competency", "origin", "end", "event")}


def _survival_merge(spells: List[Dict[str, np.ndarray]], competencies: List[str],
                    table: bool) -> pd.DataFrame:
    comp = np.concatenate([s["competency"] for s in spells]).astype(np.uint32)
    order = np.argsort(comp, kind="stable")

    def cat(key: str, dtype: Any) -> np.ndarray:
        return np.ascontiguousarray(np.concatenate([s[key] for s in spells])[order], dtype=dtype)

    d = Roster._survival(len(competencies), np.ascontiguousarray(comp[order]),
                         cat("origin", np.float64),
                         cat("end", np.float64), cat("event", np.uint8))
    return _cohort.time_to_mastery_frame(d, competencies, table)


@checked
def time_to_mastery(framework: Framework, policy: Policy, ddf: dd.DataFrame, *,
                    origin: Any = None, table: bool = False, as_of: Any = None,
                    learner: str = "learner", threads: int = 1,
                    npartitions: Optional[int] = None, shuffle: Optional[str] = None,
                    partitioned: bool = False) -> Delayed:
    """``Roster.time_to_mastery(origin=, table=)`` of a roster that ingested ``ddf.compute()``
    (with ``as_of``), as a Delayed whose ``compute()`` is that DataFrame, equal to it exactly:
    the spells of every partition's roster are merged and Kaplan–Meier, the quartiles and their
    intervals computed once from all of them (C++ ``kaplan_meier``), never from per-partition
    curves. Options as :func:`summary`; ``origin`` as ``Roster.time_to_mastery``.

    :raises TypeError: an ``origin`` that is not a time; ValueError as :func:`ratings`
    """
    where = "masterymap.dask.time_to_mastery()"
    with _named(where):
        o = _cohort._origin_seconds(origin)
    rosters, _ = _rosters(framework, policy, ddf, as_of, learner, threads, npartitions, shuffle,
                          where, partitioned)
    spells = [dask.delayed(_spells, pure=True)(r, o) for r in rosters]
    return dask.delayed(_survival_merge, pure=True)(spells, list(framework), table)


# --- groups by frontier -----------------------------------------------------------------------

def _groups_part(part: Tuple[Roster, np.ndarray], kind: str, stuck_evidence: int,
                 stuck_days: float, recent_days: float) -> Dict[str, Any]:
    r, first_rows = part
    d = dict(r._groups_by_frontier(kind, stuck_evidence, stuck_days, recent_days))
    d["learners"] = list(r.learners)
    d["first_rows"] = first_rows
    return d


def _groups_merge(parts: List[Dict[str, Any]], kind: str,
                  competencies: List[str]) -> pd.DataFrame:
    # Learners in the local roster's numbering (category order or first appearance: the keys).
    names = [x for p in parts for x in p["learners"]]
    first = np.concatenate([p["first_rows"] for p in parts]) if parts else np.zeros(0, np.int64)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    learners = [names[i] for i in np.argsort(first, kind="stable")]
    offsets = np.cumsum([0] + [len(p["learners"]) for p in parts])
    keys = ("competency", "counted", "first", "last", "reasons")
    merged: Dict[str, Any] = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    merged["learner"] = np.concatenate(
        [rank[offsets[i] + p["learner"].astype(np.int64)] for i, p in enumerate(parts)])
    order = np.lexsort((merged["learner"], merged["competency"]))
    out = {k: v[order] for k, v in merged.items()}
    out["learner"] = out["learner"].astype(np.uint32)
    return _cohort.groups_frame(out, kind, competencies, learners)


@checked
def groups_by_frontier(framework: Framework, policy: Policy, ddf: dd.DataFrame,
                       kind: str = "ready", *, stuck_evidence: int = 10, stuck_days: float = 30.0,
                       recent_days: float = 14.0, as_of: Any = None, learner: str = "learner",
                       threads: int = 1, npartitions: Optional[int] = None,
                       shuffle: Optional[str] = None, partitioned: bool = False) -> Delayed:
    """``Roster.groups_by_frontier(kind, ...)`` of a roster that ingested ``ddf.compute()``
    (with ``as_of``), as a Delayed whose ``compute()`` is that DataFrame, equal to it exactly:
    rows sorted by competency, then learner in order of first appearance in the whole frame
    (the learner categories too). Options as :func:`summary`.

    :raises ValueError: another ``kind``; as :func:`ratings`
    """
    if kind not in _cohort._KINDS:
        raise ValueError(f"masterymap.dask.groups_by_frontier(): kind must be one of "
                         f"{_cohort._KINDS}, not {kind!r}")
    _cohort.check_days("masterymap.dask.groups_by_frontier()", stuck_days=stuck_days,
                       recent_days=recent_days)
    rosters, _ = _rosters(framework, policy, ddf, as_of, learner, threads, npartitions, shuffle,
                          "masterymap.dask.groups_by_frontier()", partitioned)
    parts = [dask.delayed(_groups_part, pure=True)(r, kind, stuck_evidence, stuck_days,
                                                   recent_days) for r in rosters]
    return dask.delayed(_groups_merge, pure=True)(parts, kind, list(framework))


# --- BKT --------------------------------------------------------------------------------------

def _categories(df: pd.DataFrame, skill: str) -> List[str]:
    """The canonical texts of an input partition's skill categories, in their order."""
    return list(_ids.ids(df[skill].iloc[:0], "skill")[1])


def _category_order(per_partition: List[List[str]]) -> Dict[str, int]:
    """Skill text -> rank in the categories of ``ddf.compute()`` (Dask unions the partitions'
    categories in partition order; known categories are the same in every partition)."""
    order: Dict[str, int] = {}
    for names in per_partition:
        for x in names:
            order.setdefault(x, len(order))
    return order


def _bkt_part(df: pd.DataFrame, skill: str, options: Dict[str, Any],
              columns: Dict[str, Any], offsets: Optional[np.ndarray] = None,
              where: str = "masterymap.dask.bkt_fit()") -> Optional[Dict[str, Any]]:
    """The fit of the partition's skills (None: no rows), with each skill's first row."""
    if len(df) == 0:
        return None
    rows = np.sort(df[ROW].to_numpy())
    df = _restore(df)
    with _rows_of(rows, offsets, where, text=True):
        model = _bkt.Model(**options).fit(df, **columns)
    indices, names, _ = _ids.ids(df[skill], "skill")
    texts = pd.Series(np.asarray(names, dtype=object)[indices])
    first = ~texts.duplicated().to_numpy()
    first_row = dict(zip(texts[first], rows[first]))
    return {"model": model, "first_row": first_row}


def _bkt_merge(parts: List[Optional[Dict[str, Any]]], options: Dict[str, Any],
               categories: Optional[List[List[str]]] = None) -> _bkt.Model:
    fitted = [p for p in parts if p is not None]
    if not fitted:
        raise ValueError("masterymap.dask.bkt_fit(): cannot fit an empty dataset: there is "
                         "nothing to estimate")
    # Skills as the local fit numbers them: a categorical column's category order, else first
    # appearance (the global row numbers order rows as ddf.compute() does).
    order = None if categories is None else _category_order(categories)
    params = [(p["first_row"][x["skill"]] if order is None else order[x["skill"]], x)
              for p in fitted for x in p["model"].core.params()]
    params.sort(key=lambda t: t[0])
    first = fitted[0]["model"]
    core = _core.bkt.Model.from_params([x for _, x in params], forgets=first.core.forgets,
                                   multigs=first.core.multigs)
    model = _bkt.Model(**options)
    model._core, model._columns, model._id_dtypes = core, dict(first._columns), \
        dict(first._id_dtypes)
    return model


@checked
def bkt_fit(ddf: dd.DataFrame, *, learner: str = "user_id", skill: str = "skill_name",
            correct: str = "correct", order: Optional[str] = None, forgets: bool = False,
            num_fits: int = 5, seed: int = 42, threads: int = 1,
            npartitions: Optional[int] = None, shuffle: Optional[str] = None,
            **options: Any) -> Delayed:
    """``masterymap.bkt.fit(ddf.compute(), ...)`` with skills as tasks, as a Delayed whose
    ``compute()`` is one :class:`masterymap.bkt.Model` equal to it (parameters and fit
    diagnostics, skills in the same order): rows are shuffled by skill (each partition keeps its
    rows' order) and each partition fits its skills; a skill's fit depends only on its own
    sequences and its seed (the model's seed mixed with the skill's name).

    :param options: further :class:`masterymap.bkt.Model` options (``tolerance``, ``bounds``,
        ``fixed`` ...); ``multigs`` is not supported (item classes are numbered by first
        appearance in the whole dataset)
    :raises ValueError: ``multigs``; ``npartitions`` < 1; an empty frame or bad rows (at
        compute; rows numbered as positions in ``ddf.compute()``)
    """
    _check_npartitions(npartitions, "masterymap.dask.bkt_fit()")
    if options.get("multigs"):
        raise ValueError("masterymap.dask.bkt_fit(): multigs is not supported (a skill's item "
                         "classes are numbered by their first appearance in the whole "
                         "dataset); fit with masterymap.bkt.fit")
    model_options = dict(options, forgets=forgets, num_fits=num_fits, seed=seed, threads=threads)
    _bkt.Model(**model_options)  # bad options fail here, not at compute
    columns = dict(learner=learner, skill=skill, correct=correct, order=order)
    where = "masterymap.dask.bkt_fit()"
    shuffled, offsets = _partitioned(ddf, skill, "skill", npartitions, shuffle, where)
    fits = [dask.delayed(_bkt_part, pure=True)(p, skill, model_options, columns, offsets, where)
            for p in shuffled.to_delayed()]
    categories = None
    if isinstance(ddf._meta[skill].dtype, pd.CategoricalDtype):
        categories = [dask.delayed(_categories, pure=True)(p, skill) for p in ddf.to_delayed()]
    return dask.delayed(_bkt_merge, pure=True)(fits, model_options, categories)
