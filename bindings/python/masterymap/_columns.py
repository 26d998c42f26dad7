"""The one conversion from pandas/numpy data to the columns the C++ core takes.

Every batch ingest path uses these functions: evidence (``EvidenceLog.extend``, ``add``,
``from_arrays``, ``Roster.ingest``) and knowledge tracing (``bkt.dataset``,
``Model.update_batch``); one event of ``Roster.add`` (and every id lookup bound in C++) goes
through the same id rules in C++ (``id_text`` in the bindings, falling back on
:func:`id_scalar`). One function per conversion, the same behaviour everywhere:

- :func:`table`: a DataFrame, a mapping of arrays or a list of records (dicts); ``[]`` is a
  batch of no rows.
- :func:`ids` (in :mod:`masterymap._ids`, with the rules for one id): an id column as
  (indices, names, rejected), vectorised: one canonical text per id whatever its type;
  categoricals keep their categories (no hashing); small non-negative integer ids go through a
  direct table; anything else through :func:`pandas.factorize`. Names are in order of first
  appearance (the categories' order for a categorical); a missing value has index -1;
  ``rejected`` gives the reason of each name that is not an id. :func:`id_rows` lists the rows
  of those.
- :func:`categories`: :func:`ids` for free text (kinds, sources).
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
import numbers
import os
from collections.abc import Mapping
from typing import Annotated, Any, Dict, List, Optional, Sequence, Tuple, Union, cast

import numpy as np
import pandas as pd

from . import _core, _progress
from ._arguments import checked, require
from ._ids import categories, id_scalar, ids, series

#: (indices, names) of a text column, or (float64 values,) of a numeric one.
Column = Union[Tuple[np.ndarray, List[str]], Tuple[np.ndarray]]

ROLES = ("learner", "competency", "time", "score", "kind", "weight", "source", "timestamp")
REQUIRED = ("learner", "competency", "time", "score")
#: The optional roles and the value a row without one takes.
OPTIONAL = {"kind": "formative", "weight": 1.0, "source": "", "timestamp": ""}


def _missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def timestamp_texts(values: Any) -> Optional[List[str]]:
    """The ``timestamp`` column of a batch as texts, one per row (:func:`read_xapi`'s column,
    ``EvidenceLog.to_dataframe``'s: each row's time as a statement wrote it), a missing value
    (None, NaN, pd.NA, NaT) as ``""`` (none); None for a column that holds no texts at all
    (datetimes, numbers: a column of times under that name, not texts), which is ignored. The
    core checks each text (an RFC 3339 date-time denoting the row's time).

    :raises TypeError: a text column with an entry that is neither a str nor missing, naming
        its row.
    """
    s = series(values)
    if not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)):
        return None
    values = s.tolist()
    if all(type(v) is str for v in values):  # the common case, without a per-row branch tree
        return values
    out = []
    for i, v in enumerate(values):
        if isinstance(v, str):
            out.append(v)
        elif _missing(v):
            out.append("")
        else:
            raise TypeError(f"timestamp: row {i}: expected the time as written (a str such as "
                            f"'2024-03-01T09:30:00Z') or a missing value, got "
                            f"{type(v).__name__} {v!r}")
    return out


# --- one conversion per kind of column (ids: _ids.py) ------------------------------------------

def number(value: Any) -> Any:
    """One score or weight: a missing value (None, pd.NA, NaN) as NaN, which the core reports
    on its row; a text as is (a label or a number to parse); anything else as a float."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA:
        return math.nan
    return float(value)


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
    """A column of texts to parse (numbers, times, labels) as (indices, names); a missing value
    has index -1 (the core reports it)."""
    indices, uniques = pd.factorize(s.to_numpy(dtype=object), sort=False, use_na_sentinel=True)
    return indices, [v if isinstance(v, str) else str(v) for v in uniques.tolist()]


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
    if isinstance(values, np.ndarray) and values.dtype.kind == "M" \
            and np.datetime_data(values.dtype)[0] in ("Y", "M", "W", "D", "h", "m", "s", "ms", "us"):
        # Exact in microseconds, and without pandas, which would convert to datetime64[ns] and
        # fail on a date outside 1677-2262 instead of letting the core report its row.
        micros = values.astype("datetime64[us]").astype(np.int64)
        out = micros.astype(np.float64) / 1e6
        out[np.isnat(values)] = np.nan
        return (out,)
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
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype) \
            or isinstance(dtype, pd.PeriodDtype):
        raise TypeError(f"column {name!r}: {dtype} values are not times (expected seconds, "
                        "datetime64, datetimes or ISO 8601 strings)")
    if pd.api.types.is_numeric_dtype(dtype):
        return (floats(s),)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("string", "empty"):
        return _texts(s)
    if kind in ("integer", "floating", "mixed-integer-float"):
        # numbers with None/NaN/pd.NA among them: missing -> NaN, which the core reports by row
        return (s.where(s.notna(), np.nan).to_numpy(dtype=np.float64),)
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
    """A 0/1 (or boolean) column as uint8; pandas' nullable Int64/boolean/Float64 too.

    :raises ValueError: naming the column and every row (0-based) that is not 0 or 1, a missing
        value (NaN, None, pd.NA) included.
    """
    s = series(values)
    if s.dtype == bool:
        return s.to_numpy().astype(np.uint8)
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iuf":
        v = s.to_numpy()
        ok = (v == 0) | (v == 1)
    elif pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype=np.float64, na_value=np.nan)  # NA -> NaN, which is not 0 or 1
        ok = (v == 0) | (v == 1)
    else:
        v = s.to_numpy(dtype=object)

        def is01(x: Any) -> bool:
            if isinstance(x, str) or x is None or x is pd.NA:
                return False
            try:
                return bool(x == 0 or x == 1)
            except (TypeError, ValueError):
                return False

        ok = np.fromiter((is01(x) for x in v), dtype=bool, count=len(v))
    if not ok.all():
        bad = np.flatnonzero(~ok)
        shown = "; ".join(f"row {r} has {s.iloc[r]!r}" for r in bad[:20].tolist())
        more = f"; ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise ValueError(f"column '{name}' must hold 0 or 1; {shown}{more}")
    return (v == 1).astype(np.uint8)


# --- evidence ---------------------------------------------------------------------------------

def checks(framework: Optional[_core.Framework],
           policy: Optional[_core.Policy]) -> Optional[_core._IngestChecks]:
    """The row checks of an ingest (None: only the log's own checks)."""
    if framework is None and policy is None:
        return None
    return _core._IngestChecks(framework, policy)


def table(data: Any, defaults: Optional[Mapping[str, Any]] = None) -> Any:
    """A DataFrame or a mapping of equal-length arrays as is; a sequence of records (dicts, one
    per row) as a DataFrame; an empty sequence as an empty mapping (a batch of no rows).

    A key some records lack is a missing value in theirs, except a key of ``defaults``
    (optional columns), which takes its default there, as an absent column would.

    :raises TypeError: for anything else.
    """
    if hasattr(data, "columns") or isinstance(data, Mapping):
        return data
    if isinstance(data, (list, tuple)):
        if len(data) == 0:
            return {}
        if all(isinstance(r, Mapping) for r in data):
            if defaults:
                keys = set().union(*data)
                fill = {k: v for k, v in defaults.items() if k in keys}
                if fill:
                    data = [{**fill, **r} for r in data]
            return pd.DataFrame.from_records(data)
    raise TypeError(f"expected a pandas DataFrame, a mapping of column name -> array or a list "
                    f"of records (dicts), not {type(data).__name__}")


def rows_of(data: Any) -> Optional[int]:
    """The number of rows of a table (:func:`table`) that has no columns at all, else None."""
    keys = list(data.columns) if hasattr(data, "columns") else list(data.keys())
    return None if keys else len(data) if hasattr(data, "columns") else 0


def evidence_columns(data: Any, columns: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """Role -> column data, from a DataFrame or a mapping of arrays (see :func:`table`).

    :raises ValueError: a required role (learner, competency, time, score) has no column.
    """
    rename = dict(columns or {})
    keys = set(data.columns) if hasattr(data, "columns") else set(data.keys())
    duplicated = set(data.columns[data.columns.duplicated()]) if hasattr(data, "columns") \
        else set()
    out = {}
    for role in ROLES:
        col = rename.get(role, role)
        if role == "timestamp" and col in {rename.get(r, r) for r in ROLES if r != role}:
            continue  # a column named "timestamp" given as another role (e.g. the time)
        if col in keys:
            if col in duplicated:
                raise ValueError(f"duplicate column {col!r} (the batch has more than one)")
            value = data[col]
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
                raise TypeError(f"column {col!r} must be an array or a list (a column of "
                                f"values), not {type(value).__name__}")
            out[role] = value
        elif role in REQUIRED:
            raise ValueError(f"evidence needs a {role!r} column (looked for {col!r})")
    return out


def evidence_batch(data: Any, columns: Optional[Mapping[str, str]]) -> Tuple[int, Dict[str, Any]]:
    """(rows, role -> converted column) of an evidence batch, for ``EvidenceLog._append_columns``.

    Ids are converted by :func:`ids`; values that are not ids (missing, non-integral, boolean)
    go to the core with their reasons, which reports them with every other bad row. A table with
    no columns and no rows (``[]``, ``{}``, ``pd.DataFrame()``) is a batch of 0 rows.

    :raises ValueError: a missing required column, or columns of different lengths.
    """
    rename = dict(columns or {})
    data = table(data, {rename.get(role, role): value for role, value in OPTIONAL.items()})
    if rows_of(data) == 0:
        return 0, {}
    cols = evidence_columns(data, columns)
    n = len(cols["learner"])
    batch: Dict[str, Any] = {
        "learner": ids(cols["learner"], "learner"),
        "competency": ids(cols["competency"], "competency"),
        "time": times(cols["time"], columns.get("time", "time") if columns else "time"),
        "score": numbers_or_texts(cols["score"]),
    }
    if "kind" in cols:
        batch["kind"] = categories(cols["kind"])
    if "weight" in cols:
        batch["weight"] = numbers_or_texts(cols["weight"])
    if "source" in cols:
        batch["source"] = categories(cols["source"])
    if "timestamp" in cols:
        texts = timestamp_texts(cols["timestamp"])
        if texts is not None:
            batch["timestamp"] = (texts,)
    for role, col in batch.items():
        size = len(col[0])
        if size != n:
            raise ValueError(f"column {role!r} has {size} rows, 'learner' has {n}")
    return n, batch


#: What a batch of evidence may be: a DataFrame, a mapping of role -> column or a list of
#: records (see :func:`table`).
_Table = Annotated[Union[pd.DataFrame, Mapping[str, Any], Sequence[Mapping[str, Any]]],
                  "a pandas DataFrame, a mapping of column name -> array or a list of records "
                  "(dicts)"]
#: A column of a batch: a list, tuple, numpy array, pandas Series or Categorical.
_Values = Annotated[Sequence[Any], "an array or a list of values (a column)"]


def _bad_text(text: str) -> Optional[str]:
    """Why ``text`` cannot go to the core (a lone surrogate, as a file decoded with
    ``errors="surrogateescape"`` leaves for each byte that is not UTF-8), or None."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError as e:
        return (f"not valid text (lone surrogate {text[e.start]!r} at position {e.start}; was a "
                "file decoded with surrogateescape? pass encoding=)")


def text_rows(batch: Mapping[str, Any], columns: Optional[Mapping[str, str]] = None,
              limit: int = 20) -> List[str]:
    """"row <r>, column '<name>': <why>" of each row of a converted batch whose text is not
    valid (see :func:`_bad_text`), for the failure path only (the fast conversion failed)."""
    rename = dict(columns or {})
    out: List[str] = []
    for role, col in batch.items():
        if len(col) != 2 and role not in ("learner", "competency"):
            continue
        indices, names = col[0], col[1]
        bad = {i: why for i, n in enumerate(names)
               if isinstance(n, str) and (why := _bad_text(n)) is not None}
        if not bad:
            continue
        codes = np.asarray(indices)
        for r in np.flatnonzero(np.isin(codes, list(bad))).tolist():
            out.append(f"row {r}, column {rename.get(role, role)!r}: {bad[int(codes[r])]}")
    out.sort(key=lambda m: int(m.split(",", 1)[0][4:]))
    if len(out) > limit:
        out = out[:limit] + [f"... and {len(out) - limit} more"]
    return out


def _raise_bad_text(batch: Mapping[str, Any], columns: Optional[Mapping[str, str]]) -> None:
    """After a failed conversion of a batch into the core: a ValueError naming every row with
    text that is not valid, when that was the cause (the caller re-raises otherwise)."""
    rows = text_rows(batch, columns)
    if rows:
        raise ValueError(f"{len(rows)} bad row{'s' if len(rows) > 1 else ''}: "
                         + "; ".join(rows)) from None


@checked("EvidenceLog.extend()")
def extend(log: _core.EvidenceLog, data: _Table, framework: Optional[_core.Framework] = None,
           policy: Optional[_core.Policy] = None,
           columns: Optional[Mapping[str, str]] = None,
           progress: _progress.Progress = None) -> _core.EvidenceLog:
    """``EvidenceLog.extend`` (see its docstring)."""
    n, batch = evidence_batch(data, columns)
    try:
        if progress is None:  # (a keyword argument costs a microsecond per call in pybind11)
            log._append_columns(n, batch, checks(framework, policy))
        else:
            log._append_columns(n, batch, checks(framework, policy), progress=progress)
    except TypeError:
        _raise_bad_text(batch, columns)
        raise
    return log


@checked("EvidenceLog.from_arrays()")
def from_arrays(learner: _Values, competency: _Values, score: _Values, time: _Values,
                kind: Optional[_Values] = None, weight: Optional[_Values] = None,
                source: Optional[_Values] = None, kinds: Optional[List[str]] = None,
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
    # Types checked by hand, not @checked: one event per call.
    where = "EvidenceLog.add()"
    require(isinstance(kind, str), where, "kind", "a str", kind)
    require(isinstance(source, str), where, "source", "a str", source)
    require(isinstance(score, (str, numbers.Real)) or score is None or score is pd.NA, where,
            "score", "a number or a label of the scale", score)
    # None and pd.NA are missing values: a bad row (as in a batch), not a wrong type
    require((isinstance(weight, numbers.Real) and not isinstance(weight, bool)) or weight is None
            or weight is pd.NA, where, "weight", "a number", weight)
    require(framework is None or isinstance(framework, _core.Framework), where, "framework",
            "None or a Framework", framework)
    require(policy is None or isinstance(policy, _core.Policy), where, "policy",
            "None or a Policy", policy)
    learner_text, learner_problem = id_scalar(learner, "learner")
    competency_text, competency_problem = id_scalar(competency, "competency")
    # The time goes to C++ as it is (``to_seconds``: the one conversion of a time argument).
    try:
        log._add_row(learner_text, competency_text, number(score), time, kind, number(weight),
                     source, checks(framework, policy), learner_problem, competency_problem)
    except TypeError:
        for name, value in (("learner", learner_text), ("competency", competency_text),
                            ("kind", kind), ("source", source), ("score", score),
                            ("time", time)):
            why = _bad_text(value) if isinstance(value, str) else None
            if why is not None:
                raise ValueError(f"{where}: {name}: {why}") from None
        raise
    return log


@checked("EvidenceLog.append_csv()")
def append_csv(log: _core.EvidenceLog, path: "os.PathLike[str] | str",
               columns: Optional[Mapping[str, str]] = None,
               framework: Optional[_core.Framework] = None,
               policy: Optional[_core.Policy] = None,
               encoding: str = "utf-8",
               progress: _progress.Progress = None,
               delimiter: str = ",") -> _core.EvidenceLog:
    """``EvidenceLog.append_csv`` (see its docstring); the C++ reader decompresses .gz."""
    sep = csv_delimiter(delimiter, "EvidenceLog.append_csv()")
    log._append_csv(os.fspath(path), dict(columns or {}), checks(framework, policy), encoding,
                    delimiter=sep, progress=progress)
    return log


def csv_delimiter(text: str, function: str) -> str:
    """The field separator ``text`` names, read as the command line's ``--delimiter`` reads it
    (src/cli/common.cpp): ``"tab"`` or ``"\\t"`` in any case (or a tab character) is a tab;
    otherwise one ASCII character, not a quote or a line break.

    :raises ValueError: with the command line's wording, naming ``function``.
    """
    if text.lower() in ("tab", "\\t"):
        return "\t"
    if len(text) != 1 or ord(text) >= 0x80:
        raise ValueError(f"{function}: delimiter: expected one ASCII character or 'tab', got "
                         f"{text!r}")
    if text in ('"', "\r", "\n"):
        raise ValueError(f"{function}: delimiter: cannot be a quote or a line break")
    return text


@checked("EvidenceLog.read_csv()")
def read_csv(path: "os.PathLike[str] | str", columns: Optional[Mapping[str, str]] = None,
             kinds: Optional[List[str]] = None, framework: Optional[_core.Framework] = None,
             policy: Optional[_core.Policy] = None,
             encoding: str = "utf-8",
             progress: _progress.Progress = None,
             delimiter: str = ",") -> _core.EvidenceLog:
    """``EvidenceLog.read_csv`` (see its docstring)."""
    sep = csv_delimiter(delimiter, "EvidenceLog.read_csv()")
    return append_csv(_core.EvidenceLog(kinds), path, columns, framework, policy, encoding,
                      progress, sep)


@checked("Roster.ingest()")
def roster_ingest(roster: _core.Roster, data: Union[_core.EvidenceLog, _Table],
                  progress: _progress.Progress = None) -> Dict[str, Any]:
    """``Roster.ingest``: an EvidenceLog as is; anything else converted as by :func:`extend`
    and validated by the roster against its framework and policy (so scores may be labels of
    its scale, and the same batch reports the same problems as ``EvidenceLog.extend(...,
    framework=, policy=)``). Progress: 3 x rows (validated, applied, re-evaluated), reported by
    the C++ ingest (the conversion before it is Python, where Ctrl-C works as ever)."""
    # (A keyword argument costs about a microsecond per call in pybind11: passed only when set.)
    if isinstance(data, _core.EvidenceLog):
        if progress is None:
            return roster._ingest_log(data)
        return roster._ingest_log(data, progress=progress)
    n, batch = evidence_batch(data, None)
    try:
        if progress is None:
            return roster._ingest_columns(n, batch)
        return roster._ingest_columns(n, batch, progress=progress)
    except TypeError:
        _raise_bad_text(batch, None)
        raise
