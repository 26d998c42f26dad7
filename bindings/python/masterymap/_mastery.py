"""Mastery policies, evidence and learner ratings: the pandas/numpy side.

The C++ core does the work (with the GIL released); this module turns DataFrames, numpy arrays,
datetimes and label strings into the columnar batches it takes, and its tables back into
DataFrames.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
from typing import Any, Mapping, Optional

import numpy as np

from ._core import (
    STATUSES,
    Engine,
    EvidenceLog,
    Framework,
    LearnerState,
    Policy,
    _IngestChecks,
)

__all__ = ["evaluate", "evaluate_all", "ratings", "STATUSES"]

_ROLES = ("learner", "competency", "time", "score", "kind", "weight", "source")
_REQUIRED = ("learner", "competency", "time", "score")


def _checks(framework: Optional[Framework], policy: Optional[Policy]) -> Optional[_IngestChecks]:
    if framework is None and policy is None:
        return None
    return _IngestChecks(framework, policy)


def _names(values: Any) -> tuple:
    """(integer codes, list of str names) of a text column (pandas Categorical or anything).

    Codes keep their dtype (the core widens them); -1 marks a missing value."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), [str(c) for c in s.cat.categories]
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _floats(s: Any) -> np.ndarray:
    """A numeric Series as float64 without copying when it already is (NaN stays NaN); pandas'
    nullable dtypes go through ``na_value`` (that path copies and scans for NA)."""
    if isinstance(s.dtype, np.dtype):
        return np.asarray(s.to_numpy(), dtype=np.float64)
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def _numbers_or_texts(values: Any) -> tuple:
    """(float64 values,) for numeric data, else (codes, texts) for the core to parse."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return (_floats(s),)
    return _names(s.astype(object).where(s.notna(), None))


def _times(values: Any) -> tuple:
    """Times as (float64 seconds,) or (codes, ISO texts)."""
    import pandas as pd

    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = s.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64)
        ns[s.isna().to_numpy()] = np.nan
        return (ns / 1e9,)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return (_floats(s),)
    first = next((v for v in s if v is not None and not (isinstance(v, float) and math.isnan(v))), None)
    if isinstance(first, (_dt.datetime, _dt.date)):
        return (np.array([_time_value(v) for v in s], dtype=np.float64),)
    return _names(s.astype(object).where(s.notna(), None))


def _time_value(t: Any) -> Any:
    """A time as seconds (datetimes; naive ones are UTC) or as text for the core to parse."""
    if t is None:
        return float("nan")
    if isinstance(t, str):
        return t
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return t.timestamp()
    if isinstance(t, _dt.date):
        return _dt.datetime(t.year, t.month, t.day, tzinfo=_dt.timezone.utc).timestamp()
    if isinstance(t, np.datetime64):
        return t.astype("datetime64[ns]").astype(np.int64) / 1e9
    if hasattr(t, "timestamp"):  # pandas Timestamp
        return _time_value(t.to_pydatetime())
    return float(t)


def _columns_of(data: Any, columns: Optional[Mapping[str, str]]) -> dict:
    """Role -> column data, from a DataFrame or a mapping of arrays."""
    rename = dict(columns or {})
    get = data.__getitem__
    keys = set(data.columns) if hasattr(data, "columns") else set(data.keys())
    out = {}
    for role in _ROLES:
        name = rename.get(role, role)
        if name in keys:
            out[role] = get(name)
        elif role in _REQUIRED:
            raise ValueError(f"evidence needs a {role!r} column (looked for {name!r})")
    return out


def extend(self: EvidenceLog, data: Any, *, framework: Optional[Framework] = None,
           policy: Optional[Policy] = None, columns: Optional[Mapping[str, str]] = None) -> EvidenceLog:
    """Appends a batch: a pandas DataFrame or a mapping of equal-length arrays.

    Columns: ``learner``, ``competency``, ``time``, ``score`` and optionally ``kind``, ``weight``,
    ``source`` (rename with ``columns={"learner": "user_id", ...}``). Text columns may be
    categorical. Times may be numbers, datetime64 (tz-aware or UTC), datetimes or ISO 8601
    strings; scores numbers or, with ``policy=``, labels of its scale.

    With ``framework=`` unknown competencies are rejected; with ``policy=`` scores outside the
    scale's range. The whole batch is validated first: on any bad row :class:`EvidenceError`
    lists every bad row (0-based) and reason, and the log is unchanged.

    :returns: the log (for chaining)
    """
    cols = _columns_of(data, columns)
    n = len(cols["learner"])
    batch = {
        "learner": _names(cols["learner"]),
        "competency": _names(cols["competency"]),
        "time": _times(cols["time"]),
        "score": _numbers_or_texts(cols["score"]),
    }
    if "kind" in cols:
        batch["kind"] = _names(cols["kind"])
    if "weight" in cols:
        batch["weight"] = _numbers_or_texts(cols["weight"])
    if "source" in cols:
        batch["source"] = _names(cols["source"])
    for role, col in batch.items():
        size = len(col[0])
        if size != n:
            raise ValueError(f"column {role!r} has {size} rows, 'learner' has {n}")
    self._append_columns(n, batch, _checks(framework, policy))
    return self


def from_arrays(learner: Any, competency: Any, score: Any, time: Any, kind: Any = None,
                weight: Any = None, source: Any = None, *, kinds: Optional[list] = None,
                framework: Optional[Framework] = None, policy: Optional[Policy] = None) -> EvidenceLog:
    """A new log from numpy arrays (or sequences) of equal length; see :meth:`extend`."""
    log = EvidenceLog(kinds)
    data = {"learner": learner, "competency": competency, "score": score, "time": time}
    for k, v in (("kind", kind), ("weight", weight), ("source", source)):
        if v is not None:
            data[k] = v
    return extend(log, data, framework=framework, policy=policy)


def add(self: EvidenceLog, learner: str, competency: str, score: Any, time: Any,
        kind: str = "formative", weight: float = 1.0, source: str = "", *,
        framework: Optional[Framework] = None, policy: Optional[Policy] = None) -> EvidenceLog:
    """Appends one piece of evidence (validated like a batch of one).

    ``score`` is a number or, with ``policy=``, a label of its scale; ``time`` seconds, an ISO
    8601 string, a datetime or a date.
    """
    self._add_row(learner, competency, score, _time_value(time), kind, float(weight), source,
                  _checks(framework, policy))
    return self


def read_csv(path: "os.PathLike[str] | str", columns: Optional[Mapping[str, str]] = None, *,
             kinds: Optional[list] = None, framework: Optional[Framework] = None,
             policy: Optional[Policy] = None) -> EvidenceLog:
    """A new log from a CSV file with a header line (see :meth:`append_csv`)."""
    log = EvidenceLog(kinds)
    return append_csv(log, path, columns, framework=framework, policy=policy)


def append_csv(self: EvidenceLog, path: "os.PathLike[str] | str",
               columns: Optional[Mapping[str, str]] = None, *, framework: Optional[Framework] = None,
               policy: Optional[Policy] = None) -> EvidenceLog:
    """Appends the rows of a CSV file with named columns (parsed in C++, GIL released).

    ``columns`` maps roles to column names, e.g. the knowledge-tracing convention
    ``{"learner": "user_id", "competency": "skill_name", "time": "order_id", "score": "correct"}``.

    :raises ParseError: malformed CSV or a missing column (with line)
    :raises EvidenceError: bad values (rows 0-based; messages give file lines)
    """
    self._append_csv(os.fspath(path), dict(columns or {}), _checks(framework, policy))
    return self


def to_dataframe(self: EvidenceLog) -> Any:
    """The log as a DataFrame in insertion order (text columns categorical; time in seconds)."""
    import pandas as pd

    c = self._columns()
    cat = pd.Categorical.from_codes
    return pd.DataFrame({
        "learner": cat(c["learner"].astype(np.int64), categories=list(self.learners)),
        "competency": cat(c["competency"].astype(np.int64), categories=list(self.competencies)),
        "time": c["time"],
        "score": c["score"].astype(np.float64),
        "kind": cat(c["kind"].astype(np.int64), categories=list(self.kinds)),
        "weight": c["weight"].astype(np.float64),
        "source": cat(c["source"].astype(np.int64), categories=list(self.sources)),
    })


def evaluate(framework: Framework, policy: Policy, log: EvidenceLog, learner: str, *,
             as_of: Optional[float] = None, probabilities: Any = None) -> LearnerState:
    """The :class:`LearnerState` of one learner under a policy (``Engine(fw, policy).evaluate``)."""
    return Engine(framework, policy).evaluate(log, learner, as_of=as_of, probabilities=probabilities)


def evaluate_all(framework: Framework, policy: Policy, log: EvidenceLog, *,
                 as_of: Optional[float] = None, probabilities: Any = None,
                 threads: int = 0) -> dict:
    """Every learner of the log, in parallel: a dict learner -> :class:`LearnerState`."""
    return Engine(framework, policy).evaluate_all(log, as_of=as_of, probabilities=probabilities,
                                                  threads=threads)


def _table_frame(t: dict, scale_labels: list, all_rows: bool) -> Any:
    import pandas as pd

    # Codes go to pandas as they come (uint32/uint8/int8): from_codes narrows them itself, so
    # widening them first would only copy.
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
        full_status[flat], full_score[flat], full_rating[flat], full_evidence[flat] = status, score, rating, evidence
        status, score, rating, evidence = full_status, full_score, full_rating, full_evidence
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(learner, categories=t["learners"]),
        "competency": pd.Categorical.from_codes(competency, categories=t["competencies"]),
        "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
        "score": score,
        "rating": pd.Categorical.from_codes(rating, categories=scale_labels),
        "evidence": evidence,
    }, copy=False)  # the arrays are fresh and ours: no need for pandas to copy them again


def ratings(framework: Framework, policy: Policy, log: EvidenceLog, *, as_of: Optional[float] = None,
            probabilities: Any = None, threads: int = 0, all_competencies: bool = False,
            engine: Optional[Engine] = None) -> Any:
    """Ratings of every learner of the log as one long DataFrame (the bulk path).

    Columns: learner, competency, status, score, rating (categoricals; rating ``NaN`` when
    absent), evidence (count). Only (learner, competency) pairs that are not ``not_started``
    unless ``all_competencies``. Computed in C++ in parallel with the GIL released.
    """
    eng = engine if engine is not None else Engine(framework, policy)
    t = eng._rate_all(log, as_of=as_of, probabilities=probabilities, threads=threads)
    return _table_frame(t, list(eng.policy.scale.labels), all_competencies)


def _state_frame(self: LearnerState) -> Any:
    """This learner's state as a DataFrame indexed by competency id."""
    import pandas as pd

    fw = self.framework
    ids = list(fw)
    rating = self.rating_codes().astype(np.int64)
    return pd.DataFrame({
        "status": pd.Categorical.from_codes(self.status_codes().astype(np.int64), categories=list(STATUSES)),
        "score": self.scores(),
        "rating": pd.Categorical.from_codes(rating, categories=list(self.policy.scale.labels)),
        "evidence": self.evidence_counts(),
    }, index=pd.Index(ids, name="competency"))


def _policy_read(path: "os.PathLike[str] | str") -> Policy:
    """Reads a policy JSON file."""
    with open(path, encoding="utf-8") as f:
        return Policy.from_json(f.read())


def _policy_write(self: Policy, path: "os.PathLike[str] | str", indent: int = 2) -> None:
    """Writes the policy as JSON."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(self.to_json(indent))
        f.write("\n")


EvidenceLog.extend = extend
EvidenceLog.add = add
EvidenceLog.append_csv = append_csv
EvidenceLog.from_arrays = staticmethod(from_arrays)
EvidenceLog.read_csv = staticmethod(read_csv)
EvidenceLog.to_dataframe = to_dataframe
LearnerState.to_dataframe = _state_frame
Engine.ratings = lambda self, log, **kw: ratings(self.framework, self.policy, log, engine=self, **kw)
Engine.ratings.__doc__ = ratings.__doc__
Policy.read = staticmethod(_policy_read)
Policy.write = _policy_write
