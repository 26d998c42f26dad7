"""Progress callbacks of calls made of several C++ calls.

A long call takes ``progress=``: a callable ``progress(done, total)`` (see the README's
"Cancellation and progress"). When one Python call makes several C++ calls, each is given a
:func:`span` of the whole, so the caller sees one monotone ``done`` ending at ``total``.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

Progress = Optional[Callable[[int, int], object]]


def check(progress: Any) -> None:
    """A TypeError unless ``progress`` is None or callable (worded as the compiled calls word
    it, progress_py.hpp)."""
    if progress is not None and not callable(progress):
        raise TypeError("progress must be None or a callable progress(done, total), got "
                        + type(progress).__name__)


def span(progress: Progress, lo: int, hi: int, total: int) -> Progress:
    """A callback that reports a sub-call's (done, sub_total) as ``lo + (hi - lo) * done //
    sub_total`` out of ``total`` (None when ``progress`` is None)."""
    if progress is None:
        return None
    check(progress)
    outer: Callable[[int, int], object] = progress  # (narrowed for the closure)

    def report(done: int, sub_total: int) -> None:
        outer(lo + (hi - lo) * done // sub_total if sub_total else hi, total)

    return report
