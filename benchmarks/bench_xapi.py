"""xAPI statements -> evidence: masterymap against a straightforward Python baseline, side by
side in one process.

Run after building (RelWithDebInfo or Release):
    PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_xapi.py [--quick] [--count N]

The statements are generated with a fixed seed (make_xapi_statements.py: 1,000,000 JSON lines,
about 700 MB). masterymap: ``mm.io.read_xapi(path, alignment=..., scale=...)``, which validates
every statement by the specification's rules and returns the evidence DataFrame. Baseline:
``json.loads`` per line and a dict walk applying the same mapping (learner from the IFI,
competency from the alignment, scaled score through the scale, timestamp -> UTC, verb -> kind,
session verbs skipped) into the same DataFrame, with *no* validation beyond what the walk
needs, so the ratio is a lower bound. The frames are compared before timing. masterymap runs
twice: on one thread (``threads=1``) and on every core (the default: JSON lines of 8 MB or
more are read in parts); the runs are interleaved. Prints medians, MB/s and the ratios (CPU
time for one thread, the steadier measure on a shared machine; wall-clock for every core).
"""
import argparse
import datetime as dt
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import masterymap as mm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_xapi_statements import activity_id, write  # noqa: E402

ALIGNMENT = {activity_id(k): f"C{k % 250:03d}" for k in range(500)}


def baseline(path, alignment, scale):
    """json.loads + dict walk producing read_xapi's evidence DataFrame."""
    kinds = mm.io.xapi_verb_kinds()
    learner, competency, times, score, kind, source, statement, verb, activity, stamp = (
        [] for _ in range(10))
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            s = json.loads(line)
            k = kinds.get(s["verb"]["id"], "formative")
            act = s["object"]["id"]
            if k is None or act not in alignment:
                continue
            r = s.get("result")
            if not r or "score" not in r:
                continue
            a = s["actor"]
            if "mbox" in a:
                learner.append("mbox:" + a["mbox"])
            else:
                learner.append(f"account:{a['account']['homePage']}|{a['account']['name']}")
            competency.append(alignment[act])
            ts = s["timestamp"]
            times.append(dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp())
            score.append(scale.from_fraction(r["score"]["scaled"]))
            kind.append(k)
            source.append(s["id"])
            statement.append(i)
            verb.append(s["verb"]["id"])
            activity.append(act)
            stamp.append(ts)
    sec = np.array(times)
    return pd.DataFrame({
        "learner": pd.Categorical(learner), "competency": pd.Categorical(competency),
        "time": pd.to_datetime(np.round(sec * 1e6).astype("int64"), unit="us", utc=True),
        "score": np.array(score), "kind": pd.Categorical(kind),
        "weight": np.ones(len(sec)), "source": np.array(source, dtype=object),
        "statement": np.array(statement, dtype=np.int64), "verb": pd.Categorical(verb),
        "activity": pd.Categorical(activity), "timestamp": np.array(stamp, dtype=object),
        "voided": np.zeros(len(sec), dtype=bool)})  # the generated file voids nothing


def ours(path, alignment, scale, threads=None):
    return mm.io.read_xapi(path, alignment=alignment, scale=scale, threads=threads)


def same(a, b):
    if len(a) != len(b) or list(a.columns) != list(b.columns):
        return False
    for c in a.columns:
        x, y = a[c], b[c]
        if isinstance(x.dtype, pd.CategoricalDtype):
            x, y = x.astype(str), y.astype(str)
        if c == "time":
            if not (x.values.astype("datetime64[us]") == y.values.astype("datetime64[us]")).all():
                return False
        elif not (np.asarray(x) == np.asarray(y)).all():
            return False
    return True


def median_time(fn, repeat):
    """Median wall-clock and CPU seconds (the CPU time of this process: on a shared, loaded
    machine it is the steadier measure; the work is single-threaded either way)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 statements, 3 runs")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    count = args.count or (20_000 if args.quick else 1_000_000)
    repeat = args.repeat or 3
    scale = mm.Scale.four_point()
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "statements.jsonl"
        write(str(path), count)
        mb = path.stat().st_size / 1e6
        a, b = ours(path, ALIGNMENT, scale, 1), baseline(path, ALIGNMENT, scale)
        if not same(a, b) or not same(ours(path, ALIGNMENT, scale), b):
            print("the frames differ", file=sys.stderr)
            return 1
        # interleaved, so that a change in the machine's load hits all three alike
        runs = {"one": ([], []), "all": ([], []), "base": ([], [])}
        for _ in range(repeat):
            for key, fn in (("one", lambda: ours(path, ALIGNMENT, scale, 1)),
                            ("all", lambda: ours(path, ALIGNMENT, scale)),
                            ("base", lambda: baseline(path, ALIGNMENT, scale))):
                w, c = median_time(fn, 1)
                runs[key][0].append(w)
                runs[key][1].append(c)
    t = {k: (statistics.median(w), statistics.median(c)) for k, (w, c) in runs.items()}
    print(f"{count:,} statements, {mb:.1f} MB, {len(a):,} evidence rows; median of {repeat}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print("| | wall (s) | CPU (s) | MB/s (wall) | MB/s (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (w, c) in (("mm.io.read_xapi, 1 thread (validate + map)", t["one"]),
                         ("mm.io.read_xapi, every core", t["all"]),
                         ("json.loads + dict walk (no validation)", t["base"])):
        print(f"| {name} | {w:.2f} | {c:.2f} | {mb / w:.0f} | {mb / c:.0f} |")
    print(f"ratio, 1 thread: {t['base'][1] / t['one'][1]:.1f}x CPU time, "
          f"{t['base'][0] / t['one'][0]:.1f}x wall; every core: "
          f"{t['base'][0] / t['all'][0]:.1f}x wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
