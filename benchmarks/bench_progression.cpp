// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Progression and roster benchmarks on the CCSS map: frontier recompute for 100k learners,
// incremental updates, ingest, snapshot/restore.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <masterymap/masterymap.hpp>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../examples/cpp/ccss.hpp"

namespace mm = masterymap;

namespace {

/// Every benchmark here runs on the Common Core map (third-party data read in place from
/// ../shared/data); without it the program says so and stops.
mm::framework ccss() {
  if (!::ccss::available()) {
    std::printf("SKIPPED: %s is absent\n", ::ccss::default_dir().c_str());
    std::exit(0);
  }
  return ::ccss::load();
}

/// `per_learner` events for each of `learners` learners: mostly mastery of low grades.
mm::evidence_log synthetic(const mm::framework& fw, std::size_t learners, int per_learner,
                           std::uint32_t seed, double t0 = 1.7e9) {
  std::mt19937 rng(seed);
  std::vector<std::uint32_t> lc, cc;
  std::vector<double> t, s;
  std::uniform_int_distribution<int> C(0, static_cast<int>(fw.size()) - 1), S(1, 4);
  for (std::size_t l = 0; l < learners; ++l)
    for (int k = 0; k < per_learner; ++k) {
      lc.push_back(static_cast<std::uint32_t>(l));
      cc.push_back(static_cast<std::uint32_t>(C(rng)));
      t.push_back(t0 + static_cast<double>(k) * 3600);
      s.push_back(S(rng) >= 2 ? 3.0 : 2.0);
    }
  std::vector<std::string> names;
  for (std::size_t l = 0; l < learners; ++l) names.push_back("s" + std::to_string(l));
  mm::evidence_columns b;
  b.size = lc.size();
  b.learner.codes = lc.data();
  b.learner.names = {names.begin(), names.end()};
  b.competency.codes = cc.data();
  for (const auto& c : fw.competencies()) b.competency.names.emplace_back(c.id);
  b.time.values = t.data();
  b.score.values = s.data();
  mm::evidence_log log;
  log.append_unchecked(b);
  return log;
}

/// 100k learners with 40 events each on the CCSS map, under the default policy with
/// `infer_prerequisites` set to `mode` (the default is `required`).
struct big {
  mm::framework fw = ccss();
  std::unique_ptr<mm::roster> r;
  explicit big(mm::infer_prerequisites mode) {
    mm::roster_options o;
    o.threads = 2;
    mm::policy p(mm::scale::four_point());
    p.set_infer_prerequisites(mode);
    r = std::make_unique<mm::roster>(fw, p, o);
    r->ingest(synthetic(fw, 100000, 40, 1));
  }
};

big& roster100k(mm::infer_prerequisites mode = mm::infer_prerequisites::required) {
  static std::unique_ptr<big> b[3];
  auto& slot = b[static_cast<int>(mode)];
  if (!slot) slot = std::make_unique<big>(mode);
  return *slot;
}

// Arg: the policy's infer_prerequisites (0 none: the library before inferred mastery, 1
// required: the default, 2 gating). Inference changes the attainment codes the frontier reads,
// not the frontier's work.
void BM_frontier_recompute_100k_learners(benchmark::State& state) {
  auto& b = roster100k(static_cast<mm::infer_prerequisites>(state.range(0)));
  std::vector<std::uint8_t> out(b.r->size() * b.r->competencies());
  for (auto _ : state) {
    b.r->frontier_matrix(out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["learners"] = static_cast<double>(b.r->size());
  state.counters["competencies"] = static_cast<double>(b.r->competencies());
}
BENCHMARK(BM_frontier_recompute_100k_learners)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_frontier_one_learner(benchmark::State& state) {
  auto& b = roster100k();
  std::vector<std::uint8_t> out(b.r->competencies());
  const std::vector<std::uint8_t> codes = b.r->attainments();  // the dense table, built once
  std::size_t l = 0;
  for (auto _ : state) {
    b.r->progression().frontier_flags(codes.data() + (l % b.r->size()) * b.r->competencies(),
                                      out.data());
    benchmark::DoNotOptimize(out.data());
    ++l;
  }
}
BENCHMARK(BM_frontier_one_learner);

// Roster-wide gaps and blockers (roster::gaps / roster::blockers) of the 100k learners, on the
// roster's 2 threads, under the default infer_prerequisites. Counters: rows (gaps or blockers
// over all learners) and learners with at least one.
void BM_roster_gaps_100k_learners(benchmark::State& state) {
  auto& b = roster100k();
  std::size_t rows = 0, with = 0;
  for (auto _ : state) {
    const auto g = b.r->gaps();
    rows = with = 0;
    for (const auto& x : g) rows += x.size(), with += !x.empty();
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["learners_with"] = static_cast<double>(with);
}
BENCHMARK(BM_roster_gaps_100k_learners)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_roster_blockers_100k_learners(benchmark::State& state) {
  auto& b = roster100k();
  std::size_t rows = 0, with = 0;
  for (auto _ : state) {
    const auto g = b.r->blockers();
    rows = with = 0;
    for (const auto& x : g) rows += x.size(), with += !x.empty();
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["learners_with"] = static_cast<double>(with);
}
BENCHMARK(BM_roster_blockers_100k_learners)->Unit(benchmark::kMillisecond)->UseRealTime();

// The incremental path: one evidence event changes one competency's status; the learner's
// frontier is brought up to date in O(out-degree).
void BM_incremental_update_one_event(benchmark::State& state) {
  auto& b = roster100k();
  const auto& prog = b.r->progression();
  const mm::learner_row row0 = b.r->row(0);
  mm::frontier_tracker tr(prog, row0);
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> C(0, static_cast<int>(prog.size()) - 1), K(0, 2);
  std::vector<std::pair<mm::index_t, mm::status>> ev(4096);
  const mm::status st[] = {mm::status::mastered, mm::status::in_progress, mm::status::not_started};
  for (auto& e : ev) e = {static_cast<mm::index_t>(C(rng)), st[K(rng)]};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& e = ev[i++ & 4095];
    tr.set(e.first, e.second, 3.0);
    benchmark::DoNotOptimize(tr.frontier_size());
  }
}
BENCHMARK(BM_incremental_update_one_event);

// Roster ingest of a batch of new events spread over many existing learners (per event).
void BM_roster_ingest_batch(benchmark::State& state) {
  const auto fw = ccss();
  const auto batch = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    mm::roster_options o;
    o.threads = 2;
    mm::roster r(fw, mm::policy(mm::scale::four_point()), o);
    r.ingest(synthetic(fw, 10000, 10, 2));
    mm::evidence_log more = synthetic(fw, 10000, static_cast<int>(batch / 10000), 3, 1.8e9);
    state.ResumeTiming();
    r.ingest(more);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(batch));
}
BENCHMARK(BM_roster_ingest_batch)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One event for one learner through `ingest(std::vector<evidence>)` (a temporary log per call;
// the cell is then updated on the O(1) path).
void BM_roster_ingest_one_event(benchmark::State& state) {
  auto& b = roster100k();
  double t = 1.9e9;
  std::size_t l = 0;
  for (auto _ : state) {
    std::vector<mm::evidence> one{{"s" + std::to_string(l++ % 100000), "3.NF.A.1", t, 3.0}};
    t += 1;
    b.r->ingest(one);
  }
}
BENCHMARK(BM_roster_ingest_one_event)->Unit(benchmark::kMicrosecond);

// Single events through `roster::add` to random learners and competencies of the 100k roster,
// newest first per pair (`t` continues across runs); the first event of a pair builds its
// accumulator from the learner's rows. `key(learner, competency)` gives what `add` is called
// with: names or indices.
template <typename Key>
void add_events(benchmark::State& state, unsigned seed, double& t, Key key) {
  auto& b = roster100k();
  const auto& fw = b.r->framework();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> L(0, 99999), C(0, static_cast<int>(fw.size()) - 1), S(1, 4);
  using keys = decltype(key(fw, std::size_t{0}, mm::index_t{0}));
  struct one {
    keys k;
    double score;
  };
  std::vector<one> ev(1 << 16);
  for (auto& e : ev) {
    const auto l = static_cast<std::size_t>(L(rng));
    const auto c = static_cast<mm::index_t>(C(rng));
    e = {key(fw, l, c), S(rng) >= 2 ? 3.0 : 2.0};
  }
  std::size_t i = 0, fast = 0;
  for (auto _ : state) {
    const one& e = ev[i++ & 0xFFFF];
    fast += b.r->add(e.k.first, e.k.second, t, e.score).fast_rows;
    t += 1;
  }
  state.counters["fast_share"] =
      static_cast<double>(fast) / static_cast<double>(std::max<std::size_t>(i, 1));
}

// The incremental update at roster level through the single-event API: the event is appended to
// the log and, on the O(1) path, the learner's status/score/rating/code cell on that competency is
// updated from a running accumulator (the frontier reads the codes).
void BM_roster_add_one_event(benchmark::State& state) {
  static double t = 2.0e9;  // across runs: every event is the newest of its pair
  add_events(state, 7, t, [](const mm::framework& fw, std::size_t l, mm::index_t c) {
    return std::pair<std::string, std::string_view>{"s" + std::to_string(l), fw.id_of(c)};
  });
}
BENCHMARK(BM_roster_add_one_event)->Unit(benchmark::kNanosecond);

// The same by learner index and framework index (no name lookups): the O(1) cell update.
void BM_roster_add_one_event_by_index(benchmark::State& state) {
  static double t = 2.05e9;
  add_events(state, 9, t, [](const mm::framework&, std::size_t l, mm::index_t c) {
    return std::pair{l, c};
  });
}
BENCHMARK(BM_roster_add_one_event_by_index)->Unit(benchmark::kNanosecond);

// One event on the O(1) path that leaves the cell's class for inference as it was (earned stays
// earned: a mastered cell gets another mastery score under the `latest` method): no inference
// walk. Counter `still_mastered`: the share of the event cells mastered afterwards (1: no event
// changed a mastery).
void BM_roster_add_keeps_mastery(benchmark::State& state) {
  auto& b = roster100k();
  const std::size_t n = b.r->competencies();
  std::mt19937 rng(11);
  const std::vector<mm::status> table = b.r->statuses();  // the dense table, built once
  std::uniform_int_distribution<std::size_t> cell(0, table.size() - 1);
  std::vector<std::pair<std::size_t, mm::index_t>> ev;
  while (ev.size() < (1u << 16))
    if (const std::size_t x = cell(rng); table[x] == mm::status::mastered)
      ev.emplace_back(x / n, static_cast<mm::index_t>(x % n));
  static double t = 2.2e9;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& e = ev[i++ & 0xFFFF];
    b.r->add(e.first, e.second, t, 3.0);
    t += 1;
  }
  std::size_t kept = 0;
  const std::vector<mm::status> after = b.r->statuses();
  for (const auto& e : ev) kept += after[e.first * n + e.second] == mm::status::mastered;
  state.counters["still_mastered"] = static_cast<double>(kept) / static_cast<double>(ev.size());
}
BENCHMARK(BM_roster_add_keeps_mastery)->Unit(benchmark::kNanosecond);

// The status of a stored cell (the default when none: also for a competency only inferred, which
// is a bit, not a cell): a binary search over the learner's cells.
mm::status status_of(const mm::roster& r, std::size_t l, mm::index_t c) {
  const mm::roster_cells v = r.cells(l);
  const auto* it =
      std::lower_bound(v.begin(), v.end(), c,
                       [](const mm::roster_cell& x, mm::index_t k) { return x.competency < k; });
  return it != v.end() && it->competency == c ? it->status : mm::status::not_started;
}

// One event that changes a mastery: each event on a mastered cell scores 2 (in progress, so
// contrary evidence), the next on the same cell 3 (mastered again); every event walks the
// learner's inference (`infer_prerequisites` = Arg, as in the frontier benchmark; with 0 the
// walk is skipped, which gives its cost by difference).
void BM_roster_add_changes_mastery(benchmark::State& state) {
  auto& b = roster100k(static_cast<mm::infer_prerequisites>(state.range(0)));
  const std::size_t n = b.r->competencies();
  std::mt19937 rng(13);
  const std::vector<mm::status> table = b.r->statuses();  // the dense table, built once
  std::uniform_int_distribution<std::size_t> cell(0, table.size() - 1);
  std::vector<std::pair<std::size_t, mm::index_t>> ev;
  while (ev.size() < (1u << 15))
    if (const std::size_t x = cell(rng); table[x] == mm::status::mastered)
      ev.emplace_back(x / n, static_cast<mm::index_t>(x % n));
  static double t = 2.3e9;
  std::size_t i = 0, flipped = 0;
  for (auto _ : state) {
    const std::size_t k = i++;
    const auto& e = ev[(k >> 1) & 0x7FFF];
    const double score = (k & 1) ? 3.0 : 2.0;
    b.r->add(e.first, e.second, t, score);
    t += 1;
    flipped += status_of(*b.r, e.first, e.second) ==
               ((k & 1) ? mm::status::mastered : mm::status::in_progress);
  }
  if (i & 1) {  // leave the last cell mastered, as it was
    const auto& e = ev[((i - 1) >> 1) & 0x7FFF];
    b.r->add(e.first, e.second, t, 3.0);
    t += 1;
  }
  state.counters["changed_share"] =
      static_cast<double>(flipped) / static_cast<double>(std::max<std::size_t>(i, 1));
}
BENCHMARK(BM_roster_add_changes_mastery)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kNanosecond);

// The same updates as one batch (columnar ingest of many single events): time per event.
void BM_roster_ingest_events_batch(benchmark::State& state) {
  auto& b = roster100k();
  const auto& fw = b.r->framework();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> L(0, 99999), C(0, static_cast<int>(fw.size()) - 1), S(1, 4);
  std::vector<std::string> names;
  for (int l = 0; l < 100000; ++l) names.push_back("s" + std::to_string(l));
  std::vector<std::uint32_t> lc(n), cc(n);
  std::vector<double> t(n), s(n);
  static double t0 = 2.1e9;
  std::size_t fast = 0, rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    // The batch's learners factorized (as pd.factorize would): codes into the names it uses.
    std::vector<std::string_view> used;
    std::vector<std::int32_t> slot(100000, -1);
    for (std::size_t k = 0; k < n; ++k) {
      const auto l = static_cast<std::size_t>(L(rng));
      if (slot[l] < 0) {
        slot[l] = static_cast<std::int32_t>(used.size());
        used.emplace_back(names[l]);
      }
      lc[k] = static_cast<std::uint32_t>(slot[l]);
      cc[k] = static_cast<std::uint32_t>(C(rng));
      t[k] = t0++;
      s[k] = S(rng) >= 2 ? 3.0 : 2.0;
    }
    mm::evidence_columns bt;
    bt.size = n;
    bt.learner.codes = lc.data();
    bt.learner.names = used;
    bt.competency.codes = cc.data();
    for (const auto& c : fw.competencies()) bt.competency.names.emplace_back(c.id);
    bt.time.values = t.data();
    bt.score.values = s.data();
    state.ResumeTiming();
    auto sum = b.r->ingest(bt);
    fast += sum.fast_rows;
    rows += sum.rows;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows));
  state.counters["ns_per_event"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["fast_share"] =
      static_cast<double>(fast) / static_cast<double>(std::max<std::size_t>(rows, 1));
}
BENCHMARK(BM_roster_ingest_events_batch)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Bulk ingest against the engine on the same events (issue 15: a new roster's `ingest` within
// 2x of `engine::ratings` per event): 100k learners x 40 events on the CCSS map, 2 threads.
// Arg 0: engine::ratings of the log (the long-form table); 1: a new roster ingests the log
// (append, row index, every learner rated, cells written; the roster freed in the loop, as the
// table is). Read the ratio of the two per-event times (items_per_second).
void BM_bulk_ingest_vs_ratings(benchmark::State& state) {
  static const mm::framework fw = ccss();
  static const mm::evidence_log log = synthetic(fw, 100000, 40, 1);
  const mm::policy p(mm::scale::four_point());
  for (auto _ : state) {
    if (state.range(0) == 0) {
      const mm::engine e(fw, p);
      mm::evaluate_options eo;
      eo.threads = 2;
      const mm::ratings_table t = e.ratings(log, eo);
      benchmark::DoNotOptimize(t.learner.data());
    } else {
      mm::roster_options o;
      o.threads = 2;
      mm::roster r(fw, p, o);
      r.ingest(log);
      benchmark::DoNotOptimize(r.size());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(log.size()));
  state.counters["ns_per_event"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(log.size()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_bulk_ingest_vs_ratings)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The snapshot file, in the system's temporary directory (never the working directory).
std::string snapshot_path() {
  return (std::filesystem::temp_directory_path() / "masterymap_bench_roster.bin").string();
}

void BM_snapshot_save_100k(benchmark::State& state) {
  auto& b = roster100k();
  const std::string path = snapshot_path();
  for (auto _ : state) b.r->save(path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f) {
    std::fseek(f, 0, SEEK_END);
    state.counters["MB"] = static_cast<double>(std::ftell(f)) / 1e6;
    std::fclose(f);
  }
  std::remove(path.c_str());
}
BENCHMARK(BM_snapshot_save_100k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_snapshot_restore_100k(benchmark::State& state) {
  auto& b = roster100k();
  const std::string path = snapshot_path();
  b.r->save(path);
  for (auto _ : state) {
    mm::roster_options o;
    o.threads = 2;
    auto r = mm::roster::load(path, o);
    benchmark::DoNotOptimize(r.size());
  }
  std::remove(path.c_str());
}
BENCHMARK(BM_snapshot_restore_100k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_gaps_recommend_one_learner(benchmark::State& state) {
  auto& b = roster100k();
  std::size_t l = 0;
  mm::learner_row row;
  for (auto _ : state) {
    b.r->row(l++ % b.r->size(), row);
    auto rec = b.r->progression().recommend(row, 5);
    benchmark::DoNotOptimize(rec.data());
  }
}
BENCHMARK(BM_gaps_recommend_one_learner)->Unit(benchmark::kMicrosecond);

}  // namespace
