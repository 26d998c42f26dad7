"""Side by side: masterymap's bulk path vs a straightforward pure-Python implementation of the
same policy (decaying average, w=0.65, on the 4-point scale; mastered at 3, exceeded at 4).

Both start from the same pandas DataFrame and must produce the same status and score for every
(learner, competency). Run: PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_engine.py
"""
import math
import statistics
import sys
import time

import numpy as np
import pandas as pd

import masterymap as mm


def make(n_events, n_learners, n_competencies, seed=42):
    rng = np.random.default_rng(seed)
    learner = rng.integers(0, n_learners, n_events)
    comp = (learner * 7 + rng.integers(0, 20, n_events)) % n_competencies
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(learner, [f"s{i}" for i in range(n_learners)]),
        "competency": pd.Categorical.from_codes(comp, [f"C{i}" for i in range(n_competencies)]),
        "time": 1.7e9 + 3.0 * np.arange(n_events) - 1000.0 * rng.integers(0, 2, n_events),  # some out of order
        "score": rng.integers(1, 5, n_events).astype(np.float64),
    })


def reference(df, w=0.65, mastery=3.0, exceeds=4.0):
    """Pure Python: group, order by (time, row), decaying average, threshold."""
    groups = {}
    for row, (l, c, t, s) in enumerate(zip(df.learner.tolist(), df.competency.tolist(), df.time.tolist(),
                                           df.score.tolist())):
        groups.setdefault((l, c), []).append((t, row, s))
    out = {}
    for key, evs in groups.items():
        evs.sort()
        d = evs[0][2]
        for _, _, s in evs[1:]:
            d = w * s + (1 - w) * d
        status = "exceeded" if d >= exceeds - 1e-6 * exceeds else "mastered" if d >= mastery - 1e-6 * exceeds else "in_progress"
        out[key] = (status, d)
    return out


def main(n_events=1_000_000, n_learners=10_000, n_competencies=500, repeat=5):
    b = mm.FrameworkBuilder("bench")
    b.add_competencies([f"C{i}" for i in range(n_competencies)]) if hasattr(b, "add_competencies") else [
        b.add_competency(f"C{i}") for i in range(n_competencies)]
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65)))
    df = make(n_events, n_learners, n_competencies)

    # Medians of repeated runs in this one process: first the masterymap runs back to back (the
    # first one, on memory the process has not touched yet, is reported on its own: it pays a
    # page fault per fresh page, ~10 us each on this VM), then the pure-Python runs.
    ours_runs, ingest_runs, ref_runs = [], [], []
    for rep in range(repeat + 1):
        t0 = time.perf_counter()
        log = mm.EvidenceLog().extend(df, framework=fw, policy=policy)
        t1 = time.perf_counter()
        ratings = mm.ratings(fw, policy, log)
        t2 = time.perf_counter()
        ours_runs.append(t2 - t0)
        ingest_runs.append(t1 - t0)
    first, ours_runs, ingest_runs = ours_runs[0], ours_runs[1:], ingest_runs[1:]
    for rep in range(max(1, repeat // 2)):
        t3 = time.perf_counter()
        ref = reference(df)
        ref_runs.append(time.perf_counter() - t3)
    t0, t1, t2 = 0.0, statistics.median(ingest_runs), statistics.median(ours_runs)
    t3 = t2 + statistics.median(ref_runs)

    got = {(l, c): (s, x) for l, c, s, x in zip(ratings.learner.tolist(), ratings.competency.tolist(),
                                                 ratings.status.tolist(), ratings.score.tolist())}
    assert got.keys() == ref.keys(), "different (learner, competency) pairs"
    for k, (s, x) in ref.items():
        gs, gx = got[k]
        assert gs == s and math.isclose(gx, x, rel_tol=1e-6, abs_tol=1e-6), (k, got[k], ref[k])

    ours, theirs = t2 - t0, t3 - t2
    log.shrink_to_fit()
    print(f"{n_events:,} events, {n_learners:,} learners, {n_competencies:,} competencies; "
          f"{len(ratings):,} ratings, all equal")
    print(f"masterymap : ingest {t1 - t0:.3f} s + rate {t2 - t1:.3f} s = {ours:.3f} s "
          f"({n_events / ours / 1e6:.1f} M events/s)")
    print(f"pure Python: {theirs:.3f} s ({n_events / theirs / 1e6:.2f} M events/s)")
    print(f"ratio      : {theirs / ours:.0f}x (medians of {repeat} / {len(ref_runs)} runs; "
          f"first masterymap run {first:.3f} s: {theirs / first:.0f}x)")
    print(f"runs (ms)  : masterymap {[round(x * 1e3, 1) for x in ours_runs]}, "
          f"pure Python {[round(x * 1e3) for x in ref_runs]}")
    print(f"memory     : {log.event_bytes / len(log):.0f} bytes per stored event")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
