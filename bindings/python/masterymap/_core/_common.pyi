"""Stubs of masterymap._core: the metaclass of the bound types and the shared argument aliases.

Stub-only module: masterymap._core is one compiled module, so this file has no module at run
time. ``__init__.pyi`` re-exports each name from here; import them from masterymap._core.
"""

import os
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt


class _pybind11_type(type):
    """The metaclass of every bound type (``pybind11_builtins.pybind11_type`` at runtime)."""

_IndexArray = npt.NDArray[np.uint32]
#: An id (learner, competency, skill) in any form: 1, np.int64(1), 1.0 and "1" are the id "1".
_Id = Union[str, int, float, np.integer[Any], np.floating[Any]]
_PathLike = Union[str, "os.PathLike[str]"]
_StrengthFilter = Union[None, str, Sequence[str]]
#: A progress callback of a long call: ``progress(done, total)``.
_Progress = Optional[Callable[[int, int], object]]
