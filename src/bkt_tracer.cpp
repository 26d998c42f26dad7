// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Online BKT: per-learner states in an open-addressing table, O(1) per answer.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/bkt.hpp>
#include <stdexcept>
#include <tuple>

#include "bkt_detail.hpp"
#include "bkt_json.hpp"

namespace masterymap::bkt {

namespace {

struct pair_state {
  double p;             // P(L) for the next opportunity
  double u;             // P(not L), kept separately for precision (see model::predict_into)
  std::uint32_t count;  // answers seen
};

// Linear-probing hash table from (learner << 32 | skill) to a state. Keys are never erased one
// by one (a learner reset rebuilds the table), so there are no tombstones.
class state_table {
 public:
  static constexpr std::uint64_t empty_key = std::numeric_limits<std::uint64_t>::max();

  state_table() { rehash(16); }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  pair_state* find(std::uint64_t key) noexcept {
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &vals_[i];
      if (keys_[i] == empty_key) return nullptr;
    }
  }
  [[nodiscard]] const pair_state* find(std::uint64_t key) const noexcept {
    return const_cast<state_table*>(this)->find(key);
  }
  // Returns the state and whether it was inserted (then `p` must be initialised).
  pair_state& find_or_insert(std::uint64_t key, bool& inserted) {
    if (2 * (size_ + 1) > keys_.size()) rehash(keys_.size() * 2);  // keeps the load <= 1/2
    std::size_t i = slot(key);
    for (;; i = (i + 1) & mask_) {
      if (keys_[i] == key) {
        inserted = false;
        return vals_[i];
      }
      if (keys_[i] == empty_key) break;
    }
    keys_[i] = key;
    vals_[i] = pair_state{0.0, 1.0, 0};
    ++size_;
    inserted = true;
    return vals_[i];
  }
  void clear() { rehash(16, true); }
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] != empty_key) fn(keys_[i], vals_[i]);
  }
  template <typename Pred>
  void erase_if(Pred&& pred) {
    std::vector<std::uint64_t> keys;
    std::vector<pair_state> vals;
    for_each([&](std::uint64_t k, const pair_state& v) {
      if (!pred(k)) {
        keys.push_back(k);
        vals.push_back(v);
      }
    });
    std::size_t cap = 16;
    while (cap < 2 * keys.size()) cap *= 2;
    rehash(cap, true);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      bool ins = false;
      find_or_insert(keys[i], ins) = vals[i];
    }
  }

 private:
  [[nodiscard]] std::size_t slot(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_);
  }
  void rehash(std::size_t capacity, bool discard = false) {
    std::vector<std::uint64_t> old_keys(capacity, empty_key);
    std::vector<pair_state> old_vals(capacity);
    old_keys.swap(keys_);
    old_vals.swap(vals_);
    mask_ = capacity - 1;
    int bits = 0;
    while ((std::size_t{1} << bits) < capacity) ++bits;
    shift_ = 64 - bits;
    size_ = 0;
    if (discard) return;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] == empty_key) continue;
      std::size_t j = slot(old_keys[i]);
      while (keys_[j] != empty_key) j = (j + 1) & mask_;
      keys_[j] = old_keys[i];
      vals_[j] = old_vals[i];
      ++size_;
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<pair_state> vals_;
  std::size_t mask_ = 0;
  int shift_ = 60;
  std::size_t size_ = 0;
};

struct flat {
  double prior, learn, forget, guess, slip;
};

inline std::uint64_t key_of(std::uint32_t learner, std::uint32_t skill) noexcept {
  return (static_cast<std::uint64_t>(learner) << 32) | skill;
}

}  // namespace

struct tracer::impl {
  bkt::model m;
  double threshold = 0.95;
  std::vector<flat> skills;
  std::vector<std::string> learners;
  std::unordered_map<std::string, std::uint32_t> learner_index;
  state_table states;

  impl(bkt::model model_, double t) : m(std::move(model_)), threshold(t) {
    skills.reserve(m.size());
    for (const auto& p : m.params())
      skills.push_back(flat{p.prior, p.learn, p.forget, p.mean_guess(), p.mean_slip()});
  }

  void check(std::uint32_t learner, std::uint32_t skill) const {
    if (learner >= learners.size())
      throw std::out_of_range(
          fmt::format("learner index {} (there are {})", learner, learners.size()));
    if (skill >= skills.size())
      throw std::out_of_range(fmt::format("skill index {} (there are {})", skill, skills.size()));
  }

  [[nodiscard]] double state(std::uint32_t learner, std::uint32_t skill) const {
    check(learner, skill);
    const pair_state* s = states.find(key_of(learner, skill));
    return s ? s->p : skills[skill].prior;
  }

  // The filter step, exactly as model::predict_into; returns P(correct) before the answer.
  static double step(pair_state& st, const flat& f, double guess, double slip,
                     bool correct) noexcept {
    const double right = st.p * (1.0 - slip), lucky = st.u * guess;
    const double pc = right + lucky;
    const double a = correct ? right : st.p * slip;
    const double b = correct ? lucky : st.u * (1.0 - guess);
    const double inv = 1.0 / (a + b);
    const double post = a * inv, post_u = b * inv;
    st.p = post * (1.0 - f.forget) + post_u * f.learn;
    st.u = post_u * (1.0 - f.learn) + post * f.forget;
    return pc;
  }

  double update(std::uint32_t learner, std::uint32_t skill, bool correct, double guess, double slip,
                double* p_correct) {
    const flat& f = skills[skill];
    bool inserted = false;
    pair_state& s = states.find_or_insert(key_of(learner, skill), inserted);
    if (inserted) {
      s.p = f.prior;
      s.u = 1.0 - f.prior;
    }
    const double pc = step(s, f, guess, slip, correct);
    ++s.count;
    if (p_correct) *p_correct = pc;
    return s.p;
  }
};

tracer::tracer(bkt::model m, double mastery_threshold) {
  if (!(mastery_threshold >= 0.0 && mastery_threshold <= 1.0))
    throw std::invalid_argument(
        fmt::format("mastery threshold must be in [0, 1], got {}", mastery_threshold));
  impl_ = std::make_unique<impl>(std::move(m), mastery_threshold);
}

tracer::tracer(const tracer& other) : impl_(std::make_unique<impl>(*other.impl_)) {}
tracer::tracer(tracer&&) noexcept = default;
tracer& tracer::operator=(const tracer& other) {
  if (this != &other) impl_ = std::make_unique<impl>(*other.impl_);
  return *this;
}
tracer& tracer::operator=(tracer&&) noexcept = default;
tracer::~tracer() = default;

const bkt::model& tracer::model() const noexcept { return impl_->m; }
double tracer::threshold() const noexcept { return impl_->threshold; }
void tracer::set_threshold(double t) {
  if (!(t >= 0.0 && t <= 1.0))
    throw std::invalid_argument(fmt::format("mastery threshold must be in [0, 1], got {}", t));
  impl_->threshold = t;
}

std::uint32_t tracer::learner_index(std::string_view learner) {
  if (learner.empty()) throw std::invalid_argument("empty learner");
  auto [it, inserted] = impl_->learner_index.try_emplace(
      std::string(learner), static_cast<std::uint32_t>(impl_->learners.size()));
  if (inserted) impl_->learners.emplace_back(learner);
  return it->second;
}

std::optional<std::uint32_t> tracer::find_learner(std::string_view learner) const {
  auto it = impl_->learner_index.find(std::string(learner));
  if (it == impl_->learner_index.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& tracer::learners() const noexcept { return impl_->learners; }

std::uint32_t tracer::skill_index(std::string_view skill) const {
  auto k = impl_->m.find(skill);
  if (!k) throw unknown_id_error(std::string(skill), "skill");
  return static_cast<std::uint32_t>(*k);
}

std::optional<std::uint32_t> tracer::find_class(std::string_view item_class) const {
  auto it = impl_->m.class_ids_.find(std::string(item_class));
  if (it == impl_->m.class_ids_.end()) return std::nullopt;
  return it->second;
}

double tracer::update(std::uint32_t learner, std::uint32_t skill, bool correct,
                      std::int64_t item_class) {
  impl_->check(learner, skill);
  const flat& f = impl_->skills[skill];
  double guess = f.guess, slip = f.slip;
  if (item_class >= 0) {
    const auto& local = impl_->m.class_local_[skill];
    auto it = local.find(static_cast<std::uint32_t>(item_class));
    if (it != local.end()) {
      guess = impl_->m.params()[skill].guess[it->second];
      slip = impl_->m.params()[skill].slip[it->second];
    }
  }
  return impl_->update(learner, skill, correct, guess, slip, nullptr);
}

double tracer::update(std::string_view learner, std::string_view skill, bool correct,
                      std::string_view item_class) {
  const std::uint32_t k = skill_index(skill);
  std::int64_t c = -1;
  if (!item_class.empty()) {
    if (auto id = find_class(item_class)) c = *id;
  }
  return update(learner_index(learner), k, correct, c);
}

void tracer::update_batch(const std::uint32_t* learners, const std::uint32_t* skills,
                          const std::uint8_t* correct, std::size_t n, double* mastery_out,
                          double* p_correct_out) {
  const std::size_t nl = impl_->learners.size(), ns = impl_->skills.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (learners[i] >= nl || skills[i] >= ns) impl_->check(learners[i], skills[i]);
    if (correct[i] > 1)
      throw std::invalid_argument(
          fmt::format("event {}: correct must be 0 or 1, got {}", i, int{correct[i]}));
  }
  impl& im = *impl_;
  for (std::size_t i = 0; i < n; ++i) {
    const flat& f = im.skills[skills[i]];
    const double p = im.update(learners[i], skills[i], correct[i] != 0, f.guess, f.slip,
                               p_correct_out ? p_correct_out + i : nullptr);
    if (mastery_out) mastery_out[i] = p;
  }
}

double tracer::mastery(std::uint32_t learner, std::uint32_t skill) const {
  return impl_->state(learner, skill);
}

double tracer::mastery(std::string_view learner, std::string_view skill) const {
  const std::uint32_t k = skill_index(skill);
  auto l = find_learner(learner);
  return l ? impl_->state(*l, k) : impl_->skills[k].prior;
}

bool tracer::mastered(std::uint32_t learner, std::uint32_t skill) const {
  return mastery(learner, skill) >= impl_->threshold;
}

bool tracer::mastered(std::string_view learner, std::string_view skill) const {
  return mastery(learner, skill) >= impl_->threshold;
}

double tracer::predict_correct(std::uint32_t learner, std::uint32_t skill) const {
  impl_->check(learner, skill);
  const flat& f = impl_->skills[skill];
  const pair_state* s = impl_->states.find(key_of(learner, skill));
  const double p = s ? s->p : f.prior, u = s ? s->u : 1.0 - f.prior;
  return p * (1.0 - f.slip) + u * f.guess;
}

std::uint32_t tracer::opportunities(std::uint32_t learner, std::uint32_t skill) const {
  impl_->check(learner, skill);
  const pair_state* s = impl_->states.find(key_of(learner, skill));
  return s ? s->count : 0;
}

std::size_t tracer::tracked_pairs() const noexcept { return impl_->states.size(); }

void tracer::reset(std::string_view learner) {
  auto l = find_learner(learner);
  if (!l) throw unknown_id_error(std::string(learner), "learner");
  const std::uint64_t id = *l;
  impl_->states.erase_if([id](std::uint64_t key) { return (key >> 32) == id; });
}

void tracer::reset_all() { impl_->states.clear(); }

bool operator==(const tracer& a, const tracer& b) {
  const tracer::impl& x = *a.impl_;
  const tracer::impl& y = *b.impl_;
  if (x.threshold != y.threshold || x.m != y.m || x.learners != y.learners ||
      x.states.size() != y.states.size())
    return false;
  bool same = true;
  x.states.for_each([&](std::uint64_t key, const pair_state& s) {
    const pair_state* t = same ? y.states.find(key) : nullptr;
    same = t && t->p == s.p && t->u == s.u && t->count == s.count;
  });
  return same;
}

std::string tracer::to_json(int indent) const {
  nlohmann::json j;
  j["format"] = "masterymap.bkt.tracer";
  j["version"] = 1;
  j["threshold"] = impl_->threshold;
  j["model"] = detail::model_to_json(impl_->m);
  j["learners"] = impl_->learners;
  std::vector<std::tuple<std::uint32_t, std::uint32_t, double, double, std::uint32_t>> rows;
  impl_->states.for_each([&](std::uint64_t key, const pair_state& s) {
    rows.emplace_back(static_cast<std::uint32_t>(key >> 32),
                      static_cast<std::uint32_t>(key & 0xffffffffU), s.p, s.u, s.count);
  });
  std::sort(rows.begin(), rows.end());
  nlohmann::json states = nlohmann::json::array();
  for (const auto& [l, k, p, u, n] : rows)
    states.push_back(nlohmann::json::array({l, impl_->m.params()[k].skill, p, u, n}));
  j["states"] = std::move(states);
  return j.dump(indent);
}

tracer tracer::from_json(std::string_view text) {
  const nlohmann::json j = detail::parse_json_text(text, "bkt tracer JSON");
  auto fail = [](const std::string& path, const std::string& what) -> void {
    throw parse_error(fmt::format("bkt tracer JSON: {} {}", path, what), 0, 0);
  };
  if (!j.is_object()) fail("$", "must be an object");
  // Compared as JSON values: a field of another type is a mismatch, not a type error.
  if (j.find("format") == j.end() || j["format"] != "masterymap.bkt.tracer")
    fail("$.format", "must be \"masterymap.bkt.tracer\"");
  if (j.find("version") == j.end() || j["version"] != 1) fail("$.version", "must be 1");
  if (!j.contains("threshold") || !j["threshold"].is_number())
    fail("$.threshold", "must be a number");
  const double threshold = j["threshold"].get<double>();
  if (!(threshold >= 0.0 && threshold <= 1.0)) fail("$.threshold", "must be in [0, 1]");
  if (!j.contains("model")) fail("$.model", "is missing");
  tracer t(detail::model_from_json(j["model"], "$.model"), threshold);
  const auto& learners = j.value("learners", nlohmann::json::array());
  if (!learners.is_array()) fail("$.learners", "must be an array");
  for (std::size_t i = 0; i < learners.size(); ++i) {
    if (!learners[i].is_string() || learners[i].get<std::string>().empty())
      fail(fmt::format("$.learners[{}]", i), "must be a non-empty string");
    if (t.learner_index(learners[i].get<std::string>()) != i)
      fail(fmt::format("$.learners[{}]", i), "is a duplicate");
  }
  const auto& states = j.value("states", nlohmann::json::array());
  if (!states.is_array()) fail("$.states", "must be an array");
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto& s = states[i];
    const std::string path = fmt::format("$.states[{}]", i);
    if (!s.is_array() || s.size() != 5 || !s[0].is_number_unsigned() || !s[1].is_string() ||
        !s[2].is_number() || !s[3].is_number() || !s[4].is_number_unsigned())
      fail(path, "must be [learner index, skill, P(L), P(not L), count]");
    if (s[4].get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())
      fail(path, "has a count past 2^32 - 1");
    const auto l = s[0].get<std::uint64_t>();
    if (l >= t.impl_->learners.size()) fail(path, "has a learner index out of range");
    auto k = t.impl_->m.find(s[1].get<std::string>());
    if (!k) fail(path, fmt::format("names unknown skill '{}'", s[1].get<std::string>()));
    const double p = s[2].get<double>(), u = s[3].get<double>();
    if (!(p >= 0.0 && p <= 1.0 && u >= 0.0 && u <= 1.0))
      fail(path, "has a probability outside [0, 1]");
    bool inserted = false;
    pair_state& st = t.impl_->states.find_or_insert(
        key_of(static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(*k)), inserted);
    st.p = p;
    st.u = u;
    st.count = s[4].get<std::uint32_t>();
  }
  return t;
}

}  // namespace masterymap::bkt
