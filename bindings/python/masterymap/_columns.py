"""The one conversion from pandas/numpy data to the columns the C++ core takes.

Every batch ingest path uses these functions: evidence (``EvidenceLog.extend``, ``add``,
``from_arrays``, ``Roster.ingest``) and knowledge tracing (``bkt.dataset``,
``Model.update_batch``); one event of ``Roster.add`` is converted in C++. One function per conversion, the same behaviour everywhere:

- :func:`categories`: a text/id column as (indices, names). Pandas categoricals keep their
  categories (no hashing); small non-negative integer ids go through a direct table; anything
  else through :func:`pandas.factorize`. Names are in order of first appearance (the
  categories' order for a categorical); a missing value has index -1.
- :func:`names`: the text of id values (integral floats such as ``3.0`` read ``"3"``).
- :func:`floats`, :func:`numbers_or_texts`, :func:`binary`.
- :func:`times`, :func:`seconds`: time columns. One time argument is converted in C++
  (``_core._to_seconds``, the same conversion as every ``as_of=``/``today=``/``time=``), ISO
  8601 texts by the core's one parser; datetime-like columns are converted whole (numpy and
  pandas, no loop over rows). Every path keeps microseconds exactly: a time given as a number,
  a string, a datetime, a Timestamp or a datetime64 gives the same float64 seconds.

The C++ bindings call the evidence functions of this module from the bound methods
(``EvidenceLog.extend`` ...), so the bound types stay unchanged Python classes.
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple, Union, cast

import numpy as np
import pandas as pd

from . import _core

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


def _time_series(values: Any) -> pd.Series:
    """A time column as a Series; a plain list or tuple as objects, each value then read as it
    is (pandas would otherwise guess datetimes from strings, with a warning)."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (list, tuple)):
        return pd.Series(values, dtype=object)
    return pd.Series(values)


def _nanoseconds(s: pd.Series) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) of a datetime64 Series, naive or tz-aware (NaT:
    int64 min), without a copy where pandas allows."""
    v = s.values  # numpy datetime64, tz-aware data converted to UTC
    if not (isinstance(v, np.ndarray) and v.dtype == np.dtype("M8[ns]")):
        v = np.asarray(s.dt.tz_convert("UTC").dt.tz_localize(None) if s.dt.tz is not None else s,
                       dtype="M8[ns]")
    return v.view(np.int64)


def _time_text(v: Any) -> Optional[str]:
    """One value of a mixed time column as text for the core's parser: strings as they are,
    other times as their seconds (``repr`` of a float reads back exactly), missing as None,
    anything else as its text (which the core then reports with its row)."""
    if isinstance(v, str):
        return v
    try:
        t = _core._to_seconds(v, "time", True)
    except (TypeError, ValueError, OverflowError):
        return str(v)
    return None if math.isnan(t) else repr(t)


def times(values: Any, name: str = "time") -> Column:
    """A time column as (float64 seconds since the epoch,) or (indices, texts) for the core's
    ISO 8601 parser (which rejects the batch listing every bad row).

    - datetime64 columns, naive (= UTC) or tz-aware (converted), NaT -> NaN: converted whole
      in C++, rounded to the microsecond like every time conversion;
    - numbers: seconds as they are; booleans are a TypeError (they are no times);
    - objects: all strings -> texts for the core; all datetimes, dates, Timestamps or
      datetime64 -> converted whole (:func:`pandas.to_datetime`, UTC); all numbers -> floats;
      a mix -> each value as text (the one per-row loop, for columns pandas cannot type);
    - categoricals: their categories converted once, then taken by code.

    :raises TypeError: a boolean or timedelta column, naming ``name``
    """
    s = _time_series(values)
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        col = times(pd.Series(s.cat.categories, dtype=s.cat.categories.dtype), name)
        if len(col) == 1:
            out = col[0][codes]
            out[codes < 0] = np.nan
            return (out,)
        indices, texts = cast(Tuple[np.ndarray, List[str]], col)
        return (np.where(codes >= 0, indices[codes], -1), texts)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return (_core._nanos_to_seconds(_nanoseconds(s)),)
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        raise TypeError(f"column {name!r}: {dtype} values are not times (expected seconds, "
                        "datetime64, datetimes or ISO 8601 strings)")
    if pd.api.types.is_numeric_dtype(dtype):
        return (floats(s),)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("string", "empty"):
        return _texts(s)
    if kind in ("integer", "floating", "mixed-integer-float"):
        return (floats(s.astype(np.float64)),)
    if kind in ("datetime", "datetime64", "date"):
        try:
            return (_core._nanos_to_seconds(_nanoseconds(pd.to_datetime(s, utc=True))),)
        except (ValueError, OverflowError):  # outside datetime64[ns]: value by value below
            pass
    return _texts(s.map(_time_text, na_action="ignore"))


def seconds(values: Any, name: str = "time") -> np.ndarray:
    """A time column as float64 seconds since the epoch (NaN where missing), texts parsed here:
    for arguments that are arrays of times (``last_evidence=``, a BKT ``order`` column).

    :raises ParseError: a text that is not a time, naming ``name``
    :raises TypeError: a boolean or timedelta column, naming ``name``
    """
    col = times(values, name)
    if len(col) == 1:
        return np.asarray(col[0], dtype=np.float64)
    indices, texts = cast(Tuple[np.ndarray, List[str]], col)
    parsed = np.array([_core._to_seconds(t, name, True) for t in texts] + [np.nan],
                      dtype=np.float64)
    return parsed[np.where(indices >= 0, indices, len(texts))]


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
        "time": times(cols["time"], columns.get("time", "time") if columns else "time"),
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


def extend(log: _core.EvidenceLog, data: Any, framework: Optional[_core.Framework] = None,
           policy: Optional[_core.Policy] = None,
           columns: Optional[Mapping[str, str]] = None) -> _core.EvidenceLog:
    """``EvidenceLog.extend`` (see its docstring)."""
    n, batch = evidence_batch(data, columns)
    log._append_columns(n, batch, checks(framework, policy))
    return log


def from_arrays(learner: Any, competency: Any, score: Any, time: Any, kind: Any = None,
                weight: Any = None, source: Any = None, kinds: Optional[List[str]] = None,
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
    log._add_row(learner, competency, score, time, kind, float(weight), source,
                 checks(framework, policy))
    return log


def append_csv(log: _core.EvidenceLog, path: "os.PathLike[str] | str",
               columns: Optional[Mapping[str, str]] = None,
               framework: Optional[_core.Framework] = None,
               policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.append_csv`` (see its docstring)."""
    log._append_csv(os.fspath(path), dict(columns or {}), checks(framework, policy))
    return log


def read_csv(path: "os.PathLike[str] | str", columns: Optional[Mapping[str, str]] = None,
             kinds: Optional[List[str]] = None, framework: Optional[_core.Framework] = None,
             policy: Optional[_core.Policy] = None) -> _core.EvidenceLog:
    """``EvidenceLog.read_csv`` (see its docstring)."""
    return append_csv(_core.EvidenceLog(kinds), path, columns, framework, policy)


def roster_ingest(roster: _core.Roster, data: Any) -> Dict[str, Any]:
    """``Roster.ingest``: an EvidenceLog as is, anything else through :func:`extend` with the
    roster's framework and policy (so scores may be labels of its scale, as in
    ``EvidenceLog.extend(..., policy=)``)."""
    if not isinstance(data, _core.EvidenceLog):
        data = extend(_core.EvidenceLog(), data, roster.framework, roster.policy)
    return roster._ingest_log(data)

