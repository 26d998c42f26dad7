// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// BKT model: parameters, prediction (forward filter), metrics and JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <masterymap/bkt.hpp>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <type_traits>

#include "bkt_detail.hpp"
#include "bkt_json.hpp"
#include "file_util.hpp"
#include "json_util.hpp"

namespace masterymap::bkt {

double skill_params::mean_guess() const noexcept {
  if (guess.empty()) return 0.0;
  return std::accumulate(guess.begin(), guess.end(), 0.0) / static_cast<double>(guess.size());
}

double skill_params::mean_slip() const noexcept {
  if (slip.empty()) return 0.0;
  return std::accumulate(slip.begin(), slip.end(), 0.0) / static_cast<double>(slip.size());
}

namespace {

void check_probability(double v, const std::string& skill, const char* what) {
  if (!(v >= 0.0 && v <= 1.0))
    throw std::invalid_argument(
        fmt::format("skill '{}': {} must be in [0, 1], got {}", skill, what, v));
}

}  // namespace

model::model(std::vector<skill_params> params, bool forgets, bool multigs)
    : params_(std::move(params)), forgets_(forgets), multigs_(multigs) {
  for (const auto& p : params_) {
    if (p.skill.empty()) throw std::invalid_argument("a skill has an empty name");
    check_probability(p.prior, p.skill, "prior");
    check_probability(p.learn, p.skill, "learn");
    check_probability(p.forget, p.skill, "forget");
    const std::size_t nc = std::max<std::size_t>(1, p.classes.size());
    if (p.guess.size() != nc || p.slip.size() != nc)
      throw std::invalid_argument(
          fmt::format("skill '{}': {} guess and {} slip values for {} classes", p.skill,
                      p.guess.size(), p.slip.size(), nc));
    for (double g : p.guess) check_probability(g, p.skill, "guess");
    for (double s : p.slip) check_probability(s, p.skill, "slip");
  }
  index();
}

void model::index() {
  by_name_.clear();
  class_ids_.clear();
  class_local_.assign(params_.size(), {});
  double w = 0, prior = 0, learn = 0, forget = 0, guess = 0, slip = 0;
  for (std::size_t k = 0; k < params_.size(); ++k) {
    const skill_params& p = params_[k];
    if (!by_name_.emplace(p.skill, k).second)
      throw std::invalid_argument(fmt::format("duplicate skill '{}'", p.skill));
    for (std::size_t c = 0; c < p.classes.size(); ++c) {
      auto [it, inserted] =
          class_ids_.try_emplace(p.classes[c], static_cast<std::uint32_t>(class_ids_.size()));
      (void)inserted;
      class_local_[k].emplace(it->second, static_cast<std::uint32_t>(c));
    }
    const double wk = p.observations > 0 ? static_cast<double>(p.observations) : 1.0;
    w += wk;
    prior += wk * p.prior;
    learn += wk * p.learn;
    forget += wk * p.forget;
    guess += wk * p.mean_guess();
    slip += wk * p.mean_slip();
  }
  average_ = skill_params{};
  average_.skill = "(average)";
  if (w > 0) {
    average_.prior = prior / w;
    average_.learn = learn / w;
    average_.forget = forget / w;
    average_.guess = {guess / w};
    average_.slip = {slip / w};
  }
}

std::optional<std::size_t> model::find(std::string_view skill) const {
  auto it = by_name_.find(std::string(skill));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

const skill_params& model::at(std::string_view skill) const& {
  auto k = find(skill);
  if (!k) throw unknown_id_error(std::string(skill), "skill");
  return params_[*k];
}

// --- prediction -------------------------------------------------------------------------------

namespace {

struct flat_params {
  double prior, learn, forget, guess, slip;
  bool valid;
};

// The model's parameters of each skill of the dataset (only skills with rows are looked up),
// and the model's index of each (-1: not in the model).
struct skill_lookup {
  std::vector<flat_params> fp;
  std::vector<std::int64_t> model_index;
};

// \throws unknown_id_error for a skill the model lacks, under unknown_skill::error.
skill_lookup lookup_skills(const model& m, const dataset& data, unknown_skill unknown) {
  const std::size_t ks = data.skill_count();
  std::vector<bool> used(ks, false);
  for (std::uint32_t s : data.skills()) used[s] = true;
  skill_lookup out{std::vector<flat_params>(ks), std::vector<std::int64_t>(ks, -1)};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < ks; ++k) {
    if (!used[k]) continue;
    auto mi = m.find(data.skill_names()[k]);
    const skill_params* p = nullptr;
    if (mi) {
      p = &m.params()[*mi];
      out.model_index[k] = static_cast<std::int64_t>(*mi);
    } else if (unknown == unknown_skill::error) {
      throw unknown_id_error(data.skill_names()[k], "skill");
    } else if (unknown == unknown_skill::average) {
      p = &m.average();
    }
    out.fp[k] =
        p ? flat_params{p->prior, p->learn, p->forget, p->mean_guess(), p->mean_slip(), true}
          : flat_params{nan, nan, nan, nan, nan, false};
  }
  return out;
}

// Learner runs in contiguous chunks of about 64K rows: chunk c is runs [result[c],
// result[c + 1]).
std::vector<std::size_t> learner_chunks(const detail::grouping& g) {
  const std::size_t nl = g.skill_begin.empty() ? 0 : g.skill_begin.size() - 1;  // runs
  const std::size_t chunk_rows = 1U << 16;
  std::vector<std::size_t> chunk_begin{0};
  for (std::size_t l = 0, acc = 0; l < nl; ++l) {
    acc += g.skill_begin[l + 1] - g.skill_begin[l];
    if (acc >= chunk_rows) {
      chunk_begin.push_back(l + 1);
      acc = 0;
    }
  }
  if (chunk_begin.back() != nl) chunk_begin.push_back(nl);
  return chunk_begin;
}

// What tracing a chunk of learners reads.
struct trace_inputs {
  const dataset& data;
  const detail::grouping& g;
  const skill_lookup& skills;
  bool classes;                                   // per-class guess/slip
  const std::vector<std::int64_t>& global_class;  // dataset class -> the model's class id
  const std::vector<skill_params>& params;        // the model's
  const std::vector<std::unordered_map<std::uint32_t, std::uint32_t>>& class_local;
};

// Traces learner runs [lb, le), writing each row's P(correct) and posterior P(L).
void trace_learners(const trace_inputs& in, std::size_t lb, std::size_t le, double* correct_out,
                    double* state_out) {
  const std::size_t ks = in.data.skill_count();
  const detail::grouping& g = in.g;
  const std::uint32_t* perm = g.rows.empty() ? nullptr : g.rows.data();
  const auto& skill = in.data.skills();
  const auto& correct = in.data.correct();
  const auto& fp = in.skills.fp;
  const auto& model_index = in.skills.model_index;
  // The state is kept as the pair (P(L), P(not L)), each updated from positive terms only.
  // Storing P(L) alone saturates at exactly 1.0 after a long run of correct answers (when the
  // true P(not L) drops below 2^-53), and the model then never reacts to wrong answers again:
  // on the ASSISTments split that costs more than 0.01 AUC. With the pair, the small side
  // keeps its full relative precision, as in the EM's unnormalised forward pass.
  std::vector<double> learned(ks), unlearned(ks);
  std::vector<std::uint32_t> stamp(ks, 0);
  std::uint32_t generation = 0;
  for (std::size_t l = lb; l < le; ++l) {
    ++generation;
    for (std::uint32_t i = g.skill_begin[l]; i < g.skill_begin[l + 1]; ++i) {
      const std::uint32_t row = perm ? perm[i] : i;
      const std::uint32_t k = skill[row];
      const flat_params& p = fp[k];
      if (stamp[k] != generation) {
        stamp[k] = generation;
        learned[k] = p.prior;
        unlearned[k] = 1.0 - p.prior;
      }
      double gs = p.guess, sl = p.slip;
      if (in.classes && model_index[k] >= 0) {
        const std::int64_t gc = in.global_class[in.data.item_classes()[row]];
        if (gc >= 0) {
          const auto& local = in.class_local[static_cast<std::size_t>(model_index[k])];
          auto it = local.find(static_cast<std::uint32_t>(gc));
          if (it != local.end()) {
            const skill_params& sp = in.params[static_cast<std::size_t>(model_index[k])];
            gs = sp.guess[it->second];
            sl = sp.slip[it->second];
          }
        }
      }
      const double pl = learned[k], ul = unlearned[k];
      const double right = pl * (1.0 - sl), lucky = ul * gs;
      const double pc = right + lucky;
      const double a = correct[row] ? right : pl * sl;
      const double b = correct[row] ? lucky : ul * (1.0 - gs);
      const double inv = 1.0 / (a + b);
      const double post = a * inv, post_u = b * inv;
      const double next = post * (1.0 - p.forget) + post_u * p.learn;
      learned[k] = next;
      unlearned[k] = post_u * (1.0 - p.learn) + post * p.forget;
      if (correct_out) correct_out[row] = pc;
      if (state_out) state_out[row] = next;
    }
  }
}

}  // namespace

void model::predict_into(const dataset& data, double* correct_out, double* state_out,
                         unknown_skill unknown, const progress& progress) const {
  const skill_lookup skills = lookup_skills(*this, data, unknown);
  // Progress: rows traced.
  masterymap::detail::meter m(progress, data.size());
  // Per-class guess/slip: map dataset classes to the model's global class ids.
  const bool classes = multigs_ && data.has_item_class() && !class_ids_.empty();
  std::vector<std::int64_t> global_class;
  if (classes) {
    global_class.assign(data.class_names().size(), -1);
    for (std::size_t c = 0; c < data.class_names().size(); ++c) {
      auto it = class_ids_.find(data.class_names()[c]);
      if (it != class_ids_.end()) global_class[c] = it->second;
    }
  }
  const detail::grouping g = detail::learner_runs(data);
  const trace_inputs in{data, g, skills, classes, global_class, params_, class_local_};
  const std::vector<std::size_t> chunk_begin = learner_chunks(g);
  const unsigned threads = data.size() >= 200000 ? 0U : 1U;
  m.run([&] {
    masterymap::detail::parallel_tasks(
        chunk_begin.size() - 1, threads,
        [&](std::size_t chunk, unsigned) {
          trace_learners(in, chunk_begin[chunk], chunk_begin[chunk + 1], correct_out, state_out);
          m.advance(g.skill_begin[chunk_begin[chunk + 1]] - g.skill_begin[chunk_begin[chunk]]);
        },
        &m);
    m.finish();
  });
}

prediction model::predict(const dataset& data, unknown_skill unknown,
                          const progress& progress) const {
  prediction out;
  out.correct.resize(data.size());
  out.state.resize(data.size());
  predict_into(data, out.correct.data(), out.state.data(), unknown, progress);
  return out;
}

metrics model::evaluate(const dataset& data, unknown_skill unknown,
                        const progress& progress) const {
  std::vector<double> pc(data.size());
  predict_into(data, pc.data(), nullptr, unknown, progress);
  return compute_metrics(data.correct(), pc);
}

metrics compute_metrics(const std::vector<std::uint8_t>& correct,
                        const std::vector<double>& predicted) {
  if (correct.size() != predicted.size())
    throw std::invalid_argument(
        fmt::format("{} answers but {} predictions", correct.size(), predicted.size()));
  std::vector<std::pair<double, std::uint8_t>> v;
  v.reserve(correct.size());
  metrics m;
  double se = 0, ll = 0;
  std::uint64_t hits = 0;
  for (std::size_t i = 0; i < correct.size(); ++i) {
    const double p = predicted[i];
    if (std::isnan(p)) continue;
    const std::uint8_t y = correct[i];
    v.emplace_back(p, y);
    se += (p - y) * (p - y);
    hits += (p >= 0.5) == (y == 1) ? 1 : 0;
    ll += std::log(y ? p : 1.0 - p);
  }
  m.count = v.size();
  if (v.empty()) {
    m.auc = m.rmse = m.accuracy = std::numeric_limits<double>::quiet_NaN();
    return m;
  }
  m.rmse = std::sqrt(se / static_cast<double>(v.size()));
  m.accuracy = static_cast<double>(hits) / static_cast<double>(v.size());
  m.log_likelihood = ll;
  // AUC = Mann-Whitney U / (positives * negatives), with average ranks for ties.
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum = 0, pos = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    double pos_here = 0;
    while (j < v.size() && v[j].first == v[i].first) pos_here += v[j++].second;
    const double mid_rank = 0.5 * static_cast<double>(i + 1 + j);  // ranks i+1 .. j
    rank_sum += pos_here * mid_rank;
    pos += pos_here;
    i = j;
  }
  const double neg = static_cast<double>(v.size()) - pos;
  m.auc = pos > 0 && neg > 0 ? (rank_sum - pos * (pos + 1) / 2) / (pos * neg)
                             : std::numeric_limits<double>::quiet_NaN();
  return m;
}

// --- JSON -------------------------------------------------------------------------------------

namespace {

using json = nlohmann::json;

[[noreturn]] void json_fail(const std::string& path, const std::string& what) {
  throw parse_error(fmt::format("bkt model JSON: {} {}", path, what), 0, 0);
}

const json& field(const json& j, const char* key, const std::string& path) {
  auto it = j.find(key);
  if (it == j.end()) json_fail(path + "." + key, "is missing");
  return *it;
}

double number(const json& j, const char* key, const std::string& path) {
  const json& v = field(j, key, path);
  if (!v.is_number()) json_fail(path + "." + key, "must be a number");
  return v.get<double>();
}

std::vector<double> numbers(const json& j, const char* key, const std::string& path) {
  const json& v = field(j, key, path);
  if (v.is_number()) return {v.get<double>()};
  if (!v.is_array()) json_fail(path + "." + key, "must be a number or an array of numbers");
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number()) json_fail(fmt::format("{}.{}[{}]", path, key, i), "must be a number");
    out.push_back(v[i].get<double>());
  }
  return out;
}

// An optional field of type T (a bool, an integer type or double): `fallback` when absent;
// otherwise the field must have that type, and an integer must fit T (nlohmann's own conversion
// would throw its type_error, or convert an out-of-range float with undefined behaviour).
template <typename T>
T optional_value(const json& j, const char* key, const std::string& path, T fallback) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) json_fail(path + "." + key, "must be true or false");
    return it->template get<bool>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!it->is_number()) json_fail(path + "." + key, "must be a number");
    return it->template get<T>();
  } else {
    const bool fits = it->is_number_unsigned()
                          ? it->template get<std::uint64_t>() <=
                                static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                          : it->is_number_integer() && std::is_signed_v<T> &&
                                it->template get<std::int64_t>() >=
                                    static_cast<std::int64_t>(std::numeric_limits<T>::min());
    if (!fits)
      json_fail(path + "." + key,
                fmt::format("must be an integer from {} to {}", std::numeric_limits<T>::min(),
                            std::numeric_limits<T>::max()));
    return it->template get<T>();
  }
}

}  // namespace

namespace detail {

json model_to_json(const model& m) {
  json j;
  j["format"] = "masterymap.bkt.model";
  j["version"] = 1;
  j["forgets"] = m.forgets();
  j["multigs"] = m.multigs();
  json skills = json::array();
  for (const auto& p : m.params()) {
    json s;
    s["skill"] = p.skill;
    s["prior"] = p.prior;
    s["learn"] = p.learn;
    s["forget"] = p.forget;
    if (p.classes.empty()) {
      s["guess"] = p.guess.at(0);
      s["slip"] = p.slip.at(0);
    } else {
      s["classes"] = p.classes;
      s["guess"] = p.guess;
      s["slip"] = p.slip;
    }
    s["fit"] = {{"log_likelihood", p.log_likelihood}, {"iterations", p.iterations},
                {"converged", p.converged},           {"restart", p.restart},
                {"observations", p.observations},     {"sequences", p.sequences}};
    skills.push_back(std::move(s));
  }
  j["skills"] = std::move(skills);
  return j;
}

model model_from_json(const json& j, const std::string& path) {
  if (!j.is_object()) json_fail(path, "must be an object");
  const json& format = field(j, "format", path);
  if (format != "masterymap.bkt.model")
    json_fail(path + ".format", "must be \"masterymap.bkt.model\"");
  const json& version = field(j, "version", path);
  if (version != 1 && version != 2)
    json_fail(path + ".version", fmt::format("{} is not supported (1 and 2 are)", version.dump()));
  const bool forgets = optional_value(j, "forgets", path, false);
  const bool multigs = optional_value(j, "multigs", path, false);
  const json& skills = field(j, "skills", path);
  if (!skills.is_array()) json_fail(path + ".skills", "must be an array");
  std::vector<skill_params> params;
  for (std::size_t i = 0; i < skills.size(); ++i) {
    const std::string sp = fmt::format("{}.skills[{}]", path, i);
    const json& s = skills[i];
    if (!s.is_object()) json_fail(sp, "must be an object");
    skill_params p;
    const json& name = field(s, "skill", sp);
    if (!name.is_string()) json_fail(sp + ".skill", "must be a string");
    p.skill = name.get<std::string>();
    p.prior = number(s, "prior", sp);
    p.learn = number(s, "learn", sp);
    p.forget = number(s, "forget", sp);
    p.guess = numbers(s, "guess", sp);
    p.slip = numbers(s, "slip", sp);
    if (auto c = s.find("classes"); c != s.end()) {
      if (!c->is_array()) json_fail(sp + ".classes", "must be an array of strings");
      for (const auto& x : *c) {
        if (!x.is_string()) json_fail(sp + ".classes", "must be an array of strings");
        p.classes.push_back(x.get<std::string>());
      }
    }
    if (auto f = s.find("fit"); f != s.end() && f->is_object()) {
      const std::string fp = sp + ".fit";
      p.log_likelihood = optional_value(*f, "log_likelihood", fp, 0.0);
      p.iterations = optional_value(*f, "iterations", fp, 0);
      p.converged = optional_value(*f, "converged", fp, false);
      p.restart = optional_value(*f, "restart", fp, 0);
      p.observations = optional_value(*f, "observations", fp, std::uint64_t{0});
      p.sequences = optional_value(*f, "sequences", fp, std::uint64_t{0});
    }
    params.push_back(std::move(p));
  }
  try {
    return model(std::move(params), forgets, multigs);
  } catch (const std::invalid_argument& e) {
    json_fail(path, e.what());
  }
}

json parse_json_text(std::string_view text, const char* source) {
  return masterymap::detail::parse_json(text, source);
}

}  // namespace detail

namespace {

// The checksum a saved model carries: XXH3-64 of the compact JSON of every other field.
// Over the parsed document, not the file's bytes, so it survives re-indenting and names the
// model's content: a flipped digit, key or letter changes it (or breaks the JSON).
std::string model_checksum(const json& j) {
  const std::string compact = j.dump();
  return fmt::format("xxh3:{:016x}",
                     masterymap::detail::checksum_of(compact.data(), compact.size()));
}

// Version 2: the model's JSON, the caller's extra object and the checksum over both.
json checksummed(const model& m, std::string_view extra) {
  json j = detail::model_to_json(m);
  j["version"] = 2;
  if (!extra.empty()) {
    json x = detail::parse_json_text(extra, "bkt model extra");
    if (!x.is_object()) throw parse_error("bkt model JSON: extra must be a JSON object", 0, 0);
    j["extra"] = std::move(x);
  }
  j["checksum"] = model_checksum(j);
  return j;
}

}  // namespace

std::string model::to_json(int indent, std::string_view extra) const {
  return checksummed(*this, extra).dump(indent);
}

model model::from_json(std::string_view text, std::string* extra) {
  json j = detail::parse_json_text(text);
  // Version 2 says it carries a checksum: one missing or renamed is damage, not an older file.
  const bool required = j.is_object() && j.contains("version") && j["version"] != 1;
  if (j.is_object() && (j.contains("checksum") || required)) {
    if (!j.contains("checksum"))
      throw parse_error(
          "bkt model JSON: the checksum is missing (a version-2 model carries one; "
          "the file is damaged or was edited)",
          0, 0);
    const json given = j["checksum"];
    j.erase("checksum");
    if (!given.is_string() || given.get<std::string>() != model_checksum(j))
      throw parse_error(
          fmt::format("bkt model JSON: checksum mismatch (the file is corrupt; saved {}, content "
                      "{})",
                      given.is_string() ? given.get<std::string>() : given.dump(),
                      model_checksum(j)),
          0, 0);
  }
  if (extra) extra->clear();
  if (j.is_object() && j.contains("extra")) {
    if (!j["extra"].is_object())
      throw parse_error("bkt model JSON: $.extra must be an object", 0, 0);
    if (extra) *extra = j["extra"].dump();
  }
  return detail::model_from_json(j, "$");
}

void model::save(const std::string& path, std::string_view extra) const {
  masterymap::detail::write_file(path, checksummed(*this, extra).dump(2), "BKT model");
}

model model::load(const std::string& path, std::string* extra) {
  return from_json(masterymap::detail::read_file(path, "BKT model"), extra);
}

}  // namespace masterymap::bkt
