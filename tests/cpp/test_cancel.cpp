// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Progress reports and cancellation of long calls (masterymap/progress.hpp): reports come on
// the calling thread, monotone, ending at done == total; a report that throws cancels the call,
// which rethrows that exception and leaves every object it was changing exactly as it was.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <masterymap/bkt.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/roster.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"

namespace mm = masterymap;

namespace {

using report = std::pair<std::uint64_t, std::uint64_t>;

// Records every report (interval 0: a report at every check) and throws mm::cancelled at the
// first report with done >= `cancel_from` x total (negative: never). How many reports a call
// makes depends on timing (threads) and on memory already reserved; their fractions do not.
struct recorder {
  std::vector<report> calls;
  std::vector<std::thread::id> threads;
  double cancel_from = -1;
  mm::progress hook() {
    mm::progress p;
    p.interval = std::chrono::milliseconds(0);
    p.report = [this](std::uint64_t done, std::uint64_t total) {
      calls.emplace_back(done, total);
      threads.push_back(std::this_thread::get_id());
      if (cancel_from >= 0 && static_cast<double>(done) >= cancel_from * static_cast<double>(total))
        throw mm::cancelled();
    };
    return p;
  }
  static recorder stopping_at(double fraction) {
    recorder r;
    r.cancel_from = fraction;
    return r;
  }
};

// Reports on the calling thread only, `done` never decreasing, `total` fixed, the last one
// done == total.
void check_reports(const recorder& r) {
  REQUIRE_FALSE(r.calls.empty());
  for (const auto& t : r.threads) CHECK(t == std::this_thread::get_id());
  const std::uint64_t total = r.calls.front().second;
  for (std::size_t i = 0; i < r.calls.size(); ++i) {
    REQUIRE(r.calls[i].second == total);
    REQUIRE(r.calls[i].first <= total);
    if (i > 0) REQUIRE(r.calls[i - 1].first <= r.calls[i].first);
  }
  CHECK(r.calls.back() == report{total, total});
}

// Where to cancel: at the first report, at every tenth of the way and at the last report
// (done == total, made before the call commits).
const std::vector<double> cancel_points{0.0, 0.1, 0.2, 0.3, 0.4,  0.5,
                                        0.6, 0.7, 0.8, 0.9, 0.97, 1.0};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
// Bit for bit (NaN included).
template <typename A, typename B>
bool same_bits(const A& a, const B& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(*a.data())) == 0);
}

// Everything an evidence log holds.
struct log_state {
  std::vector<std::uint32_t> learner, competency, attr;
  std::vector<double> time;
  std::vector<float> score;
  std::vector<std::string> learners, competencies, sources, kinds;
  std::vector<std::tuple<int, float, std::uint32_t>> attributes;
  double max_time;
  explicit log_state(const mm::evidence_log& log)
      : learner(log.learner_codes().begin(), log.learner_codes().end()),
        competency(log.competency_codes().begin(), log.competency_codes().end()),
        attr(log.attribute_codes().begin(), log.attribute_codes().end()),
        time(log.times().begin(), log.times().end()),
        score(log.scores().begin(), log.scores().end()),
        learners(log.learners()),
        competencies(log.competencies()),
        sources(log.sources()),
        kinds(log.kinds()),
        max_time(log.max_time()) {
    for (const auto& a : log.attributes()) attributes.emplace_back(a.kind, a.weight, a.source);
  }
  void check_same(const mm::evidence_log& log) const {
    const log_state now(log);
    REQUIRE(now.learner == learner);
    REQUIRE(now.competency == competency);
    REQUIRE(now.attr == attr);
    REQUIRE(same_bits(now.time, time));
    REQUIRE(now.score == score);
    REQUIRE(now.learners == learners);
    REQUIRE(now.competencies == competencies);
    REQUIRE(now.sources == sources);
    REQUIRE(now.kinds == kinds);
    REQUIRE(now.attributes == attributes);
    REQUIRE(same_bits(now.max_time, max_time));
    // The name indexes were rebuilt: every name is found at its code.
    bool found = true;
    for (std::size_t i = 0; i < learners.size(); ++i) found &= log.learner_code(learners[i]) == i;
    for (std::size_t i = 0; i < competencies.size(); ++i)
      found &= log.competency_code(competencies[i]) == i;
    for (std::size_t i = 0; i < kinds.size(); ++i) found &= log.kind_code(kinds[i]) == i;
    REQUIRE(found);
  }
};

// Everything a roster answers with.
struct roster_state {
  log_state log;
  std::vector<mm::status> statuses;
  std::vector<double> scores;
  std::vector<std::int8_t> ratings;
  std::vector<std::uint8_t> attainments, frontier;
  double as_of;
  explicit roster_state(const mm::roster& r)
      : log(r.log()),
        statuses(r.statuses()),
        scores(r.scores()),
        ratings(r.ratings()),
        attainments(r.attainments()),
        frontier(r.frontier_matrix()),
        as_of(r.as_of()) {}
  void check_same(const mm::roster& r) const {
    log.check_same(r.log());
    REQUIRE(r.size() == log.learners.size());
    REQUIRE(r.statuses() == statuses);
    REQUIRE(r.ratings() == ratings);
    REQUIRE(r.attainments() == attainments);
    REQUIRE(same_bits(r.scores(), scores));
    REQUIRE(same_bits(r.as_of(), as_of));
    REQUIRE(r.frontier_matrix() == frontier);
  }
};

mm::framework make_framework(int n) {
  mm::framework_builder b("cancel");
  for (int c = 0; c < n; ++c) b.add_competency("C" + std::to_string(c));
  for (int c = 1; c < n; c += 3)
    b.add_prerequisite("C" + std::to_string(c), "C" + std::to_string(c - 1));
  return b.build();
}

// Owning columns of a batch: `rows` events of learners named from `first_learner`, times from
// `t0` (a tenth of them out of order), kinds and sources from short lists.
struct batch {
  std::vector<std::uint32_t> learner, competency, kind, source;
  std::vector<double> time, score;
  std::vector<std::string> learner_names, competency_names, kind_names, source_names;
  std::vector<std::string_view> lv, cv, kv, sv;
  batch(std::mt19937& rng, std::size_t rows, int learners, int first_learner, int competencies,
        double t0, std::vector<std::string> kinds = {"formative", "summative"})
      : kind_names(std::move(kinds)), source_names{"", "teacher", "app"} {
    std::uniform_int_distribution<int> L(0, learners - 1), C(0, competencies - 1), S(1, 4),
        K(0, static_cast<int>(kind_names.size()) - 1), R(0, 2), late(0, 9);
    for (int l = 0; l < learners; ++l)
      learner_names.push_back("s" + std::to_string(first_learner + l));
    for (int c = 0; c < competencies; ++c) competency_names.push_back("C" + std::to_string(c));
    for (std::size_t i = 0; i < rows; ++i) {
      learner.push_back(static_cast<std::uint32_t>(L(rng)));
      competency.push_back(static_cast<std::uint32_t>(C(rng)));
      kind.push_back(static_cast<std::uint32_t>(K(rng)));
      source.push_back(static_cast<std::uint32_t>(R(rng)));
      time.push_back(t0 + 60.0 * static_cast<double>(i) - (late(rng) == 0 ? 86400.0 : 0.0));
      score.push_back(S(rng));
    }
    lv.assign(learner_names.begin(), learner_names.end());
    cv.assign(competency_names.begin(), competency_names.end());
    kv.assign(kind_names.begin(), kind_names.end());
    sv.assign(source_names.begin(), source_names.end());
  }
  mm::evidence_columns columns() const {
    mm::evidence_columns b;
    b.size = learner.size();
    b.learner = {learner.data(), lv};
    b.competency = {competency.data(), cv};
    b.kind = {kind.data(), kv};
    b.source = {source.data(), sv};
    b.time.values = time.data();
    b.score.values = score.data();
    return b;
  }
};

mm::policy folding_policy() {
  mm::rule r;
  r.method = mm::method::decaying_average(0.65);
  r.min_evidence = 2;
  return mm::policy(mm::scale::four_point(), r);
}

mm::roster_options one_thread() {
  mm::roster_options o;
  o.threads = 1;  // the checks, hence the reports, come in the same order every run
  return o;
}

// The roster's tables equal a full evaluation of its log by its engine (the oracle).
void check_equals_engine(const mm::roster& r) {
  mm::evaluate_options eo;
  eo.as_of = r.as_of();
  const mm::ratings_table t = r.engine().ratings(r.log(), eo);
  REQUIRE(t.learners == r.learners());
  const std::size_t n = t.competencies;
  std::vector<mm::status> st(t.learners.size() * n, mm::status::not_started);
  std::vector<double> sc(st.size(), std::nan(""));
  std::vector<std::int8_t> rt(st.size(), -1);
  std::vector<std::uint8_t> at(st.size(), 0);
  for (std::size_t k = 0; k < t.learner.size(); ++k) {
    const std::size_t cell = std::size_t{t.learner[k]} * n + t.competency[k];
    st[cell] = t.statuses[k];
    sc[cell] = t.scores[k];
    rt[cell] = t.ratings[k];
    at[cell] = r.progression().attainment(t.statuses[k], t.scores[k]);
  }
  REQUIRE(r.statuses() == st);
  REQUIRE(r.ratings() == rt);
  REQUIRE(same_bits(r.scores(), sc));
  REQUIRE(r.attainments() == at);
}

// Cancels `ingest` of `b` into `r` at each report of an uncancelled run (counted on `ref`, in
// the same state), checking each time that `r` is unchanged; then ingests for real into both
// and checks they agree.
void sweep_ingest(mm::roster& r, mm::roster& ref, const batch& b) {
  recorder count;
  const roster_state before(r);
  (void)ref.ingest(b.columns(), count.hook());
  check_reports(count);
  CHECK(count.calls.size() >= 10);
  for (double k : cancel_points) {
    CAPTURE(k);
    recorder stop = recorder::stopping_at(k);
    CHECK_THROWS_AS((void)r.ingest(b.columns(), stop.hook()), mm::cancelled);
    before.check_same(r);
  }
  (void)r.ingest(b.columns());
  roster_state(ref).check_same(r);
  check_equals_engine(r);
}

}  // namespace

TEST_SUITE("cancel") {
  TEST_CASE("an empty hook costs nothing and reports nothing, the default call is unchanged") {
    const mm::framework fw = make_framework(50);
    std::mt19937 rng(1);
    const batch b(rng, 20000, 500, 0, 50, 1.7e9);
    mm::evidence_log a, c;
    a.append_unchecked(b.columns());
    c.append(b.columns(), {}, mm::progress{});
    log_state(a).check_same(c);
  }

  TEST_CASE("evidence_log::append: reports, and a cancelled batch leaves the log unchanged") {
    std::mt19937 rng(2);
    const batch first(rng, 150000, 3000, 0, 80, 1.7e9);
    // The second batch brings new learners, competencies, sources, a custom kind and a later
    // time, so every table of the log grows.
    batch second(rng, 300000, 6000, 2000, 120, 1.8e9, {"formative", "portfolio"});
    second.source_names.push_back("new source");
    second.sv.assign(second.source_names.begin(), second.source_names.end());
    for (std::size_t i = 0; i < second.source.size(); i += 7) second.source[i] = 3;
    mm::evidence_log log, ref;
    log.add_kind("portfolio");
    ref.add_kind("portfolio");
    log.append_unchecked(first.columns());
    ref.append_unchecked(first.columns());
    const log_state before(log);
    recorder count;
    ref.append(second.columns(), {}, count.hook());
    check_reports(count);
    CHECK(count.calls.back().second == 2 * second.learner.size());
    for (double k : cancel_points) {
      CAPTURE(k);
      recorder stop = recorder::stopping_at(k);
      CHECK_THROWS_AS(log.append(second.columns(), {}, stop.hook()), mm::cancelled);
      before.check_same(log);
    }
    log.append_unchecked(second.columns());
    log_state(ref).check_same(log);
  }

  TEST_CASE("evidence_log::append_csv: bytes parsed then validated, a cancel changes nothing") {
    std::ostringstream csv;
    csv << "learner,competency,time,score,kind\n";
    std::mt19937 rng(3);
    for (int i = 0; i < 200000; ++i)
      csv << 's' << rng() % 4000 << ",C" << rng() % 60 << ',' << 1.7e9 + i << ',' << rng() % 4 + 1
          << (i % 3 ? ",formative\n" : ",summative\n");
    const std::string text = csv.str();
    mm::evidence_log ref;
    recorder count;
    {
      std::istringstream in(text);
      ref.append_csv(in, {}, {}, count.hook());
    }
    check_reports(count);
    CHECK(count.calls.back().second == 2 * text.size());
    mm::evidence_log log;
    const log_state before(log);
    for (double k : cancel_points) {
      CAPTURE(k);
      recorder stop = recorder::stopping_at(k);
      std::istringstream in(text);
      CHECK_THROWS_AS(log.append_csv(in, {}, {}, stop.hook()), mm::cancelled);
      before.check_same(log);
    }
  }

  TEST_CASE("roster::ingest: a bulk load, cancelled at every stage, leaves the roster unchanged") {
    const mm::framework fw = make_framework(80);
    std::mt19937 rng(4);
    const batch warm(rng, 2000, 100, 0, 80, 1.6e9);
    const batch bulk(rng, 160000, 3000, 50, 80, 1.7e9);  // 50+ rows a learner: re-evaluated
    mm::roster r(fw, folding_policy(), one_thread()), ref(fw, folding_policy(), one_thread());
    (void)r.ingest(warm.columns());
    (void)ref.ingest(warm.columns());
    sweep_ingest(r, ref, bulk);
  }

  TEST_CASE("roster::ingest: an incremental batch on the O(1) path is undone cell by cell") {
    const mm::framework fw = make_framework(80);
    std::mt19937 rng(5);
    const batch base(rng, 120000, 3000, 0, 80, 1.7e9);
    // Few rows per learner (the O(1) path), some out of order (re-evaluated), some new learners,
    // and a kind the roster has not seen.
    const batch more(rng, 200000, 60000, 1000, 80, 1.9e9, {"formative", "portfolio"});
    mm::roster r(fw, folding_policy(), one_thread()), ref(fw, folding_policy(), one_thread());
    (void)r.ingest(base.columns());
    (void)ref.ingest(base.columns());
    sweep_ingest(r, ref, more);
    CHECK(r.log().kind_code("portfolio").has_value());
  }

  TEST_CASE("roster::ingest: a time-dependent policy's full re-evaluation is cancelled cleanly") {
    const mm::framework fw = make_framework(60);
    mm::rule rule;
    rule.method = mm::method::mean();
    rule.window_days = 30.0;
    const mm::policy pol(mm::scale::four_point(), rule);
    std::mt19937 rng(6);
    const batch base(rng, 150000, 4000, 0, 60, 1.7e9);
    const batch later(rng, 10000, 500, 3900, 60, 1.8e9);  // moves as_of: everyone re-evaluated
    mm::roster r(fw, pol, one_thread()), ref(fw, pol, one_thread());
    (void)r.ingest(base.columns());
    (void)ref.ingest(base.columns());
    sweep_ingest(r, ref, later);
    CHECK(r.ingest(later.columns()).rows == later.learner.size());  // and goes on
  }

  TEST_CASE("engine::ratings and evaluate_all report on the calling thread and cancel") {
    const mm::framework fw = make_framework(80);
    std::mt19937 rng(7);
    const batch b(rng, 300000, 5000, 0, 80, 1.7e9);
    mm::evidence_log log;
    log.append_unchecked(b.columns());
    const mm::engine eng(fw, folding_policy());
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(threads);
      mm::evaluate_options o;
      o.threads = threads;
      recorder count;
      const auto t = eng.ratings(log, o, count.hook());
      check_reports(count);
      CHECK(count.calls.back().second == log.size() + log.learners().size());
      for (recorder stop :
           {recorder::stopping_at(0.0), recorder::stopping_at(0.5), recorder::stopping_at(1.0)})
        CHECK_THROWS_AS((void)eng.ratings(log, o, stop.hook()), mm::cancelled);
      CHECK(eng.ratings(log, o).statuses == t.statuses);
      recorder all;
      CHECK(eng.evaluate_all(log, o, all.hook()).size() == log.learners().size());
      check_reports(all);
    }
  }

  TEST_CASE("bkt: fit, crossvalidate, predict and parse_csv report and cancel") {
    std::vector<mm::bkt::skill_params> ps;
    for (int k = 0; k < 6; ++k) {
      mm::bkt::skill_params p;
      p.skill = "k" + std::to_string(k);
      p.prior = 0.3;
      p.learn = 0.1;
      ps.push_back(p);
    }
    const mm::bkt::dataset d = mm::bkt::simulate(ps, 1500, 40, 9);
    mm::bkt::fit_options o;
    o.num_fits = 2;
    o.max_iterations = 20;
    o.tolerance = 0;
    o.threads = 2;
    recorder count;
    const mm::bkt::model m = mm::bkt::fit(d, o, count.hook());
    check_reports(count);
    for (recorder stop :
         {recorder::stopping_at(0.0), recorder::stopping_at(0.5), recorder::stopping_at(1.0)})
      CHECK_THROWS_AS((void)mm::bkt::fit(d, o, stop.hook()), mm::cancelled);
    CHECK(mm::bkt::fit(d, o).to_json() == m.to_json());  // nothing left behind
    recorder cv;
    CHECK(mm::bkt::crossvalidate(d, o, 3, 1, cv.hook()).size() == 3);
    check_reports(cv);
    CHECK(cv.calls.back().second == 3000);
    recorder pr;
    const auto p = m.predict(d, mm::bkt::unknown_skill::average, pr.hook());
    check_reports(pr);
    CHECK(pr.calls.back().second == d.size());
    CHECK(p.correct == m.predict(d).correct);
    std::string text = "user_id,skill_name,correct\n";
    for (std::size_t i = 0; i < 100000; ++i)
      text +=
          std::to_string(i % 977) + ",k" + std::to_string(i % 5) + "," + (i % 3 ? "1\n" : "0\n");
    recorder csv;
    CHECK(mm::bkt::parse_csv(text, {}, csv.hook()).size() == 100000);
    check_reports(csv);
    recorder stop = recorder::stopping_at(0.5);
    CHECK_THROWS_AS((void)mm::bkt::parse_csv(text, {}, stop.hook()), mm::cancelled);
  }

  TEST_CASE("a fit on two threads stops within a fraction of a second of a cancel request") {
    std::vector<mm::bkt::skill_params> ps;
    for (int k = 0; k < 4; ++k) {
      mm::bkt::skill_params p;
      p.skill = "k" + std::to_string(k);
      ps.push_back(p);
    }
    const mm::bkt::dataset d = mm::bkt::simulate(ps, 4000, 60, 3);
    mm::bkt::fit_options o;
    o.num_fits = 4;
    o.max_iterations = 2000;  // tolerance 0: seconds of work (a skill's EM may still converge)
    o.tolerance = 0;
    o.threads = 2;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> last{0};
    std::uint64_t total = 0;
    mm::progress p;  // the default interval (50 ms); cancelled from another thread via a flag
    p.report = [&](std::uint64_t done, std::uint64_t t) {
      last = done;
      total = t;
      if (stop.load()) throw mm::cancelled("stop requested");
    };
    using clock = std::chrono::steady_clock;
    clock::time_point asked;
    std::thread canceller([&] {
      // Ask once the fit is under way (its first report), as a user pressing Ctrl-C would.
      while (last.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      asked = clock::now();
      stop = true;
    });
    CHECK_THROWS_WITH_AS((void)mm::bkt::fit(d, o, p), "stop requested", mm::cancelled);
    const auto latency = clock::now() - asked;
    canceller.join();
    CHECK(last.load() < total);  // before the end
    // ~50 ms (one interval) on an idle machine; generous for two shared, noisy cores.
    CHECK(latency < std::chrono::milliseconds(1000));
  }

  TEST_CASE("framework build and redundant_prerequisites report and cancel") {
    // A layered map: 60k competencies, each with three prerequisites in the layer before.
    mm::framework_builder b("big");
    const int layers = 60, width = 1000;
    std::mt19937 rng(10);
    std::uniform_int_distribution<int> pick(0, width - 1);
    for (int l = 0; l < layers; ++l)
      for (int i = 0; i < width; ++i) {
        const std::string id = "c" + std::to_string(l * width + i);
        b.add_competency(id);
        if (l > 0)
          for (int k = 0; k < 3; ++k) {
            const int from = (l - 1) * width + (i + k * 7) % width;
            b.add_prerequisite(id, "c" + std::to_string(from));
          }
        if (l > 1) b.add_prerequisite(id, "c" + std::to_string((l - 2) * width + pick(rng)));
      }
    recorder build;
    const mm::framework fw = b.build({}, build.hook());
    check_reports(build);
    for (double f : {0.0, 0.5, 1.0}) {
      recorder stop = recorder::stopping_at(f);
      CHECK_THROWS_AS((void)b.build({}, stop.hook()), mm::cancelled);
    }
    CHECK(b.build() == fw);  // the builder is unchanged
    recorder red;
    const auto redundant = fw.redundant_prerequisites({}, red.hook());
    check_reports(red);
    CHECK(redundant == fw.redundant_prerequisites());
    recorder stop = recorder::stopping_at(0.0);
    CHECK_THROWS_AS((void)fw.redundant_prerequisites({}, stop.hook()), mm::cancelled);
  }

  TEST_CASE("roster save, load and the bulk queries report and cancel") {
    const mm::framework fw = make_framework(80);
    std::mt19937 rng(8);
    const batch b(rng, 200000, 4000, 0, 80, 1.7e9);
    mm::roster r(fw, folding_policy());
    (void)r.ingest(b.columns());
    const roster_state before(r);
    fixtures::temp_file file("cancel.roster");
    recorder save;
    r.save(file.path(), save.hook());
    check_reports(save);
    recorder stop_save = recorder::stopping_at(0.5);
    fixtures::temp_file other("cancel_other.roster");
    CHECK_THROWS_AS(r.save(other.path(), stop_save.hook()), mm::cancelled);
    before.check_same(r);
    recorder load;
    const mm::roster back = mm::roster::load(file.path(), {}, load.hook());
    check_reports(load);
    before.check_same(back);
    for (double k : cancel_points) {
      recorder stop = recorder::stopping_at(k);
      CHECK_THROWS_AS((void)mm::roster::load(file.path(), {}, stop.hook()), mm::cancelled);
    }
    recorder fm;
    CHECK(r.frontier_matrix(fm.hook()) == before.frontier);
    check_reports(fm);
    CHECK(fm.calls.back().second == r.size());
    recorder stop_fm = recorder::stopping_at(0.0);
    CHECK_THROWS_AS((void)r.frontier_matrix(stop_fm.hook()), mm::cancelled);
  }
}
