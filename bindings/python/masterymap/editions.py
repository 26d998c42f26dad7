"""Framework editions: the revision map between two editions of a framework (CASE
``replacedBy``) and the migration of learner evidence from one edition to the next.

:func:`revisions`, :class:`RevisionMap` and :func:`migrate` are the bound C++ functions and type
(``masterymap/migrate.hpp``), re-exported unchanged; this module also holds their DataFrame
conversions. (The module is not called ``migrate``: ``masterymap.migrate`` is the function.)
"""
from typing import Any, Dict, List, Optional

import pandas as pd

from ._core import RevisionMap, migrate, revisions

__all__ = ["RevisionMap", "migrate", "revisions"]


def _ids(values: List[Any]) -> pd.Categorical:
    """Ids as an unordered categorical (categories in order of first appearance; None is
    missing), as the library's other frames give ids."""
    categories = list(dict.fromkeys(v for v in values if v is not None))
    return pd.Categorical(values, categories=categories)


def _revisions_frame(m: RevisionMap) -> pd.DataFrame:
    """``RevisionMap.to_dataframe`` (see its docstring)."""
    old: List[str] = []
    new: List[Any] = []
    kind: List[str] = []
    steps: List[str] = []
    for o in m.old_ids():
        succ = m.successors(o)
        k = m.kind(o)
        s = ", ".join(m.steps(o))
        targets: List[Optional[str]] = list(succ) if succ else [None]
        for n in targets:
            old.append(o)
            new.append(n)
            kind.append(k)
            steps.append(s)
    return pd.DataFrame({"old_id": _ids(old),
                         "new_id": _ids(new),
                         "kind": pd.Series(kind, dtype=object),
                         "steps": pd.Series(steps, dtype=object)})


def _decisions_frame(decisions: List[Dict[str, Any]], emptied: List[str]) -> pd.DataFrame:
    """The report of ``migrate`` (see its docstring)."""
    columns = ["old_id", "new_ids", "action", "kind", "rows", "written", "domain"]
    frame = pd.DataFrame({c: (_ids([d[c] for d in decisions]) if c == "old_id" else
                              pd.Series([d[c] for d in decisions],
                                        dtype="int64" if c in ("rows", "written") else object))
                          for c in columns})
    frame.attrs["emptied_learners"] = list(emptied)
    return frame
