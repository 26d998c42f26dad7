"""CASE import and export: masterymap against a straightforward Python baseline, side by side in
one process.

Run after building (Release or RelWithDebInfo):
    PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_case.py [--quick]

The package is generated with a fixed seed (make_case_package.py: 10,000 items and 30,000
associations, about 21 MB). Import + validate: ``mm.io.read_case`` (simdjson, every node's JSON
kept, the framework built and validated) against ``json.load`` + a dict walk building the same
framework through masterymap's public Python API (case_baseline.build_with_python, which keeps
nothing else, so the ratio is a lower bound). Export: ``mm.io.write_case`` of the imported
framework (lossless) and of a framework built in code (generated nodes) against a dict build +
``json.dumps`` (case_baseline.export_with_python). Prints medians, MB/s and ratios; the machine
is noisy: read the ratios.
"""
import argparse
import pathlib
import statistics
import sys
import tempfile
import time

import masterymap as mm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from case_baseline import build_with_python, export_with_python  # noqa: E402
from make_case_package import write_package  # noqa: E402


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 1,000-item package, 3 runs")
    args = parser.parse_args()
    items, assocs, repeat = (1_000, 3_000, 3) if args.quick else (10_000, 30_000, 7)
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "case.json"
        write_package(str(path), items, assocs, seed=12)
        size = path.stat().st_size
        mb = size / 1e6
        ours = mm.io.read_case(path)
        theirs = build_with_python(path)
        assert list(ours) == list(theirs), "the baseline builds a different framework"
        # (the baseline adds children in package order, ours in sequenceNumber order)
        assert ours.edges() == theirs.edges()
        assert sorted(ours.hierarchy()) == sorted(theirs.hierarchy())
        t_ours = median_time(lambda: mm.io.read_case(path), repeat)
        t_base = median_time(lambda: build_with_python(path), repeat)
        out_len = len(mm.io.write_case(ours).encode())
        t_exp = median_time(lambda: mm.io.write_case(ours), repeat)
        t_strict = median_time(lambda: mm.io.write_case(ours, strict=True), repeat)
        t_gen = median_time(lambda: mm.io.write_case(theirs), repeat)
        t_exp_base = median_time(lambda: export_with_python(theirs), repeat)
    print(f"package: {items} items, {assocs} associations, {mb:.1f} MB; medians of {repeat}")
    print(f"| task | masterymap | Python baseline | ratio |")
    print(f"| --- | --- | --- | --- |")
    print(f"| import + validate | {t_ours * 1e3:.1f} ms ({mb / t_ours:.0f} MB/s) | "
          f"{t_base * 1e3:.1f} ms ({mb / t_base:.0f} MB/s) | {t_base / t_ours:.1f}x |")
    print(f"| export, lossless (framework from CASE) | {t_exp * 1e3:.1f} ms "
          f"({out_len / 1e6 / t_exp:.0f} MB/s) | {t_exp_base * 1e3:.1f} ms | "
          f"{t_exp_base / t_exp:.1f}x |")
    print(f"| export, strict 1.1 | {t_strict * 1e3:.1f} ms | {t_exp_base * 1e3:.1f} ms | "
          f"{t_exp_base / t_strict:.1f}x |")
    print(f"| export, generated (framework built in code) | {t_gen * 1e3:.1f} ms | "
          f"{t_exp_base * 1e3:.1f} ms | {t_exp_base / t_gen:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
