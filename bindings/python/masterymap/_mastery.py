"""Transitional: ``bind_pacing.cpp`` converts datetimes through
``masterymap._mastery._time_value``. The conversion lives in :mod:`masterymap._columns`
(:func:`~masterymap._columns.time_value`); remove this module once bind_pacing.cpp calls
``masterymap._columns.time_value`` instead.
"""
from ._columns import time_value as _time_value

__all__ = ["_time_value"]
