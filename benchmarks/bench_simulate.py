"""The learner simulator (masterymap.testing.simulate) at benchmark scale: 100,000 learners x
50 events over the CCSS coherence map, on every core and on one, and the C++ part alone (the
frames' construction is the rest).

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_simulate.py [learners]
Medians of 5 runs (s) after one warm-up run.
"""
import os
import pathlib
import statistics
import sys
import time

import masterymap as mm
import masterymap.testing as mmt

CCSS = dict(name="CCSS Math (Coherence Map)", prerequisite_column="from_code",
            dependent_column="to_code", id_column="code", title_column="cluster_name",
            description_column="text", domain_column="domain", level_column="grade",
            level_values={"K": 0, "HS": 9}, metadata_columns=["domain_name", "cluster"])


def median_s(fn, repeat=5):
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main(learners=100_000):
    root = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA",
                                       pathlib.Path(__file__).resolve().parents[2] / "shared/data"))
    d = root / "ccss-math-coherence-map"
    fw = mm.io.read_framework_csv(str(d / "prerequisite_edges.csv"), str(d / "standards.csv"),
                                  **CCSS)
    policy = mmt.policy()
    ev, truth = mmt.simulate(fw, policy, learners, seed=1)
    print(f"CCSS: {len(fw)} competencies, {fw.edge_count} edges; {learners} learners -> "
          f"{len(ev)} events, {len(truth)} truth rows")
    for threads in (0, 1):
        t = median_s(lambda: mmt.simulate(fw, policy, learners, seed=1, threads=threads))
        core = median_s(lambda: mm._core._simulate(
            fw, policy, learners, 1, tuple(mmt.DEFAULT_PARAMS.values()), [], 0.5, [],
            1725148800.0, 86400.0, 50, 3, 15, threads))
        print(f"threads={threads or 'all'}: simulate {t:.3f} s (C++ core {core:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
