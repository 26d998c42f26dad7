"""A learner simulator with a known truth, and small fixtures, for tests and benchmarks.

:func:`simulate` generates evidence from Bayesian Knowledge Tracing learners working through a
framework under a policy, and returns it with the truth it came from (when each learner
really mastered each competency). The C++ core (``masterymap/testing.hpp``) runs in parallel
over learners with the GIL released; every learner draws from its own random stream keyed by
(seed, learner), so the frames are the same for a seed whatever the thread count.

The fixtures (:func:`chain`, :func:`diamond`, :func:`policy`, :func:`small_log`) are the C++
header's, for pytest suites::

    # conftest.py
    import pytest
    import masterymap.testing as mmt

    @pytest.fixture
    def framework():
        return mmt.chain(5)

    @pytest.fixture
    def simulated(framework):
        return mmt.simulate(framework, mmt.policy(), learners=200, seed=1)
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._arguments import checked, require
from ._core import EvidenceLog, Framework, Policy

__all__ = ["PARAMS", "DEFAULT_PARAMS", "simulate", "bkt_responses", "chain", "diamond", "policy",
           "small_log", "learning_map"]

#: The BKT parameters of a competency, with pyBKT's names.
PARAMS = ("prior", "learns", "guesses", "slips", "forgets")
#: The parameters every competency has unless ``params`` or ``overrides`` say otherwise.
DEFAULT_PARAMS = {"prior": 0.2, "learns": 0.2, "guesses": 0.2, "slips": 0.1, "forgets": 0.0}


_Params = Tuple[float, float, float, float, float]


def _params(given: Any, base: Mapping[str, float], where: str) -> _Params:
    if not isinstance(given, Mapping):
        raise TypeError(f"testing.simulate(): {where} must be a mapping of parameter name -> "
                        f"probability, got {type(given).__name__}")
    unknown = [k for k in given if k not in PARAMS]
    if unknown:
        raise ValueError(f"testing.simulate(): unknown parameter {unknown[0]!r} in {where}; use one of "
                         f"{PARAMS}")
    merged = dict(base)
    for k, v in given.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"testing.simulate(): {where}[{k!r}] must be a number, got "
                            f"{type(v).__name__}")
        merged[k] = float(v)
    return (merged["prior"], merged["learns"], merged["guesses"], merged["slips"],
            merged["forgets"])


def _overrides(overrides: Any, base: Mapping[str, float]) -> list:
    if overrides is None:
        return []
    if isinstance(overrides, pd.DataFrame):
        frame = overrides.set_index("competency") if "competency" in overrides.columns \
            else overrides
        extra = [k for k in frame.columns if k not in PARAMS]
        if extra:
            raise ValueError(f"testing.simulate(): overrides has an unknown column {extra[0]!r}; use "
                             f"competency and {PARAMS}")
        overrides = {str(c): {k: v for k, v in row.items() if not pd.isna(v)}
                     for c, row in frame.to_dict("index").items()}
    return [(str(c), _params(p, base, f"overrides[{c!r}]")) for c, p in overrides.items()]


def _groups(groups: Any) -> list:
    if groups is None:
        return []
    out = []
    for name, spec in groups.items():
        if isinstance(spec, (tuple, list)):
            if len(spec) != 2:
                raise ValueError(f"testing.simulate(): groups[{name!r}] must be share or (share, "
                                 f"learn multiplier), got {len(spec)} values")
            share, mult = spec
        else:
            share, mult = spec, 1.0
        out.append((str(name), float(share), float(mult)))
    return out


@checked
def simulate(framework: Framework, policy: Policy, learners: int = 1000, *, seed: int = 0,
             params: Optional[Mapping[str, float]] = None,
             overrides: Optional[Union[Mapping[str, Mapping[str, float]], pd.DataFrame]] = None,
             pace_sigma: float = 0.5,
             groups: Optional[Mapping[str, Union[float, Tuple[float, float]]]] = None,
             start: Any = "2024-09-01", interval: float = 86400.0, attempts: int = 50,
             streak: int = 3, max_attempts: int = 15,
             threads: int = 0) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """Simulated evidence and its truth: ``(evidence, truth)``.

    The model (masterymap/testing.hpp ``simulate`` has the exact draws):

    - Each learner belongs to a group of ``groups`` (``{name: share}`` or ``{name: (share,
      learn_multiplier)}``; shares are relative weights; default one group ``"all"``) and has a
      pace ``exp(pace_sigma * Z)``, Z standard normal (a lognormal with median 1).
    - Learners work on their *true frontier*: competencies without children (parents are rated
      by rollups) whose ``required`` prerequisites they have really mastered, picked at random,
      each worked on once. Familiar and recommended links do not gate.
    - Each competency has BKT parameters with pyBKT's names (:data:`PARAMS`): ``params`` for
      all (missing names from :data:`DEFAULT_PARAMS`), ``overrides`` per competency (``{id:
      {name: value}}`` or a DataFrame with a ``competency`` column or index and parameter
      columns). Known at the first attempt with ``prior``; each attempt is correct with 1 -
      ``slips`` if known, ``guesses`` if not; then an unknown competency is learnt with 1 - (1 -
      ``learns``) ** (pace * group multiplier), a known one forgotten with ``forgets``.
    - The learner moves on after ``max(streak, rule.min_evidence)`` consecutive correct answers
      followed by one correct check of each of the rule's ``require_kinds`` (an incorrect check
      resets the streak), or gives up after ``max_attempts`` attempts (wheel-spinning). Practice
      is kind ``formative`` (``summative`` where the rule ignores formative).
    - Scores: correct = the scale's mastery value; incorrect = the rating just below it.
    - Attempts are ``interval`` seconds apart on average (exponential gaps, whole seconds, at
      least 1), starting at ``start`` (any time :func:`masterymap.to_seconds` takes); a learner
      stops after ``attempts`` pieces of evidence or when nothing is left to work on.

    :returns: ``evidence``: ``learner`` ("L0", "L1", ...), ``competency``, ``time`` (float64
        seconds since the epoch), ``score``, ``kind`` (categoricals for the texts) and
        ``correct`` (uint8, the observation), sorted by learner then time: what
        :meth:`EvidenceLog.extend` and :meth:`Roster.ingest` take. ``truth``: one row per
        (learner, competency) the learner worked on, in the order started: ``learner``,
        ``competency``, ``mastery_time`` (the first time known; NaN when never),
        ``attempts``, ``group``, ``pace``. Pairs not in ``truth`` were never worked on (never
        mastered).
    :raises ValueError: probabilities outside [0, 1], an unknown parameter name, an override
        naming no competency, a bad group, ``streak`` or ``max_attempts`` of 0, a
        ``max_attempts`` below what moving on from a competency takes (``max(streak,
        rule.min_evidence)`` plus one check per required kind: no learner could master it; the
        message names both numbers), a count out of its range (the message names the option
        and the range).
    :raises TypeError: a bool or a float where a count is expected.

    Speed: 100,000 learners x 50 events over the CCSS map take about a second (README).
    """
    base = dict(DEFAULT_PARAMS)
    p = _params(params if params is not None else {}, base, "params")
    base = dict(zip(PARAMS, p))
    if learners < 0:
        raise ValueError(f"testing.simulate(): learners must be >= 0, got {learners}")
    for name, value in (("attempts", attempts), ("streak", streak),
                        ("max_attempts", max_attempts), ("threads", threads), ("seed", seed)):
        if value < 0:
            raise ValueError(f"testing.simulate(): {name} must be >= 0, got {value}")
    t0 = _core._to_seconds(start, "start")
    raw = _core._simulate(framework, policy, learners, seed, p, _overrides(overrides, base),
                          float(pace_sigma), _groups(groups), t0, float(interval), attempts,
                          streak, max_attempts, threads)
    learner_names = raw["learner_names"]
    competency_ids = raw["competency_ids"]

    def cat(codes: np.ndarray, names: list) -> pd.Categorical:
        return pd.Categorical.from_codes(codes.astype(np.int32, copy=False), categories=names)

    evidence = pd.DataFrame({
        "learner": cat(raw["learner"], learner_names),
        "competency": cat(raw["competency"], competency_ids),
        "time": raw["time"],
        "score": raw["score"],
        "kind": cat(raw["kind"].astype(np.int32), raw["kind_names"]),
        "correct": raw["correct"],
    })
    group = raw["group"]
    tl = raw["truth_learner"]
    truth = pd.DataFrame({
        "learner": cat(tl, learner_names),
        "competency": cat(raw["truth_competency"], competency_ids),
        "mastery_time": raw["mastery_time"],
        "attempts": raw["truth_attempts"],
        "group": cat(group[tl] if len(tl) else group[:0], raw["group_names"]),
        "pace": raw["pace"][tl] if len(tl) else raw["pace"][:0],
    })
    return evidence, truth


@checked
def bkt_responses(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence of :func:`simulate` as BKT responses (``user_id``, ``skill_name``,
    ``correct``, in time order per learner), as :func:`masterymap.bkt.fit` takes them.

    :raises KeyError: a column of :func:`simulate`'s evidence is missing.
    """
    return pd.DataFrame({"user_id": evidence["learner"].astype(str).to_numpy(),
                         "skill_name": evidence["competency"].astype(str).to_numpy(),
                         "correct": evidence["correct"].to_numpy(np.int64)})


@checked
def chain(n: int = 5) -> Framework:
    """A chain C1 <- C2 <- ... <- Cn (each requires the one before), domain "D", levels 1..n.

    :raises ValueError: n < 1.
    """
    if n < 1:
        raise ValueError(f"chain(): n must be at least 1, got {n}")
    return _core._fixture_chain(n)


_MAX_MAP = 2 ** 24  # 16.7 M competencies: far beyond any framework, and still fits in memory


@checked
def learning_map(competencies: int = 5000, *, domains: int = 20, levels: int = 13,
                 mean_prerequisites: float = 3.0, seed: int = 0) -> Framework:
    """A synthetic learning map of the size of a state's framework, for benchmarks (e.g. 5,000
    competencies, 13 levels): ``competencies`` ids ``"D{d}.L{l}.{k}"`` dealt round-robin over
    ``domains`` domains (``"D0"``, ``"D1"``, ...) and, within a domain, in equal runs over the
    ``levels`` levels 0 .. levels - 1 (one academic competency per level at least, so a domain
    has min(levels, its size) levels). Every competency above level 0 requires, on average,
    ``mean_prerequisites`` competencies (a Poisson count, at least 1) drawn from the nearest
    populated level below it: 80% in its own domain, 20% in another domain (a cross-strand
    link; its own when that domain has nothing lower), required strength, no duplicates. Edges go from a lower level to a higher one, so the map is a DAG by
    construction. Deterministic for a seed (numpy's PCG64).

    Complexity: O(competencies x mean_prerequisites).

    :raises ValueError: a count below 1 or above 2**24 (``competencies``, ``domains``,
        ``levels``) or a negative ``mean_prerequisites``
    :raises TypeError: a count that is not an int (a bool included)
    """
    for name, value in (("competencies", competencies), ("domains", domains),
                        ("levels", levels)):
        require(isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)),
                "testing.learning_map()", name, "an int", value)
    if competencies < 1 or domains < 1 or levels < 1:
        raise ValueError(f"learning_map(): competencies, domains and levels must be at least 1, "
                         f"got {competencies}, {domains}, {levels}")
    if competencies > _MAX_MAP or domains > _MAX_MAP or levels > _MAX_MAP:
        raise ValueError(f"learning_map(): competencies, domains and levels must be at most "
                         f"{_MAX_MAP:,} (2**24), got {competencies}, {domains}, {levels}")
    if not mean_prerequisites >= 0:
        raise ValueError(f"learning_map(): mean_prerequisites must be >= 0, got "
                         f"{mean_prerequisites}")
    rng = np.random.default_rng(seed)
    n = int(competencies)
    dom = np.arange(n) % domains
    pos = np.arange(n) // domains               # position within the domain
    size = np.bincount(dom, minlength=domains)[dom]
    lev = (pos * levels) // np.maximum(size, 1)  # equal runs of levels within the domain
    ids = np.array([f"D{d}.L{l}.{k}" for d, l, k in zip(dom, lev, pos)], dtype=object)
    b = _core.FrameworkBuilder("learning map")
    b.add_competencies(list(ids), domains=[f"D{d}" for d in dom], levels=[int(x) for x in lev])
    # The members of each (domain, level) cell, and per cell the nearest populated cell below
    # it in the same domain (level 0 of a domain is always populated).
    key = dom * levels + lev
    order = np.argsort(key, kind="stable")
    starts = np.searchsorted(key[order], np.arange(domains * levels + 1))
    below = np.full(domains * levels, -1, dtype=np.int64)
    for d in range(domains):
        last = -1
        for level in range(levels):
            cell = d * levels + level
            below[cell] = last
            if starts[cell + 1] > starts[cell]:
                last = cell
    dependents, prerequisites = [], []
    for c in np.flatnonzero(lev > 0):
        k = max(1, int(rng.poisson(mean_prerequisites))) if mean_prerequisites > 0 else 0
        chosen = set()
        for _ in range(k):
            d = dom[c] if rng.random() < 0.8 or domains == 1 else int(rng.integers(domains))
            cell = below[d * levels + lev[c]]
            if cell < 0:  # that domain has nothing below this level: stay in our own
                cell = below[dom[c] * levels + lev[c]]
            chosen.add(int(order[rng.integers(starts[cell], starts[cell + 1])]))
        for p in sorted(chosen):
            dependents.append(ids[c])
            prerequisites.append(ids[p])
    if dependents:
        b.add_prerequisites(dependents, prerequisites)
    return b.build()


def diamond() -> Framework:
    """A diamond: B and C require A; D requires B and C (domain "D", levels 1, 2, 2, 3)."""
    return _core._fixture_diamond()


def policy() -> Policy:
    """The four-point scale, the latest score deciding, one piece of evidence enough."""
    return _core._fixture_policy()


def small_log() -> EvidenceLog:
    """A small log over :func:`chain`: learner "a" has mastered C1 and C2 and is working on C3,
    "b" has mastered C1, and "c" has a score on C2 but no evidence on C1 (a gap)."""
    return _core._fixture_log()

