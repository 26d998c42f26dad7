"""Rows of ``masterymap.dask``: learners partitioned by id with a global row number (so each
partition restores the order of ``ddf.compute()`` before the engine sees it), and errors whose
row numbers are mapped back to positions in that order. Imported only by
``masterymap.dask``."""
from __future__ import annotations

import contextlib
import re
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask.delayed import Delayed

from . import _core, _ids

#: The helper columns added before the shuffle (removed before any row reaches the core).
ROW = "_masterymap_row"
PART = "_masterymap_part"
_SHIFT = 40  # rows per partition < 2**40


# --- partitioning -----------------------------------------------------------------------------

def _hash_ids(values: pd.Series, what: str) -> np.ndarray:
    """uint64 hash of each value's canonical id text (1 and "1" are one id: one hash). Each
    distinct text is hashed once and the rows take their id's hash (a partition of 50 rows per
    learner hashes 50 times fewer strings than it has rows); a missing id hashes as ""."""
    indices, names, _ = _ids.ids(values, what)
    hashes = _hash_texts(list(names) + [""])
    return hashes[np.where(indices < 0, len(names), indices)]


def _hash_texts(texts: Sequence[str]) -> np.ndarray:
    """uint64 hash of each text (pandas' hash_pandas_object: the same on every worker)."""
    return pd.util.hash_pandas_object(pd.Series(np.asarray(texts, dtype=object), dtype=object),
                                      index=False).to_numpy()


def _used_ids(df: pd.DataFrame, column: str, what: str) -> List[str]:
    """The canonical texts of the ``column`` ids that have rows in ``df`` (unused categories
    and missing ids left out)."""
    if len(df) == 0:
        return []
    indices, names, _ = _ids.ids(df[column], what)
    return [names[int(i)] for i in np.unique(indices[indices >= 0])]


def _number(df: pd.DataFrame, number: int, column: str, what: str,
            checked: Any = None, hashed: bool = True) -> pd.DataFrame:
    """Partition ``number`` with the global row number and the hash of its ids (zeros unless
    ``hashed``: no shuffle follows). ``checked``: the verdict on partitions said to hold whole
    learners (:func:`_verdict`), a dependency only: it raises before any partition is
    numbered."""
    out = df.copy(deep=False)
    out[ROW] = (np.int64(number) << np.int64(_SHIFT)) + np.arange(len(df), dtype=np.int64)
    out[PART] = (_hash_ids(df[column], what) if hashed and len(df)
                 else np.zeros(len(df), dtype=np.uint64))
    return out


def _offsets(lengths: Sequence[int]) -> np.ndarray:
    """The position in ``ddf.compute()`` of each input partition's first row."""
    return np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))]).astype(np.int64)


def _positions(rows: np.ndarray, offsets: Optional[np.ndarray]) -> np.ndarray:
    """Global row numbers (partition << 40 | position) as positions in ``ddf.compute()``
    (without ``offsets``: the numbers themselves)."""
    rows = np.asarray(rows, dtype=np.int64)
    if offsets is None:
        return rows
    return offsets[rows >> np.int64(_SHIFT)] + (rows & np.int64((1 << _SHIFT) - 1))


def _check_npartitions(npartitions: Optional[int], where: str) -> None:
    if npartitions is not None and (isinstance(npartitions, bool) or
                                    not isinstance(npartitions, (int, np.integer)) or
                                    npartitions < 1):
        raise ValueError(f"{where}: npartitions must be >= 1 (or None: as many as ddf has), "
                         f"not {npartitions!r}")


def _id_hashes(df: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """The sorted uint64 hashes (of the canonical id texts, as the shuffle hashes them) of the
    ``column`` ids that have rows in ``df``: unused categories and missing ids left out. Hashes,
    not texts, go to the check: a numpy array crosses between workers at once, a list of 100,000
    strings took seconds."""
    texts = _used_ids(df, column, what)
    return np.unique(_hash_texts(texts)) if texts else np.zeros(0, dtype=np.uint64)


def _clashes(hashes: Sequence[np.ndarray]) -> List[Tuple[int, int, int]]:
    """(hash, first partition, other partition) for each id hash found in more than one
    partition, in partition order; O(ids log ids)."""
    if not hashes:
        return []
    h = np.concatenate(hashes)
    part = np.repeat(np.arange(len(hashes)), [len(x) for x in hashes])
    order = np.argsort(h, kind="stable")  # equal hashes stay in partition order
    h, part = h[order], part[order]
    starts = np.ones(len(h), dtype=bool)
    starts[1:] = h[1:] != h[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(h)), 0))
    out = [(int(h[i]), int(part[first[i]]), int(part[i])) for i in np.flatnonzero(~starts)]
    return sorted(out, key=lambda x: (x[1], x[2], x[0]))


_OVERLAPS_SHOWN = 5


def _clash_names(df: pd.DataFrame, column: str, what: str,
                 clashes: List[Tuple[int, int, int]]) -> Dict[int, str]:
    """hash -> id text of this partition's ids among ``clashes`` (empty, at once, when there
    are none: the usual case)."""
    if not clashes:
        return {}
    wanted = {h for h, _, _ in clashes}
    texts = _used_ids(df, column, what)
    return {h: t for h, t in zip(_hash_texts(texts).tolist(), texts) if h in wanted}


def _verdict(clashes: List[Tuple[int, int, int]], names: Sequence[Dict[int, str]], what: str,
             where: str) -> None:
    """Raises ValueError when ids have rows in more than one partition (``clashes``), naming
    each (its text from the partitions that hold it) and its partitions; one task, so the
    error is the same whichever scheduler runs the graph."""
    if not clashes:
        return
    known: Dict[int, str] = {}
    for d in names:
        known.update(d)
    shown = "; ".join(f"{what} {known.get(h, '?')!r} in partitions {j} and {k}"
                      for h, j, k in clashes[:_OVERLAPS_SHOWN])
    more = (f"; ... and {len(clashes) - _OVERLAPS_SHOWN} more"
            if len(clashes) > _OVERLAPS_SHOWN else "")
    raise ValueError(f"{where}: partitioned=True, but {len(clashes)} {what} id(s) have rows in "
                     f"more than one partition: {shown}{more} (each partition must hold all of "
                     f"its {what}s' rows; leave partitioned=False to shuffle by {what})")


def _partitioned(ddf: dd.DataFrame, column: str, what: str, npartitions: Optional[int],
                 shuffle: Optional[str], where: str = "masterymap.dask",
                 partitioned: bool = False) -> Tuple[dd.DataFrame, Delayed]:
    """``ddf`` with the global row number, shuffled so each ``column`` id is in one partition,
    and (delayed) the position in ``ddf.compute()`` of each input partition's first row (to
    number bad rows as the whole frame does). With ``partitioned``, the caller says each of
    ``ddf``'s partitions already holds all the rows of its ids: there is no shuffle; a task
    gathers each partition's id hashes; when an id has rows in two partitions (a 64-bit hash of
    100,000 ids collides with probability ~3e-10), the partitions holding it give its text and
    one task raises ValueError naming it, before any partition is worked on; the partitions
    stay as they are."""
    if not isinstance(partitioned, (bool, np.bool_)):
        raise TypeError(f"{where}: partitioned must be a bool, not {type(partitioned).__name__}")
    if partitioned and (npartitions is not None or shuffle is not None):
        raise ValueError(f"{where}: npartitions and shuffle choose the shuffle; with "
                         f"partitioned=True there is none (the partitions are ddf's)")
    _check_npartitions(npartitions, where)
    if column not in ddf.columns:
        hint = (f"; it is the frame's index: ddf.reset_index() makes it a column"
                if ddf.index.name == column else "")
        raise KeyError(f"{where}: the frame has no column {column!r} (columns: "
                       f"{list(ddf.columns)}){hint}")
    for c in (ROW, PART):
        if c in ddf.columns:
            raise ValueError(f"{where}: the frame may not have a column {c!r}")
    meta = ddf._meta.assign(**{ROW: np.zeros(0, dtype=np.int64),
                               PART: np.zeros(0, dtype=np.uint64)})
    # Partition numbers as arguments (map_partitions' partition_info does not survive the
    # distributed scheduler of Dask 2022.12).
    inputs = ddf.to_delayed()
    checked = None
    if partitioned:
        clashes = dask.delayed(_clashes, pure=True)(
            [dask.delayed(_id_hashes, pure=True)(p, column, what) for p in inputs])
        names = [dask.delayed(_clash_names, pure=True)(p, column, what, clashes) for p in inputs]
        checked = dask.delayed(_verdict, pure=True)(clashes, names, what, where)
    numbered = dd.from_delayed(
        [dask.delayed(_number, pure=True)(p, i, column, what, checked, not partitioned)
         for i, p in enumerate(inputs)],
        meta=meta, divisions=ddf.divisions, verify_meta=False)
    offsets = dask.delayed(_offsets, pure=True)([dask.delayed(len, pure=True)(p)
                                                 for p in inputs])
    if partitioned:
        return numbered, offsets
    n = ddf.npartitions if npartitions is None else int(npartitions)
    return numbered.shuffle(PART, npartitions=n, shuffle=shuffle, ignore_index=True), offsets


# --- errors -----------------------------------------------------------------------------------

_NOTE = ("rows are positions in ddf.compute(); only this partition's rows were checked, others "
         "may have problems too")
_SHOWN = 20  # problems in a message, as the C++ errors


def _renumbered(e: Exception, positions: np.ndarray, where: str) -> Exception:
    """``e`` (an EvidenceError of a shuffled partition, rows numbered within it) as the same
    error with every row its position in ``ddf.compute()``: ``.rows``, each problem's ``row``
    and message, and the message, which names ``where`` and says how rows are numbered."""
    def row(r: Any) -> Any:
        return int(positions[r]) if isinstance(r, (int, np.integer)) and \
            0 <= r < len(positions) else r

    problems = []
    for p in list(getattr(e, "problems", None) or []):
        p = dict(p)
        r = p.get("row")
        if r is not None:
            p["row"] = row(r)
            p["message"] = re.sub(rf"^row {int(r)}\b", f"row {p['row']}", str(p["message"]))
        problems.append(p)
    rows = [row(r) for r in (getattr(e, "rows", None) or [])]
    texts = [str(p["message"]) for p in problems]
    head = "1 problem" if len(texts) == 1 else f"{len(texts)} problems"
    body = "; ".join(texts[:_SHOWN])
    if len(texts) > _SHOWN:
        body += f"; ... and {len(texts) - _SHOWN} more"
    out = type(e)(f"{where}: {head}: {body} ({_NOTE})")
    for k, v in vars(e).items():
        setattr(out, k, v)
    setattr(out, "problems", problems)
    setattr(out, "rows", rows)
    return out


def _renumbered_text(e: Exception, positions: np.ndarray, where: str) -> Exception:
    """A ValueError whose message names rows (``row 12``, as the BKT fit's) with those rows as
    positions in ``ddf.compute()``."""
    def sub(m: "re.Match[str]") -> str:
        r = int(m.group(1))
        return f"row {int(positions[r])}" if r < len(positions) else m.group(0)

    text = re.sub(r"\brow (\d+)\b", sub, str(e))
    return type(e)(f"{where}: {text} ({_NOTE})")


@contextlib.contextmanager
def _rows_of(rows: np.ndarray, offsets: Optional[np.ndarray], where: str,
             text: bool = False) -> Iterator[None]:
    """Bad-row errors raised inside, renumbered from the partition's rows (``rows``: their
    global numbers, in the partition's restored order) to positions in ``ddf.compute()``."""
    try:
        yield
    except _core.EvidenceError as e:
        raise _renumbered(e, _positions(np.sort(rows), offsets), where) from None
    except ValueError as e:
        if not text or type(e) is not ValueError or not re.search(r"\brow \d+\b", str(e)):
            raise
        raise _renumbered_text(e, _positions(np.sort(rows), offsets), where) from None


@contextlib.contextmanager
def _named(where: str) -> Iterator[None]:
    """TypeErrors and ValueErrors of the shared Roster code name ``where``, not the Roster
    method (``Roster.summary(): by has no group ...``)."""
    try:
        yield
    except (TypeError, ValueError) as e:
        m = re.match(r"Roster\.\w+\(\)", str(e))
        if type(e) not in (TypeError, ValueError) or m is None:
            raise
        raise type(e)(where + str(e)[m.end():]) from None


def _restore(df: pd.DataFrame) -> pd.DataFrame:
    """A shuffled partition in its rows' original order, without the helper columns. The
    distributed shuffle delivers each input partition's rows as one sorted run, so the global
    row numbers are often in order already (one O(n) check, no sort); otherwise a stable sort
    (timsort: O(n log runs) on those runs)."""
    rows = df[ROW].to_numpy()
    if len(rows) > 1 and not bool((rows[1:] > rows[:-1]).all()):
        df = df.iloc[np.argsort(rows, kind="stable")]
    return df.drop(columns=[ROW, PART]).reset_index(drop=True)


def _rename(df: pd.DataFrame, learner: str) -> pd.DataFrame:
    """The partition with its learner column named ``learner``, and a categorical's unused
    categories dropped: the roster creates no learner for them anyway, but each partition's
    batch would otherwise carry every learner name of the frame (a name table per partition
    as long as the whole frame's)."""
    if learner != "learner":
        df = df.rename(columns={learner: "learner"})
    column = df["learner"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        # (as remove_unused_categories, without its hash table: a count per category)
        codes = column.cat.codes.to_numpy()
        categories = column.cat.categories
        used = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        if not used.all():
            remap = np.full(len(categories) + 1, -1, dtype=np.int64)  # remap[-1]: missing
            remap[:-1][used] = np.arange(int(used.sum()))
            dtype = pd.CategoricalDtype(categories[used], ordered=column.cat.ordered)
            df = df.assign(learner=pd.Categorical.from_codes(remap[codes], dtype=dtype))
    return df
