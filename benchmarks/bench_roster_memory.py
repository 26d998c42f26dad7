"""Roster memory: resident memory after ingest, for increasing numbers of learners, per learner
and per touched cell (issue 15: memory follows the evidence), with the frontier recompute and
ingest times of the same roster.

Each size runs in a fresh process (RSS is per process; glibc's free memory is handed back with
malloc_trim before each reading). The roster's figure is what RSS drops by when the ingested
roster is deleted (RSS after ingest minus RSS after `del roster`): ingest's transient memory
(the engine's long-form table, the sub-log) is gone from both readings, so this is what the
roster keeps. It still includes allocator slack, so the per-learner and per-cell figures are
also given *marginally*, as differences between consecutive sizes,

    per learner = d(roster bytes) / d(learners),

which include the roster's own copy of the log and its per-learner row index (28 B a row), not
only its tables. "evidence" counts the touched cells that are not only inferred (the sparse
roster's 16-byte cells), "inferred" the competencies only inferred (no score, no rating: bits of
the sparse roster).

Run: PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/bench_roster_memory.py
         [--learners 10000,50000,100000] [--per-learner 40] [--baseline <other build>/python]
With --baseline, every size is also run on the other build (e.g. main's dense tables) and the
table shows both side by side. Competencies: the CCSS map (480); --competencies N uses a
synthetic layered framework of N competencies instead (3 prerequisites each).
"""
import argparse
import ctypes
import json
import os
import pathlib
import subprocess
import sys
import time

DATA = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                   pathlib.Path(__file__).resolve().parents[2] / "shared" / "data")) \
    / "ccss-math-coherence-map"


def rss_bytes():
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def framework(mm, competencies):
    if competencies == 0:
        return mm.io.read_framework_csv(
            str(DATA / "prerequisite_edges.csv"), str(DATA / "standards.csv"),
            prerequisite_column="from_code", dependent_column="to_code", id_column="code",
            domain_column="domain", level_column="grade", level_values={"K": 0, "HS": 9})
    import numpy as np
    rng = np.random.default_rng(7)
    b = mm.FrameworkBuilder("synthetic")
    levels = 13
    per = max(1, competencies // levels)
    ids = [f"C{i}" for i in range(competencies)]
    for i, c in enumerate(ids):
        b.add_competency(c, domain=f"D{i % 8}", level=min(i // per, levels - 1))
    for i in range(per, competencies):
        lo = max(0, (i // per - 1) * per)
        for j in set(rng.integers(lo, min(i, lo + per), 3).tolist()):
            b.add_prerequisite(ids[i], prerequisite=ids[j])
    return b.build()


def one_run(learners, per_learner, competencies):
    """In this process: build the log, ingest, measure. Prints one JSON line."""
    import numpy as np
    import pandas as pd

    import masterymap as mm
    fw = framework(mm, competencies)
    C = len(list(fw))
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
    del df
    roster = mm.Roster(fw, mm.Policy(mm.Scale.four_point()), threads=2)
    t0 = time.perf_counter()
    roster.ingest(log)
    ingest_s = time.perf_counter() - t0
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        roster.frontier_matrix()
        times.append(time.perf_counter() - t0)
    times.sort()
    st = roster.statuses()
    sc = np.isnan(roster.scores())
    rt = roster.ratings() == -1
    touched = int(((st != 0) | ~sc | ~rt).sum())
    inferred = int(((st == mm.STATUSES.index("inferred")) & sc & rt).sum())
    del st, sc, rt
    after = rss_bytes()
    del roster
    before = rss_bytes()
    print(json.dumps({"learners": learners, "competencies": C, "rows": n, "touched": touched,
                      "inferred": inferred,
                      "roster_bytes": after - before, "ingest_s": ingest_s,
                      "frontier_ms": times[len(times) // 2] * 1e3}))


def run(pythonpath, learners, per_learner, competencies):
    env = dict(os.environ, PYTHONPATH=pythonpath)
    out = subprocess.run([sys.executable, __file__, "--one", str(learners), "--per-learner",
                          str(per_learner), "--competencies", str(competencies)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--learners", default="10000,50000,100000")
    ap.add_argument("--per-learner", type=int, default=40)
    ap.add_argument("--competencies", type=int, default=0)
    ap.add_argument("--baseline", default=None)
    ap.add_argument("--one", type=int, default=None)
    a = ap.parse_args()
    if a.one is not None:
        one_run(a.one, a.per_learner, a.competencies)
        return
    if a.competencies == 0 and not (DATA / "standards.csv").exists():
        print(f"SKIPPED: {DATA} is absent")
        return
    builds = [("this", os.environ.get("PYTHONPATH", ""))]
    if a.baseline:
        builds.append(("baseline", a.baseline))
    print(f"{'build':9s} {'learners':>9s} {'C':>5s} {'evidence':>10s} {'inferred':>10s} "
          f"{'roster MB':>10s} {'B/learner':>10s} {'dB/learner':>11s} {'ingest s':>9s} "
          f"{'frontier ms':>11s}")
    prev = {}
    for L in [int(x) for x in a.learners.split(",")]:
        for name, path in builds:
            r = run(path, L, a.per_learner, a.competencies)
            per_learner = float("nan")
            if name in prev:
                p = prev[name]
                d_bytes = r["roster_bytes"] - p["roster_bytes"]
                per_learner = d_bytes / (r["learners"] - p["learners"])
            prev[name] = r
            print(f"{name:9s} {L:9d} {r['competencies']:5d} {r['touched'] - r['inferred']:10d} "
                  f"{r['inferred']:10d} {r['roster_bytes'] / 1e6:10.1f} "
                  f"{r['roster_bytes'] / L:10.1f} {per_learner:11.1f} "
                  f"{r['ingest_s']:9.2f} {r['frontier_ms']:11.1f}", flush=True)


if __name__ == "__main__":
    main()
