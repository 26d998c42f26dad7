"""Pacing: a plan (start, target date, goals, calendar) to compare learners against.

The bound C++ type, re-exported unchanged, and the time conversion every time argument uses.
"""
from typing import Any

from ._core import PacePlan, PaceReport, _to_seconds

__all__ = ["PacePlan", "PaceReport", "to_seconds"]


def to_seconds(t: Any) -> float:
    """Seconds since the Unix epoch of a number (returned as is), an ISO 8601 string, a
    datetime (naive = UTC) or a date (midnight UTC).

    :raises ValueError: a string that is not ISO 8601
    :raises TypeError: a bool, or a type that is not a time
    """
    return _to_seconds(t)
