"""Pacing: a plan (start, target date, goals, calendar) to compare learners against.

The bound C++ type, re-exported unchanged, and the time conversion every time argument uses.
"""
from typing import Any

from ._core import PacePlan, PaceReport, _to_seconds

__all__ = ["PacePlan", "PaceReport", "to_seconds"]


def to_seconds(t: Any) -> float:
    """Seconds since the Unix epoch (UTC) of a time, converted as every time argument of the
    library (``as_of=``, ``today=``, ``time=``, pace plan dates) is: a number (seconds, returned
    as is), an ISO 8601 string (``"2024-09-01"``, ``"2024-09-01T08:30:00+02:00"``; no offset =
    UTC), a datetime (naive = UTC, aware converted), a date (midnight UTC), a pandas Timestamp
    or a numpy datetime64 (any unit). Microseconds are kept exactly; finer digits are rounded.

    :raises TypeError: None, a bool, or another type that is not a time
    :raises ParseError: a string that is not ISO 8601 (nor a number)
    :raises ValueError: NaN, NaT or an infinite time
    """
    return _to_seconds(t, "time")
