"""Cohort analytics on a Roster as DataFrames: ``Roster.summary``,
``Roster.groups_by_frontier``, ``Roster.time_to_mastery``, ``Roster.bottlenecks``,
``Roster.learning_curve`` and ``Roster.progress`` (see their docstrings). The counting passes
run in C++ (``Roster._summary``, ``_groups_by_frontier``, ``_first_mastery``,
``_time_to_mastery``, ``_bottlenecks``, ``_learning_curve``: cohort.hpp); this module maps
groups, derives the rates and gaps from the counts, applies the suppression rule and builds the
DataFrames."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from . import _core, _ids
from ._arguments import describe, require
from ._frames import _categorical, _learner_dtype, datetimes, nanos_utc

#: The label of the whole roster in the ``group`` column.
ALL = "all"


def _group_map(r: _core.Roster, by: Any) -> "pd.Series":
    if isinstance(by, pd.DataFrame):
        if by.shape[1] != 1:
            raise ValueError(f"Roster.summary(): by must have one column, not {by.shape[1]}")
        by = by.iloc[:, 0]
    elif isinstance(by, dict):
        by = pd.Series(by, dtype=object)
    if not isinstance(by, pd.Series):
        raise TypeError("Roster.summary(): by must be a pandas Series (learner -> group), a "
                        f"one-column DataFrame or a dict, got {describe(by)}")
    if not by.index.is_unique:
        dup = by.index[by.index.duplicated()][0]
        raise ValueError(f"Roster.summary(): by names learner {dup!r} more than once")
    return by


def _canonical_learners(index: "pd.Index") -> "pd.Index":
    """``by``'s learner ids as the canonical texts every other path uses (``1``, ``1.0`` and
    ``"1"`` are learner "1"). :raises ValueError: an id that is no learner id (1.5, True,
    missing), or two entries for one learner (0 and "0"), naming them."""
    if index.dtype == object and pd.api.types.infer_dtype(index, skipna=False) == "string":
        # Texts are canonical as they are, and _group_map found them unique.
        return pd.Index(index, dtype=object)
    indices, names, rejected = _ids.ids(pd.Series(index), "learner")
    indices = np.asarray(indices, dtype=np.int64)
    bad = np.flatnonzero(indices < 0)
    if len(bad) == 0 and rejected:
        bad = np.flatnonzero(np.isin(indices, list(rejected)))
    if len(bad):
        value = index[int(bad[0])]
        why = rejected.get(int(indices[bad[0]]), "missing") if indices[bad[0]] >= 0 else "missing"
        raise ValueError(f"Roster.summary(): by names {value!r}, which is no learner id ({why})")
    out = pd.Index(np.asarray(names, dtype=object)[indices], dtype=object)
    if not out.is_unique:
        k = int(np.flatnonzero(out.duplicated())[0])
        j = int(np.flatnonzero(out == out[k])[0])
        raise ValueError(f"Roster.summary(): by names learner {out[k]!r} more than once "
                         f"(as {index[j]!r} and {index[k]!r})")
    return out


def group_codes(r: Any, by: Any) -> Tuple[List[str], "pd.Series", "pd.Index", np.ndarray]:
    """(group names, sorted; learner id -> group code; every learner id ``by`` names, those
    mapped to NaN included; which of those have a group, a bool array) of ``by`` (None: no
    groups). Every learner ``by`` names counts here, also those not in the roster
    (``masterymap.dask`` maps the same ``by`` onto each part of a roster; :func:`used_groups`
    keeps the groups of a roster's own learners)."""
    if by is None:
        return ([], pd.Series([], dtype=np.int32), pd.Index([], dtype=object),
                np.zeros(0, dtype=bool))
    s = _group_map(r, by)
    s.index = _canonical_learners(s.index)
    named = s.index
    grouped = s.notna().to_numpy()
    s = s[grouped]
    labels = s.astype(str)
    names = sorted(set(labels))
    if ALL in names:
        raise ValueError(f"Roster.summary(): a group may not be called {ALL!r} (the whole "
                         "roster's label)")
    # Each label's position in the sorted names (every label is among them): one vectorised
    # lookup instead of a dict per learner.
    codes = pd.Categorical(labels.to_numpy(dtype=object), categories=names).codes
    return names, pd.Series(codes.astype(np.int64), index=labels.index), named, grouped


def check_grouped(learners: List[str], named: "pd.Index") -> None:
    """Every learner of a roster needs a group or an explicit NaN (no group) in ``by``: a
    learner missing from it would silently drop out of every group's figures.
    :raises ValueError: naming the first five missing learners."""
    missing = pd.Index(learners, dtype=object).difference(named, sort=False)
    if len(missing):
        shown = ", ".join(repr(x) for x in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ValueError(f"Roster.summary(): by has no group for {len(missing)} learner(s) "
                         f"of the roster: {shown}{more}; map them to NaN to leave them out "
                         "of every group (they still count in 'all')")


def used_groups(names: List[str], mapped: "pd.Series") -> Tuple[List[str], "pd.Series"]:
    """The groups some learner of ``mapped`` is in (a group only learners outside the roster
    are in is not listed), renumbered in the same (sorted) order."""
    codes = mapped.to_numpy(dtype=np.int64)
    used = np.unique(codes)
    # Each code's rank among the used ones (used is sorted and holds every code).
    return ([names[int(i)] for i in used],
            pd.Series(np.searchsorted(used, codes).astype(np.int32), index=mapped.index))


def groups_of(learners: List[str], mapped: "pd.Series") -> np.ndarray:
    """int32 group code of each learner (-1: none) from :func:`group_codes`' map."""
    if len(mapped) == 0:
        return np.full(len(learners), -1, dtype=np.int32)
    return mapped.reindex(learners).fillna(-1).to_numpy(dtype=np.int32)


#: ``min_n`` of ``Roster.summary(by=...)`` when none is given (subgroup cells below it are
#: suppressed; without ``by`` the default is 0: the whole roster is no subgroup).
SUBGROUP_MIN_N = 10


def default_min_n(min_n: Optional[int], by: Any) -> int:
    """``min_n`` as given, else :data:`SUBGROUP_MIN_N` with ``by`` and 0 without it."""
    if min_n is not None:
        return min_n
    return SUBGROUP_MIN_N if by is not None else 0


def summary(r: _core.Roster, by: Any, min_n: Optional[int]) -> pd.DataFrame:
    """``Roster.summary`` (see its docstring)."""
    min_n = default_min_n(min_n, by)
    learners = list(r.learners)
    names, mapped, named, grouped = group_codes(r, by)
    if by is None:
        group_of = groups_of(learners, mapped)
    else:
        # One hash lookup of by's learners in the roster's (unique) ones does what check_grouped,
        # isin and groups_of do apart: which roster learners by names, and where each of its
        # grouped learners sits in the roster.
        roster_ids = pd.Index(learners, dtype=object)
        covered = np.zeros(len(learners), dtype=bool)
        at = roster_ids.get_indexer(named)
        covered[at[at >= 0]] = True
        if not covered.all():
            check_grouped(learners, named)  # raises, naming the missing learners
        pos = at[grouped]  # mapped's learners are named's with a group, in order
        mine = pos >= 0
        names, kept = used_groups(names, mapped[mine])
        group_of = np.full(len(learners), -1, dtype=np.int32)
        group_of[pos[mine]] = kept.to_numpy(dtype=np.int32)
    # The counts and, from the first-mastery replay, the median attempts per cell: both in C++
    # (cohort.hpp's summarize and median_attempts), without the GIL.
    d = r._summary(group_of, len(names), attempts=True)
    return summary_frame(d, (d["attempts_median"], d["attempts_count"]), names,
                         list(r.framework), list(r.policy.scale.labels), min_n, by is not None)


def _medians_by_key(key: np.ndarray, values: np.ndarray, n: int) -> Tuple[np.ndarray, np.ndarray]:
    """(median, count) of ``values`` (float64, no NaN) per key in [0, n): NaN and 0 for a key
    without values. One sort by (key, value), then the middle one or the mean of the middle
    two of each run, as pandas' groupby median computes it."""
    med = np.full(n, np.nan)
    cnt = np.bincount(key, minlength=n).astype(np.int64) if len(key) else np.zeros(n, np.int64)
    if len(key) == 0:
        return med, cnt
    v = values[np.lexsort((values, key))]
    start = np.concatenate(([0], np.cumsum(cnt)[:-1]))
    has = cnt > 0
    lo = start[has] + (cnt[has] - 1) // 2
    hi = start[has] + cnt[has] // 2
    med[has] = (v[lo] + v[hi]) / 2
    return med, cnt


def attempt_medians(attempts: Dict[str, np.ndarray], groups: int,
                    competencies: int) -> Tuple[np.ndarray, np.ndarray]:
    """(median, count) of the attempts to mastery per (group, competency) cell, laid out as
    ``Roster._summary``'s cells, from ``attempts`` (``competency``, ``group`` code or -1,
    ``attempts`` of each spell that ended in mastery): what cohort.hpp's median_attempts
    computes, for ``masterymap.dask.summary``, which merges the spells of parts of a roster."""
    C = competencies
    comp = attempts["competency"].astype(np.int64)
    att = attempts["attempts"].astype(np.float64)
    grp = attempts["group"].astype(np.int64)
    keys = [np.full(len(comp), groups) * C + comp]
    if groups:
        own = grp >= 0
        keys.append(grp[own] * C + comp[own])
        att = np.concatenate([att, att[own]])
    return _medians_by_key(np.concatenate(keys), att, (groups + 1) * C)


def summary_frame(d: Dict[str, Any], attempts: Tuple[np.ndarray, np.ndarray], names: List[str],
                  competencies: List[str], labels: List[str], min_n: int,
                  grouped: bool) -> pd.DataFrame:
    """The DataFrame of ``Roster.summary`` from the counts of ``Roster._summary`` (``d``) and
    the (median, count) of the attempts to mastery per cell (``d``'s ``attempts_median`` and
    ``attempts_count``, or :func:`attempt_medians`); shared with ``masterymap.dask.summary``,
    which merges the counts of parts of a roster. The columns are built as arrays and the frame
    made once (a frame grown column by column costs more than the figures)."""
    C = len(competencies)
    G = len(names) + 1
    order = [len(names)] + list(range(len(names)))  # the whole roster first
    rows = np.concatenate([np.arange(g * C, (g + 1) * C) for g in order])
    n = np.repeat(d["learners"][order].astype(np.int64), C)
    st = d["status_counts"][rows].astype(np.int64)
    ra = d["rating_counts"][rows].astype(np.int64)
    scored = d["scored"][rows].astype(np.int64)
    ssum = d["score_sum"][rows]
    small = n < min_n
    floor = max(min_n, 1)
    cols: Dict[str, Any] = {
        "group": _categorical(np.repeat(np.arange(G, dtype=np.uint32), C), [ALL] + names),
        "competency": _categorical(np.tile(np.arange(C, dtype=np.uint32), G), competencies),
        "learners": n,
    }

    def count(x: np.ndarray) -> Any:  # Int64, NA in suppressed cells
        return pd.arrays.IntegerArray(np.ascontiguousarray(x, dtype=np.int64), small.copy())

    def real(x: np.ndarray) -> np.ndarray:  # float64, NaN in suppressed cells
        x = np.array(x, dtype=np.float64)
        x[small] = np.nan
        return x

    for k, name in enumerate(_core.STATUSES):
        cols[name] = count(st[:, k])
    for k, label in enumerate(labels):
        cols[label] = count(ra[:, k])
    cols["no_rating"] = count(ra[:, -1])
    status = {name: k for k, name in enumerate(_core.STATUSES)}
    started = n - st[:, status["not_started"]] - st[:, status["inferred"]]
    mastered = st[:, status["mastered"]] + st[:, status["exceeded"]]
    cols["started"] = count(started)
    cols["earned"] = count(mastered)
    cols["scored"] = count(scored)

    def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            out = a / b
        out[b < floor] = np.nan
        return out

    rate = ratio(mastered, n)
    rate_started = ratio(mastered, started)
    mean = ratio(ssum, scored)
    cols["mastery_rate"] = real(rate)
    cols["mastery_rate_started"] = real(rate_started)
    cols["mean_score"] = real(mean)
    median = d["score_median"][rows].copy()
    median[scored < floor] = np.nan
    cols["median_score"] = real(median)
    # Median attempts to mastery: counted evidence up to the first mastery (first_mastery).
    med = np.asarray(attempts[0], dtype=np.float64)[rows]
    med[np.asarray(attempts[1])[rows] < floor] = np.nan
    cols["median_attempts"] = real(med)
    if grouped:  # with `by`, the same columns even when no learner of the roster has a group
        # The rest of the roster: the whole roster's counts minus the group's.
        whole = slice(0, C)
        rest_n = np.tile(n[whole], G) - n
        rest_started = np.tile(started[whole], G) - started
        rest_mastered = np.tile(mastered[whole], G) - mastered
        rest_scored = np.tile(scored[whole], G) - scored
        rest_sum = np.tile(ssum[whole], G) - ssum
        for name, gap in (("gap_mastery_rate", rate - ratio(rest_mastered, rest_n)),
                          ("gap_mastery_rate_started",
                           rate_started - ratio(rest_mastered, rest_started)),
                          ("gap_mean_score", mean - ratio(rest_sum, rest_scored))):
            gap[:C] = np.nan  # the whole roster has no rest
            cols[name] = real(gap)
    cols["suppressed"] = small
    if not grouped:
        del cols["group"]
    return pd.DataFrame(cols)


_KINDS = ("ready", "recent", "stuck")


def check_days(function: str, **days: Any) -> None:
    """Days are numbers >= 0 and finite: anything else, a bool included (True is no number of
    days), is a TypeError naming the option, and a number out of range a ValueError. For
    masterymap.dask, which does its work before any bound call: Roster's methods take days
    through the days_arg caster (bindings.hpp), which refuses the same values."""
    for name, value in days.items():
        require(isinstance(value, (int, float, np.integer, np.floating))
                and not isinstance(value, (bool, np.bool_)), function, name, "a number of days",
                value)
        if not (value >= 0 and np.isfinite(value)):  # the caster's range, named here
            raise ValueError(f"{function}: {name} must be a number of days >= 0, "
                             f"got {describe(value)}")


def groups_by_frontier(r: _core.Roster, kind: str, stuck_evidence: int, stuck_days: float,
                       recent_days: float) -> pd.DataFrame:
    """``Roster.groups_by_frontier`` (see its docstring)."""
    if kind not in _KINDS:
        raise ValueError(f"Roster.groups_by_frontier(): kind must be one of {_KINDS}, "
                         f"not {kind!r}")
    # The columns come from C++ in their final dtypes (categorical codes, int64, datetime64[ns]
    # nanoseconds), written once: no per-column conversion here.
    d: Dict[str, Any] = r._groups_columns(kind, stuck_evidence, stuck_days, recent_days)
    learners = list(r.learners)
    frame = pd.DataFrame({
        "competency": _categorical(d["competency"], list(r.framework)),
        "learner": pd.Categorical.from_codes(d["learner"],
                                             dtype=_learner_dtype(r, learners)),
        "counted": d["counted"],
        "first_evidence": nanos_utc(d["first_ns"]),
        "last_evidence": nanos_utc(d["last_ns"]),
    }, copy=False)  # fresh columns: pandas would copy every one (ten million rows for "ready")
    if kind == "stuck":
        frame["wheel_spinning"] = (d["reasons"] & 1) != 0
        frame["no_progress"] = (d["reasons"] & 2) != 0
    return frame


def groups_frame(d: Dict[str, Any], kind: str, competencies: List[str], learners: List[str],
                 learner_dtype: Optional[pd.CategoricalDtype] = None) -> pd.DataFrame:
    """The DataFrame of ``Roster.groups_by_frontier`` from ``Roster._groups_by_frontier``'s
    columns (``learner``: indices into ``learners``; ``learner_dtype``: the roster's checked
    learner dtype, as the other roster frames share it); shared with
    ``masterymap.dask.groups_by_frontier``."""
    frame = pd.DataFrame({
        "competency": _categorical(d["competency"], competencies),
        "learner": (_categorical(d["learner"], learners) if learner_dtype is None else
                    pd.Categorical.from_codes(d["learner"], dtype=learner_dtype)),
        "counted": d["counted"].astype(np.int64),
        "first_evidence": datetimes(d["first"], "first_evidence"),
        "last_evidence": datetimes(d["last"], "last_evidence"),
    }, copy=False)  # fresh columns: pandas would copy every one (ten million rows for "ready")
    if kind == "stuck":
        frame["wheel_spinning"] = (d["reasons"] & 1) != 0
        frame["no_progress"] = (d["reasons"] & 2) != 0
    return frame


def _origin_seconds(origin: Any) -> float:
    if origin is None:
        return float("nan")
    if isinstance(origin, bool) or not isinstance(origin, (str, int, float, np.integer,
                                                           np.floating, pd.Timestamp)) and \
            not hasattr(origin, "isoformat"):
        raise TypeError("Roster.time_to_mastery(): origin must be a time (a str, datetime, "
                        f"Timestamp or Unix seconds), got {describe(origin)}")
    if isinstance(origin, (int, float, np.integer, np.floating)):
        if not np.isfinite(origin):
            raise ValueError(f"Roster.time_to_mastery(): origin must be a finite time, not "
                             f"{origin!r}")
        return float(origin)
    try:
        t = pd.Timestamp(origin)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"Roster.time_to_mastery(): origin {origin!r} is not a time (give an "
                         "ISO 8601 date or date-time, a datetime, a Timestamp or Unix "
                         "seconds)") from None
    if t is pd.NaT:
        raise ValueError("Roster.time_to_mastery(): origin is NaT; give a time, or None for "
                         "each pair's first counted evidence")
    if t.tzinfo is None:
        t = t.tz_localize("UTC")
    return t.value / 1e9


def time_to_mastery(r: _core.Roster, origin: Any, table: bool) -> pd.DataFrame:
    """``Roster.time_to_mastery`` (see its docstring)."""
    d = r._time_to_mastery(_origin_seconds(origin))
    return time_to_mastery_frame(d, list(r.framework), table)


def time_to_mastery_frame(d: Dict[str, Any], ids: List[str], table: bool) -> pd.DataFrame:
    """The DataFrame of ``Roster.time_to_mastery`` from ``Roster._time_to_mastery``'s columns
    (or ``Roster._survival``'s, the same); shared with ``masterymap.dask.time_to_mastery``."""
    if table:
        return pd.DataFrame({
            "competency": _categorical(d["t_competency"], ids),
            "time": d["time"],
            "at_risk": d["at_risk"].astype(np.int64),
            "events": d["died"].astype(np.int64),
            "survival": d["survival"],
            "se": d["se"],
        }, copy=False)  # fresh columns
    q = d["quantiles"]
    n = d["n"].astype(np.int64)
    ev = d["events"].astype(np.int64)
    frame = pd.DataFrame({
        "competency": _categorical(np.arange(len(ids), dtype=np.uint32), ids),
        "learners": n,
        "mastered": ev,
        "censored": n - ev,
    })
    for j, name in enumerate(("q25", "median", "q75")):
        frame[name] = q[:, 3 * j]
        frame[name + "_lower"] = q[:, 3 * j + 1]
        frame[name + "_upper"] = q[:, 3 * j + 2]
    frame["median_reached"] = ~np.isnan(q[:, 3])
    return frame


def report_bottlenecks(r: _core.Roster, bottlenecks: Any) -> List[Tuple[str, float, List[str]]]:
    """The bars of ``Roster.report``'s bottleneck chart as (competency, score, reasons) tuples:
    from ``bottlenecks`` (a DataFrame with ``competency``, ``score`` and optionally ``reasons``,
    or an iterable of such tuples), else from the roster's own ``bottlenecks()`` ranking when
    it has one (the same columns), else none."""
    if bottlenecks is None:
        ranking = getattr(r, "bottlenecks", None)
        if ranking is None or not callable(ranking):
            return []
        bottlenecks = ranking()
        if not isinstance(bottlenecks, pd.DataFrame) or not {"competency", "score"} <= set(
                bottlenecks.columns):
            return []
    if isinstance(bottlenecks, pd.DataFrame):
        missing = {"competency", "score"} - set(bottlenecks.columns)
        if missing:
            raise ValueError("Roster.report(): bottlenecks needs the columns 'competency' and "
                             f"'score'; missing {sorted(missing)}")
        reasons = (bottlenecks["reasons"] if "reasons" in bottlenecks.columns else
                   pd.Series([[]] * len(bottlenecks), index=bottlenecks.index))
        rows = zip(bottlenecks["competency"], bottlenecks["score"], reasons)
    else:
        try:
            rows = iter(bottlenecks)
        except TypeError:
            raise TypeError("Roster.report(): bottlenecks must be a DataFrame or an iterable of "
                            f"(competency, score, reasons), got {describe(bottlenecks)}") from None
    out: List[Tuple[str, float, List[str]]] = []
    for row in rows:
        try:
            competency, score, why = row
        except (TypeError, ValueError):
            raise TypeError("Roster.report(): each of bottlenecks must be (competency, score, "
                            f"reasons), got {describe(row)}") from None
        if why is None or (isinstance(why, float) and np.isnan(why)):
            why = []
        elif isinstance(why, str):
            why = [why]
        out.append((str(competency), float(score), [str(x) for x in why]))
    return out


def bottlenecks(r: _core.Roster, stuck_evidence: int, stuck_days: float) -> pd.DataFrame:
    """``Roster.bottlenecks`` (see its docstring)."""
    d: Dict[str, Any] = r._bottlenecks(stuck_evidence, stuck_days)
    frame = pd.DataFrame({
        "competency": _categorical(d["competency"], list(r.framework)),
        "score": d["score"],
        "learners": np.full(len(d["score"]), len(r), dtype=np.int64),
    })
    for name in ("stuck", "wheel_spinning", "no_progress", "ready", "working", "earned"):
        frame[name] = d[name].astype(np.int64)
    frame["mastery_rate_ready"] = d["mastery_rate_ready"]
    frame["gaps"] = d["gaps"].astype(np.int64)
    frame["reasons"] = pd.Series(d["reasons"], dtype=object)
    return frame


def learning_curve(r: _core.Roster) -> pd.DataFrame:
    """``Roster.learning_curve`` (see its docstring)."""
    d: Dict[str, Any] = r._learning_curve()
    learners = d["learners"].astype(np.int64)
    errors = d["errors"].astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = errors / learners
    return pd.DataFrame({
        "competency": _categorical(d["competency"], list(r.framework)),
        "opportunity": d["opportunity"].astype(np.int64),
        "learners": learners,
        "errors": errors,
        "error_rate": rate,
    }, copy=False)  # fresh columns


def progress(r: _core.Roster, freq: str) -> pd.DataFrame:
    """``Roster.progress`` (see its docstring)."""
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except ValueError:
        raise ValueError(f"Roster.progress(): freq must be a pandas period alias such as "
                         f"'D', 'W', 'M', not {freq!r}") from None
    sp = r._first_mastery(float("nan"))
    hit = sp["event"] != 0
    end = sp["end"][hit]
    learner = sp["learner"][hit]
    empty = pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns, UTC]"),
                          "mastered": pd.Series([], dtype=np.int64),
                          "cumulative": pd.Series([], dtype=np.int64),
                          "learners": pd.Series([], dtype=np.int64)})
    if len(end) == 0:
        return empty
    when = pd.to_datetime(end, unit="s")  # naive UTC: periods have no time zone
    try:
        periods = when.to_period(offset)
    except ValueError:
        raise ValueError(f"Roster.progress(): freq {freq!r} is not a period frequency (use "
                         "e.g. 'D', 'W', 'M', 'Q', 'Y')") from None
    ordinals = periods.asi8
    first = int(ordinals.min())
    codes = ordinals - first
    span = pd.period_range(periods.min(), periods.max(), freq=periods.freq)
    mastered = np.bincount(codes, minlength=len(span))
    pairs = pd.DataFrame({"p": codes, "l": learner}).drop_duplicates()
    learners = np.bincount(pairs["p"].to_numpy(), minlength=len(span))
    return pd.DataFrame({
        "period": span.start_time.tz_localize("UTC"),
        "mastered": mastered.astype(np.int64),
        "cumulative": np.cumsum(mastered).astype(np.int64),
        "learners": learners.astype(np.int64),
    })
