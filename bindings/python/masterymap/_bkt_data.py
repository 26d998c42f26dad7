"""Responses for Bayesian Knowledge Tracing: reading a CSV, converting a DataFrame (or columns,
or records) into a :class:`Dataset` and back. Public through :mod:`masterymap.bkt`, as
``bkt.read_csv``, ``bkt.dataset`` and ``bkt.frame``; the model is in ``bkt.py``."""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Union

import numpy as np
import pandas as pd

from . import _columns
from ._arguments import checked
from ._core import bkt as _core

Dataset = _core.Dataset


@checked("bkt.read_csv()")
def read_csv(
    path: Union[str, os.PathLike],
    *,
    learner: str = "user_id",
    skill: str = "skill_name",
    correct: str = "correct",
    order: Optional[str] = None,
    item_class: Optional[str] = None,
    multi_skill: str = "keep",
    skill_separator: str = "_",
    delimiter: str = ",",
    encoding: str = "utf-8",
    progress: Optional[Callable[[int, int], object]] = None,
) -> Dataset:
    """Reads a response CSV (``.csv`` or ``.csv.gz``) with the fast C++ reader (GIL released).

    :param learner, skill, correct: column names (``correct`` holds 0/1).
    :param order: optional column that orders each learner's answers (numbers or ISO 8601
        times).
    :param item_class: optional column for per-class guess/slip (``multigs``), e.g. ``template_id``.
    :param multi_skill: for a skill name joining several skills with ``skill_separator``
        (``"A_B"``): ``"keep"`` it as one skill (pyBKT's behaviour, the default), ``"split"`` the
        row into one row per skill, or ``"reject"`` the file.
    :param encoding: ``"utf-8"`` (checked; a BOM is skipped), ``"latin-1"`` or ``"cp1252"``
        (transcoded to UTF-8), e.g. for old exports.
    :param progress: ``progress(done, total)`` in bytes of (uncompressed) text parsed, called
        about every 50 ms and once with ``done == total``; raising from it, or Ctrl-C, cancels.
    :returns: a :class:`Dataset` that :func:`fit`, :meth:`Model.predict` and friends accept.
    :raises ParseError: with ``.line`` and ``.column`` (1-based position in the file) and ``.row``
        (0-based data row) for a non-binary ``correct``, an empty learner or skill, a malformed
        row or invalid UTF-8; for a missing column, a corrupt gzip stream or another compression.
    :raises MissingFileError: the file does not exist (``.filename`` holds the path).
    :raises FileError: it cannot be read (a directory, no permission).
    """
    data = _core.read_csv(
        os.fspath(path),
        learner=learner, skill=skill, correct=correct, order=order or "",
        item_class=item_class or "", delimiter=delimiter, multi_skill=multi_skill,
        separator=skill_separator, encoding=encoding, progress=progress,
    )
    # Remembered so a model fitted on this dataset reads DataFrames with the same columns.
    data.columns = dict(learner=learner, skill=skill, correct=correct, order=order,
                        item_class=item_class, multi_skill=multi_skill,
                        skill_separator=skill_separator)
    return data


#: Id problems listed in one error before "... and N more".
_MAX_LISTED = 20


def _categories(column: pd.Series, what: str, name: str) -> tuple:
    """(uint32 indices, names) of a learner/skill/item-class column through
    :func:`masterymap._columns.ids` (ids in their one canonical text: 1, 1.0 and "1" are one
    id; unused categories dropped, since every skill must have answers).

    :raises ValueError: naming the column and every row (0-based) of a missing or empty value, a
        non-integral number or a boolean.
    """
    col = _columns.ids(column, what)
    problems = _columns.id_rows(col, what, missing=f"empty {what} (missing value)",
                                empty=f"empty {what}")
    if problems:
        listed = "; ".join(f"row {r}: {why}" for r, why in problems[:_MAX_LISTED])
        more = f"; ... and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
        raise ValueError(f"bad {what} ids in column '{name}' ({len(problems)} rows): "
                         f"{listed}{more}")
    indices, names, _ = col
    if len(names) and len(indices) and isinstance(column.dtype, pd.CategoricalDtype):
        used = np.bincount(np.asarray(indices, dtype=np.int64), minlength=len(names)) > 0
        if not used.all():
            remap = np.cumsum(used, dtype=np.int64) - 1
            indices = remap[indices]
            names = [n for n, u in zip(names, used) if u]
    return np.asarray(indices).astype(np.uint32, copy=False), names


def _frame(data: Any) -> pd.DataFrame:
    """A DataFrame, a mapping of columns or a list of records (dicts) as a DataFrame.

    :raises TypeError: for anything else.
    """
    if isinstance(data, pd.DataFrame):
        return data
    data = _columns.table(data)
    return data if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data))


def _empty_responses(learner: str, skill: str, correct: str) -> pd.DataFrame:
    """A response table with no rows (for a batch given as ``[]`` or ``{}``)."""
    return pd.DataFrame({learner: pd.Series([], dtype=object), skill: pd.Series([], dtype=object),
                         correct: pd.Series([], dtype=np.int64)})


def _id_dtype(column: pd.Series) -> Any:
    """The dtype ids of ``column`` come back in (a categorical's categories' dtype)."""
    dtype = column.dtype
    return dtype.categories.dtype if isinstance(dtype, pd.CategoricalDtype) else dtype


def _restore(names: Sequence[str], dtype: Any) -> Any:
    """Canonical id texts back in the dtype they came in (integers for an integer column, so
    results merge and ``.map`` with the input); texts when there is no dtype or they do not
    convert."""
    if dtype is None or not (pd.api.types.is_integer_dtype(dtype)
                             or pd.api.types.is_float_dtype(dtype)):
        return pd.Index(list(names), dtype=object)
    try:
        return pd.Index(pd.to_numeric(pd.Index(list(names), dtype=object))).astype(dtype)
    except (ValueError, TypeError, OverflowError):
        return pd.Index(list(names), dtype=object)


@checked("bkt.dataset()")
def dataset(
    df: Union[pd.DataFrame, Mapping[str, Any], Sequence[Mapping[str, Any]]],
    *,
    learner: str = "user_id",
    skill: str = "skill_name",
    correct: str = "correct",
    order: Optional[str] = None,
    item_class: Optional[str] = None,
    multi_skill: str = "keep",
    skill_separator: str = "_",
) -> Dataset:
    """Converts a DataFrame of responses into a :class:`Dataset` (one pass, no Python loops).

    Rows are taken in order within each learner unless ``order`` names a sort column (numbers,
    datetime64, datetimes or ISO 8601 strings; sorted as seconds since the epoch).

    ``df`` may also be a mapping of columns or a list of records (dicts). Learner and skill ids
    have one text whatever their type (1, np.int64(1) and 1.0 are the skill "1"). No rows give
    an empty dataset.

    :raises KeyError: if a named column is missing (the message lists the columns).
    :raises ValueError: on a non-binary ``correct`` value, or an empty, missing, non-integral or
        boolean learner or skill id (every bad row listed).
    :raises ParseError: with ``multi_skill="reject"`` on a joined skill name, with ``"split"`` on
        a name with an empty part (``.row`` is the 0-based row), or a text in the ``order``
        column that is not a time.
    """
    if isinstance(df, Dataset):
        return df
    df = _frame(df)
    if len(df.columns) == 0 and len(df) == 0:  # [] or {}: no rows, and so no columns either
        df = _empty_responses(learner, skill, correct)
    for role, col in (("learner", learner), ("skill", skill), ("correct", correct),
                      ("order", order), ("item class", item_class)):
        if col is not None and col not in df.columns:
            raise KeyError(f"missing {role} column '{col}'; the columns are {list(df.columns)}")
    lc, ln = _categories(df[learner], "learner", learner)
    sc, sn = _categories(df[skill], "skill", skill)
    cc = _columns.binary(df[correct], correct)
    oc = None
    if order is not None:
        # Numbers, datetime64, datetimes or ISO 8601 strings: sorted as seconds.
        oc = _columns.seconds(df[order], order)
    ic, icn = None, []
    if item_class is not None:
        ic, icn = _categories(df[item_class], "item class", item_class)
    d = _core.Dataset.from_indices(lc, ln, sc, sn, cc, oc, ic, icn)
    if multi_skill != "keep":
        d = d.apply_multi_skill(multi_skill, skill_separator)
    return d


@checked("bkt.frame()")
def frame(data: Dataset, *, learner: str = "user_id", skill: str = "skill_name",
          correct: str = "correct") -> pd.DataFrame:
    """A :class:`Dataset` as a DataFrame (names as strings, ``correct`` as 0/1)."""
    return pd.DataFrame({
        learner: np.asarray(data.learner_names, dtype=object)[data.learners],
        skill: np.asarray(data.skill_names, dtype=object)[data.skills],
        correct: data.correct.astype(np.int64),
    })
