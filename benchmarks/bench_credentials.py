"""Open Badges 3.0 credentials per second: ``mm.io.achievement_credentials`` over every learner
of a simulated roster (the CCSS map when ../shared/data has it, else the bundled fractions map),
medians of repeated runs; prints microseconds per credential (as Python dicts) and per learner.

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_credentials.py [learners]
"""
import pathlib
import statistics
import sys
import time

import masterymap as mm
import masterymap.testing as mmt

ROOT = pathlib.Path(__file__).resolve().parents[1]
ISSUER = "https://school.example/issuer"


def main(learners=200, repeat=5):
    data = ROOT / "examples" / "data" / "fractions"
    fw = mm.io.read_case(data / "framework.case.json")
    policy = mm.Policy.read(data / "policy.json")
    ev, _ = mmt.simulate(fw, policy, learners, seed=5, attempts=80)
    roster = mm.Roster(fw, policy)
    roster.ingest(ev)
    ids = list(roster.learners)
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(len(mm.io.achievement_credentials(roster, who, issuer=ISSUER)) for who in ids)
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    print(f"{len(ids)} learners x {len(fw)} competencies: {n} credentials in {t * 1e3:.1f} ms "
          f"(median of {repeat}): {t / max(n, 1) * 1e6:.0f} us per credential, "
          f"{t / len(ids) * 1e6:.0f} us per learner")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
