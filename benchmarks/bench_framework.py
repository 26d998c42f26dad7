"""Side-by-side timings of masterymap and networkx on the same graphs, in one process.

Run after building (Release or RelWithDebInfo):
    PYTHONPATH=build/python /usr/bin/python3 benchmarks/bench_framework.py [--quick]

Prints medians and ratios. The machine is noisy: look at ratios, not absolute numbers.
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

import networkx as nx
import numpy as np

import masterymap as mm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from timing import median_time  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The Common Core map: third-party data read in place (MASTERYMAP_SHARED_DATA moves it).
CCSS = pathlib.Path(os.environ.get("MASTERYMAP_SHARED_DATA", ROOT.parent / "shared" / "data")) \
    / "ccss-math-coherence-map"


def random_dag(n, m, seed=1):
    rng = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        x = rng.integers(0, n, size=m)
        y = rng.integers(0, n, size=m)
        for a, b in zip(x.tolist(), y.tolist()):
            if a != b:
                pairs.add((min(a, b), max(a, b)))
            if len(pairs) == m:
                break
    pre = np.array([p[0] for p in pairs])
    dep = np.array([p[1] for p in pairs])
    return pre, dep


def window(n, w):
    pre, dep = [], []
    for i in range(n):
        for d in range(1, w + 1):
            if d <= i:
                pre.append(i - d)
                dep.append(i)
    return np.array(pre), np.array(dep)


def build_both(n, pre, dep):
    ids = [str(i) for i in range(n)]
    b = mm.FrameworkBuilder()
    b.add_competencies(ids)
    b.add_prerequisites([ids[i] for i in dep], [ids[i] for i in pre])
    fw = b.build()
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    g.add_edges_from(zip([ids[i] for i in pre], [ids[i] for i in dep]))
    return fw, g


def row(name, ours, theirs, note=""):
    ratio = theirs / ours if ours > 0 else float("inf")
    print(f"| {name:<44} | {ours * 1e3:>10.3f} | {theirs * 1e3:>11.3f} | {ratio:>8.1f}x | {note}")
    sys.stdout.flush()


def ccss_rows(pd):
    def load_ours():
        return mm.io.read_framework_csv(
            str(CCSS / "prerequisite_edges.csv"), str(CCSS / "standards.csv"),
            prerequisite_column="from_code", dependent_column="to_code", id_column="code",
            title_column="cluster_name", description_column="text", domain_column="domain",
            level_column="grade", level_values={"K": 0, "HS": 9})

    def load_nx():
        st = pd.read_csv(CCSS / "standards.csv")
        ed = pd.read_csv(CCSS / "prerequisite_edges.csv")
        g = nx.DiGraph()
        g.add_nodes_from(st["code"])
        g.add_edges_from(zip(ed["from_code"], ed["to_code"]))
        assert nx.is_directed_acyclic_graph(g)
        return g

    row("CCSS load + validate (480 / 757)", median_time(load_ours, 50), median_time(load_nx, 20),
        "networkx side: pandas read + DAG check")
    fw_c, g_c = load_ours(), load_nx()
    row("CCSS redundant edges (154)", median_time(fw_c.redundant_prerequisites, 50),
        median_time(lambda: nx.transitive_reduction(g_c), 10))
    row("CCSS longest chain (30)", median_time(fw_c.longest_chain, 200),
        median_time(lambda: nx.dag_longest_path(g_c), 50))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the ~25 s networkx reduction")
    args = ap.parse_args()
    print("| operation                                    | masterymap ms | networkx ms | speed-up | note")
    print("|---|---:|---:|---:|---|")

    # 1. Load + validate the CCSS map (networkx: read the edge CSV with pandas and check DAG).
    import pandas as pd

    if (CCSS / "standards.csv").exists():
        ccss_rows(pd)
    else:
        print(f"| CCSS rows: SKIPPED: {CCSS} is absent | | | |")

    # 2. Ancestors on a 100k-node / 400k-edge random DAG.
    n = 100_000
    pre, dep = random_dag(n, 400_000)
    t0 = time.perf_counter()
    fw, g = build_both(n, pre, dep)
    print(f"(built the 100k/400k graph in both libraries in {time.perf_counter() - t0:.1f} s)")
    rng = np.random.default_rng(5)
    queries = [str(q) for q in rng.integers(0, n, size=300)]
    sizes = [len(nx.ancestors(g, q)) for q in queries[:50]]

    def ours_ids():
        for q in queries:
            fw.prerequisites(q, transitive=True)

    def theirs():
        for q in queries:
            nx.ancestors(g, q)

    qidx = fw.index_of(queries)

    def ours_batch():
        for q in qidx.tolist():
            fw.ancestors(int(q))

    t_nx = median_time(theirs, 5) / len(queries)
    row("ancestors, 100k/400k, per query (ids out)", median_time(ours_ids, 5) / len(queries), t_nx,
        f"mean {statistics.mean(sizes):.0f} ancestors")
    row("ancestors, 100k/400k, per query (numpy out)", median_time(ours_batch, 5) / len(queries),
        t_nx)
    row("ancestors of 300 goals at once (union)", median_time(lambda: fw.ancestors(qidx), 5),
        median_time(lambda: set().union(*(nx.ancestors(g, q) for q in queries)), 3))
    row("topological order, 100k/400k", median_time(fw.topological_order, 5),
        median_time(lambda: list(nx.topological_sort(g)), 3))

    # 3. Redundant edges (transitive reduction) on a 10k-node window graph.
    pre, dep = window(10_000, 10)
    fw_w, g_w = build_both(10_000, pre, dep)
    ours = median_time(fw_w.redundant_prerequisites, 5)
    if args.quick:
        print(f"| redundant edges, 10k window (w=10)           | {ours * 1e3:>10.3f} | (skipped) |")
    else:
        row("redundant edges, 10k window (w=10)", ours,
            median_time(lambda: nx.transitive_reduction(g_w), 1), "networkx: 1 run")


if __name__ == "__main__":
    main()
