"""The one conversion from pandas/numpy data to the columns the C++ core takes.

Every batch ingest path uses these functions: evidence (``EvidenceLog.extend``, ``add``,
``from_arrays``, ``Roster.ingest``) and knowledge tracing (``bkt.dataset``,
``Model.update_batch``); one event of ``Roster.add`` is converted in C++. One function per conversion, the same behaviour everywhere:

- :func:`categories`: a text/id column as (indices, names). Pandas categoricals keep their
  categories (no hashing); small non-negative integer ids go through a direct table; anything
  else through :func:`pandas.factorize`. Names are in order of first appearance (the
  categories' order for a categorical); a missing value has index -1.
- :func:`names`: the text of id values (integral floats such as ``3.0`` read ``"3"``).
- :func:`floats`, :func:`numbers_or_texts`, :func:`times`, :func:`time_value`, :func:`binary`.

The C++ bindings call the evidence functions of this module from the bound methods
(``EvidenceLog.extend`` ...), so the bound types stay unchanged Python classes.
"""
from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._arguments import checked, require

#: (indices, names) of a text column, or (float64 values,) of a numeric one.
Column = Union[Tuple[np.ndarray, List[str]], Tuple[np.ndarray]]

ROLES = ("learner", "competency", "time", "score", "kind", "weight", "source")
REQUIRED = ("learner", "competency", "time", "score")


# --- one conversion per kind of column ---------------------------------------------------------

def series(values: Any) -> pd.Series:
    """``values`` as a pandas Series (a Series is returned as is, without copying)."""
    return values if isinstance(values, pd.Series) else pd.Series(values)


def names(values: Any) -> List[str]:
    """The text of each id value: ``str(v)``, except that integral floats read as integers
    (``3.0`` -> ``"3"``, as ids that went through a float column)."""
    a = np.asarray(values)
    if a.dtype.kind == "f" and len(a) and np.all(np.mod(a, 1) == 0):
        a = a.astype(np.int64)
    return [str(v) for v in a.tolist()]


def _dense_ints(values: np.ndarray) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """(uint32 indices, ids in order of first appearance) of small non-negative integer ids
    through a direct table (no hashing); None when the ids are not integers or not small."""
    if values.dtype.kind not in "iu" or len(values) == 0:
        return None
    lo, hi = values.min(), values.max()
    if lo < 0 or hi > 4 * len(values) + 1024:
        return None
    n = len(values)
    first = np.full(int(hi) + 1, n, dtype=np.int64)
    # Reversed assignment: with repeated targets the last write wins, so each id ends up with
    # the position of its first appearance.
    first[values[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
    present = np.flatnonzero(first < n)
    ids = present[np.argsort(first[present], kind="stable")]
    rank = np.empty(int(hi) + 1, dtype=np.uint32)
    rank[ids] = np.arange(len(ids), dtype=np.uint32)
    return rank[values], ids


def categories(values: Any) -> Tuple[np.ndarray, List[str]]:
    """A text or id column as (integer indices, names).

    Indices keep their dtype where possible (the core widens them); -1 marks a missing value.
    Categoricals keep every category, in the categories' order; otherwise names are in order
    of first appearance.
    """
    s = series(values)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), names(s.cat.categories)
    dense = _dense_ints(s.to_numpy())
    if dense is not None:
        return dense[0], names(dense[1])
    indices, uniques = pd.factorize(s, sort=False, use_na_sentinel=True)
    return indices, names(uniques)


def floats(values: Any) -> np.ndarray:
    """A numeric column as float64, without copying when it already is (NaN stays NaN);
    pandas' nullable dtypes go through ``na_value`` (that path copies and scans for NA)."""
    s = series(values)
    if isinstance(s.dtype, np.dtype):
        return np.asarray(s.to_numpy(), dtype=np.float64)
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def numbers_or_texts(values: Any) -> Column:
    """(float64 values,) for numeric or boolean data, else (indices, texts) for the core to
    parse (e.g. scale labels as scores)."""
    s = series(values)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return (floats(s),)
    return _texts(s)


def _texts(s: pd.Series) -> Tuple[np.ndarray, List[str]]:
    """A column of texts (missing values as None) as (indices, names) for the core to parse."""
    return categories(s.astype(object).where(s.notna(), None))


def time_value(t: Any) -> Union[float, str]:
    """One time as seconds since the epoch (datetimes; naive ones are UTC; dates at midnight
    UTC; numpy datetime64; pandas Timestamp), NaN for None, or a string left for the core to
    parse as ISO 8601."""
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
        return float(t.astype("datetime64[ns]").astype(np.int64)) / 1e9
    if hasattr(t, "timestamp"):  # pandas Timestamp
        return time_value(t.to_pydatetime())
    return float(t)


def times(values: Any) -> Column:
    """A time column as (float64 seconds since the epoch,) or (indices, ISO 8601 texts).

    datetime64 columns (tz-aware ones converted to UTC, NaT -> NaN) and numbers give seconds;
    Python datetimes/dates go through :func:`time_value`; anything else is text for the core.
    """
    s = series(values)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = s.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64)
        ns[s.isna().to_numpy()] = np.nan
        return (ns / 1e9,)
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return (floats(s),)
    first = next((v for v in s if v is not None and not (isinstance(v, float) and math.isnan(v))),
                 None)
    if isinstance(first, (_dt.datetime, _dt.date)):
        return (np.array([time_value(v) for v in s], dtype=np.float64),)
    return _texts(s)


def binary(values: Any, name: str) -> np.ndarray:
    """A 0/1 (or boolean) column as uint8.

    :raises ValueError: naming the column and the first row that is not 0 or 1.
    """
    v = series(values).to_numpy()
    if v.dtype == bool:
        return v.astype(np.uint8)
    if v.dtype.kind in "iuf":
        ok = (v == 0) | (v == 1)
    else:
        ok = np.array([x in (0, 1) and not isinstance(x, str) for x in v], dtype=bool)
    if not ok.all():
        row = int(np.argmax(~ok))
        raise ValueError(f"column '{name}' must hold 0 or 1; row {row} has {v[row]!r}")
    return (v == 1).astype(np.uint8)


# --- evidence ---------------------------------------------------------------------------------

def checks(framework: Optional[_core.Framework],
           policy: Optional[_core.Policy]) -> Optional[_core._IngestChecks]:
    """The row checks of an ingest (None: only the log's own checks)."""
    if framework is None and policy is None:
        return None
    return _core._IngestChecks(framework, policy)


def evidence_columns(data: Any, columns: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """Role -> column data, from a DataFrame or a mapping of arrays.

    :raises ValueError: a required role (learner, competency, time, score) has no column.
    """
    rename = dict(columns or {})
    keys = set(data.columns) if hasattr(data, "columns") else set(data.keys())
    out = {}
    for role in ROLES:
        col = rename.get(role, role)
        if col in keys:
            out[role] = data[col]
        elif role in REQUIRED:
            raise ValueError(f"evidence needs a {role!r} column (looked for {col!r})")
    return out


def evidence_batch(data: Any, columns: Optional[Mapping[str, str]]) -> Tuple[int, Dict[str, Any]]:
    """(rows, role -> converted column) of an evidence batch, for ``EvidenceLog._append_columns``.

    :raises ValueError: a missing required column, or columns of different lengths.
    """
    cols = evidence_columns(data, columns)
    n = len(cols["learner"])
    batch: Dict[str, Any] = {
        "learner": categories(cols["learner"]),
        "competency": categories(cols["competency"]),
        "time": times(cols["time"]),
        "score": numbers_or_texts(cols["score"]),
    }
    if "kind" in cols:
        batch["kind"] = categories(cols["kind"])
    if "weight" in cols:
        batch["weight"] = numbers_or_texts(cols["weight"])
    if "source" in cols:
        batch["source"] = categories(cols["source"])
    for role, col in batch.items():
        size = len(col[0])
        if size != n:
            raise ValueError(f"column {role!r} has {size} rows, 'learner' has {n}")
    return n, batch


#: What a batch of evidence may be: a DataFrame or a mapping of role -> column.
Table = Union[pd.DataFrame, Mapping[str, Any]]
#: A column of a batch: a list, tuple, numpy array, pandas Series or Categorical.
Values = Sequence[Any]


@checked("EvidenceLog.extend()")
def extend(log: _core.EvidenceLog, data: Table, framework: Optional[_core.Framework] = None,
           policy: Optional[_core.Policy] = None,
           columns: Optional[Mapping[str, str]] = None) -> _core.EvidenceLog:
    """``EvidenceLog.extend`` (see its docstring)."""
    n, batch = evidence_batch(data, columns)
    log._append_columns(n, batch, checks(framework, policy))
    return log


@checked("EvidenceLog.from_arrays()")
def from_arrays(learner: Values, competency: Values, score: Values, time: Values,
                kind: Optional[Values] = None, weight: Optional[Values] = None,
                source: Optional[Values] = None, kinds: Optional[List[str]] = None,
                framework: Optional[_core.Framework] = None,
                policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.from_arrays`` (see its docstring)."""
    log = _core.EvidenceLog(kinds)
    data = {"learner": learner, "competency": competency, "score": score, "time": time}
    for k, v in (("kind", kind), ("weight", weight), ("source", source)):
        if v is not None:
            data[k] = v
    return extend(log, data, framework, policy)


def add(log: _core.EvidenceLog, learner: str, competency: str, score: Any, time: Any,
        kind: str = "formative", weight: float = 1.0, source: str = "",
        framework: Optional[_core.Framework] = None,
        policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.add`` (see its docstring)."""
    # By hand, not @checked: one event per call.
    where = "EvidenceLog.add()"
    require(isinstance(kind, str), where, "kind", "a str", kind)
    require(isinstance(source, str), where, "source", "a str", source)
    require(isinstance(weight, (str, numbers.Real)), where, "weight", "a number", weight)
    require(isinstance(score, (str, numbers.Real)), where, "score",
            "a number or a label of the scale", score)
    require(framework is None or isinstance(framework, _core.Framework), where, "framework",
            "None or a Framework", framework)
    require(policy is None or isinstance(policy, _core.Policy), where, "policy",
            "None or a Policy", policy)
    log._add_row(learner, competency, score, time_value(time), kind, float(weight), source,
                 checks(framework, policy))
    return log


@checked("EvidenceLog.append_csv()")
def append_csv(log: _core.EvidenceLog, path: "os.PathLike[str] | str",
               columns: Optional[Mapping[str, str]] = None,
               framework: Optional[_core.Framework] = None,
               policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.append_csv`` (see its docstring)."""
    log._append_csv(os.fspath(path), dict(columns or {}), checks(framework, policy))
    return log


@checked("EvidenceLog.read_csv()")
def read_csv(path: "os.PathLike[str] | str", columns: Optional[Mapping[str, str]] = None,
             kinds: Optional[List[str]] = None, framework: Optional[_core.Framework] = None,
             policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.read_csv`` (see its docstring)."""
    return append_csv(_core.EvidenceLog(kinds), path, columns, framework, policy)


@checked("Roster.ingest()")
def roster_ingest(roster: _core.Roster, data: Union[_core.EvidenceLog, Table]) -> Dict[str, Any]:
    """``Roster.ingest``: an EvidenceLog as is, anything else through :func:`extend` with the
    roster's framework and policy (so scores may be labels of its scale, as in
    ``EvidenceLog.extend(..., policy=)``)."""
    log = data if isinstance(data, _core.EvidenceLog) else \
        extend(_core.EvidenceLog(), data, roster.framework, roster.policy)
    return roster._ingest_log(log)

