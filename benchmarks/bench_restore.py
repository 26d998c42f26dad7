"""Snapshot restore on memory the process has never touched: Roster.load of a 100,000-learner
roster, each run in a fresh subprocess (a new process maps every page it writes for the first
time; on this VM a first-touch 4 KiB page fault costs about 10 us, so the page faults are
counted too).

Per run: the wall time of ``Roster.load`` (the process's first one), split by its progress
reports into *read* (the file's bytes read and checked: the first half of the reported total)
and *restore* (the log rebuilt, the tables and indexes made: the second half); then a second
``Roster.load`` in the same process (memory the process has touched and freed); the minor page
faults (``ru_minflt``) of each; and ``Roster.from_bytes`` of the file's bytes for comparison.
Medians over the runs.

Evidence: masterymap.testing.simulate on the CCSS map (about 50 events per learner), as
bench_cohort.py. The snapshot file is written once to a temporary folder (the page cache is warm:
the figures are memory and CPU, not the disk).

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_restore.py [learners] [runs]
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


def main(learners=100_000, runs=5):
    if not ccss.available():
        print(f"SKIPPED: {DATA} is absent")
        return
    fw, policy = ccss.framework(), ccss.policy()
    ev, _ = mmt.simulate(fw, policy, learners, seed=14, attempts=50)
    r = mm.Roster(fw, policy)
    r.ingest(ev)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "roster.snap")
        r.save(path)
        size = os.path.getsize(path)
        del r
        out = []
        for _ in range(runs):
            p = subprocess.run([sys.executable, "-c", CHILD, path], env=env, check=True,
                               capture_output=True, text=True)
            out.append(json.loads(p.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(o[k] for o in out) for k in out[0]}
    print(f"{learners:,} learners x {len(fw)} competencies, {len(ev):,} events; snapshot "
          f"{size / 1e6:.0f} MB; {runs} fresh processes, medians")
    print()
    print("| Roster.load | ms | minor page faults |")
    print("|---|---:|---:|")
    print(f"| first in a fresh process (target < 500 ms) | {med['first'] * 1e3:.0f} | "
          f"{med['first_faults']:,.0f} |")
    print(f"| ... of which read and check the file | {med['read'] * 1e3:.0f} | |")
    print(f"| ... of which rebuild the log, tables and indexes | {med['restore'] * 1e3:.0f} | |")
    print(f"| second in the same process | {med['second'] * 1e3:.0f} | "
          f"{med['second_faults']:,.0f} |")
    print(f"| Roster.from_bytes (third) | {med['from_bytes'] * 1e3:.0f} | |")
    runs_first = ", ".join(f"{o['first'] * 1e3:.0f}" for o in out)
    print(f"\nfirst loads, each run (ms): {runs_first}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
