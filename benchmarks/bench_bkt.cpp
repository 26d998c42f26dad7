// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Google Benchmark for masterymap::bkt on the ASSISTments 2009 skill-builder split
// (../shared/data; research data, read in place). Falls back to simulated data of the same
// size when the files are absent.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <masterymap/bkt.hpp>
#include <string>

#include "../examples/cpp/ccss.hpp"

namespace bkt = masterymap::bkt;

namespace {

// The decompressed CSV text, or "" when the file is missing.
const std::string& train_text() {
  static const std::string text = [] {
    std::string out;
    const std::string path =
        ccss::shared_data_dir() + "/assistments-2009-skill-builder-dkt/builder_train_long.csv.gz";
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return out;
    char buf[1 << 16];
    for (int got; (got = gzread(f, buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<std::size_t>(got));
    gzclose(f);
    return out;
  }();
  return text;
}

bkt::csv_options csv() {
  bkt::csv_options o;
  o.columns.skill = "skill_id";
  return o;
}

const bkt::dataset& train() {
  static const bkt::dataset d = [] {
    if (!train_text().empty()) return bkt::parse_csv(train_text(), csv());
    // Said out loud: timings on synthetic data are not comparable with the ASSISTments rows.
    std::fprintf(stderr,
                 "note: %s/assistments-2009-skill-builder-dkt is absent; timing synthetic data "
                 "of the same shape instead\n",
                 ccss::shared_data_dir().c_str());
    // Same shape as the split: ~3,400 learners x 120 skills x ~1 answer each.
    std::vector<bkt::skill_params> ps;
    for (int k = 0; k < 120; ++k) {
      bkt::skill_params p;
      p.skill = std::to_string(k);
      p.prior = 0.3 + 0.004 * k;
      p.learn = 0.1;
      p.guess = {0.2};
      p.slip = {0.1};
      ps.push_back(p);
    }
    return bkt::simulate(ps, 3400, 1, 42);
  }();
  return d;
}

const bkt::model& fitted() {
  static const bkt::model m = [] {
    bkt::fit_options o;
    o.forgets = true;
    return bkt::fit(train(), o);
  }();
  return m;
}

void BM_parse_csv(benchmark::State& state) {
  if (train_text().empty()) {
    state.SkipWithError("ASSISTments data not found");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(bkt::parse_csv(train_text(), csv()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * train_text().size()));
  state.counters["rows"] = static_cast<double>(train().size());
}
BENCHMARK(BM_parse_csv)->Unit(benchmark::kMillisecond);

// The acceptance number: CSV parse (of the decompressed text) + fit with default options.
void BM_parse_and_fit(benchmark::State& state) {
  const bool forgets = state.range(0) != 0;
  bkt::fit_options o;
  o.forgets = forgets;
  for (auto _ : state) {
    const bkt::dataset d = train_text().empty() ? train() : bkt::parse_csv(train_text(), csv());
    benchmark::DoNotOptimize(bkt::fit(d, o));
  }
  state.SetLabel(forgets ? "forgets, num_fits=5" : "num_fits=5");
}
BENCHMARK(BM_parse_and_fit)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_fit_strategy(benchmark::State& state) {
  bkt::fit_options o;
  o.forgets = true;
  o.num_fits = static_cast<int>(state.range(0));
  o.restarts = state.range(1) ? bkt::restart_strategy::full : bkt::restart_strategy::screen;
  double auc = 0;
  for (auto _ : state) {
    const bkt::model m = bkt::fit(train(), o);
    state.PauseTiming();
    auc = m.evaluate(train()).auc;
    state.ResumeTiming();
  }
  state.counters["train_auc"] = auc;
  state.SetLabel(bkt::to_string(o.restarts));
}
BENCHMARK(BM_fit_strategy)
    ->Args({1, 0})
    ->Args({5, 0})
    ->Args({5, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// EM cost per observation-iteration: one thread, one restart, a fixed number of iterations.
void BM_em_iteration(benchmark::State& state) {
  bkt::fit_options o;
  o.num_fits = 1;
  o.threads = 1;
  o.tolerance = 0;  // stops only if the likelihood decreases (never, up to rounding)
  o.max_iterations = static_cast<int>(state.range(0));
  o.forgets = true;
  double obs_iterations = 0;
  for (auto _ : state) {
    const bkt::model m = bkt::fit(train(), o);
    obs_iterations = 0;
    for (const auto& p : m.params())
      obs_iterations += static_cast<double>(p.observations) * (p.iterations + 1);
  }
  state.counters["ns_per_obs_iteration"] =
      benchmark::Counter(obs_iterations * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_em_iteration)->Arg(50)->Unit(benchmark::kMillisecond);

void BM_predict(benchmark::State& state) {
  const bkt::model& m = fitted();
  std::vector<double> pc(train().size()), st(train().size());
  for (auto _ : state) {
    m.predict_into(train(), pc.data(), st.data());
    benchmark::DoNotOptimize(pc.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * train().size()));
}
BENCHMARK(BM_predict)->Unit(benchmark::kMillisecond)->UseRealTime();

struct events {
  std::vector<std::uint32_t> learner, skill;
  std::vector<std::uint8_t> correct;
};

events replay(bkt::tracer& t) {
  events e;
  const auto& d = train();
  std::vector<std::uint32_t> lmap(d.learner_count()), smap(d.skill_count());
  for (std::size_t i = 0; i < lmap.size(); ++i) lmap[i] = t.learner_index(d.learner_names()[i]);
  for (std::size_t k = 0; k < smap.size(); ++k) smap[k] = t.skill_index(d.skill_names()[k]);
  for (std::size_t i = 0; i < d.size(); ++i) {
    e.learner.push_back(lmap[d.learners()[i]]);
    e.skill.push_back(smap[d.skills()[i]]);
    e.correct.push_back(d.correct()[i]);
  }
  return e;
}

// One O(1) update per call, replaying the train split in order.
void BM_tracer_update(benchmark::State& state) {
  bkt::tracer t(fitted());
  const events e = replay(t);
  for (auto _ : state) {
    t.reset_all();
    double sum = 0;
    for (std::size_t i = 0; i < e.correct.size(); ++i)
      sum += t.update(e.learner[i], e.skill[i], e.correct[i] != 0);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ns_per_event"] = benchmark::Counter(
      static_cast<double>(e.correct.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_tracer_update)->Unit(benchmark::kMillisecond);

void BM_tracer_update_batch(benchmark::State& state) {
  bkt::tracer t(fitted());
  const events e = replay(t);
  std::vector<double> mastery(e.correct.size());
  for (auto _ : state) {
    t.reset_all();
    t.update_batch(e.learner.data(), e.skill.data(), e.correct.data(), e.correct.size(),
                   mastery.data());
    benchmark::DoNotOptimize(mastery.data());
  }
  state.counters["ns_per_event"] = benchmark::Counter(
      static_cast<double>(e.correct.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_tracer_update_batch)->Unit(benchmark::kMillisecond);

}  // namespace
