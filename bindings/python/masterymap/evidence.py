"""The evidence log: append-only, columnar (learner, competency, time, score, kind, weight,
source), strings interned.

The bound C++ type, re-exported unchanged. Its DataFrame and array paths (``extend``,
``from_arrays``, ``add``, ``to_dataframe``) are bound methods that convert through
:mod:`masterymap._columns` and :mod:`masterymap._frames`.
"""
from ._core import EvidenceError, EvidenceLog, set_column_cache_limit

__all__ = ["EvidenceError", "EvidenceLog", "set_column_cache_limit"]
