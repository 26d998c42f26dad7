"""Snapshot restore on memory the process has never touched: Roster.load of a 100,000-learner
roster, from the same roster saved in both formats (version 6, the tables as held in memory and
read into place; and the cell-list format of versions 4/5, ``save(version=5)``), each run in a
fresh subprocess, the two formats alternated (a new process maps every page it writes for the first
time; on this VM a first-touch 4 KiB page fault costs about 10 us, so the page faults are
counted too).

Per run: the wall time of ``Roster.load`` (the process's first one), split by its progress
reports into *read* (the file's bytes read and checked: the first half of the reported total)
and *restore* (the log rebuilt, the tables and indexes made: the second half); then a second
``Roster.load`` in the same process (memory the process has touched and freed); the minor page
faults (``ru_minflt``) of each; and ``Roster.from_bytes`` of the file's bytes for comparison.
Medians over the runs.

With MASTERYMAP_BASELINE set to another build's python folder (e.g. the main checkout's
build/dev/python, before version 6), the cell-list file is also loaded by that build: a third
column, the before/after figure.

Evidence: masterymap.testing.simulate on the CCSS map (about 50 events per learner), as
bench_cohort.py. The snapshot file is written once to a temporary folder (the page cache is warm:
the figures are memory and CPU, not the disk).

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_restore.py [learners] [runs]
[simulate|random] (random: 40 events a learner on random competencies under the default policy,
the C++ benchmarks' roster, whose learners have ~170 inferred-only competencies each)
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import masterymap as mm
import masterymap.testing as mmt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ccss  # noqa: E402

DATA = ccss.DATA

# Run in the child: one fresh process per run.
CHILD = r"""
import json, resource, sys, time
import masterymap as mm
path = sys.argv[1]
marks = []
def progress(done, total):
    marks.append((time.perf_counter(), done, total))
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
f0 = faults()
t0 = time.perf_counter()
r = mm.Roster.load(path, progress=progress)
t1 = time.perf_counter()
f1 = faults()
half = marks[-1][2] / 2 if marks else 0
read_end = next((t for t, done, total in marks if done >= half), t1)
del r
f2 = faults()
t2 = time.perf_counter()
r = mm.Roster.load(path)
t3 = time.perf_counter()
f3 = faults()
data = open(path, "rb").read()
t4 = time.perf_counter()
r2 = mm.Roster.from_bytes(data)
t5 = time.perf_counter()
print(json.dumps({"first": t1 - t0, "read": read_end - t0, "restore": t1 - read_end,
                  "first_faults": f1 - f0, "second": t3 - t2, "second_faults": f3 - f2,
                  "from_bytes": t5 - t4, "learners": len(r)}))
"""


def random_events(fw, learners, per_learner=40):
    """`per_learner` events a learner on random competencies (75 % at mastery), as the C++
    roster benchmarks (bench_progression.cpp) and bench_roster_memory.py: most of each
    learner's done prerequisites are then only inferred (bits in memory and in version 6)."""
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(1)
    n = learners * per_learner
    ids = np.array(list(fw))
    return pd.DataFrame({
        "learner": pd.Categorical.from_codes(np.repeat(np.arange(learners), per_learner),
                                             categories=[f"s{i}" for i in range(learners)]),
        "competency": pd.Categorical(ids[rng.integers(0, len(ids), n)], categories=ids),
        "score": np.where(rng.random(n) < 0.75, 3.0, 2.0),
        "time": 1.7e9 + 3600.0 * np.tile(np.arange(per_learner), learners),
    })


def main(learners=100_000, runs=5, evidence="simulate"):
    if not ccss.available():
        print(f"SKIPPED: {DATA} is absent")
        return
    fw = ccss.framework()
    if evidence == "random":  # the default policy (four-point scale, inference required)
        policy = mm.Policy(mm.Scale.four_point())
        ev = random_events(fw, learners)
    else:
        policy = ccss.policy()
        ev, _ = mmt.simulate(fw, policy, learners, seed=14, attempts=50)
    r = mm.Roster(fw, policy)
    r.ingest(ev)
    env = dict(os.environ)
    formats = (("version 6 (in place)", 6), ("version 4 (cell lists)", 5))
    with tempfile.TemporaryDirectory() as tmp:
        paths, sizes = {}, {}
        for label, version in formats:
            paths[label] = os.path.join(tmp, f"roster_v{version}.snap")
            r.save(paths[label], version=version)
            sizes[label] = os.path.getsize(paths[label])
        del r
        # Optionally the cell-list file loaded by another build (the release before version 6:
        # MASTERYMAP_BASELINE=<its build/dev/python>), as a third column.
        baseline = os.environ.get("MASTERYMAP_BASELINE")
        children = [(label, label, env) for label, _ in formats]
        if baseline:
            formats = formats + (("version 4, baseline build", 5),)
            children.append(("version 4, baseline build", formats[1][0],
                             dict(env, PYTHONPATH=baseline)))
        out = {label: [] for label, _ in formats}
        for _ in range(runs):
            for label, file, child_env in children:  # alternated: the load hits all alike
                p = subprocess.run([sys.executable, "-c", CHILD, paths[file]], env=child_env,
                                   check=True, capture_output=True, text=True)
                out[label].append(json.loads(p.stdout.strip().splitlines()[-1]))
        sizes[formats[-1][0]] = sizes[formats[1][0]]
    med = {label: {k: statistics.median(o[k] for o in out[label]) for k in out[label][0]}
           for label, _ in formats}
    print(f"{learners:,} learners x {len(fw)} competencies, {len(ev):,} events ({evidence}); "
          f"{runs} fresh processes per format, alternated, medians")
    print()
    labels = [label for label, _ in formats]
    new, old = labels[0], labels[-1]
    print("| Roster.load | " + " | ".join(labels) + f" | ratio {labels[0]} / {old} |")
    print("|---|" + "---:|" * (len(labels) + 1))
    print("| snapshot size (MB) | " + " | ".join(f"{sizes[x] / 1e6:.0f}" for x in labels) +
          f" | {sizes[new] / sizes[old]:.2f} |")
    rows = (("first in a fresh process, ms (target < 500)", "first", 1e3),
            ("... of which read and check the file, ms", "read", 1e3),
            ("... of which rebuild the log, tables and indexes, ms", "restore", 1e3),
            ("minor page faults of the first", "first_faults", 1),
            ("second in the same process, ms", "second", 1e3),
            ("minor page faults of the second", "second_faults", 1),
            ("Roster.from_bytes (third), ms", "from_bytes", 1e3))
    for name, key, scale in rows:
        a, b = med[new][key] * scale, med[old][key] * scale
        ratio = f"{a / b:.2f}" if b else ""
        print(f"| {name} | " + " | ".join(f"{med[x][key] * scale:,.0f}" for x in labels) +
              f" | {ratio} |")
    print()
    for label, _ in formats:
        runs_first = ", ".join(f"{o['first'] * 1e3:.0f}" for o in out[label])
        print(f"first loads, {label}, each run (ms): {runs_first}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(*(int(a) for a in args[:2]), *args[2:3])
