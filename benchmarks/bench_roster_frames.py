"""The all-learner DataFrames of a roster: ``Roster.frontier()``, ``Roster.levels("NF")`` and
``Roster.levels()`` (every leveled domain) for 100,000 simulated learners on the Common Core map,
against ``frontier_matrix()`` (the C++ frontier alone, no DataFrame: the floor) and, side by
side in the same run, against another build of masterymap (``--baseline <build>/python``, e.g.
main's build before the bulk frames).

Each build runs in its own subprocess on the same roster snapshot (built once here), the two
alternating (A B A B ...); each process times every call ``repeat`` times after a first call
(the first call of a process pays for fresh memory: reported apart). Medians in ms. The frames
of the two builds are checked equal (``pd.testing.assert_frame_equal``) once.

Evidence: masterymap.testing.simulate (about 50 events per learner), as bench_cohort.py.
Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_roster_frames.py
     [learners] [--baseline /work/main/build/dev/python] [--rounds 3]
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

import masterymap as mm
import masterymap.testing as mmt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ccss  # noqa: E402

DATA = ccss.DATA

# One build's timings, in a child process: argv = snapshot, repeat, frames output (or "").
CHILD = r"""
import json, pickle, statistics, sys, time
import masterymap as mm
path, repeat, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = mm.Roster.load(path)
calls = {"frontier_matrix": r.frontier_matrix, "frontier": r.frontier,
         "levels_nf": lambda: r.levels("NF"), "levels_all": r.levels}
res = {}
for name, fn in calls.items():
    t0 = time.perf_counter(); frame = fn(); first = time.perf_counter() - t0
    if out and name != "frontier_matrix":
        with open(f"{out}.{name}.pkl", "wb") as f:
            pickle.dump(frame, f, protocol=5)
    del frame
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    res[name] = {"first": first, "median": statistics.median(ts)}
res["rows"] = {"frontier": int(r.frontier_matrix().sum()), "learners": len(r)}
print(json.dumps(res))
"""

CALLS = [("frontier_matrix", "frontier_matrix() (C++ matrix only: the floor)"),
         ("frontier", "frontier() DataFrame (target 100 ms)"),
         ("levels_nf", 'levels("NF") DataFrame (target 100 ms)'),
         ("levels_all", "levels() DataFrame, every leveled domain")]


def frames_equal(got, want):
    """Exactly equal (dtypes with their categories, codes, values; NaN equal to NaN), faster
    than assert_frame_equal on categoricals and list columns of millions of rows."""
    assert list(got.columns) == list(want.columns) and got.index.equals(want.index)
    for c in got.columns:
        g, w = got[c], want[c]
        assert g.dtype == w.dtype, c
        if isinstance(g.dtype, pd.CategoricalDtype):
            np.testing.assert_array_equal(g.cat.codes.to_numpy(), w.cat.codes.to_numpy(), c)
        elif g.dtype == object:
            assert g.tolist() == w.tolist(), c
        else:
            np.testing.assert_array_equal(g.to_numpy(), w.to_numpy(), c)


def child(pythonpath, path, repeat, out=""):
    env = dict(os.environ, PYTHONPATH=pythonpath)
    p = subprocess.run([sys.executable, "-c", CHILD, path, str(repeat), out], env=env,
                       check=True, capture_output=True, text=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("learners", type=int, nargs="?", default=100_000)
    ap.add_argument("--baseline", default=None, help="another build's python folder")
    ap.add_argument("--rounds", type=int, default=3, help="alternated processes per build")
    ap.add_argument("--repeat", type=int, default=5, help="timed calls per process")
    a = ap.parse_args()
    if not ccss.available():
        print(f"SKIPPED: {DATA} is absent")
        return
    ours = str(pathlib.Path(mm.__file__).resolve().parents[1])
    fw, policy = ccss.framework(), ccss.policy()
    ev, _ = mmt.simulate(fw, policy, a.learners, seed=14, attempts=50)
    r = mm.Roster(fw, policy)
    r.ingest(ev)
    builds = [("this build", ours)] + ([("baseline", a.baseline)] if a.baseline else [])
    results = {name: [] for name, _ in builds}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "roster.snap")
        r.save(path)
        del r
        for k in range(a.rounds):
            for name, pp in builds:
                out = os.path.join(tmp, name.replace(" ", "_")) if k == 0 else ""
                results[name].append(child(pp, path, a.repeat, out))
        if a.baseline:
            for call, _ in CALLS[1:]:
                with open(os.path.join(tmp, f"this_build.{call}.pkl"), "rb") as f:
                    x = pd.read_pickle(f)
                with open(os.path.join(tmp, f"baseline.{call}.pkl"), "rb") as f:
                    y = pd.read_pickle(f)
                frames_equal(x, y)
    rows = results[builds[0][0]][0]["rows"]
    print(f"{a.learners:,} learners x {len(fw)} competencies, {len(ev):,} events; frontier "
          f"{rows['frontier']:,} rows; {a.rounds} processes per build x {a.repeat} calls, "
          f"medians (ms)" + ("; frames equal between the builds" if a.baseline else ""))
    print()

    def med(name, call, key):
        return statistics.median(x[call][key] for x in results[name]) * 1e3

    if a.baseline:
        print("| call | baseline | this build | speed-up | first call: baseline / this build |")
        print("|---|---:|---:|---:|---:|")
        for call, label in CALLS:
            b, o = med("baseline", call, "median"), med("this build", call, "median")
            bf, of = med("baseline", call, "first"), med("this build", call, "first")
            print(f"| {label} | {b:.1f} | {o:.1f} | {b / o:.1f}x | {bf:.0f} / {of:.0f} |")
    else:
        print("| call | this build | first call |")
        print("|---|---:|---:|")
        for call, label in CALLS:
            print(f"| {label} | {med('this build', call, 'median'):.1f} | "
                  f"{med('this build', call, 'first'):.0f} |")


if __name__ == "__main__":
    main()
