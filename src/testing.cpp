// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/testing.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "decision.hpp"
#include "engine_detail.hpp"
#include "parallel.hpp"

namespace masterymap::testing {

namespace {

constexpr double pi = 3.14159265358979323846;

constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

void check_probability(double v, const std::string& what) {
  if (!(v >= 0.0 && v <= 1.0))
    throw std::invalid_argument(what + ": " + std::to_string(v) +
                                " is not a probability in [0, 1]");
}

void check_params(const bkt_params& p, const std::string& where) {
  check_probability(p.prior, where + ".prior");
  check_probability(p.learns, where + ".learns");
  check_probability(p.guesses, where + ".guesses");
  check_probability(p.slips, where + ".slips");
  check_probability(p.forgets, where + ".forgets");
}

// Per competency, what the simulation needs (resolved once from the framework and policy).
struct plan {
  std::vector<bkt_params> params;
  std::vector<std::uint8_t> practicable;
  std::vector<std::uint32_t> unmet;           // required prerequisites among practicable ones
  std::vector<std::uint32_t> roots;           // practicable, unmet == 0, in index order
  std::vector<std::uint32_t> out_begin, out;  // CSR: required dependents (practicable)
  std::vector<std::uint8_t> practice_kind;
  std::vector<std::uint32_t> checks_begin;  // CSR into `checks`: require_kinds codes
  std::vector<std::uint8_t> checks;
  std::vector<std::uint32_t> streak;
  std::vector<std::string> kind_names;
  double correct_score = 0.0, incorrect_score = 0.0;
  // The stopping rule: per competency its rule in running form (form none: a rule that does
  // not fold, whose rating the simulator does not follow), and per simulation kind code its
  // code in the log the rules are bound to.
  const scale* sc = nullptr;
  std::vector<detail::folding_rule> rules;
  std::vector<std::uint8_t> log_kind;
};

std::uint8_t kind_code(std::vector<std::string>& names, const std::string& k) {
  const auto it = std::find(names.begin(), names.end(), k);
  if (it != names.end()) return static_cast<std::uint8_t>(it - names.begin());
  if (names.size() >= 255) throw std::invalid_argument("simulate: more than 255 evidence kinds");
  names.push_back(k);
  return static_cast<std::uint8_t>(names.size() - 1);
}

plan make_plan(const framework& fw, const policy& p, const simulation_options& o) {
  const std::size_t n = fw.size();
  plan pl;
  check_params(o.params, "params");
  pl.params.assign(n, o.params);
  for (const auto& [id, params] : o.overrides) {
    const auto i = fw.find(id);
    if (!i) throw std::invalid_argument("overrides: '" + id + "' is not a competency");
    check_params(params, "overrides['" + id + "']");
    pl.params[*i] = params;
  }
  pl.practicable.assign(n, 1);
  for (const auto& [parent, child] : fw.hierarchy()) {
    (void)child;
    pl.practicable[parent] = 0;
  }
  pl.unmet.assign(n, 0);
  std::vector<std::uint32_t> degree(n + 1, 0);
  for (const auto& e : fw.edges()) {
    if (e.strength != strength::required || !pl.practicable[e.prerequisite] ||
        !pl.practicable[e.dependent])
      continue;
    ++pl.unmet[e.dependent];
    ++degree[e.prerequisite + 1];
  }
  for (std::size_t i = 0; i < n; ++i) degree[i + 1] += degree[i];
  pl.out_begin = degree;
  pl.out.resize(degree[n]);
  for (const auto& e : fw.edges()) {
    if (e.strength != strength::required || !pl.practicable[e.prerequisite] ||
        !pl.practicable[e.dependent])
      continue;
    pl.out[degree[e.prerequisite]++] = static_cast<std::uint32_t>(e.dependent);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (pl.practicable[i] && pl.unmet[i] == 0) pl.roots.push_back(static_cast<std::uint32_t>(i));

  pl.practice_kind.resize(n);
  pl.streak.resize(n);
  pl.checks_begin.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = fw.at(static_cast<index_t>(i));
    const rule& r = p.rule_for(c.id, c.domain);
    const bool formative_ignored = std::find(r.ignore_kinds.begin(), r.ignore_kinds.end(),
                                             "formative") != r.ignore_kinds.end();
    pl.practice_kind[i] = kind_code(pl.kind_names, formative_ignored ? "summative" : "formative");
    for (const auto& k : r.require_kinds) pl.checks.push_back(kind_code(pl.kind_names, k));
    pl.checks_begin[i + 1] = static_cast<std::uint32_t>(pl.checks.size());
    pl.streak[i] = std::max(o.streak, r.min_evidence);
  }
  const evidence_log kinds(pl.kind_names);
  for (const auto& k : pl.kind_names) pl.log_kind.push_back(*kinds.kind_code(k));
  pl.rules.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = fw.at(static_cast<index_t>(i));
    const rule& r = p.rule_for(c.id, c.domain);
    if (pl.practicable[i] && detail::fold_form_of(r) != detail::fold_form::none)
      pl.rules[i] = detail::folding_rule(r, p.scale(), detail::bind_rule(r, kinds));
  }
  const scale& s = p.scale();
  pl.sc = &s;
  pl.correct_score = s.mastery_value();
  const std::size_t m = s.mastery_index();
  pl.incorrect_score = s.ratings()[m == 0 ? 0 : m - 1].value;
  return pl;
}

// The output of one contiguous block of learners.
struct block {
  std::vector<std::uint32_t> learner, competency;
  std::vector<double> time, score;
  std::vector<std::uint8_t> kind, correct;
  std::vector<std::uint32_t> truth_learner, truth_competency, truth_attempts;
  std::vector<double> mastery_time;
};

struct scratch {
  std::vector<std::uint32_t> unmet;
  std::vector<std::uint8_t> started;
  std::vector<std::uint32_t> frontier;
};

void simulate_learner(std::uint32_t i, const plan& pl, const simulation_options& o,
                      const std::vector<double>& cumulative, scratch& s, block& out,
                      std::uint32_t& group_out, double& pace_out) {
  reference_stream rng(o.seed, i);
  // 1. group and pace
  const double pick = rng.uniform() * cumulative.back();
  std::uint32_t g = 0;
  while (g + 1 < cumulative.size() && !(pick < cumulative[g])) ++g;
  const double u1 = rng.uniform(), u2 = rng.uniform();
  const double z = std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * pi * u2);
  const double pace = std::exp(o.pace_sigma * z);
  group_out = g;
  pace_out = pace;
  const double rate = pace * (o.groups.empty() ? 1.0 : o.groups[g].learn_multiplier);

  // 2. frontier
  s.unmet = pl.unmet;
  s.started.assign(pl.unmet.size(), 0);
  s.frontier = pl.roots;
  double clock = o.start;
  std::uint32_t events = 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  while (events < o.attempts && !s.frontier.empty()) {
    const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(s.frontier.size()));
    const std::uint32_t c = s.frontier[j];
    s.frontier[j] = s.frontier.back();
    s.frontier.pop_back();
    s.started[c] = 1;
    const bkt_params& bp = pl.params[c];
    const double learn = 1.0 - std::pow(1.0 - bp.learns, rate);
    bool known = rng.uniform() < bp.prior;
    bool ever = false;
    double mastered_at = nan;
    auto master = [&](double t) {
      ever = true;
      mastered_at = t;
      for (auto k = pl.out_begin[c]; k < pl.out_begin[c + 1]; ++k) {
        const std::uint32_t d = pl.out[k];
        if (--s.unmet[d] == 0 && !s.started[d]) s.frontier.push_back(d);
      }
    };
    const std::uint32_t checks_b = pl.checks_begin[c], checks_e = pl.checks_begin[c + 1];
    std::uint32_t streak = 0, attempts = 0, check = checks_e;  // check < checks_e: in checks
    bool done = false;
    // Moving on takes the streak (and the checks) once, and the policy rating the competency
    // mastered on the evidence so far: until it does, the learner keeps practising.
    const detail::folding_rule& fr = pl.rules[c];
    const bool follows = fr.form != detail::fold_form::none;
    detail::pair_replay rated;
    bool shown = false;
    while (!done && events < o.attempts) {
      const double gap = std::max(1.0, std::round(-std::log(1.0 - rng.uniform()) * o.interval));
      clock += gap;
      if (known && !ever) master(clock);  // known at the first attempt
      const bool right = rng.uniform() < (known ? 1.0 - bp.slips : bp.guesses);
      const std::uint8_t kind = check < checks_e ? pl.checks[check] : pl.practice_kind[c];
      out.learner.push_back(i);
      out.competency.push_back(c);
      out.time.push_back(clock);
      out.score.push_back(right ? pl.correct_score : pl.incorrect_score);
      out.kind.push_back(kind);
      out.correct.push_back(right ? 1 : 0);
      if (follows) {
        evidence_attributes attr;
        attr.kind = pl.log_kind[kind];
        rated.fold(fr, static_cast<float>(out.score.back()), attr);
      }
      ++events;
      ++attempts;
      const double u = rng.uniform();
      if (!known) {
        if (u < learn) {
          known = true;
          if (!ever) master(clock);
        }
      } else if (u < bp.forgets) {
        known = false;
      }
      if (check < checks_e) {
        if (right) {
          if (++check == checks_e) shown = true;
        } else {
          check = checks_e;
          streak = 0;
        }
      } else if (right) {
        if (++streak >= pl.streak[c] && !shown) {
          if (checks_b < checks_e)
            check = checks_b;
          else
            shown = true;
        }
      } else {
        streak = 0;
      }
      if (shown) {
        const status st = follows ? rated.decide(fr, *pl.sc) : status::mastered;
        done = st == status::mastered || st == status::exceeded;
      }
      if (attempts >= o.max_attempts) done = true;
    }
    out.truth_learner.push_back(i);
    out.truth_competency.push_back(c);
    out.mastery_time.push_back(mastered_at);
    out.truth_attempts.push_back(attempts);
  }
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

reference_stream::reference_stream(std::uint64_t seed, std::uint64_t learner) noexcept
    : state_(mix64(seed ^ mix64(learner + 0x632be59bd9b4e019ULL))) {}

std::uint64_t reference_stream::next() noexcept {
  state_ += 0x9e3779b97f4a7c15ULL;
  return mix64(state_);
}

double reference_stream::uniform() noexcept {
  return static_cast<double>(next() >> 11U) * 0x1.0p-53;
}

evidence_log simulation::to_log() const {
  evidence_log log(kind_names);
  std::vector<std::string_view> learners(learner_names.begin(), learner_names.end());
  std::vector<std::string_view> competencies(competency_ids.begin(), competency_ids.end());
  std::vector<std::string_view> kinds(kind_names.begin(), kind_names.end());
  evidence_columns b;
  b.size = size();
  b.learner = {learner.data(), learners};
  b.competency = {competency.data(), competencies};
  std::vector<std::uint32_t> kind32(kind.begin(), kind.end());
  b.kind = {kind32.data(), kinds};
  b.time.values = time.data();
  b.score.values = score.data();
  log.append_unchecked(b);
  return log;
}

simulation simulate(const framework& fw, const policy& p, const simulation_options& o) {
  if (!(o.pace_sigma >= 0.0 && std::isfinite(o.pace_sigma)))
    throw std::invalid_argument("pace_sigma: " + std::to_string(o.pace_sigma) +
                                " is not a finite number >= 0");
  if (!(o.interval >= 0.0 && std::isfinite(o.interval)))
    throw std::invalid_argument("interval: " + std::to_string(o.interval) +
                                " is not a finite number of seconds >= 0");
  if (!std::isfinite(o.start))
    throw std::invalid_argument("start: " + std::to_string(o.start) + " is not a finite time");
  if (o.streak == 0) throw std::invalid_argument("streak: must be at least 1");
  if (o.max_attempts == 0) throw std::invalid_argument("max_attempts: must be at least 1");
  if (o.learners >= std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("learners: " + std::to_string(o.learners) +
                                " is more than 2^32 - 1");
  std::vector<double> cumulative;
  simulation sim;
  if (o.groups.empty()) {
    cumulative.push_back(1.0);
    sim.group_names.emplace_back("all");
  }
  double total = 0.0;
  for (const auto& g : o.groups) {
    if (g.name.empty()) throw std::invalid_argument("groups: a group has an empty name");
    if (std::find(sim.group_names.begin(), sim.group_names.end(), g.name) != sim.group_names.end())
      throw std::invalid_argument("groups: '" + g.name + "' is given twice");
    if (!(g.share > 0.0 && std::isfinite(g.share)))
      throw std::invalid_argument("groups['" + g.name + "'].share: " + std::to_string(g.share) +
                                  " is not a positive number");
    if (!(g.learn_multiplier > 0.0 && std::isfinite(g.learn_multiplier)))
      throw std::invalid_argument("groups['" + g.name + "'].learn_multiplier: " +
                                  std::to_string(g.learn_multiplier) + " is not a positive number");
    total += g.share;
    cumulative.push_back(total);
    sim.group_names.push_back(g.name);
  }
  const plan pl = make_plan(fw, p, o);
  // Moving on takes the streak (max(streak, rule.min_evidence) correct answers) plus one check
  // of each required kind: with fewer attempts allowed, no learner could ever master the
  // competency (every one would give up on it).
  for (std::size_t c = 0; c < fw.size(); ++c) {
    if (!pl.practicable[c]) continue;
    const std::uint64_t checks = pl.checks_begin[c + 1] - pl.checks_begin[c];
    const std::uint64_t needed = std::uint64_t{pl.streak[c]} + checks;
    if (o.max_attempts < needed) {
      const auto& id = fw.at(static_cast<index_t>(c)).id;
      throw std::invalid_argument(
          "max_attempts: " + std::to_string(o.max_attempts) + " is less than the " +
          std::to_string(needed) + " attempts moving on from '" + id + "' takes (streak " +
          std::to_string(o.streak) +
          (pl.streak[c] != o.streak
               ? ", raised to the rule's min_evidence " + std::to_string(pl.streak[c])
               : std::string()) +
          (checks != 0 ? ", plus " + std::to_string(checks) + " check(s) of required kinds"
                       : std::string()) +
          "): no learner could ever master it");
    }
  }

  const std::size_t n = o.learners;
  sim.competency_ids.reserve(fw.size());
  for (const auto& c : fw.competencies()) sim.competency_ids.push_back(c.id);
  sim.kind_names = pl.kind_names;
  sim.learner_names.reserve(n);
  for (std::size_t i = 0; i < n; ++i) sim.learner_names.push_back("L" + std::to_string(i));
  sim.group.resize(n);
  sim.pace.resize(n);

  // Fixed blocks (not one per thread), so the concatenation order never depends on threads.
  constexpr std::size_t block_size = 1024;
  const std::size_t blocks = (n + block_size - 1) / block_size;
  std::vector<block> out(blocks);
  const unsigned threads = detail::resolve_threads(o.threads);
  std::vector<scratch> scratches(std::min<std::size_t>(threads, std::max<std::size_t>(blocks, 1)));
  detail::parallel_tasks(blocks, threads, [&](std::size_t b, unsigned worker) {
    block& blk = out[b];
    const std::size_t lo = b * block_size, hi = std::min(n, lo + block_size);
    const std::size_t guess = (hi - lo) * o.attempts;
    blk.learner.reserve(guess);
    blk.competency.reserve(guess);
    blk.time.reserve(guess);
    blk.score.reserve(guess);
    blk.kind.reserve(guess);
    blk.correct.reserve(guess);
    for (std::size_t i = lo; i < hi; ++i)
      simulate_learner(static_cast<std::uint32_t>(i), pl, o, cumulative, scratches[worker], blk,
                       sim.group[i], sim.pace[i]);
  });
  std::size_t rows = 0, truth = 0;
  for (const auto& blk : out) {
    rows += blk.time.size();
    truth += blk.mastery_time.size();
  }
  sim.learner.reserve(rows);
  sim.competency.reserve(rows);
  sim.time.reserve(rows);
  sim.score.reserve(rows);
  sim.kind.reserve(rows);
  sim.correct.reserve(rows);
  sim.truth_learner.reserve(truth);
  sim.truth_competency.reserve(truth);
  sim.mastery_time.reserve(truth);
  sim.truth_attempts.reserve(truth);
  for (auto& blk : out) {
    append(sim.learner, blk.learner);
    append(sim.competency, blk.competency);
    append(sim.time, blk.time);
    append(sim.score, blk.score);
    append(sim.kind, blk.kind);
    append(sim.correct, blk.correct);
    append(sim.truth_learner, blk.truth_learner);
    append(sim.truth_competency, blk.truth_competency);
    append(sim.mastery_time, blk.mastery_time);
    append(sim.truth_attempts, blk.truth_attempts);
    blk = block{};
  }
  return sim;
}

}  // namespace masterymap::testing
