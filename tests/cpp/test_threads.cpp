// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The thread-safety contract, exercised: const members of a framework, engine, learner state,
// roster, evidence log, BKT model and tracer read from many threads at once give the answers of
// one thread, an engine's progression is compiled once whichever thread asks first, and the
// library's own worker threads (ingest, ratings, fitting) give the single-threaded results.
// Every case is named "threads: ..." (suite "threads"): the tsan preset runs them under
// ThreadSanitizer, with the existing parallel tests (see tests/cpp/CMakeLists.txt). Worker threads
// only record what they see; every check is made on the test's own thread afterwards.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <masterymap/bkt.hpp>
#include <masterymap/bkt_source.hpp>
#include <masterymap/masterymap.hpp>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace mm = masterymap;

namespace {

constexpr unsigned readers = 8;  // more threads than cores: interleavings, not speed

// Runs f(t) on `readers` threads started together.
template <typename F>
void on_threads(F&& f) {
  std::atomic<unsigned> ready{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < readers; ++t)
    pool.emplace_back([&, t] {
      ++ready;
      while (ready.load() < readers) std::this_thread::yield();  // start together
      f(t);
    });
  for (auto& th : pool) th.join();
}

// A layered framework of n competencies over four domains: each competency after the first
// few has one or two earlier prerequisites (required, familiar or recommended), and every
// tenth is the parent of the three after it.
mm::framework make_framework(std::size_t n) {
  mm::framework_builder b("threads");
  std::mt19937 rng(7);
  for (std::size_t i = 0; i < n; ++i)
    b.add_competency("c" + std::to_string(i), "competency " + std::to_string(i),
                     "D" + std::to_string(i % 4), static_cast<int>(1 + i * 5 / n));
  for (std::size_t i = 3; i < n; ++i) {
    std::uniform_int_distribution<std::size_t> earlier(0, i - 1);
    const std::size_t a = earlier(rng), c = earlier(rng);
    b.add_prerequisite("c" + std::to_string(i), "c" + std::to_string(a));
    if (c != a)
      b.add_prerequisite("c" + std::to_string(i), "c" + std::to_string(c),
                         i % 3 ? mm::strength::familiar : mm::strength::recommended);
  }
  for (std::size_t p = 0; p + 3 < n; p += 10)
    for (std::size_t k = 1; k <= 3; ++k)
      b.add_child("c" + std::to_string(p), "c" + std::to_string(p + k));
  return b.build();
}

// Four-point decaying average; domain D1 with a window in days and an expiry (time-dependent);
// parents roll up all of their children.
mm::policy make_policy() {
  mm::rule r;
  r.method = mm::method::decaying_average(0.65);
  mm::policy p(mm::scale::four_point(), r, "threads");
  mm::rule windowed = r;
  windowed.window_days = 30;
  windowed.expires_after_days = 60;
  p.override_domain("D1", windowed);
  p.set_default_rollup(mm::rollup::all_of());
  return p;
}

std::vector<mm::evidence> make_events(const mm::framework& fw, int learners, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> L(0, learners - 1), S(1, 4), K(0, 3);
  std::uniform_int_distribution<std::size_t> C(0, fw.size() - 1);
  const char* kinds[] = {"formative", "summative", "discussion", "pretest"};
  std::vector<mm::evidence> out;
  for (int i = 0; i < n; ++i)
    out.emplace_back("s" + std::to_string(L(rng)), fw.id_of(static_cast<mm::index_t>(C(rng))),
                     1.7e9 + 3600.0 * i, S(rng), kinds[K(rng)]);
  return out;
}

bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}
bool same(const mm::learner_state& a, const mm::learner_state& b) {
  return a.learner() == b.learner() && a.statuses() == b.statuses() &&
         same(a.scores(), b.scores()) && a.ratings() == b.ratings() &&
         a.evidence_counts() == b.evidence_counts() && same(a.as_of(), b.as_of());
}
bool same(const mm::ratings_table& a, const mm::ratings_table& b) {
  if (a.learners != b.learners || a.learner.size() != b.learner.size()) return false;
  for (std::size_t i = 0; i < a.learner.size(); ++i)
    if (a.learner[i] != b.learner[i] || a.competency[i] != b.competency[i] ||
        a.statuses[i] != b.statuses[i] || !same(a.scores[i], b.scores[i]) ||
        a.ratings[i] != b.ratings[i] || a.evidence_counts[i] != b.evidence_counts[i])
      return false;
  return true;
}
bool same(const mm::roster& a, const mm::roster& b) {
  return a.learners() == b.learners() && a.statuses() == b.statuses() &&
         same(a.scores(), b.scores()) && a.ratings() == b.ratings() &&
         a.attainments() == b.attainments() && same(a.as_of(), b.as_of());
}

// What a reader of a roster sees, to compare with one thread's answers.
struct roster_answers {
  std::vector<std::uint8_t> frontier;
  std::vector<std::size_t> level_done;
  std::vector<std::size_t> pace_done;
  std::vector<double> last_times;
  std::vector<mm::index_t> first_frontier;
  bool operator==(const roster_answers& o) const {
    return frontier == o.frontier && level_done == o.level_done && pace_done == o.pace_done &&
           same(last_times, o.last_times) && first_frontier == o.first_frontier;
  }
};

roster_answers read_roster(const mm::roster& r, const mm::pace_plan& plan) {
  roster_answers a;
  a.frontier = r.frontier_matrix();
  for (const auto& l : r.levels("D0")) a.level_done.push_back(l.next_done);
  for (const auto& p : r.pacing(plan)) a.pace_done.push_back(p.done);
  a.last_times = r.last_evidence_times(r.size() / 2);
  const mm::learner_state s = r.learner(r.learners().front());
  a.first_frontier = mm::frontier(s);
  (void)r.row(r.size() - 1);
  return a;
}

}  // namespace

TEST_SUITE("threads") {
  TEST_CASE("threads: framework queries from many threads give one thread's answers") {
    const mm::framework fw = make_framework(300);
    auto answers = [&](mm::index_t k) {
      std::vector<std::vector<mm::index_t>> out;
      for (mm::index_t i = k % 7; i < fw.size(); i += 7) {
        out.push_back(fw.prerequisites(i, true));
        out.push_back(fw.dependents(i, true, mm::strength_set::gating()));
      }
      out.push_back(fw.ancestors({k, static_cast<mm::index_t>(fw.size() - 1)}));
      out.push_back(fw.longest_chain());
      std::vector<mm::index_t> redundant;
      for (const auto& e : fw.redundant_prerequisites()) redundant.push_back(e.dependent);
      out.push_back(redundant);
      return out;
    };
    std::vector<decltype(answers(0))> expected, seen(readers);
    for (mm::index_t t = 0; t < readers; ++t) expected.push_back(answers(t));
    std::vector<std::string> json(readers);
    on_threads([&](unsigned t) {
      seen[t] = answers(t);
      json[t] = fw.to_json(0);
      const mm::framework copy = fw;  // copies share the frozen data
      (void)copy.subgraph({0, 1, 2});
    });
    for (unsigned t = 0; t < readers; ++t) {
      CHECK(seen[t] == expected[t]);
      CHECK(json[t] == fw.to_json(0));
    }
  }

  TEST_CASE("threads: engine evaluations from many threads, one progression, shared by copies") {
    const mm::framework fw = make_framework(120);
    mm::evidence_log log;
    log.append_unchecked(make_events(fw, 40, 2000, 1));
    const mm::engine e(fw, make_policy());
    std::vector<mm::learner_state> expected;
    for (const auto& l : log.learners()) expected.push_back(e.evaluate(log, l));

    // Nobody has asked for the progression yet: every thread asks at once, through the engine
    // or a copy of it; all must get the same object.
    std::vector<const mm::progression*> compiled(readers);
    std::vector<int> mismatches(readers, 0);
    std::vector<std::string> explained(readers);
    on_threads([&](unsigned t) {
      const mm::engine copy = e;
      compiled[t] = t % 2 ? &copy.progression() : &e.progression();
      for (std::size_t l = t; l < log.learners().size(); l += readers) {
        mm::learner_state s = (t % 2 ? copy : e).evaluate(log, log.learners()[l]);
        if (!same(s, expected[l])) ++mismatches[t];
        (void)mm::frontier(s);  // the state's progression: the engine's
        (void)mm::gaps(s);
      }
      explained[t] = expected[t].explain(0, log).text;
    });
    for (unsigned t = 0; t < readers; ++t) {
      CHECK(compiled[t] == &e.progression());
      CHECK(mismatches[t] == 0);
      CHECK(explained[t] == expected[t].explain(0, log).text);
    }
    CHECK(&expected.front().progression() == &e.progression());
  }

  TEST_CASE("threads: engine ratings and evaluate_all on workers equal one thread") {
    const mm::framework fw = make_framework(80);
    mm::evidence_log log;
    log.append_unchecked(make_events(fw, 60, 3000, 2));
    const mm::engine e(fw, make_policy());
    mm::evaluate_options one, four;
    one.threads = 1;
    four.threads = 4;
    CHECK(same(e.ratings(log, four), e.ratings(log, one)));
    const auto a = e.evaluate_all(log, four), b = e.evaluate_all(log, one);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(same(a[i], b[i]));
    // The same engine rated from several threads, each of which starts its own workers.
    std::vector<int> equal(readers, 0);
    on_threads([&](unsigned t) {
      mm::evaluate_options two;
      two.threads = 2;
      equal[t] = same(e.ratings(log, t % 2 ? two : one), e.ratings(log, one)) ? 1 : 0;
    });
    for (unsigned t = 0; t < readers; ++t) CHECK(equal[t] == 1);
  }

  TEST_CASE("threads: roster ingest on workers equals one thread, concurrent reads agree") {
    const mm::framework fw = make_framework(100);
    const auto events = make_events(fw, 50, 4000, 3);
    mm::roster_options one, four;
    one.threads = 1;
    four.threads = 4;
    mm::roster serial(fw, make_policy(), one), parallel(fw, make_policy(), four);
    for (std::size_t from = 0; from < events.size(); from += 1000) {
      const std::vector<mm::evidence> batch(
          events.begin() + static_cast<std::ptrdiff_t>(from),
          events.begin() + static_cast<std::ptrdiff_t>(from) + 1000);
      serial.ingest(batch);
      parallel.ingest(batch);
    }
    parallel.add("s1", "c5", 1.7e9 + 3600.0 * 5000, 4.0);  // one event, after the batches
    serial.add("s1", "c5", 1.7e9 + 3600.0 * 5000, 4.0);
    REQUIRE(same(parallel, serial));

    mm::pace_plan plan;
    plan.start = 1.7e9;
    plan.target = 1.7e9 + 86400.0 * 365;
    plan.goals = {"c99"};
    plan.include_prerequisites = true;
    const roster_answers expected = read_roster(serial, plan);
    std::vector<roster_answers> seen(readers);
    on_threads([&](unsigned t) { seen[t] = read_roster(t % 2 ? parallel : serial, plan); });
    for (unsigned t = 0; t < readers; ++t) CHECK(seen[t] == expected);
  }

  TEST_CASE("threads: evidence log batch validated on workers, logs built on many threads") {
    // 2^18 rows or more take the parallel validation and column writing of evidence_batch.cpp.
    const std::size_t n = std::size_t{1} << 18;
    std::vector<std::uint32_t> learner(n), competency(n);
    std::vector<double> time(n), score(n);
    for (std::size_t i = 0; i < n; ++i) {
      learner[i] = static_cast<std::uint32_t>(i % 1000);
      competency[i] = static_cast<std::uint32_t>(i % 7);
      time[i] = static_cast<double>(i);
      score[i] = static_cast<double>(1 + i % 4);
    }
    std::vector<std::string> lnames, cnames = {"a", "b", "c", "d", "e", "f", "g"};
    for (int i = 0; i < 1000; ++i) lnames.push_back("s" + std::to_string(i));
    mm::evidence_columns b;
    b.size = n;
    b.learner.codes = learner.data();
    b.learner.names.assign(lnames.begin(), lnames.end());
    b.competency.codes = competency.data();
    b.competency.names.assign(cnames.begin(), cnames.end());
    b.time.values = time.data();
    b.score.values = score.data();
    mm::evidence_log log;
    log.append_unchecked(b);
    REQUIRE(log.size() == n);
    // Concurrent readers of the log, then independent logs built and dropped on every thread
    // (their columns come from, and return to, the shared block cache).
    std::vector<int> ok(readers, 0);
    on_threads([&](unsigned t) {
      const mm::evidence e = log.at(n - 1 - t);
      mm::evidence_log own;
      own.append_unchecked(b);
      ok[t] = e.learner == lnames[(n - 1 - t) % 1000] && own.size() == n &&
                      own.scores()[t] == log.scores()[t] &&
                      log.learner_code("s" + std::to_string(t)) == t
                  ? 1
                  : 0;
    });
    for (unsigned t = 0; t < readers; ++t) CHECK(ok[t] == 1);
  }

  TEST_CASE("threads: bkt fit on workers equals one thread, concurrent predict and tracer") {
    std::vector<mm::bkt::skill_params> truth(6);
    for (std::size_t k = 0; k < truth.size(); ++k) {
      truth[k].skill = "k" + std::to_string(k);
      truth[k].prior = 0.2 + 0.1 * static_cast<double>(k);
      truth[k].learn = 0.15;
    }
    const mm::bkt::dataset data = mm::bkt::simulate(truth, 60, 12, 5);
    mm::bkt::fit_options one, four;
    one.threads = 1;
    four.threads = 4;
    one.num_fits = four.num_fits = 2;
    const mm::bkt::model m = mm::bkt::fit(data, four);
    CHECK(m.to_json() == mm::bkt::fit(data, one).to_json());

    mm::bkt::tracer tr(m);
    for (std::size_t i = 0; i < data.size(); ++i)
      (void)tr.update(data.learner_names()[data.learners()[i]],
                      data.skill_names()[data.skills()[i]], data.correct()[i] != 0);
    const auto predicted = m.predict(data);
    const mm::bkt::model_probabilities source(m);
    const std::vector<double> scores = {1, 0, 1, 1};
    const auto p = source.probability("s0", "k1", scores);
    std::vector<int> ok(readers, 0);
    on_threads([&](unsigned t) {
      const auto mine = m.predict(data);
      const std::string learner = "s" + std::to_string(t);
      ok[t] = same(mine.correct, predicted.correct) && same(mine.state, predicted.state) &&
                      tr.mastery(learner, "k2") ==
                          tr.mastery(*tr.find_learner(learner), tr.skill_index("k2")) &&
                      source.probability("s0", "k1", scores) == p
                  ? 1
                  : 0;
    });
    for (unsigned t = 0; t < readers; ++t) CHECK(ok[t] == 1);
  }

  TEST_CASE("threads: a probability source called from the engine's and roster's workers") {
    const mm::framework fw = make_framework(40);
    std::vector<mm::bkt::skill_params> params;
    for (mm::index_t i = 0; i < fw.size(); ++i) {
      mm::bkt::skill_params s;
      s.skill = fw.id_of(i);
      params.push_back(s);
    }
    mm::bkt::source_options so;
    so.correct_at = 2.5;  // scores 3 and 4 of the four-point scale are correct answers
    auto source = std::make_shared<mm::bkt::model_probabilities>(mm::bkt::model(params), so);
    mm::rule r;
    r.method = mm::method::bkt(0.9);
    const mm::policy p(mm::scale::four_point(), r, "bkt");
    mm::evidence_log log;
    log.append_unchecked(make_events(fw, 30, 1500, 4));
    const mm::engine e(fw, p);
    mm::evaluate_options one, four;
    one.threads = 1;
    four.threads = 4;
    one.probabilities = four.probabilities = source;
    CHECK(same(e.ratings(log, four), e.ratings(log, one)));
    mm::roster_options ro;
    ro.threads = 4;
    ro.probabilities = source;
    mm::roster roster(fw, p, ro);
    roster.ingest(log);
    const mm::ratings_table t = e.ratings(log, one);
    std::size_t mastered = 0;
    for (std::size_t k = 0; k < t.statuses.size(); ++k)
      mastered += t.statuses[k] == mm::status::mastered;
    CHECK(mastered > 0);  // the source was really used
  }
}
