"""Ids from pandas/numpy data: the one text of an id (learner, competency, skill) whatever its
type, for a whole column at once (:func:`ids`, :func:`id_rows`, :func:`categories`) or one
value (:func:`id_scalar`, :func:`id_text`). Part of :mod:`masterymap._columns`, which imports
these names; the C++ bindings follow the same rules (``id_text`` in bind_evidence.cpp).
"""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd


def series(values: Any) -> pd.Series:
    """``values`` as a pandas Series (a Series is returned as is, without copying; an empty
    sequence becomes an empty object Series rather than pandas' float64 default)."""
    if isinstance(values, pd.Series):
        return values
    if not hasattr(values, "dtype") and len(values) == 0:
        return pd.Series([], dtype=object)
    return pd.Series(values)


# An id (learner, competency, skill) has one text whatever its Python, numpy or pandas type:
# text is itself; integers (Python, numpy, nullable Int64, integral floats such as 1.0 in a
# float64 column that pandas made for a missing value) are their decimal digits, so 1,
# np.int64(1) and 1.0 are all "1". A missing value (None, NaN, pd.NA, NaT), a float that is
# not an integer (1.5, inf) and a boolean (True would alias 1 under Python's equality, and is
# more likely a wrong column than an id) are not ids: the conversion keeps them apart so the
# caller can report every such row.

#: (indices, names, rejected): per-row indices into names (-1 = missing; any integer dtype),
#: each name once, and {name index: reason} for names that are not ids.
Ids = Tuple[np.ndarray, List[str], Dict[int, str]]


def id_scalar(value: Any, what: str = "id") -> Tuple[str, str]:
    """(text, problem) of one id value: ``problem`` is "" for an id, else the reason ("missing
    learner id", "non-integral learner id 1.5", "boolean learner id True ...")."""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)), f"boolean {what} id {bool(value)} (an id is text or an integer)"
    if isinstance(value, (int, np.integer)):
        return str(int(value)), ""
    if value is None or value is pd.NA or value is pd.NaT:
        return "", f"missing {what} id"
    if isinstance(value, (bytes, bytearray, np.bytes_)):
        return repr(bytes(value)), (f"bytes {what} id {bytes(value)!r} (an id is text or an "
                                    "integer; decode the bytes)")
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "", f"missing {what} id"
        if math.isfinite(v) and v.is_integer():
            return str(int(v)), ""
        return repr(v), f"non-integral {what} id {v!r}"
    return str(value), ""


def id_text(value: Any, what: str = "id") -> str:
    """The canonical text of one id (see :func:`id_scalar`).

    :raises ValueError: the value is missing, a non-integral number or a boolean.
    """
    text, problem = id_scalar(value, what)
    if problem:
        raise ValueError(problem)
    return text


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


def _int_ids(values: np.ndarray) -> Tuple[np.ndarray, List[str]]:
    """Integer ids (a numpy integer array) as (indices, decimal texts)."""
    dense = _dense_ints(values)
    if dense is not None:
        return dense[0], _digits(dense[1])
    indices, uniques = pd.factorize(values, sort=False)
    return indices, _digits(uniques)


def _digits(ints: np.ndarray) -> List[str]:
    """Decimal texts of integers (faster than ``astype(str)`` through Python ints)."""
    return [str(v) for v in ints.tolist()]


def _with_missing(indices: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``indices`` with -1 where ``missing`` (a boolean mask), widened to a signed dtype."""
    out = indices.astype(np.int64)
    out[missing] = -1
    return out


def _missing_filled(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` with missing entries replaced by the first present one (so the fill adds no
    name of its own); ``missing`` must not be all true."""
    out = values.copy()
    out[missing] = values[np.argmin(missing)]
    return out


def _float_ids(a: np.ndarray, what: str) -> Ids:
    """Ids in a float64 array: integral values as integers, NaN missing, others rejected."""
    missing = np.isnan(a)
    any_missing = bool(missing.any())
    if any_missing and missing.all():
        return np.full(len(a), -1, dtype=np.int64), [], {}
    present = a[~missing] if any_missing else a
    if bool(((present == np.trunc(present)) & (np.abs(present) < 2.0 ** 63)).all()):
        ints = (_missing_filled(a, missing) if any_missing else a).astype(np.int64)
        indices, names = _int_ids(ints)
        return (_with_missing(indices, missing) if any_missing else indices), names, {}
    indices, uniques = pd.factorize(a, sort=False, use_na_sentinel=True)
    names, rejected, _ = _unique_ids(uniques, what)  # distinct floats: distinct names
    return indices, names, rejected


def _bool_ids(s: pd.Series, what: str) -> Ids:
    """A boolean column: every value rejected (see the module notes), missing ones missing."""
    missing = s.isna().to_numpy()
    indices = s.to_numpy(dtype=bool, na_value=False).astype(np.int64)
    indices[missing] = -1
    names = ["False", "True"]
    return indices, names, {i: id_scalar(v, what)[1] for i, v in enumerate((False, True))}


def _unique_ids(uniques: Any, what: str) -> Tuple[List[str], Dict[int, str], bool]:
    """(names, rejected, distinct) of distinct values without missing ones (categories,
    factorize's uniques). Integers, floats and texts give distinct names; values of mixed types
    may not (1 and "1"): then ``distinct`` is false, for :func:`_dedupe`."""
    u = np.asarray(uniques)
    if u.dtype.kind in "iu":
        return _digits(u), {}, True
    if u.dtype.kind == "O" and pd.api.types.infer_dtype(u, skipna=False) == "string":
        return u.tolist(), {}, True
    names, rejected = [], {}
    for i, v in enumerate(u.tolist()):
        text, problem = id_scalar(v, what)
        names.append(text)
        if problem:
            rejected[i] = problem
    return names, rejected, u.dtype.kind == "f"


def _dedupe(indices: np.ndarray, names: List[str], rejected: Dict[int, str]) -> Ids:
    """Merges names that came out equal (1 and "1" are one id). Distinct integers or texts give
    distinct names, so only values of mixed types can need it (one pass over the names)."""
    first: Dict[str, int] = {}
    remap = np.fromiter((first.setdefault(n, len(first)) for n in names), dtype=np.int64,
                        count=len(names))
    if len(first) == len(names):
        return indices, names, rejected
    merged = {int(remap[i]): why for i, why in rejected.items()}
    indices = np.asarray(indices, dtype=np.int64)
    return np.where(indices >= 0, remap[np.maximum(indices, 0)], -1), list(first), merged


def _object_ids(a: np.ndarray, what: str) -> Ids:
    """Ids in an object array (text, Python numbers, mixtures, missing values)."""
    if len(a) and isinstance(a[0], str):  # most likely all text: one hash pass decides
        indices, uniques = pd.factorize(a, sort=False, use_na_sentinel=True)
        if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
            return indices, uniques.tolist(), {}
        kind = "mixed"
    else:
        kind = pd.api.types.infer_dtype(a, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "empty"):
        missing = pd.isna(a)
        if missing.all():
            return np.full(len(a), -1, dtype=np.int64), [], {}
        filled = _missing_filled(a, missing) if missing.any() else a
        if kind == "integer":
            try:
                indices, names = _int_ids(filled.astype(np.int64))
                return _with_missing(indices, missing) if missing.any() else indices, names, {}
            except OverflowError:  # beyond int64: taken one by one below
                pass
        else:
            floats_ = filled.astype(np.float64)
            floats_[missing] = np.nan
            return _float_ids(floats_, what)
    if kind == "boolean":
        return _bool_ids(pd.Series(a, dtype="boolean"), what)
    # Mixed types: hashing merges equal values (1, 1.0 and also True), then each distinct value
    # is converted; booleans are kept apart from the integers they equal.
    indices, uniques = pd.factorize(a, sort=False, use_na_sentinel=True)
    names, rejected, _ = _unique_ids(uniques, what)
    if any(isinstance(v, (bool, np.bool_, int, float, np.number)) for v in uniques.tolist()):
        is_bool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in a), dtype=bool,
                              count=len(a))
        if is_bool.any():
            indices = np.asarray(indices, dtype=np.int64)
            for value in (False, True):
                rows = is_bool & (a == value)
                if rows.any():
                    indices[rows] = len(names)
                    rejected[len(names)] = id_scalar(value, what)[1]
                    names.append(str(value))
    return _dedupe(indices, names, rejected)


def ids(values: Any, what: str = "id") -> Ids:
    """An id column as (indices, names, rejected) in one vectorised pass: see the notes above
    for the canonical text. Categoricals keep their categories' order (unused ones included);
    otherwise names are in order of first appearance. Small non-negative integer ids go through
    a direct table (no hashing)."""
    s = series(values)
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        names, rejected, distinct = _unique_ids(s.cat.categories, what)
        codes = s.cat.codes.to_numpy()
        return (codes, names, rejected) if distinct else _dedupe(codes, names, rejected)
    if pd.api.types.is_bool_dtype(dt):
        return _bool_ids(s, what)
    if isinstance(dt, np.dtype):
        if dt.kind in "iu":
            indices, names = _int_ids(s.to_numpy())
            return indices, names, {}
        if dt.kind == "f":
            return _float_ids(s.to_numpy().astype(np.float64, copy=False), what)
        if dt.kind == "O":
            return _object_ids(s.to_numpy(), what)
    elif pd.api.types.is_integer_dtype(dt):  # pandas' nullable Int64, UInt8, ...
        missing = s.isna().to_numpy()
        if missing.all():
            return np.full(len(s), -1, dtype=np.int64), [], {}
        fill = s[~missing].iloc[0] if missing.any() else 0
        as_np = np.uint64 if str(dt).startswith("U") else np.int64
        indices, names = _int_ids(s.to_numpy(dtype=as_np, na_value=fill))
        return (_with_missing(indices, missing) if missing.any() else indices), names, {}
    elif pd.api.types.is_float_dtype(dt):  # Float64
        return _float_ids(s.to_numpy(dtype=np.float64, na_value=np.nan), what)
    return _object_ids(s.to_numpy(dtype=object), what)


def id_rows(column: Ids, what: str, missing: Optional[str] = None,
            empty: Optional[str] = None) -> List[Tuple[int, str]]:
    """(row, reason) of every row whose value is not an id: missing (index -1; reason
    ``missing``, default "missing <what> id"), the empty text (``empty``, default "empty <what>
    id") or rejected; vectorised over the rows."""
    missing = missing or f"missing {what} id"
    empty = empty or f"empty {what} id"
    indices, names, rejected = column
    indices = np.asarray(indices)
    blank = [i for i, n in enumerate(names) if n == ""] if "" in names else []
    if not rejected and not blank and (len(indices) == 0 or indices.min() >= 0):
        return []  # the common case: one pass over the names, one over the indices
    bad = np.zeros(len(names) + 1, dtype=bool)  # the extra last entry: index -1, missing
    bad[-1] = True
    bad[blank] = True
    bad[list(rejected)] = True
    rows = np.flatnonzero(bad[indices])
    out = []
    for r in rows.tolist():
        i = int(indices[r])
        out.append((r, rejected[i] if i in rejected else missing if i < 0 else empty))
    return out


def categories(values: Any) -> Tuple[np.ndarray, List[str]]:
    """A column of texts or id-like values as (indices, names): :func:`ids` without the
    rejection of values that are not ids (for kinds and sources, which are free text)."""
    indices, names, _ = ids(values)
    return indices, names
