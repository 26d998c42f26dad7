"""Stubs of masterymap._core: time arguments and their conversion to seconds since the epoch
(bind_time.cpp).

Stub-only module: masterymap._core is one compiled module, so this file has no module at run
time. ``__init__.pyi`` re-exports each name from here; import them from masterymap._core.
"""

import datetime
from typing import Any, Union

import numpy as np
import numpy.typing as npt

# A time argument: seconds since the Unix epoch (a number), ISO 8601 text, a datetime (naive = UTC;
# pandas.Timestamp is one), a date (midnight UTC) or a numpy datetime64.
_TimeLike = Union[float, int, str, datetime.date, np.datetime64, np.number[Any]]

def _to_seconds(time: _TimeLike, name: str = "time", missing_ok: bool = False) -> float: ...
def _nanos_to_seconds(nanoseconds: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]: ...
def _seconds_to_nanos(seconds: npt.ArrayLike, name: str) -> npt.NDArray[np.int64]: ...
