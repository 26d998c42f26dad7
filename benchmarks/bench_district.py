"""The district's nightly job at a configurable scale: a synthetic learning map
(``masterymap.testing.learning_map``: N competencies over domains, 13 levels, about 3 required
prerequisites each) and L simulated learners with about 50 events each
(``masterymap.testing.simulate``), then the job: ingest (``Roster.ingest``), rate
(``mm.ratings`` of the roster's log), frontier (``Roster.frontier()``), summary
(``Roster.summary()``). Prints each step's wall time, the events per second of ingest and of the
whole job, and the process's peak memory (``ru_maxrss``).

Issue 15's full size is 5,000 competencies x 1,000,000 learners (50 M events). Today's roster is
dense (about 11 bytes per learner x competency cell in its tables: 55 GB for that size, plus the
frontier matrix a frame needs), so it cannot run on this 24 GiB machine; run it at a scale
that fits (the default: 5,000 x 20,000, 1.1 GB of tables) and scale up once the sparse roster
lands. ``--check`` refuses sizes whose dense tables would not fit in half the machine's memory.

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_district.py
     [--competencies 5000] [--learners 20000] [--events 50]
"""
import argparse
import os
import resource
import time

import masterymap as mm
import masterymap.testing as mmt


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--competencies", type=int, default=5000)
    ap.add_argument("--learners", type=int, default=20_000)
    ap.add_argument("--events", type=int, default=50, help="attempts per learner (simulate)")
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    cells = a.competencies * a.learners
    dense = cells * 12  # status, score, rating, attainment + the frontier matrix of a frame
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if dense > memory // 2:
        print(f"SKIPPED: {a.learners:,} x {a.competencies:,} cells need about {dense / 2**30:.0f}"
              f" GiB of dense tables (this machine: {memory / 2**30:.0f} GiB); the dense roster "
              "cannot hold it")
        return
    steps = []

    def step(name, fn):
        t0 = time.perf_counter()
        out = fn()
        steps.append((name, time.perf_counter() - t0))
        return out

    fw = step("learning map", lambda: mmt.learning_map(a.competencies, seed=a.seed))
    policy = mm.Policy(mm.Scale.four_point(),
                       rule=mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2))
    ev, _ = step("simulate", lambda: mmt.simulate(fw, policy, a.learners, seed=a.seed,
                                                   attempts=a.events))
    ev = ev.drop(columns=["correct"])
    n = len(ev)
    setup_mb = peak_mb()
    roster = mm.Roster(fw, policy)
    job0 = time.perf_counter()
    step("ingest", lambda: roster.ingest(ev))
    step("rate (mm.ratings of the log)", lambda: mm.ratings(fw, policy, roster.log))
    step("frontier() frame", roster.frontier)
    step("summary()", roster.summary)
    job = time.perf_counter() - job0
    ingest = dict(steps)["ingest"]
    print(f"district job: {a.competencies:,} competencies ({len(fw.edges_frame()):,} "
          f"prerequisites, {len(fw.domains())} domains), {a.learners:,} learners, {n:,} events; "
          f"threads={roster.threads}")
    print()
    print("| step | wall (s) |")
    print("|---|---:|")
    for name, t in steps:
        print(f"| {name} | {t:.2f} |")
    print(f"| **nightly job** (ingest + rate + frontier + summary) | **{job:.2f}** |")
    print()
    print(f"events/s: ingest {n / ingest / 1e6:.2f} M/s, whole job {n / job / 1e6:.2f} M/s; "
          f"peak memory {peak_mb():,.0f} MB (after generating the evidence: {setup_mb:,.0f} MB)")


if __name__ == "__main__":
    main()
