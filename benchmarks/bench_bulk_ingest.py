"""Bulk ingest against the engine (issue 15: "Bulk Roster.ingest of a large batch within 2x of
Engine.rate_all per event on the same events"): a new Roster ingesting an EvidenceLog of
simulated evidence (100,000 learners on the Common Core map, ~5 M events) against
Engine.ratings of the same log, alternated call by call in one process; medians and the ratio
of medians, per event. Both use every core.

Evidence: masterymap.testing.simulate (as bench_cohort.py: BKT learners on their frontier, 50
attempts each). Also the DataFrame itself: Roster.ingest(frame) against EvidenceLog.extend(frame, framework=,
policy=) + Engine.ratings (the same conversion and checks).
Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_bulk_ingest.py [learners] [rounds]
"""
import pathlib
import statistics
import sys
import time

import masterymap as mm
import masterymap.testing as mmt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ccss  # noqa: E402


def main(learners=100_000, rounds=7):
    if not ccss.available():
        print(f"SKIPPED: {ccss.DATA} is absent")
        return
    fw, policy = ccss.framework(), ccss.policy()
    ev, _ = mmt.simulate(fw, policy, learners, seed=14, attempts=50, max_attempts=20)
    log = mm.EvidenceLog()
    log.extend(ev)
    n = len(log)
    engine = mm.Engine(fw, policy)

    def ratings():
        engine.ratings(log)

    def ratings_frame():  # the frame checked as the roster checks it, then rated
        fresh = mm.EvidenceLog()
        fresh.extend(ev, framework=fw, policy=policy)
        engine.ratings(fresh)

    def ingest_log():
        mm.Roster(fw, policy).ingest(log)

    def ingest_frame():
        mm.Roster(fw, policy).ingest(ev)

    calls = {"Engine.ratings(log)": ratings, "Roster(fw, policy).ingest(log)": ingest_log,
             "EvidenceLog.extend(frame) + Engine.ratings": ratings_frame,
             "Roster(fw, policy).ingest(frame)": ingest_frame}
    for fn in calls.values():  # first touches of the allocator's pages
        fn()
    times = {name: [] for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    base = {name: statistics.median(times["EvidenceLog.extend(frame) + Engine.ratings" if "frame" in name
                                          else "Engine.ratings(log)"]) for name in calls}
    print(f"{learners:,} learners, {n:,} events; medians of {rounds} alternated rounds")
    print("| call | median (ms) | range (ms) | per event (ns) | ratio to Engine.ratings of the "
          "same input |")
    print("|---|---:|---:|---:|---:|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| `{name}` | {med * 1e3:.0f} | {min(ts) * 1e3:.0f}-{max(ts) * 1e3:.0f} | "
              f"{med / n * 1e9:.0f} | {med / base[name]:.2f}x |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
