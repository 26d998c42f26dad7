"""Objects that travel: pickling a big roster (100,000 learners) against its own snapshot.

Roster pickles as its snapshot (Roster.to_bytes, the bytes Roster.save writes) in a numpy byte
array, so pickle protocol 5 can hand it out of band. This script times, for one roster:
save/load to a file, to_bytes/from_bytes, pickle.dumps/loads with protocols 4 and 5 (in band
and out of band), cloudpickle and copy.deepcopy; and the same for its evidence log alone.

Run: PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_pickle.py [learners]
"""
import copy
import os
import pickle
import statistics
import sys
import tempfile
import time

import cloudpickle
import numpy as np
import pandas as pd

import masterymap as mm


def make_roster(n_learners, n_competencies=100, per_learner=20, seed=1):
    b = mm.FrameworkBuilder("bench")
    b.add_competencies([f"C{i}" for i in range(n_competencies)])
    b.add_prerequisites([f"C{i}" for i in range(1, n_competencies)],
                        [f"C{i - 1}" for i in range(1, n_competencies)])
    fw = b.build()
    policy = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65)))
    rng = np.random.default_rng(seed)
    n = n_learners * per_learner
    learner = rng.integers(0, n_learners, n)
    df = pd.DataFrame({
        "learner": pd.Categorical.from_codes(learner, [f"s{i}" for i in range(n_learners)]),
        "competency": pd.Categorical.from_codes(
            (learner * 7 + rng.integers(0, 30, n)) % n_competencies,
            [f"C{i}" for i in range(n_competencies)]),
        "time": 1.7e9 + 60.0 * np.arange(n),
        "score": rng.integers(1, 5, n).astype(np.float64),
    })
    r = mm.Roster(fw, policy)
    r.ingest(df)
    return r


def timed(fn, repeat):
    runs, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), out


def main(n_learners=100_000, repeat=5):
    t0 = time.perf_counter()
    r = make_roster(n_learners)
    print(f"roster: {len(r)} learners x {len(r.framework)} competencies, {len(r.log)} evidence rows"
          f" (built in {time.perf_counter() - t0:.1f} s); median of {repeat} runs\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "roster.snap")
        t_save, _ = timed(lambda: r.save(path), repeat)
        t_load, back = timed(lambda: mm.Roster.load(path), repeat)
        assert back == r
        rows.append(("Roster.save / Roster.load (file)", t_save, t_load, os.path.getsize(path)))
    t_dump, data = timed(r.to_bytes, repeat)
    t_read, back = timed(lambda: mm.Roster.from_bytes(data), repeat)
    assert back == r
    rows.append(("Roster.to_bytes / from_bytes", t_dump, t_read, len(data)))
    for proto in (4, 5):
        t_dump, data = timed(lambda: pickle.dumps(r, protocol=proto), repeat)
        t_read, back = timed(lambda: pickle.loads(data), repeat)
        assert back == r
        rows.append((f"pickle protocol {proto} (in band)", t_dump, t_read, len(data)))

    def out_of_band():
        buffers = []
        return pickle.dumps(r, protocol=5, buffer_callback=buffers.append), buffers

    t_dump, (data, buffers) = timed(out_of_band, repeat)
    t_read, back = timed(lambda: pickle.loads(data, buffers=buffers), repeat)
    assert back == r
    rows.append(("pickle protocol 5, out of band", t_dump, t_read,
                 len(data) + sum(len(b.raw()) for b in buffers)))
    t_dump, data = timed(lambda: cloudpickle.dumps(r), repeat)
    t_read, back = timed(lambda: cloudpickle.loads(data), repeat)
    assert back == r
    rows.append(("cloudpickle", t_dump, t_read, len(data)))
    t_copy, back = timed(lambda: copy.deepcopy(r), repeat)
    assert back == r
    rows.append(("copy.deepcopy (one step)", t_copy, float("nan"), 0))

    log = r.log
    t_dump, data = timed(lambda: pickle.dumps(log, protocol=5), repeat)
    t_read, back = timed(lambda: pickle.loads(data), repeat)
    assert back == log
    rows.append(("EvidenceLog alone, pickle protocol 5", t_dump, t_read, len(data)))
    t_copy, back = timed(lambda: copy.deepcopy(log), repeat)
    rows.append(("EvidenceLog alone, copy.deepcopy", t_copy, float("nan"), 0))

    print(f"{'':40s} {'write/dump':>11s} {'read/load':>10s} {'size MB':>8s}")
    for name, a, b, size in rows:
        load = f"{b * 1e3:8.0f} ms" if b == b else f"{'':>10s}"
        print(f"{name:40s} {a * 1e3:8.0f} ms {load} {size / 1e6:8.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
