// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Framework benchmarks: load + validate, build, closure queries, redundant edges.
#include <benchmark/benchmark.h>

#include <masterymap/masterymap.hpp>
#include <random>
#include <string>
#include <unordered_set>

#include "../examples/cpp/ccss.hpp"

namespace mm = masterymap;

namespace {

/// n nodes, each requiring its w predecessors: i-w .. i-1 (a "window" graph, dense in
/// redundant edges).
mm::framework_builder window_builder(int n, int w) {
  mm::framework_builder b;
  for (int i = 0; i < n; ++i) b.add_competency(std::to_string(i));
  for (int i = 0; i < n; ++i)
    for (int d = 1; d <= w && d <= i; ++d)
      b.add_prerequisite(std::to_string(i), std::to_string(i - d));
  return b;
}

/// A random DAG on n nodes with m edges (each edge from a lower to a higher hidden rank; the
/// same generator as benchmarks/bench_framework.py).
mm::framework_builder random_dag_builder(int n, int m, unsigned seed) {
  std::mt19937_64 rng(seed);
  mm::framework_builder b;
  for (int i = 0; i < n; ++i) b.add_competency(std::to_string(i));
  std::uniform_int_distribution<int> pick(0, n - 1);
  std::unordered_set<std::uint64_t> seen;
  while (static_cast<int>(seen.size()) < m) {
    int x = pick(rng), y = pick(rng);
    if (x == y) continue;
    if (x > y) std::swap(x, y);
    if (!seen.insert(std::uint64_t(x) << 32 | std::uint64_t(y)).second) continue;
    b.add_prerequisite(std::to_string(y), std::to_string(x));
  }
  return b;
}

/// The Common Core map is third-party data read in place (../shared/data); without it the CCSS
/// benchmarks report an error "SKIPPED: <path> is absent" and the others run.
bool have_ccss(benchmark::State& state) {
  if (ccss::available()) return true;
  state.SkipWithError(("SKIPPED: " + ccss::default_dir() + " is absent").c_str());
  return false;
}

void BM_load_ccss_csv(benchmark::State& state) {
  if (!have_ccss(state)) return;
  const std::string dir = ccss::default_dir() + "/";
  const std::string edges = mm::io::read_text_file(dir + "prerequisite_edges.csv");
  const std::string comps = mm::io::read_text_file(dir + "standards.csv");
  const auto o = ccss::options();
  for (auto _ : state) benchmark::DoNotOptimize(mm::io::parse_framework_csv(edges, comps, o));
}
BENCHMARK(BM_load_ccss_csv)->Unit(benchmark::kMillisecond);

void BM_load_ccss_files(benchmark::State& state) {
  if (!have_ccss(state)) return;
  const std::string dir = ccss::default_dir() + "/";
  const auto o = ccss::options();
  for (auto _ : state)
    benchmark::DoNotOptimize(
        mm::io::read_framework_csv(dir + "prerequisite_edges.csv", dir + "standards.csv", o));
}
BENCHMARK(BM_load_ccss_files)->Unit(benchmark::kMillisecond);

void BM_load_ccss_json(benchmark::State& state) {
  if (!have_ccss(state)) return;
  const std::string dir = ccss::default_dir() + "/";
  const std::string json = mm::io::read_framework_csv(dir + "prerequisite_edges.csv",
                                                      dir + "standards.csv", ccss::options())
                               .to_json(-1);
  for (auto _ : state) benchmark::DoNotOptimize(mm::framework::from_json(json));
}
BENCHMARK(BM_load_ccss_json)->Unit(benchmark::kMillisecond);

void BM_build_random_dag(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto b = random_dag_builder(n, 4 * n, 1);
  for (auto _ : state) benchmark::DoNotOptimize(b.build());
  state.SetComplexityN(n);
}
BENCHMARK(BM_build_random_dag)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void BM_build_chain(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto b = window_builder(n, 1);
  for (auto _ : state) benchmark::DoNotOptimize(b.build());
  state.SetComplexityN(n);
}
BENCHMARK(BM_build_chain)
    ->RangeMultiplier(10)
    ->Range(10000, 1000000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void BM_ancestors_100k(benchmark::State& state) {
  const auto f = random_dag_builder(100000, 400000, 1).build();
  std::mt19937 rng(3);
  std::uniform_int_distribution<mm::index_t> pick(0, 99999);
  std::size_t total = 0;
  for (auto _ : state) {
    auto r = f.prerequisites(pick(rng), true);
    total += r.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["avg_ancestors"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ancestors_100k)->Unit(benchmark::kMicrosecond);

void BM_redundant_window_10k(benchmark::State& state) {
  const auto f = window_builder(10000, static_cast<int>(state.range(0))).build();
  for (auto _ : state) benchmark::DoNotOptimize(f.redundant_prerequisites());
}
BENCHMARK(BM_redundant_window_10k)->Arg(5)->Arg(10)->Unit(benchmark::kMillisecond);

void BM_redundant_random_100k(benchmark::State& state) {
  const auto f = random_dag_builder(100000, 400000, 1).build();
  for (auto _ : state) benchmark::DoNotOptimize(f.redundant_prerequisites());
}
BENCHMARK(BM_redundant_random_100k)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_redundant_ccss(benchmark::State& state) {
  if (!have_ccss(state)) return;
  const auto f = ccss::load();
  for (auto _ : state) benchmark::DoNotOptimize(f.redundant_prerequisites());
}
BENCHMARK(BM_redundant_ccss)->Unit(benchmark::kMicrosecond);

}  // namespace
