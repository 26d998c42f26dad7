// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// BKT response tables: the dataset type, the CSV reader, grouping and simulation.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/evidence.hpp>
#include <numeric>
#include <stdexcept>
#include <system_error>
#include <unordered_map>

#include "binary_io.hpp"
#include "bkt_detail.hpp"
#include "csv_tokenizer.hpp"
#include "encoding_detail.hpp"
#include "enum_names.hpp"
#include "file_util.hpp"

namespace masterymap::bkt {

using detail::dataset_access;

// --- dataset ----------------------------------------------------------------------------------

dataset::dataset() = default;

namespace {

std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& index,
                     std::vector<std::string>& names, std::string_view name) {
  auto [it, inserted] =
      index.try_emplace(std::string(name), static_cast<std::uint32_t>(names.size()));
  if (inserted) names.emplace_back(name);
  return it->second;
}

// The problem with a skill name under a multi-skill policy ("" = none): a joined name under
// reject, an empty part under split.
std::string multi_skill_problem(std::string_view name, multi_skill policy,
                                std::string_view separator) {
  if (policy == multi_skill::keep || name.find(separator) == std::string_view::npos) return {};
  if (policy == multi_skill::reject)
    return fmt::format(
        "skill '{}' joins several skills (separator '{}'); split it or use "
        "multi_skill 'split'",
        name, separator);
  for (std::size_t start = 0;;) {
    const std::size_t pos = name.find(separator, start);
    if (pos == start || (pos == std::string_view::npos && start == name.size()))
      return fmt::format("skill '{}' has an empty part (separator '{}')", name, separator);
    if (pos == std::string_view::npos) return {};
    start = pos + separator.size();
  }
}

void check_names(const std::vector<std::string>& names, const char* what) {
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty())
      throw std::invalid_argument(fmt::format("empty {} name (code {})", what, i));
    if (!seen.emplace(names[i], i).second)
      throw std::invalid_argument(fmt::format("duplicate {} name '{}'", what, names[i]));
  }
}

}  // namespace

void detail::dataset_access::reindex(dataset& d) {
  auto build = [](std::unordered_map<std::string, std::uint32_t>& index,
                  const std::vector<std::string>& names) {
    index.clear();
    index.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      index.emplace(names[i], static_cast<std::uint32_t>(i));
  };
  build(d.learner_index_, d.learner_names_);
  build(d.skill_index_, d.skill_names_);
  build(d.class_index_, d.class_names_);
}

void dataset::add(std::string_view learner, std::string_view skill, bool correct,
                  std::optional<double> order, std::string_view item_class) {
  if (learner.empty()) throw std::invalid_argument("empty learner");
  if (skill.empty()) throw std::invalid_argument("empty skill");
  const bool first = correct_.empty();
  if (!first && order.has_value() != has_order())
    throw std::invalid_argument("an order key must be given for every row or for none");
  if (!first && item_class.empty() == has_item_class())
    throw std::invalid_argument("an item class must be given for every row or for none");
  if (order && std::isnan(*order)) throw std::invalid_argument("order key is NaN");
  learner_.push_back(intern(learner_index_, learner_names_, learner));
  skill_.push_back(intern(skill_index_, skill_names_, skill));
  correct_.push_back(correct ? 1 : 0);
  if (order) order_.push_back(*order);
  if (!item_class.empty()) item_class_.push_back(intern(class_index_, class_names_, item_class));
  source_row_.push_back(source_row_.size());
}

dataset dataset::from_indices(std::vector<std::uint32_t> learner,
                              std::vector<std::string> learner_names,
                              std::vector<std::uint32_t> skill,
                              std::vector<std::string> skill_names,
                              std::vector<std::uint8_t> correct, std::vector<double> order,
                              std::vector<std::uint32_t> item_class,
                              std::vector<std::string> class_names) {
  const std::size_t n = correct.size();
  if (learner.size() != n || skill.size() != n || (!order.empty() && order.size() != n) ||
      (!item_class.empty() && item_class.size() != n))
    throw std::invalid_argument(fmt::format(
        "column lengths differ: learner {}, skill {}, correct {}, order {}, item class {}",
        learner.size(), skill.size(), n, order.size(), item_class.size()));
  check_names(learner_names, "learner");
  check_names(skill_names, "skill");
  check_names(class_names, "item class");
  for (std::size_t i = 0; i < n; ++i) {
    if (learner[i] >= learner_names.size())
      throw std::invalid_argument(
          fmt::format("row {}: learner code {} out of range", i, learner[i]));
    if (skill[i] >= skill_names.size())
      throw std::invalid_argument(fmt::format("row {}: skill code {} out of range", i, skill[i]));
    if (correct[i] > 1)
      throw std::invalid_argument(
          fmt::format("row {}: correct must be 0 or 1, got {}", i, static_cast<int>(correct[i])));
    if (!item_class.empty() && item_class[i] >= class_names.size())
      throw std::invalid_argument(
          fmt::format("row {}: item class code {} out of range", i, item_class[i]));
    if (!order.empty() && std::isnan(order[i]))
      throw std::invalid_argument(fmt::format("row {}: order key is NaN", i));
  }
  dataset d;
  d.learner_ = std::move(learner);
  d.skill_ = std::move(skill);
  d.correct_ = std::move(correct);
  d.order_ = std::move(order);
  d.item_class_ = std::move(item_class);
  d.learner_names_ = std::move(learner_names);
  d.skill_names_ = std::move(skill_names);
  d.class_names_ = std::move(class_names);
  d.source_row_.resize(n);
  std::iota(d.source_row_.begin(), d.source_row_.end(), std::uint64_t{0});
  dataset_access::reindex(d);
  return d;
}

namespace {
constexpr char dataset_magic[9] = "MMBKTDS1";
constexpr std::uint32_t dataset_version = 1;
}  // namespace

std::string dataset::to_bytes() const {
  masterymap::detail::byte_writer w;
  w.out.reserve(64 + correct_.size() * 17 + item_class_.size() * 4 + order_.size() * 8);
  w.header(dataset_magic, dataset_version);
  w.array(learner_);
  w.array(skill_);
  w.array(correct_);
  w.array(order_);
  w.array(item_class_);
  w.array(source_row_);
  w.strings(learner_names_);
  w.strings(skill_names_);
  w.strings(class_names_);
  return std::move(w.out);
}

dataset dataset::from_bytes(std::string_view bytes) {
  masterymap::detail::byte_reader r{bytes, "bkt dataset"};
  r.header(dataset_magic, dataset_version);
  auto learner = r.array<std::uint32_t>();
  auto skill = r.array<std::uint32_t>();
  auto correct = r.array<std::uint8_t>();
  auto order = r.array<double>();
  auto item_class = r.array<std::uint32_t>();
  auto source_row = r.array<std::uint64_t>();
  auto learner_names = r.strings();
  auto skill_names = r.strings();
  auto class_names = r.strings();
  r.finish();
  if (source_row.size() != correct.size()) r.fail("column lengths differ");
  try {
    // The checks of from_indices, so a restored dataset holds what any dataset may hold.
    dataset d = from_indices(std::move(learner), std::move(learner_names), std::move(skill),
                             std::move(skill_names), std::move(correct), std::move(order),
                             std::move(item_class), std::move(class_names));
    d.source_row_ = std::move(source_row);
    return d;
  } catch (const std::invalid_argument& e) {
    r.fail(e.what());
  }
}

dataset dataset::apply_multi_skill(multi_skill policy, std::string_view separator) const {
  if (policy == multi_skill::keep) return *this;
  if (separator.empty()) throw std::invalid_argument("empty skill separator");
  // Parts of every skill name, as indices into the new name list.
  std::vector<std::vector<std::uint32_t>> parts(skill_names_.size());
  dataset out;
  for (std::size_t k = 0; k < skill_names_.size(); ++k) {
    std::string_view name = skill_names_[k];
    if (name.find(separator) == std::string_view::npos) {
      parts[k].push_back(intern(out.skill_index_, out.skill_names_, name));
      continue;
    }
    if (const std::string problem = multi_skill_problem(name, policy, separator);
        !problem.empty()) {
      // Named at the first row that uses the name, as the input counts rows.
      auto it = std::find(skill_.begin(), skill_.end(), static_cast<std::uint32_t>(k));
      const std::size_t first =
          it == skill_.end() ? 0 : static_cast<std::size_t>(it - skill_.begin());
      const std::size_t row = source_row_.empty() ? first : source_row_[first];
      throw parse_error(fmt::format("row {}: {}", row, problem), 0, 0, row);
    }
    std::size_t start = 0;
    for (;;) {
      std::size_t pos = name.find(separator, start);
      std::string_view part = name.substr(start, pos == std::string_view::npos ? pos : pos - start);
      std::uint32_t id = intern(out.skill_index_, out.skill_names_, part);
      if (std::find(parts[k].begin(), parts[k].end(), id) == parts[k].end()) parts[k].push_back(id);
      if (pos == std::string_view::npos) break;
      start = pos + separator.size();
    }
  }
  out.learner_names_ = learner_names_;
  out.class_names_ = class_names_;
  out.learner_index_ = learner_index_;
  out.class_index_ = class_index_;
  for (std::size_t i = 0; i < size(); ++i) {
    for (std::uint32_t s : parts[skill_[i]]) {
      out.learner_.push_back(learner_[i]);
      out.skill_.push_back(s);
      out.correct_.push_back(correct_[i]);
      if (!order_.empty()) out.order_.push_back(order_[i]);
      if (!item_class_.empty()) out.item_class_.push_back(item_class_[i]);
      out.source_row_.push_back(source_row_[i]);
    }
  }
  return out;
}

dataset dataset::select_learners(const std::vector<bool>& keep) const {
  if (keep.size() != learner_names_.size())
    throw std::invalid_argument("select_learners: one flag per learner expected");
  dataset out;
  out.learner_names_ = learner_names_;
  out.skill_names_ = skill_names_;
  out.class_names_ = class_names_;
  out.learner_index_ = learner_index_;
  out.skill_index_ = skill_index_;
  out.class_index_ = class_index_;
  for (std::size_t i = 0; i < size(); ++i) {
    if (!keep[learner_[i]]) continue;
    out.learner_.push_back(learner_[i]);
    out.skill_.push_back(skill_[i]);
    out.correct_.push_back(correct_[i]);
    if (!order_.empty()) out.order_.push_back(order_[i]);
    if (!item_class_.empty()) out.item_class_.push_back(item_class_[i]);
    out.source_row_.push_back(source_row_[i]);
  }
  return out;
}

// --- grouping ---------------------------------------------------------------------------------

std::vector<std::uint32_t> detail::time_order(const dataset& data) {
  std::vector<std::uint32_t> rows(data.size());
  std::iota(rows.begin(), rows.end(), 0U);
  if (data.has_order()) {
    const auto& key = data.order();
    std::stable_sort(rows.begin(), rows.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
  }
  return rows;
}

namespace {

// Stable counting sort of `rows` by key[row] in [0, buckets).
detail::grouping counting_sort(const std::vector<std::uint32_t>& rows,
                               const std::vector<std::uint32_t>& key, std::size_t buckets) {
  detail::grouping g;
  g.skill_begin.assign(buckets + 1, 0);
  for (std::uint32_t r : rows) ++g.skill_begin[key[r] + 1];
  for (std::size_t b = 0; b < buckets; ++b) g.skill_begin[b + 1] += g.skill_begin[b];
  std::vector<std::uint32_t> fill(g.skill_begin.begin(), g.skill_begin.end() - 1);
  g.rows.resize(rows.size());
  for (std::uint32_t r : rows) g.rows[fill[key[r]]++] = r;
  return g;
}

}  // namespace

detail::grouping detail::group_by_learner(const dataset& data) {
  return counting_sort(time_order(data), data.learners(), data.learner_count());
}

detail::grouping detail::learner_runs(const dataset& data) {
  if (!data.has_order()) {
    const auto& learner = data.learners();
    std::vector<bool> seen(data.learner_count(), false);
    detail::grouping g;
    g.skill_begin.push_back(0);
    bool contiguous = true;
    for (std::size_t i = 0; i < learner.size(); ++i) {
      if (i > 0 && learner[i] != learner[i - 1]) {
        if (seen[learner[i]]) {
          contiguous = false;
          break;
        }
        g.skill_begin.push_back(static_cast<std::uint32_t>(i));
      }
      seen[learner[i]] = true;
    }
    if (contiguous) {
      if (!learner.empty()) g.skill_begin.push_back(static_cast<std::uint32_t>(learner.size()));
      return g;
    }
  }
  return group_by_learner(data);
}

detail::grouping detail::group_by_skill(const dataset& data) {
  if (data.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("bkt: more than 2^32 - 1 rows");
  detail::grouping by_learner = group_by_learner(data);
  return counting_sort(by_learner.rows, data.skills(), data.skill_count());
}

// --- CSV --------------------------------------------------------------------------------------

namespace {

// Interns names; numeric ids without leading zeros take a direct table (no hashing), the rest
// a hash map over views into the text (or into `owned` for unescaped quoted fields).
class name_table {
 public:
  std::uint32_t get(std::string_view s) {
    if (s.size() == last_.size() && s == last_) return last_id_;
    std::uint32_t id = lookup(s);
    last_ = s;
    last_id_ = id;
    return id;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(names_.size());
    for (auto v : names_) out.emplace_back(v);
    return out;
  }
  // Views into `owned` must stay valid: a deque never moves its elements.
  std::string_view own(std::string s) { return owned_.emplace_back(std::move(s)); }

 private:
  static constexpr std::size_t max_direct = std::size_t{1} << 22;
  std::uint32_t lookup(std::string_view s) {
    if (!s.empty() && s.size() <= 7 && (s[0] != '0' || s.size() == 1)) {
      std::uint32_t v = 0;
      bool digits = true;
      for (char c : s) {
        if (c < '0' || c > '9') {
          digits = false;
          break;
        }
        v = v * 10 + static_cast<std::uint32_t>(c - '0');
      }
      if (digits && v < max_direct) {
        if (v >= direct_.size())
          direct_.resize(std::max<std::size_t>(v + 1, direct_.size() * 2), npos);
        if (direct_[v] == npos) {
          direct_[v] = static_cast<std::uint32_t>(names_.size());
          names_.push_back(s);
        }
        return direct_[v];
      }
    }
    auto [it, inserted] = hashed_.try_emplace(s, static_cast<std::uint32_t>(names_.size()));
    if (inserted) names_.push_back(s);
    return it->second;
  }
  static constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> direct_;
  std::unordered_map<std::string_view, std::uint32_t> hashed_;
  std::vector<std::string_view> names_;
  std::deque<std::string> owned_;
  std::string_view last_;
  std::uint32_t last_id_ = 0;
};

using masterymap::detail::csv_line_ends;
using masterymap::detail::csv_syntax_error;
using masterymap::detail::csv_tokenizer;

int parse_binary(std::string_view s) {
  if (s == "1" || s == "1.0" || s == "true" || s == "True" || s == "TRUE") return 1;
  if (s == "0" || s == "0.0" || s == "false" || s == "False" || s == "FALSE") return 0;
  return -1;
}

}  // namespace

namespace {

constexpr const char* csv_source = "BKT CSV";

// The rows of a decoded CSV text. `row` is the data row being read (none: the header), so the
// caller can name it in a syntax error.
dataset parse_rows(const masterymap::detail::utf8_input& in, const csv_options& options,
                   std::optional<std::size_t>& row) {
  const std::string_view text = in.text;
  const column_names& cols = options.columns;
  if (options.multi_skill != multi_skill::keep && options.skill_separator.empty())
    throw std::invalid_argument("empty skill separator");
  // Only LF ends a record (a CR just before it is dropped; see csv_line_ends).
  csv_tokenizer<csv_line_ends::lf> cur(text, options.delimiter);
  std::string scratch;
  bool escaped = false;

  // Header.
  if (cur.at_end())
    throw parse_error(fmt::format("{}: empty input: no header row", csv_source), 1, 0);
  std::vector<std::string> header;
  for (bool eor = false; !eor;) header.emplace_back(cur.field(eor, scratch, escaped));
  if (in.invalid < cur.position())
    throw masterymap::detail::utf8_error(text, in.invalid, std::nullopt, csv_source,
                                         masterymap::detail::encoding_hint, false);
  auto find_col = [&](const std::string& name, bool required, const char* role) -> int {
    if (name.empty()) {
      if (required) throw std::invalid_argument(fmt::format("the {} column name is empty", role));
      return -1;
    }
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      std::string have;
      for (const auto& h : header) have += (have.empty() ? "'" : ", '") + h + "'";
      throw parse_error(fmt::format("{}: missing {} column '{}'; the header has {}", csv_source,
                                    role, name, have),
                        1, 0);
    }
    return static_cast<int>(it - header.begin());
  };
  enum { c_learner, c_skill, c_correct, c_order, c_class, n_roles };
  int where[n_roles] = {
      find_col(cols.learner, true, "learner"), find_col(cols.skill, true, "skill"),
      find_col(cols.correct, true, "correct"), find_col(cols.order, false, "order"),
      find_col(cols.item_class, false, "item class")};
  int last_needed = 0;
  for (int w : where) last_needed = std::max(last_needed, w);
  // role of each needed column (-1 = ignored)
  std::vector<int> role(static_cast<std::size_t>(last_needed) + 1, -1);
  for (int r = 0; r < n_roles; ++r)
    if (where[r] >= 0) role[static_cast<std::size_t>(where[r])] = r;

  name_table learners, skills, classes;
  std::uint32_t skills_checked = 0;  // skill names already checked against the policy
  dataset out;
  auto& L = dataset_access::learner(out);
  auto& S = dataset_access::skill(out);
  auto& C = dataset_access::correct(out);
  auto& O = dataset_access::order(out);
  auto& I = dataset_access::item_class(out);
  const std::size_t guess_rows = text.size() / 8;
  L.reserve(guess_rows);
  S.reserve(guess_rows);
  C.reserve(guess_rows);

  std::string_view vals[n_roles];
  bool esc[n_roles] = {};
  std::string scratches[n_roles];
  std::size_t next_row = 0;
  while (!cur.at_end()) {
    if (cur.skip_blank_line()) continue;  // LF or CRLF alone
    const std::size_t line = cur.line();
    const std::size_t start = cur.position();
    row = next_row++;
    bool eor = false;
    int col = 0;
    for (; col <= last_needed; ++col) {
      if (eor)
        throw parse_error(fmt::format("{}: row {} (line {}) has {} fields, expected at least {}",
                                      csv_source, *row, line, col, last_needed + 1),
                          line, 1, row);
      int r = role[static_cast<std::size_t>(col)];
      if (r >= 0) {
        vals[r] = cur.field(eor, scratches[r], esc[r]);
      } else {
        (void)cur.field(eor, scratch, escaped);
      }
    }
    while (!eor) (void)cur.field(eor, scratch, escaped);
    // A bad byte before the end of this record: one compare per record on the fast path.
    if (in.invalid < cur.position())
      throw masterymap::detail::utf8_error(text, in.invalid, row, csv_source,
                                           masterymap::detail::encoding_hint, false);

    // Out of the loop's way: the field's position is found again only for the error.
    auto fail = [&](int r, const std::string& what) {
      const std::size_t at = masterymap::detail::field_offset<csv_line_ends::lf>(
          text, start, static_cast<std::size_t>(where[r]), options.delimiter);
      const auto pos = masterymap::detail::position_of(text, at, false);
      throw parse_error(
          fmt::format("{}: row {} (line {}, column {}), column '{}': {}", csv_source, *row,
                      pos.line, pos.column, header[static_cast<std::size_t>(where[r])], what),
          pos.line, pos.column, row);
    };
    auto name_of = [&](name_table& t, int r, const char* what) -> std::uint32_t {
      std::string_view v = vals[r];
      if (v.empty()) fail(r, fmt::format("empty {}", what));
      if (esc[r]) v = t.own(std::string(v));
      return t.get(v);
    };
    std::uint32_t li = name_of(learners, c_learner, "learner");
    std::uint32_t si = name_of(skills, c_skill, "skill");
    if (si >= skills_checked) {  // a new skill name (codes are given in order)
      skills_checked = si + 1;
      const std::string problem =
          multi_skill_problem(vals[c_skill], options.multi_skill, options.skill_separator);
      if (!problem.empty()) fail(c_skill, problem);
    }
    int c = parse_binary(vals[c_correct]);
    if (c < 0) fail(c_correct, fmt::format("correct must be 0 or 1, got '{}'", vals[c_correct]));
    L.push_back(li);
    S.push_back(si);
    C.push_back(static_cast<std::uint8_t>(c));
    if (where[c_order] >= 0) {
      // A number or a time (the evidence log's one parser: ISO 8601 sorts as seconds).
      std::string_view v = vals[c_order];
      const std::optional<double> d = parse_time(v);
      if (!d || std::isnan(*d))
        fail(c_order, fmt::format("order must be a number or an ISO 8601 time, got '{}'", v));
      O.push_back(*d);
    }
    if (where[c_class] >= 0) I.push_back(name_of(classes, c_class, "item class"));
  }
  row.reset();
  dataset_access::learner_names(out) = learners.names();
  dataset_access::skill_names(out) = skills.names();
  dataset_access::class_names(out) = classes.names();
  auto& src = dataset_access::source_row(out);
  src.resize(C.size());
  std::iota(src.begin(), src.end(), std::uint64_t{0});
  dataset_access::reindex(out);
  if (options.multi_skill != multi_skill::keep)
    return out.apply_multi_skill(options.multi_skill, options.skill_separator);
  return out;
}

}  // namespace

dataset parse_csv(std::string_view bytes, const csv_options& options) {
  masterymap::detail::utf8_input in;
  masterymap::detail::decode_input(bytes, options.encoding, csv_source, in);
  std::optional<std::size_t> row;
  try {
    return parse_rows(in, options, row);
  } catch (const csv_syntax_error& e) {
    const auto at = masterymap::detail::position_of(in.text, e.offset, false);
    throw parse_error(
        fmt::format("{}: {} at line {}, column {}", csv_source, e.what(), at.line, at.column),
        at.line, at.column, row);
  }
}

dataset read_csv(const std::string& path, const csv_options& options) {
  const std::string text = masterymap::detail::read_data_file(path, "BKT data CSV");
  return parse_csv(text, options);
}

// --- simulation -------------------------------------------------------------------------------

dataset simulate(const std::vector<skill_params>& params, std::size_t learners, std::size_t length,
                 std::uint64_t seed) {
  (void)model(params);  // the checks of a model's parameters: probabilities in [0, 1], ...
  dataset out;
  detail::rng r(seed);
  std::vector<std::uint32_t> plan;
  std::vector<double> state(params.size());
  bool any_class = false;
  for (const auto& p : params) any_class = any_class || !p.classes.empty();
  for (std::size_t l = 0; l < learners; ++l) {
    std::string learner = fmt::format("s{}", l);
    plan.clear();
    for (std::size_t k = 0; k < params.size(); ++k)
      plan.insert(plan.end(), length, static_cast<std::uint32_t>(k));
    for (std::size_t i = plan.size(); i > 1; --i) std::swap(plan[i - 1], plan[r.below(i)]);
    for (std::size_t k = 0; k < params.size(); ++k)
      state[k] = r.uniform() < params[k].prior ? 1.0 : 0.0;
    for (std::uint32_t k : plan) {
      const skill_params& p = params[k];
      std::size_t cls = p.classes.empty() ? 0 : r.below(p.classes.size());
      double g = p.guess.at(cls), s = p.slip.at(cls);
      bool known = state[k] > 0.5;
      bool correct = known ? r.uniform() >= s : r.uniform() < g;
      std::string_view cname;
      std::string generic = "default";
      if (any_class)
        cname = p.classes.empty() ? std::string_view(generic) : std::string_view(p.classes[cls]);
      out.add(learner, p.skill, correct, std::nullopt, cname);
      if (known) {
        if (r.uniform() < p.forget) state[k] = 0.0;
      } else if (r.uniform() < p.learn) {
        state[k] = 1.0;
      }
    }
  }
  return out;
}

// --- names ------------------------------------------------------------------------------------

namespace {
constexpr masterymap::detail::enum_names<multi_skill, 3> multi_skill_names{
    {{{multi_skill::keep, "keep"},
      {multi_skill::split, "split"},
      {multi_skill::reject, "reject"}}}};
constexpr masterymap::detail::enum_names<restart_strategy, 2> restart_names{
    {{{restart_strategy::screen, "screen"}, {restart_strategy::full, "full"}}}};
constexpr masterymap::detail::enum_names<unknown_skill, 3> unknown_skill_names{
    {{{unknown_skill::average, "average"},
      {unknown_skill::nan, "nan"},
      {unknown_skill::error, "error"}}}};
}  // namespace

const char* to_string(multi_skill m) noexcept { return multi_skill_names.name(m); }
const char* to_string(restart_strategy r) noexcept { return restart_names.name(r); }
const char* to_string(unknown_skill u) noexcept { return unknown_skill_names.name(u); }

multi_skill parse_multi_skill(std::string_view text) {
  if (auto m = multi_skill_names.parse(text)) return *m;
  throw std::invalid_argument(fmt::format("unknown multi_skill '{}' (keep, split, reject)", text));
}

restart_strategy parse_restart_strategy(std::string_view text) {
  if (auto r = restart_names.parse(text)) return *r;
  throw std::invalid_argument(fmt::format("unknown restart strategy '{}' (screen, full)", text));
}

unknown_skill parse_unknown_skill(std::string_view text) {
  if (auto u = unknown_skill_names.parse(text)) return *u;
  throw std::invalid_argument(
      fmt::format("unknown unknown_skill '{}' (average, nan, error)", text));
}

}  // namespace masterymap::bkt
