// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The evidence log's columnar batches: a batch is staged against the log's tables, validated
// as a whole (every bad row listed) and only then committed, so a bad batch changes nothing.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <masterymap/evidence.hpp>
#include <stdexcept>

#include "decimal_comma.hpp"
#include "evidence_impl.hpp"
#include "evidence_stage.hpp"
#include "kind_names.hpp"
#include "memory_util.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"

namespace masterymap {

using detail::attr_key;
using detail::check_block;
using detail::float_bits;
using detail::for_blocks;
using detail::max_kinds;
using detail::meter;
using detail::near_miss;
using detail::parallel_rows;
using detail::parse_number;
using detail::staged_kinds;
using detail::staged_names;
using detail::trim;

namespace {

// Which names of a column some row uses (`codes` over `rows`; an out-of-range code is its row's
// problem). A name table may hold names no row uses (the unused categories of a pandas
// Categorical): those must not become learners, competencies or sources. O(rows), ending
// early once every name is seen.
std::vector<std::uint8_t> used_names(const std::uint32_t* codes, std::size_t rows,
                                     std::size_t names, meter& m) {
  std::vector<std::uint8_t> used(names, 0);
  if (codes == nullptr) return used;
  std::size_t unseen = names;
  for_blocks(0, rows, check_block, &m, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last && unseen != 0; ++i)
      if (codes[i] < names && used[codes[i]] == 0) {
        used[codes[i]] = 1;
        --unseen;
      }
  });
  return used;
}

}  // namespace

namespace detail {

std::string escaped_text(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t i = 0;
  for (; i < text.size() && out.size() < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  if (i < text.size()) out += fmt::format("... ({} bytes)", text.size());
  return out;
}

}  // namespace detail

void evidence_log::append(const std::vector<evidence>& rows, const ingest_checks& checks) {
  const detail::record_batch batch(rows);
  append(batch.columns, checks);
}

void detail::staged_kinds::stage(const table& kinds, const std::vector<std::string_view>& names,
                                 const std::vector<std::uint8_t>& used,
                                 const ingest_checks& checks) {
  code.assign(names.size(), -1);
  near.assign(names.size(), {});
  level.assign(names.size(), 0);
  // A kind the batch adds (provisional code after the log's and earlier new ones), or -2
  // past the 255th.
  auto add_new = [&](std::string_view name) {
    const auto at = std::find(fresh.begin(), fresh.end(), name);
    const auto c = kinds.names.size() + static_cast<std::size_t>(at - fresh.begin());
    if (c >= max_kinds) return -2;
    if (at == fresh.end()) fresh.push_back(name);
    return static_cast<int>(c);
  };
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (used[j] == 0) continue;  // no row's kind: not added, not checked
    const std::string_view name = trim(names[j]);
    for (const auto& k : checks.level_kinds)
      if (k == name) level[j] = 1;
    any_level = any_level || level[j];
    if (auto k = kinds.find(name)) {
      code[j] = static_cast<int>(*k);
    } else if (detail::is_waiver_kind(name) ||
               (!name.empty() && std::find(checks.known_kinds.begin(), checks.known_kinds.end(),
                                           name) != checks.known_kinds.end())) {
      // A waiver's kind names its reason ("waiver:Tested Out"): built in, whatever the reason.
      code[j] = add_new(name);
    } else if (checks.accept_new_kinds && !name.empty() &&
               !(near[j] = near_miss(name, checks.near_miss_kinds)).empty()) {
      code[j] = -3;
    } else if (checks.accept_new_kinds && !name.empty()) {
      code[j] = add_new(name);
    }
  }
}

namespace {

// The hint for a number written with a decimal comma, on the trimmed text.
std::string decimal_comma_hint(std::string_view text) {
  return detail::decimal_comma_hint(trim(text));
}

// The caller's reason for rejecting name `j` of a column ("" when none).
std::string_view rejected(const std::vector<std::string_view>& reasons, std::size_t j) noexcept {
  return j < reasons.size() ? reasons[j] : std::string_view{};
}

// Numbers of a number_column's texts, parsed once per distinct text.
struct staged_numbers {
  std::vector<double> value;        // NaN where the text did not parse
  std::vector<std::uint8_t> label;  // 1 where the text is a label (stage_numbers)
  void stage_times(const number_column& c, meter& m) {
    value.resize(c.names.size());
    for_blocks(0, c.names.size(), check_block, &m, [&](std::size_t first, std::size_t last) {
      for (std::size_t j = first; j < last; ++j)
        value[j] = parse_time(c.names[j]).value_or(std::numeric_limits<double>::quiet_NaN());
    });
  }
  void stage_numbers(const number_column& c,
                     const std::vector<std::pair<std::string, double>>* labels, meter& m) {
    value.resize(c.names.size());
    label.assign(c.names.size(), 0);
    for_blocks(0, c.names.size(), check_block, &m, [&](std::size_t first, std::size_t last) {
      for (std::size_t j = first; j < last; ++j) {
        double v = std::numeric_limits<double>::quiet_NaN();
        bool found = false;
        if (labels)
          for (const auto& [l, x] : *labels)
            if (trim(c.names[j]) == l) {
              v = x;
              found = true;
              break;
            }
        if (!found) v = parse_number(c.names[j]).value_or(std::numeric_limits<double>::quiet_NaN());
        value[j] = v;
        label[j] = found ? 1 : 0;
      }
    });
  }
};

// What the log can hold and give back (evidence_impl.hpp).
constexpr double min_time = detail::min_stored_time, max_time = detail::max_stored_time;
using detail::max_stored;

// An 8-digit text that is a valid date in ISO 8601's basic form ("20240910"): parse_time
// refuses it (seconds or a date?), and the message says what to write.
bool basic_date(std::string_view s) {
  s = trim(s);
  if (s.size() != 8 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int mo = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

// A batch mapped onto the log's tables without changing them: its names (new ones with
// provisional codes), which of its learner, competency and kind names are acceptable, and the
// numbers of its text columns.
struct staged_batch {
  const evidence_columns& b;
  staged_names L, C, S;
  std::vector<std::uint8_t> learner_ok, comp_ok;
  // The batch's kind names: a level kind's score (ingest_checks::level_kinds) is checked as a
  // level instead of against [smin, smax].
  staged_kinds K;
  staged_numbers T, SC, W;
  double smin, smax;
  bool labels;                      // score texts may be labels of a scale
  std::string_view no_labels_hint;  // ingest_checks::no_labels_hint (outlives the batch)
  unsigned threads;                 // ingest_checks::threads

  staged_batch(const evidence_log::impl& d, const evidence_columns& batch,
               const ingest_checks& checks, meter& m)
      : b(batch),
        learner_ok(b.learner.names.size(), 1),
        comp_ok(b.competency.names.size(), 1),
        smin(checks.min_score),
        smax(checks.max_score),
        labels(!checks.score_labels.empty()),
        no_labels_hint(checks.no_labels_hint),
        threads(checks.threads) {
    L.stage(d.learners, b.learner.names,
            used_names(b.learner.codes, b.size, b.learner.names.size(), m), m);
    C.stage(d.competencies, b.competency.names,
            used_names(b.competency.codes, b.size, b.competency.names.size(), m), m);
    if (b.source.codes)
      S.stage(d.sources, b.source.names,
              used_names(b.source.codes, b.size, b.source.names.size(), m), m);
    if (checks.known_competency)
      for (std::size_t j = 0; j < b.competency.names.size(); ++j)
        comp_ok[j] = checks.known_competency(b.competency.names[j]) ? 1 : 0;
    for (std::size_t j = 0; j < b.learner.names.size(); ++j)
      learner_ok[j] =
          trim(b.learner.names[j]).empty() || !rejected(b.learner_rejected, j).empty() ? 0 : 1;
    for (std::size_t j = 0; j < b.competency.names.size(); ++j)
      if (trim(b.competency.names[j]).empty() || !rejected(b.competency_rejected, j).empty())
        comp_ok[j] = 0;
    K.stage(d.kinds, b.kind.names, used_names(b.kind.codes, b.size, b.kind.names.size(), m),
            checks);
    if (b.time.codes) T.stage_times(b.time, m);
    if (b.score.codes) SC.stage_numbers(b.score, &checks.score_labels, m);
    if (b.weight.codes) W.stage_numbers(b.weight, nullptr, m);
  }

  double time_at(std::size_t i) const {
    return b.time.values
               ? b.time.values[i]
               : (b.time.codes[i] < T.value.size() ? T.value[b.time.codes[i]] : std::nan(""));
  }
  double score_at(std::size_t i) const {
    return b.score.values
               ? b.score.values[i]
               : (b.score.codes[i] < SC.value.size() ? SC.value[b.score.codes[i]] : std::nan(""));
  }
  double weight_at(std::size_t i) const {
    if (!b.weight.present()) return 1.0;
    return b.weight.values
               ? b.weight.values[i]
               : (b.weight.codes[i] < W.value.size() ? W.value[b.weight.codes[i]] : std::nan(""));
  }
};

void require_columns(const evidence_columns& b) {
  if (!b.learner.codes)
    throw std::invalid_argument("evidence batch: the learner column is required");
  if (!b.competency.codes)
    throw std::invalid_argument("evidence batch: the competency column is required");
  if (!b.time.present()) throw std::invalid_argument("evidence batch: the time column is required");
  if (!b.score.present())
    throw std::invalid_argument("evidence batch: the score column is required");
  if (!b.timestamp.empty() && b.timestamp.size() != b.size)
    throw std::invalid_argument(
        fmt::format("evidence batch: the timestamp column has {} entries for {} rows",
                    b.timestamp.size(), b.size));
}

// The columns and tables of the branch-free pass below.
struct row_view {
  const std::uint32_t *lc, *cc, *kc, *sc;  // learner, competency, kind, source codes (kc, sc
                                           // may be null)
  const double *tv, *sv, *wv;              // time, score, weight (wv may be null)
  const std::uint8_t *lok, *cok, *kok;     // ok tables, one extra 0 entry for codes out of range
  std::uint32_t nl, ncmp, nk, ns;          // their sizes (the index of the extra entry)
  double smin, smax;
};

// Whether rows [rb, re) are valid; raises `hi` to their latest time. Everything is read into
// locals first: through the captured references of a lambda, GCC reloaded each pointer and
// stored the running flags on every row (the byte tables may alias anything), which made the
// pass four times slower than its memory traffic.
unsigned rows_valid(const row_view& view, std::size_t rb, std::size_t re, double& hi_out) noexcept {
  const row_view v = view;
  unsigned ok = 1;
  double hi = hi_out;
  for (std::size_t i = rb; i < re; ++i) {
    const double t = v.tv[i], sc = v.sv[i];
    ok &= static_cast<unsigned>(v.lok[std::min(v.lc[i], v.nl)]) &
          static_cast<unsigned>(v.cok[std::min(v.cc[i], v.ncmp)]) &
          static_cast<unsigned>(t >= min_time) & static_cast<unsigned>(t <= max_time) &
          static_cast<unsigned>(sc >= v.smin) & static_cast<unsigned>(sc <= v.smax) &
          static_cast<unsigned>(sc >= -max_stored) & static_cast<unsigned>(sc <= max_stored);
    hi = t > hi ? t : hi;
  }
  if (v.wv != nullptr)
    for (std::size_t i = rb; i < re; ++i)
      ok &= static_cast<unsigned>(v.wv[i] >= 0) & static_cast<unsigned>(v.wv[i] <= max_stored);
  if (v.kc != nullptr)
    for (std::size_t i = rb; i < re; ++i) ok &= v.kok[std::min(v.kc[i], v.nk)];
  if (v.sc != nullptr)
    for (std::size_t i = rb; i < re; ++i) ok &= static_cast<unsigned>(v.sc[i] < v.ns);
  hi_out = hi;
  return ok;
}

// Whether every row of a batch with numeric time and score columns is valid, in one
// branch-free pass (blocks of rows in parallel: a large batch is memory-bound, and two cores
// read it faster). Raises `tmax` to the batch's latest time when they are. False, without a
// verdict, for text time, score or weight columns.
bool all_rows_valid(const staged_batch& s, std::size_t n, double& tmax, meter& m) {
  const evidence_columns& b = s.b;
  // Level kinds are checked row by row (check_rows): placements are few. A batch whose kind
  // names include one (a roster's own log lists every built-in kind, placement included) is
  // still cleared here when no row has it: such a row fails this pass (`kok` 0 below).
  if (!(b.time.values && b.score.values && !b.time.codes && !b.score.codes && !b.weight.codes) ||
      (s.K.any_level && !b.kind.codes))
    return false;
  std::vector<std::uint8_t> lok(s.learner_ok), cok(s.comp_ok);
  lok.push_back(0);
  cok.push_back(0);
  const std::size_t nk = s.K.code.size();
  std::vector<std::uint8_t> kok(nk + 1, 0);
  for (std::size_t j = 0; j < nk; ++j) kok[j] = s.K.code[j] >= 0 && s.K.level[j] == 0;
  const row_view view{b.learner.codes,
                      b.competency.codes,
                      b.kind.codes,
                      b.source.codes,
                      b.time.values,
                      b.score.values,
                      b.weight.values,
                      lok.data(),
                      cok.data(),
                      kok.data(),
                      static_cast<std::uint32_t>(b.learner.names.size()),
                      static_cast<std::uint32_t>(b.competency.names.size()),
                      static_cast<std::uint32_t>(nk),
                      static_cast<std::uint32_t>(b.source.names.size()),
                      s.smin,
                      s.smax};
  const unsigned blocks = n >= parallel_rows ? detail::resolve_threads(s.threads) : 1U;
  std::vector<unsigned> block_ok(blocks, 1);
  std::vector<double> block_hi(blocks, -std::numeric_limits<double>::infinity());
  detail::run_threads(
      blocks,
      [&](unsigned k) {
        unsigned ok = 1;
        double hi = -std::numeric_limits<double>::infinity();
        // Blocks of rows between two progress checks (each pass stays a tight loop).
        for_blocks(n * k / blocks, n * (k + 1) / blocks, 4 * check_block, nullptr,
                   [&](std::size_t rb, std::size_t re) {
                     ok &= rows_valid(view, rb, re, hi);
                     m.advance(re - rb);
                   });
        block_ok[k] = ok;
        block_hi[k] = hi;
      },
      &m);
  unsigned ok = 1;
  double hi = -std::numeric_limits<double>::infinity();
  for (unsigned k = 0; k < blocks; ++k) {
    ok &= block_ok[k];
    hi = block_hi[k] > hi ? block_hi[k] : hi;
  }
  if (ok && n > 0 && !(hi <= tmax)) tmax = hi;  // also replaces the initial NaN
  return ok != 0;
}

// A level (ingest_checks::level_kinds): an integer the stored float holds exactly.
constexpr double max_level = 16777216.0;
bool is_level(double x) noexcept { return std::fabs(x) <= max_level && x == std::floor(x); }

// A score as the user wrote it: a float32 value (a stored score) prints as float32 ("2.9", not
// "2.9000000953674316").
std::string shortest(double x) {
  const auto f = static_cast<float>(x);
  if (std::isfinite(x) && static_cast<double>(f) == x) return fmt::format("{}", f);
  return fmt::format("{}", x);
}

// Whether every timestamp text of the batch fits its row (detail::timestamp_fits).
bool all_stamps_valid(const staged_batch& s, std::size_t n) {
  const evidence_columns& b = s.b;
  if (b.timestamp.empty()) return true;
  for (std::size_t i = 0; i < n; ++i)
    if (!b.timestamp[i].empty() && !detail::timestamp_fits(b.timestamp[i], s.time_at(i)))
      return false;
  return true;
}

// Validates every row, saying exactly what is wrong with each bad one. \throws evidence_error
// listing every problem.
void check_rows(const staged_batch& s, std::size_t n, meter& m) {
  const evidence_columns& b = s.b;
  std::vector<problem> problems;
  std::vector<std::size_t> rows;
  auto bad = [&](std::size_t i, problem_kind k, std::vector<std::string> ids, std::string msg) {
    problems.push_back({k, std::move(ids), fmt::format("row {}: {}", i, msg)});
    rows.push_back(i);
  };
  const double smin = s.smin, smax = s.smax;
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & (check_block - 1)) == check_block - 1) m.advance(check_block);
    const std::uint32_t lcode = b.learner.codes[i], ccode = b.competency.codes[i];
    const bool fast_ok =
        lcode < b.learner.names.size() && s.learner_ok[lcode] &&
        ccode < b.competency.names.size() && s.comp_ok[ccode] &&
        (!b.kind.codes || (b.kind.codes[i] < s.K.code.size() && s.K.code[b.kind.codes[i]] >= 0)) &&
        (!b.source.codes || b.source.codes[i] < b.source.names.size());
    const double t = s.time_at(i), sc = s.score_at(i), w = s.weight_at(i);
    const bool level =
        b.kind.codes && b.kind.codes[i] < s.K.level.size() && s.K.level[b.kind.codes[i]];
    // A level given as a rating label ("Proficient" = 3) is refused: a label rates, a level
    // places.
    const bool label = level && b.score.codes && b.score.codes[i] < s.SC.label.size() &&
                       s.SC.label[b.score.codes[i]];
    const bool score_ok = level ? is_level(sc) && !label : sc >= smin && sc <= smax;
    const std::string stamp_why = b.timestamp.empty() || b.timestamp[i].empty()
                                      ? std::string()
                                      : detail::timestamp_problem(b.timestamp[i], t);
    if (fast_ok && t >= min_time && t <= max_time && score_ok && std::fabs(sc) <= max_stored &&
        w >= 0 && w <= max_stored && stamp_why.empty())
      continue;
    if (lcode >= b.learner.names.size())
      bad(i, problem_kind::invalid_value, {}, "learner code out of range");
    else if (const auto why = rejected(b.learner_rejected, lcode); !why.empty())
      bad(i, problem_kind::invalid_value, {std::string(b.learner.names[lcode])}, std::string(why));
    else if (!s.learner_ok[lcode])
      bad(i, problem_kind::invalid_value, {}, "missing learner id");
    if (ccode >= b.competency.names.size()) {
      bad(i, problem_kind::invalid_value, {}, "competency code out of range");
    } else if (const auto why = rejected(b.competency_rejected, ccode); !why.empty()) {
      bad(i, problem_kind::invalid_value, {std::string(b.competency.names[ccode])},
          std::string(why));
    } else if (trim(b.competency.names[ccode]).empty()) {
      bad(i, problem_kind::invalid_value, {}, "missing competency id");
    } else if (!s.comp_ok[ccode]) {
      std::string id(b.competency.names[ccode]);
      bad(i, problem_kind::unknown_id, {id}, fmt::format("unknown competency '{}'", id));
    }
    if (b.kind.codes) {
      if (b.kind.codes[i] >= s.K.code.size()) {
        bad(i, problem_kind::invalid_value, {}, "kind code out of range");
      } else if (s.K.code[b.kind.codes[i]] == -2) {
        std::string k(trim(b.kind.names[b.kind.codes[i]]));
        bad(i, problem_kind::invalid_value, {k},
            fmt::format("kind '{}' is one too many (at most {} kinds)", k, max_kinds));
      } else if (s.K.code[b.kind.codes[i]] == -3) {
        std::string k(trim(b.kind.names[b.kind.codes[i]]));
        bad(i, problem_kind::unknown_id, {k},
            fmt::format("unknown kind '{}': a near-miss of the known kind '{}' (new kinds are "
                        "taken, but not a misspelling of one that has a meaning; correct it)",
                        k, s.K.near[b.kind.codes[i]]));
      } else if (s.K.code[b.kind.codes[i]] < 0) {
        std::string k(b.kind.names[b.kind.codes[i]]);
        bad(i, problem_kind::unknown_id, {k},
            fmt::format("unknown kind '{}' (a log takes the built-in kinds, 'waiver:<reason>' "
                        "too, its own (add_kind) "
                        "and, checked against a policy, the policy's; a roster takes any)",
                        k));
      }
    }
    if (b.source.codes && b.source.codes[i] >= b.source.names.size())
      bad(i, problem_kind::invalid_value, {}, "source code out of range");
    if (!std::isfinite(t) && b.time.codes && b.time.codes[i] < b.time.names.size()) {
      const std::string_view text = b.time.names[b.time.codes[i]];
      if (trim(text).empty())
        bad(i, problem_kind::invalid_value, {}, "missing time");
      else if (basic_date(text))
        bad(i, problem_kind::invalid_value, {},
            fmt::format("bad time '{}' (ambiguous: a date in ISO 8601's basic form or seconds? "
                        "write {}-{}-{} for the date, or a number for seconds)",
                        text, trim(text).substr(0, 4), trim(text).substr(4, 2),
                        trim(text).substr(6, 2)));
      else
        bad(i, problem_kind::invalid_value, {}, fmt::format("bad time '{}'", text));
    } else if (!(t >= min_time && t <= max_time)) {
      bad(i, problem_kind::invalid_value, {}, time_problem(t));
    }
    if (std::isnan(sc)) {
      if (b.score.codes && b.score.codes[i] < b.score.names.size()) {
        const std::string_view text = b.score.names[b.score.codes[i]];
        if (trim(text).empty())
          bad(i, problem_kind::invalid_value, {}, "missing score");
        else if (const std::string hint = decimal_comma_hint(text); !hint.empty())
          bad(i, problem_kind::invalid_value, {}, fmt::format("bad score '{}'{}", text, hint));
        else if (s.labels)
          bad(i, problem_kind::invalid_value, {},
              fmt::format("bad score '{}' (not a number or a label of the scale)", text));
        else  // a label, most likely, given without the scale that defines it
          bad(i, problem_kind::invalid_value, {},
              fmt::format("bad score '{}' (not a number; {})", text,
                          s.no_labels_hint.empty()
                              ? std::string_view("to use the labels of a scale, pass its "
                                                 "policy: policy= in Python, "
                                                 "ingest_checks::score_labels in C++")
                              : s.no_labels_hint));
      } else {
        bad(i, problem_kind::invalid_value, {}, "missing score");
      }
    } else if (std::isinf(sc)) {
      bad(i, problem_kind::invalid_value, {}, fmt::format("score is infinite ({})", sc));
    } else if (std::fabs(sc) > max_stored) {
      bad(i, problem_kind::invalid_value, {},
          fmt::format("score {} is too large to store (at most {} in magnitude)", sc, max_stored));
    } else if (label) {
      bad(i, problem_kind::invalid_value, {},
          fmt::format("score '{}' of a '{}' row is a rating label, not a level (the score of "
                      "this kind is the level it places the learner at: give the level as a "
                      "number, e.g. 4 for grade 4)",
                      trim(b.score.names[b.score.codes[i]]), trim(b.kind.names[b.kind.codes[i]])));
    } else if (level && !score_ok) {
      bad(i, problem_kind::invalid_value, {},
          fmt::format("score {} of a '{}' row is not a level (the score of this kind is the "
                      "level it places the learner at: an integer within +-{})",
                      shortest(sc), trim(b.kind.names[b.kind.codes[i]]), max_level));
    } else if (!score_ok) {
      bad(i, problem_kind::invalid_value, {},
          fmt::format("score {} is outside [{}, {}]", shortest(sc), smin, smax));
    }
    if (std::isnan(w)) {
      const std::string hint = b.weight.codes && b.weight.codes[i] < b.weight.names.size()
                                   ? decimal_comma_hint(b.weight.names[b.weight.codes[i]])
                                   : std::string();
      bad(i, problem_kind::invalid_value, {}, "weight is not a number" + hint);
    } else if (w < 0) {
      bad(i, problem_kind::invalid_value, {}, fmt::format("negative weight {}", w));
    } else if (!std::isfinite(w)) {
      bad(i, problem_kind::invalid_value, {}, fmt::format("weight {} is not finite", w));
    } else if (w > max_stored) {
      bad(i, problem_kind::invalid_value, {},
          fmt::format("weight {} is too large to store (at most {})", w, max_stored));
    }
    if (!stamp_why.empty()) bad(i, problem_kind::invalid_value, {}, stamp_why);
  }
  if (!problems.empty()) throw evidence_error(std::move(problems), std::move(rows));
}

// Appends the validated rows to the five columns (room reserved, the names committed: cannot
// fail). The columns are independent: written as parallel tasks (largest first) for a large
// batch, each populating its new range ahead of the writes (one call per block instead of a
// fault per page), and grown by insert from generating iterators, so new elements are written
// once (no zero-filling resize). In blocks of rows, checking `m` between them (progress: the
// time column's rows); a cancelled write is truncated away by the caller.
void write_columns(evidence_log::impl& d, const staged_batch& s, std::size_t n, meter& m) {
  using detail::append_generated;
  const evidence_columns& b = s.b;
  const std::uint32_t* lmap = s.L.code.data();
  const std::uint32_t* cmap = s.C.code.data();
  const std::uint32_t* lcodes = b.learner.codes;
  const std::uint32_t* ccodes = b.competency.codes;
  // Attributes (kind, weight, source) are interned by the attribute column's task alone, with a
  // cache of the last triple (batches usually repeat a few).
  const std::uint8_t default_kind = 1;  // formative
  const bool one_attr = !b.kind.codes && !b.weight.present() && !b.source.codes;
  const std::uint32_t default_attr =
      one_attr ? d.intern_attr({default_kind, float_bits(1.0F), 0U}) : 0U;
  auto grow = [n, &m](auto& col, auto&& value_at, bool counted = false) {
    detail::append_column(col, n, m, value_at, counted);
  };
  auto column_task = [&](std::size_t task) {
    switch (task) {
      case 0:
        if (b.time.values) {
          detail::append_copy(d.time, n, m, b.time.values, true);
        } else {
          grow(
              d.time, [&](std::size_t i) { return s.time_at(i); }, true);
        }
        break;
      case 1:
        grow(d.learner, [&](std::size_t i) { return lmap[lcodes[i]]; });
        break;
      case 2:
        grow(d.competency, [&](std::size_t i) { return cmap[ccodes[i]]; });
        break;
      case 3:
        if (b.score.values) {
          const double* sv = b.score.values;
          grow(d.score, [&](std::size_t i) { return static_cast<float>(sv[i]); });
        } else {
          grow(d.score, [&](std::size_t i) { return static_cast<float>(s.score_at(i)); });
        }
        break;
      default:
        if (one_attr) {
          grow(d.attr, [&](std::size_t) { return default_attr; });
        } else {
          attr_key last{255, 0, 0};
          std::uint32_t last_code = 0;
          grow(d.attr, [&](std::size_t i) {
            attr_key k{
                b.kind.codes ? static_cast<std::uint8_t>(s.K.code[b.kind.codes[i]]) : default_kind,
                float_bits(static_cast<float>(s.weight_at(i))),
                b.source.codes ? s.S.code[b.source.codes[i]] : 0U};
            if (!(k == last)) {
              last = k;
              last_code = d.intern_attr(k);
            }
            return last_code;
          });
        }
        break;
    }
  };
  detail::parallel_tasks(
      5, n >= parallel_rows ? s.threads : 1U,
      [&](std::size_t task, unsigned) { column_task(task); }, &m);
}

}  // namespace

void evidence_log::append(const evidence_columns& b, const ingest_checks& checks,
                          const progress& progress) {
  // Progress: rows validated, then rows written.
  meter m(progress, 2 * static_cast<std::uint64_t>(b.size));
  m.run([&] {
    if (b.size == 0) {  // an empty batch (e.g. a header-only file) is a no-op
      m.finish();
      return;
    }
    require_columns(b);
    const std::size_t n = b.size;
    impl& d = *impl_;
    // 1. Stage the batch against the tables (nothing stored yet).
    const staged_batch s(d, b, checks, m);
    // 2. Validate every row. The branch-free pass decides for most batches; only a batch it
    // cannot clear takes the per-row diagnostic pass, which throws listing every problem.
    double tmax = d.max_time;
    const bool all_ok = all_rows_valid(s, n, tmax, m);
    if (!all_ok || !all_stamps_valid(s, n)) check_rows(s, n, m);
    // 3. Commit: nothing below can fail except allocation, done first, and a cancellation, which
    // truncates the log back to where it was.
    const impl::mark before = d.get_mark();
    try {
      reserve(n);
      s.L.commit(d.learners);
      s.C.commit(d.competencies);
      s.S.commit(d.sources);
      for (const auto k : s.K.fresh) d.kinds.intern(k);
      write_columns(d, s, n, m);
      if (!b.timestamp.empty()) {  // the texts kept: only rows that have one
        const std::uint64_t first = d.learner.size() - n;
        for (std::size_t i = 0; i < n; ++i) d.push_stamp(first + i, b.timestamp[i]);
      }
      if (!all_ok) {
        const double* to = d.time.data() + (d.time.size() - n);
        for (std::size_t i = 0; i < n; ++i)
          if (!(to[i] <= tmax)) tmax = to[i];  // also replaces the initial NaN
      }
      d.max_time = tmax;
      m.finish();
    } catch (...) {
      d.truncate(before);
      throw;
    }
  });
}

namespace {
const std::uint32_t zero_code = 0;  // the code of every column of a one-row batch
}  // namespace

evidence_columns evidence_columns::one_row(std::string_view learner, std::string_view competency,
                                           std::string_view kind, std::string_view source,
                                           const double* weight) {
  evidence_columns b;
  b.size = 1;
  b.learner = {&zero_code, {learner}};
  b.competency = {&zero_code, {competency}};
  b.kind = {&zero_code, {kind}};
  b.source = {&zero_code, {source}};
  b.weight.values = weight;
  return b;
}

void evidence_columns::text_value(number_column& column, std::string_view text) {
  column.values = nullptr;
  column.codes = &zero_code;
  column.names = {text};
}

}  // namespace masterymap
