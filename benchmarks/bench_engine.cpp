// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Ingest + rate throughput of the mastery engine, called in batches (one call per million
// events, not a million calls).
//
// Targets: ingest + rate >= 20 million evidence events per second per core for
// decaying_average; <= 24 bytes per stored event. Run with --benchmark_repetitions=5: the first
// iterations also pay for first-touch page faults of fresh memory.
#include <benchmark/benchmark.h>

#include <masterymap/engine.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace masterymap;

// A realistic log: events interleaved across learners in time order (not grouped by learner),
// each learner working on a subset of the framework, pre-coded the way a pandas Categorical
// arrives.
struct dataset {
  framework fw;
  std::vector<std::string> learner_names, comp_names;
  std::vector<std::uint32_t> learner, comp;
  std::vector<double> time, score;
};

dataset make(std::size_t learners, std::size_t competencies, std::size_t events) {
  dataset d;
  framework_builder b("bench");
  for (std::size_t c = 0; c < competencies; ++c) {
    d.comp_names.push_back("C" + std::to_string(c));
    b.add_competency(d.comp_names.back(), "", "D" + std::to_string(c % 8));
  }
  d.fw = b.build();
  for (std::size_t l = 0; l < learners; ++l) d.learner_names.push_back("s" + std::to_string(l));
  std::mt19937_64 rng(42);
  d.learner.resize(events);
  d.comp.resize(events);
  d.time.resize(events);
  d.score.resize(events);
  for (std::size_t i = 0; i < events; ++i) {
    const auto l = static_cast<std::uint32_t>(rng() % learners);
    d.learner[i] = l;
    d.comp[i] = static_cast<std::uint32_t>((l * 7 + rng() % 20) % competencies);  // ~20 per learner
    d.time[i] = 1.7e9 + static_cast<double>(i) * 3.0;
    d.score[i] = static_cast<double>(1 + rng() % 4);
  }
  return d;
}

evidence_columns columns(const dataset& d) {
  evidence_columns b;
  b.size = d.learner.size();
  b.learner = {d.learner.data(), {d.learner_names.begin(), d.learner_names.end()}};
  b.competency = {d.comp.data(), {d.comp_names.begin(), d.comp_names.end()}};
  b.time.values = d.time.data();
  b.score.values = d.score.data();
  return b;
}

rule rule_of(const method& m) {
  rule r;
  r.method = m;
  return r;
}

policy decaying() { return policy(scale::four_point(), rule_of(method::decaying_average(0.65))); }

const dataset& data() {
  static const dataset d = make(20000, 1000, 2000000);
  return d;
}

// Ingest (validated against the framework and scale) + rate every learner, with rating on
// `threads` threads (ingest of a large batch uses every core for its independent columns).
// Throughput per core = events per second of process CPU time (all threads counted), so the
// figure does not depend on how many cores helped.
void BM_ingest_and_rate_decaying_average(benchmark::State& state) {
  const dataset& d = data();
  const engine e(d.fw, decaying());
  const ingest_checks checks = e.checks();
  evaluate_options o;
  o.threads = static_cast<unsigned>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    evidence_log log;
    log.append(columns(d), checks);
    auto t = e.ratings(log, o);
    benchmark::DoNotOptimize(t.scores.data());
    bytes = log.event_bytes();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.learner.size()));
  state.counters["bytes_per_event"] =
      static_cast<double>(bytes) / static_cast<double>(d.learner.size());
}
// items_per_second: per second of process CPU time, i.e. per core.
BENCHMARK(BM_ingest_and_rate_decaying_average)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

void BM_ingest(benchmark::State& state) {
  const dataset& d = data();
  const ingest_checks checks = engine(d.fw, decaying()).checks();
  for (auto _ : state) {
    evidence_log log;
    log.append(columns(d), checks);
    benchmark::DoNotOptimize(log.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.learner.size()));
}
BENCHMARK(BM_ingest)->Unit(benchmark::kMillisecond)->UseRealTime();

// Rating alone, for several methods.
void BM_rate(benchmark::State& state) {
  const dataset& d = data();
  const method methods[] = {method::decaying_average(0.65), method::latest(), method::mean(),
                            method::n_mastery(3), method::power_law()};
  const method m = methods[state.range(0)];
  const engine e(d.fw, policy(scale::four_point(), rule_of(m)));
  evidence_log log;
  log.append_unchecked(columns(d));
  evaluate_options o;
  o.threads = 1;
  for (auto _ : state) {
    auto t = e.ratings(log, o);
    benchmark::DoNotOptimize(t.scores.data());
  }
  state.SetLabel(to_string(m));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.learner.size()));
}
BENCHMARK(BM_rate)->DenseRange(0, 4)->Unit(benchmark::kMillisecond)->UseRealTime();

// One new piece of evidence for one learner: incremental update vs. full re-evaluation.
void BM_update_one_learner(benchmark::State& state) {
  const dataset& d = data();
  const engine e(d.fw, decaying());
  evidence_log log;
  log.append_unchecked(columns(d));
  evaluate_options o;
  o.as_of = 3e9;  // fixed, so only the touched competency is recomputed
  learner_state st = e.evaluate(log, "s1", o);
  double t = 2e9;
  for (auto _ : state) {
    log.add_unchecked({"s1", "C7", t, 3});
    t += 1;
    e.update(st, log, o);
  }
}
BENCHMARK(BM_update_one_learner)->Unit(benchmark::kMicrosecond);

void BM_full_evaluate_one_learner(benchmark::State& state) {
  const dataset& d = data();
  const engine e(d.fw, decaying());
  evidence_log log;
  log.append_unchecked(columns(d));
  for (auto _ : state) benchmark::DoNotOptimize(e.evaluate(log, "s1").scores().data());
}
BENCHMARK(BM_full_evaluate_one_learner)->Unit(benchmark::kMicrosecond);

}  // namespace
