"""Progression and roster from Python: ingest, frontier, gaps and blockers of every learner,
snapshot/restore.

Run: PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/bench_progression.py [learners]
"""
import os
import pathlib
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import masterymap as mm

# The Common Core map: third-party data read in place (MASTERYMAP_SHARED_DATA moves it).
DATA = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                   pathlib.Path(__file__).resolve().parents[2] / "shared" / "data")) \
    / "ccss-math-coherence-map"


def timed(label, fn, repeat=3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    print(f"{label:48s} {best * 1e3:10.3f} ms")
    return out, best


def main(learners=100_000, per_learner=40):
    if not (DATA / "standards.csv").exists():
        print(f"SKIPPED: {DATA} is absent")
        return
    fw = mm.io.read_framework_csv(str(DATA / "prerequisite_edges.csv"), str(DATA / "standards.csv"),
                                  prerequisite_column="from_code", dependent_column="to_code", id_column="code",
                                  domain_column="domain", level_column="grade", level_values={"K": 0, "HS": 9})
    rng = np.random.default_rng(1)
    n = learners * per_learner
    ids = np.array(list(fw))
    df = pd.DataFrame({
        "learner": pd.Categorical.from_codes(np.repeat(np.arange(learners), per_learner),
                                             categories=[f"s{i}" for i in range(learners)]),
        "competency": pd.Categorical(ids[rng.integers(0, len(ids), n)], categories=ids),
        "score": np.where(rng.random(n) < 0.75, 3.0, 2.0),
        "time": 1.7e9 + 3600.0 * np.tile(np.arange(per_learner), learners),
    })
    log = mm.EvidenceLog()
    log.extend(df)
    roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point()), threads=2)
    _, t = timed(f"ingest {n:,} events ({learners:,} learners)", lambda: roster.ingest(log), repeat=1)
    print(f"{'':48s} {t / n * 1e9:10.1f} ns/event")
    timed("frontier_matrix (all learners)", roster.frontier_matrix)
    timed("frontier() DataFrame (all learners)", roster.frontier, repeat=1)
    timed("levels('NF') DataFrame", lambda: roster.levels("NF"), repeat=1)
    timed("gaps() DataFrame (all learners)", roster.gaps, repeat=1)
    timed("blockers() DataFrame (all learners)", roster.blockers, repeat=1)
    one = mm.EvidenceLog()
    one.add(learner="s1", competency="3.NF.A.1", score=3, time=1.9e9)
    timed("ingest one event", lambda: roster.ingest(one), repeat=5)
    st = roster.learner("s1")
    timed("learner('s1').frontier()", st.frontier, repeat=3)
    timed("learner('s1').recommend(5)", lambda: st.recommend(5), repeat=3)
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "roster.bin"
        timed("save", lambda: roster.save(path), repeat=1)
        print(f"{'':48s} {path.stat().st_size / 1e6:10.1f} MB")
        timed("load", lambda: mm.Roster.load(path, threads=2), repeat=1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
