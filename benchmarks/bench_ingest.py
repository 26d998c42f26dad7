"""Ingest paths from Python by id type: how long the conversion of a 1 M-row batch takes when the
ids are categoricals, small integers, integral floats, strings or mixed objects, for
``EvidenceLog.extend``, ``Roster.ingest`` and ``bkt.dataset``; and one ``Roster.add``.

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_ingest.py [rows]
Medians of 5 runs (ms); the first run of each is dropped (fresh pages).
"""
import statistics
import sys
import time

import numpy as np
import pandas as pd

import masterymap as mm


def median_ms(fn, repeat=5):
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs) * 1e3


def main(n=1_000_000, learners=10_000, competencies=500):
    rng = np.random.default_rng(7)
    b = mm.FrameworkBuilder("bench")
    for i in range(competencies):
        b.add_competency(f"C{i}")
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65)))
    lc = rng.integers(0, learners, n)
    cc = rng.integers(0, competencies, n)
    comp_names = np.array([f"C{i}" for i in range(competencies)], dtype=object)
    base = {"competency": pd.Categorical.from_codes(cc, list(comp_names)),
            "time": 1.7e9 + 3.0 * np.arange(n), "score": rng.integers(1, 5, n).astype(np.float64)}
    learner_columns = {
        "categorical": pd.Categorical.from_codes(lc, [f"s{i}" for i in range(learners)]),
        "int64": lc.astype(np.int64),
        "float64": lc.astype(np.float64),
        "str (object)": np.array([f"s{i}" for i in range(learners)], dtype=object)[lc],
        "int (object)": lc.astype(object),
    }
    print(f"{n:,} rows, {learners:,} learners, {competencies} competencies; medians of 5 runs (ms)")
    print(f"{'learner ids':>14} | {'extend':>8} | {'roster.ingest':>13} | {'bkt.dataset':>11}")
    for name, col in learner_columns.items():
        df = pd.DataFrame({"learner": col, **base})
        ext = median_ms(lambda: mm.EvidenceLog().extend(df, framework=fw, policy=policy))
        ing = median_ms(lambda: mm.Roster(fw, policy, threads=1).ingest(df), repeat=3)
        bk = pd.DataFrame({"user_id": col, "skill_name": cc, "correct": (lc + cc) % 2})
        ds = median_ms(lambda: mm.bkt.dataset(bk))
        print(f"{name:>14} | {ext:8.1f} | {ing:13.1f} | {ds:11.1f}")
    r = mm.Roster(fw, policy, threads=1)
    r.ingest(pd.DataFrame({"learner": learner_columns["str (object)"][:1000], **{k: v[:1000] for k, v in base.items()}}))
    t = [1.8e9]

    def one(learner):
        t[0] += 1.0
        r.add(learner, "C1", 3.0, t[0])

    for label, learner in (("str", "s1"), ("int", 1), ("np.int64", np.int64(1))):
        k = 20000
        us = median_ms(lambda: [one(learner) for _ in range(k)]) * 1e3 / k
        print(f"Roster.add, learner {label:>8}: {us:.2f} us per event")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
