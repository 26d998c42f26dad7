"""The engine: a framework and a policy compiled together, rating learners from evidence.

The bound C++ types (:class:`Engine`, :class:`LearnerState`, :class:`Explanation`,
:class:`ProbabilitySource`, :data:`STATUSES`), re-exported unchanged, and three one-call
helpers. ``Engine.ratings`` and ``LearnerState.to_dataframe`` build DataFrames through
:mod:`masterymap._frames`.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import pandas as pd

from ._arguments import require
from ._core import (
    STATUS_ORDER,
    STATUSES,
    Engine,
    EvidenceLog,
    Explanation,
    Framework,
    LearnerState,
    Policy,
    ProbabilitySource,
    is_earned,
    is_met,
    status_text,
)

__all__ = ["Engine", "Explanation", "LearnerState", "ProbabilitySource", "STATUSES",
           "STATUS_ORDER", "is_earned", "is_met", "status_text",
           "evaluate", "evaluate_all", "ratings"]


def evaluate(framework: Framework, policy: Policy, log: EvidenceLog, learner: Any, *,
             as_of: Any = None, probabilities: Any = None) -> LearnerState:
    """The :class:`LearnerState` of one learner (``Engine(framework, policy).evaluate``).

    :param as_of: evaluation time (default: the latest time in the log): seconds since the
        epoch, an ISO 8601 string, a datetime (naive = UTC), a date, a pandas Timestamp or a
        numpy datetime64
    :raises TypeError: ``as_of`` is not a time; ParseError: a text that is not a time
    :param probabilities: the source of ``Method.bkt`` values (a :class:`ProbabilitySource` or
        a callable ``f(learner, competency, scores) -> float | None``)
    :raises PolicyError: the policy does not fit the framework
    """
    return Engine(framework, policy).evaluate(log, learner, as_of=as_of,
                                              probabilities=probabilities)


def evaluate_all(framework: Framework, policy: Policy, log: EvidenceLog, *,
                 as_of: Any = None, probabilities: Any = None,
                 threads: int = 0,
                 progress: Optional[Callable[[int, int], object]] = None) -> Dict[str, LearnerState]:
    """Every learner of the log, in parallel (``threads``: 0 = all cores): a dict learner id ->
    :class:`LearnerState`. Options as :func:`evaluate`; ``progress`` as :func:`ratings`."""
    return Engine(framework, policy).evaluate_all(log, as_of=as_of, probabilities=probabilities,
                                                  threads=threads, progress=progress)


def ratings(framework: Framework, policy: Policy, log: EvidenceLog, *,
            as_of: Any = None, probabilities: Any = None, threads: int = 0,
            all_competencies: bool = False, engine: Optional[Engine] = None,
            progress: Optional[Callable[[int, int], object]] = None) -> pd.DataFrame:
    """Ratings of every learner of the log as one long DataFrame (the bulk path).

    Columns, in order: ``learner``, ``competency`` (categoricals), ``status`` (ordered
    categorical in learning order, :data:`STATUS_ORDER`), ``score`` (float64), ``rating`` (ordered
    categorical of the scale's labels, lowest first; NaN when absent), ``evidence`` (count).
    Only (learner, competency) pairs that are not ``not_started`` or have evidence (a rollup
    parent's own evidence leaves it ``not_started``: its row says so, with the count), unless
    ``all_competencies``. Computed in C++ in parallel with the GIL released; pass ``engine=`` to
    reuse a compiled :class:`Engine`. Ctrl-C raises
    ``KeyboardInterrupt`` within about 0.1 s; ``progress(done, total)`` is called about every
    50 ms and once with ``done == total`` (rows + learners of the log); raising from it cancels.
    """
    require(engine is None or isinstance(engine, Engine), "ratings()", "engine",
            "None or an Engine", engine)
    eng = engine if engine is not None else Engine(framework, policy)
    return eng.ratings(log, as_of=as_of, probabilities=probabilities, threads=threads,
                       all_competencies=all_competencies, progress=progress)
