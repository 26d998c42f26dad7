"""CASE import and export: masterymap against a straightforward Python baseline, side by side in
one process.

Run after building (Release or RelWithDebInfo):
    PYTHONPATH=build/dev/python /usr/bin/python3 benchmarks/bench_case.py [--quick]

The package is generated with a fixed seed (make_case_package.py: 10,000 items and 30,000
associations, about 21 MB). Import + validate: ``mm.io.read_case`` (simdjson, every node's JSON
kept, the framework built and validated) against ``json.load`` + a dict walk building the same
framework through masterymap's public Python API (case_baseline.build_same_with_python: equal to
ours, checked), and against a minimal walk that keeps only ids, texts, hierarchy and
prerequisites (case_baseline.build_with_python: a lower bound of any Python import). Export:
``mm.io.write_case`` of the imported framework (lossless) against json.loads of each kept node +
one json.dumps (case_baseline.export_kept_with_python, the same text), and of a framework built
in code (generated nodes) against a dict build + ``json.dumps``
(case_baseline.export_with_python). Prints medians, MB/s and ratios; the machine is noisy: read
the ratios.
"""
import argparse
import pathlib
import sys
import tempfile

import masterymap as mm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from case_baseline import (build_same_with_python, build_with_python,  # noqa: E402
                           export_kept_with_python, export_with_python)
from make_case_package import write_package  # noqa: E402
from timing import median_time  # noqa: E402


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
        assert build_same_with_python(path) == ours, "the baseline builds a different framework"
        theirs = build_with_python(path)
        assert list(ours) == list(theirs), "the baseline builds a different framework"
        # (the baseline adds children in package order, ours in sequenceNumber order)
        assert ours.edges() == theirs.edges()
        assert sorted(ours.hierarchy()) == sorted(theirs.hierarchy())
        t_ours = median_time(lambda: mm.io.read_case(path), repeat)
        t_same = median_time(lambda: build_same_with_python(path), repeat)
        t_base = median_time(lambda: build_with_python(path), repeat)
        out_len = len(mm.io.write_case(ours).encode())
        assert mm.io.write_case(ours) == export_kept_with_python(ours)
        t_exp = median_time(lambda: mm.io.write_case(ours), repeat)
        t_kept_base = median_time(lambda: export_kept_with_python(ours), repeat)
        t_strict = median_time(lambda: mm.io.write_case(ours, strict=True), repeat)
        t_gen = median_time(lambda: mm.io.write_case(theirs), repeat)
        t_exp_base = median_time(lambda: export_with_python(theirs), repeat)
    print(f"package: {items} items, {assocs} associations, {mb:.1f} MB; medians of {repeat}")
    print(f"| task | masterymap | Python baseline | ratio |")
    print(f"| --- | --- | --- | --- |")
    print(f"| import + validate (baseline builds the same framework) | {t_ours * 1e3:.1f} ms "
          f"({mb / t_ours:.0f} MB/s) | {t_same * 1e3:.1f} ms ({mb / t_same:.0f} MB/s) | "
          f"{t_same / t_ours:.1f}x |")
    print(f"| import + validate (minimal baseline: ids, texts, links only) | "
          f"{t_ours * 1e3:.1f} ms | {t_base * 1e3:.1f} ms ({mb / t_base:.0f} MB/s) | "
          f"{t_base / t_ours:.1f}x |")
    print(f"| export, lossless (framework from CASE) | {t_exp * 1e3:.1f} ms "
          f"({out_len / 1e6 / t_exp:.0f} MB/s) | {t_kept_base * 1e3:.1f} ms | "
          f"{t_kept_base / t_exp:.1f}x |")
    print(f"| export, strict 1.1 (framework from CASE) | {t_strict * 1e3:.1f} ms | "
          f"{t_kept_base * 1e3:.1f} ms | {t_kept_base / t_strict:.1f}x |")
    print(f"| export, generated (framework built in code) | {t_gen * 1e3:.1f} ms | "
          f"{t_exp_base * 1e3:.1f} ms | {t_exp_base / t_gen:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
