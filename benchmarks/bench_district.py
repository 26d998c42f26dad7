"""The district's nightly job at a configurable scale: a synthetic learning map
(``masterymap.testing.learning_map``: N competencies over domains, 13 levels, about 3 required
prerequisites each) and L simulated learners with about 50 events each
(``masterymap.testing.simulate``), then the job: ingest (``Roster.ingest``), rate
(``mm.ratings`` of the roster's log), frontier (``Roster.frontier()``), summary
(``Roster.summary()``). Prints each step's wall time, the events per second of ingest and of the
whole job, and the process's peak memory (``ru_maxrss``).

Issue 15's full size is 5,000 competencies x 1,000,000 learners (50 M events). The roster keeps
per learner its touched cells (16 B each) and a bitset of its inferred-only competencies (C/8 B),
so that size fits this 24 GiB machine. The one step that can outgrow memory is the long-form
ratings frame of ``mm.ratings``: a row per learner and competency that is not ``not_started``,
inferred prerequisites included (a learner who has mastered much has a row for every
competency that mastery rests on; with 50 simulated attempts, a handful a learner). It is run
only while that count, known exactly from ``summary()``, stays under ``--max-ratings-rows``, and
reported as skipped otherwise.

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_district.py
     [--competencies 5000] [--learners 20000] [--events 50]
"""
import argparse
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
    ap.add_argument("--max-ratings-rows", type=float, default=4e8,
                    help="skip mm.ratings when its frame would have more rows than this")
    a = ap.parse_args()
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
    frontier = step("frontier() frame", roster.frontier)
    summary = step("summary()", roster.summary)
    # The long ratings frame has a row per learner and competency not started: from the summary.
    rows = int((summary["learners"] - summary["not_started"]).sum())
    if rows <= a.max_ratings_rows:
        rated = step("rate (mm.ratings of the log)", lambda: mm.ratings(fw, policy, roster.log))
        assert len(rated) == rows, (len(rated), rows)
    else:
        print(f"rate (mm.ratings of the log): skipped, its frame would have {rows:,} rows "
              f"({rows / a.learners:,.1f} a learner; --max-ratings-rows {a.max_ratings_rows:,.0f})")
    job = time.perf_counter() - job0
    ingest = dict(steps)["ingest"]
    print(f"district job: {a.competencies:,} competencies ({len(fw.edges_frame()):,} "
          f"prerequisites, {len(fw.domains())} domains), {a.learners:,} learners, {n:,} events; "
          f"threads={roster.threads}; {len(frontier):,} frontier rows, {rows:,} ratings rows")
    print()
    print("| step | wall (s) |")
    print("|---|---:|")
    for name, t in steps:
        print(f"| {name} | {t:.2f} |")
    print(f"| **nightly job** (ingest + frontier + summary + rate) | **{job:.2f}** |")
    print()
    print(f"events/s: ingest {n / ingest / 1e6:.2f} M/s, whole job {n / job / 1e6:.2f} M/s; "
          f"peak memory {peak_mb():,.0f} MB (after generating the evidence: {setup_mb:,.0f} MB)")


if __name__ == "__main__":
    main()
