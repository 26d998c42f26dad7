"""The overhead of masterymap.dask: ``mmd.ratings`` and ``mmd.summary`` on a
``distributed.LocalCluster`` with 2 worker processes (1 thread each) against the in-process
``mm.ratings`` and ``Roster.summary`` on the same evidence, side by side in one run (the same
2 cores: the in-process calls use 2 C++ threads). Issue 15's aim: within 1.5x.

What is timed (medians of ``--repeat`` runs, seconds):
- in process: ``EvidenceLog().extend(df, framework=, policy=)`` + ``mm.ratings(..., as_of=)``;
  ``Roster(fw, policy, as_of=).ingest(df)`` + ``.summary()`` (a partition's task does the same
  work: convert, validate, rate);
- Dask: ``mmd.ratings(...).compute()`` and ``mmd.summary(...).compute()`` with the evidence
  already on the workers (``client.persist`` of ``dd.from_pandas(df, npartitions=P)``: as after
  ``dd.read_parquet`` on the workers), so the figures are the graph's own cost: the shuffle by
  learner, the per-partition conversion and rating, the merge, the result's trip to the client.

Then, for one run of each, where the time goes: the task stream (``client.get_task_stream``)
summed by task prefix (compute time on the workers, transfer time between them), against the
wall time.

Evidence: masterymap.testing.simulate on the CCSS map (about 50 events per learner), as
bench_cohort.py, or with ``--map district`` on bench_district.py's 5,000-competency map (the
issue's district job through Dask on a tenth of its learners: ``100000 --map district``). Run:
PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_dask.py [learners ...]
    [--partitions P] [--repeat N] [--map ccss|district]
"""
import argparse
import collections
import pathlib
import statistics
import sys
import time

import numpy as np
import pandas as pd

import masterymap as mm
import masterymap.testing as mmt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ccss  # noqa: E402

DATA = ccss.DATA


def median_of(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def stream_summary(stream, wall):
    """Compute and transfer seconds by task prefix, from the task stream's startstops."""
    compute, transfer, count = collections.Counter(), collections.Counter(), collections.Counter()
    for t in stream:
        key = t["key"]
        name = key[0] if isinstance(key, tuple) else key
        prefix = str(name).rsplit("-", 1)[0] if "-" in str(name) else str(name)
        count[prefix] += 1
        for s in t["startstops"]:
            d = s["stop"] - s["start"]
            if s["action"] == "compute":
                compute[prefix] += d
            elif s["action"] == "transfer":
                transfer[prefix] += d
    lines = [f"    wall {wall:.2f} s on 2 workers (= {2 * wall:.2f} worker-s); compute "
             f"{sum(compute.values()):.2f} s, transfer {sum(transfer.values()):.2f} s"]
    for prefix, c in compute.most_common(8):
        lines.append(f"    {prefix[:60]:60s} {count[prefix]:4d} tasks {c:7.2f} s compute "
                     f"{transfer[prefix]:6.2f} s transfer")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("learners", type=int, nargs="*", default=[20_000, 100_000])
    ap.add_argument("--partitions", type=int, default=None,
                    help="input partitions (default: 2 per worker, at least 1 per 25k learners)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--map", choices=["ccss", "district"], default="ccss",
                    help="ccss: the Common Core map; district: bench_district.py's synthetic "
                         "5,000-competency map and policy (its job on a tenth of the learners)")
    a = ap.parse_args()
    if a.map == "ccss" and not ccss.available():
        print(f"SKIPPED: {DATA} is absent")
        return
    try:
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError as e:
        print(f"SKIPPED: {e}")
        return
    import masterymap.dask as mmd

    if a.map == "ccss":
        fw, policy = ccss.framework(), ccss.policy()
    else:
        fw = mmt.learning_map(5000, seed=15)
        policy = mm.Policy(mm.Scale.four_point(),
                           rule=mm.Rule(method=mm.Method.decaying_average(0.65), min_evidence=2))
    rows = []
    profiles = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        for learners in a.learners:
            ev, _ = mmt.simulate(fw, policy, learners, seed=14, attempts=50)
            ev = ev.drop(columns=["correct"])
            as_of = float(ev["time"].max())
            parts = a.partitions or max(4, -(-learners // 25_000))

            def local_ratings():
                log = mm.EvidenceLog()
                log.extend(ev, framework=fw, policy=policy)
                return mm.ratings(fw, policy, log, as_of=as_of, threads=2)

            def local_summary():
                r = mm.Roster(fw, policy, threads=2, as_of=as_of)
                r.ingest(ev)
                return r.summary()

            t_lr, want_r = median_of(local_ratings, a.repeat)
            t_ls, want_s = median_of(local_summary, a.repeat)
            ddf = client.persist(dd.from_pandas(ev, npartitions=parts))
            from distributed import wait
            wait(ddf)

            def dask_ratings():
                return mmd.ratings(fw, policy, ddf, as_of=as_of).compute()

            def dask_summary():
                return mmd.summary(fw, policy, ddf, as_of=as_of).compute()

            dask_ratings()  # warm: workers import masterymap, unpickle the engine once
            t_dr, got_r = median_of(dask_ratings, a.repeat)
            t_ds, got_s = median_of(dask_summary, a.repeat)
            # The same evidence in partitions that hold whole learners (contiguous blocks of
            # learner codes, rows in their order): partitioned=True, no shuffle.
            block = -(-learners // parts)
            home = ev["learner"].cat.codes.to_numpy() // block
            pieces = [ev[home == k] for k in range(parts)]
            whole = client.persist(dd.from_delayed([dask.delayed(p) for p in pieces],
                                                   meta=ev.iloc[:0], verify_meta=False))
            wait(whole)

            def dask_ratings_whole():
                return mmd.ratings(fw, policy, whole, as_of=as_of, partitioned=True).compute()

            def dask_summary_whole():
                return mmd.summary(fw, policy, whole, as_of=as_of, partitioned=True).compute()

            dask_ratings_whole()
            t_drw, got_rw = median_of(dask_ratings_whole, a.repeat)
            t_dsw, got_sw = median_of(dask_summary_whole, a.repeat)
            pd.testing.assert_frame_equal(got_sw, want_s, check_exact=True)
            # equal to the local frames (ratings: sorted, the learner categories unioned)
            key = ["learner", "competency"]
            g = got_r.assign(learner=got_r["learner"].astype(str)).sort_values(key, kind="stable")
            w = want_r.assign(learner=want_r["learner"].astype(str)).sort_values(key, kind="stable")
            pd.testing.assert_frame_equal(g.reset_index(drop=True), w.reset_index(drop=True),
                                          check_exact=True)
            pd.testing.assert_frame_equal(got_s, want_s, check_exact=True)
            gw = got_rw.assign(learner=got_rw["learner"].astype(str)).sort_values(
                key, kind="stable")
            pd.testing.assert_frame_equal(gw.reset_index(drop=True), w.reset_index(drop=True),
                                          check_exact=True)
            rows.append((learners, len(ev), parts, t_lr, t_dr, t_drw, t_ls, t_ds, t_dsw))
            for name, fn in (("ratings", dask_ratings), ("summary", dask_summary),
                             ("ratings, partitioned=True", dask_ratings_whole),
                             ("summary, partitioned=True", dask_summary_whole)):
                client.get_task_stream(start=time.time())  # (clears nothing: take a window)
                t0 = time.time()
                fn()
                wall = time.time() - t0
                stream = client.get_task_stream(start=t0)
                profiles.append((f"{name}, {learners:,} learners, {parts} partitions",
                                 stream_summary(stream, wall)))
            client.cancel(ddf)
            del ddf
    label = "CCSS map" if a.map == "ccss" else "district map (mm.testing.learning_map)"
    print(f"{label} ({len(fw)} competencies), simulated evidence (~50 events per learner); "
          f"LocalCluster: 2 worker processes x 1 thread; in process: 2 C++ threads; "
          f"medians of {a.repeat}; results checked equal")
    print()
    print("| learners | events | partitions | mm.ratings (s) | mmd.ratings (s) | ratio | "
          "partitioned=True (s) | ratio | ingest + Roster.summary (s) | mmd.summary (s) | "
          "ratio | partitioned=True (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for learners, n, parts, lr, dr, drw, ls, ds, dsw in rows:
        print(f"| {learners:,} | {n:,} | {parts} | {lr:.2f} | {dr:.2f} | {dr / lr:.1f}x | "
              f"{drw:.2f} | {drw / lr:.1f}x | {ls:.2f} | {ds:.2f} | {ds / ls:.1f}x | "
              f"{dsw:.2f} | {dsw / ls:.1f}x |")
    print()
    print("Where the time goes (task stream of one run):")
    for title, text in profiles:
        print(f"  {title}")
        print(text)


if __name__ == "__main__":
    main()
