// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the evidence log's storage (interned name tables, the five event columns) and the
// text helpers shared by its parts: evidence.cpp (construction, single rows, access),
// evidence_batch.cpp (columnar batches), evidence_time.cpp, evidence_csv.cpp.
#ifndef MASTERYMAP_SRC_EVIDENCE_IMPL_HPP
#define MASTERYMAP_SRC_EVIDENCE_IMPL_HPP

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <masterymap/column.hpp>
#include <masterymap/evidence.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace masterymap::detail {

/// Views of `names` (valid while `names` is neither changed nor destroyed).
inline std::vector<std::string_view> views(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

/// Strips spaces, tabs and carriage returns at both ends.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

/// A plain decimal number (a leading + allowed, surrounding blanks ignored), else nullopt.
inline std::optional<double> parse_number(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// What the log can hold and give back: times within datetime64[ns] (1677-09-21 to 2262-04-11,
/// whole seconds inside it, so every stored time converts to a DataFrame), scores and weights
/// within float32 (stored in 4 bytes; beyond, they would become infinite). A row is valid when
/// min_stored_time <= time <= max_stored_time, |score| <= max_stored, 0 <= weight <= max_stored
/// (NaN is none of them).
inline constexpr double min_stored_time = -9223372036.0, max_stored_time = 9223372036.0;
inline constexpr double max_stored = 3.4028234663852886e38;  // FLT_MAX

// The attributes of an event (kind, weight, source) are interned as one triple: logs repeat a
// handful of them, so each event stores one 4-byte code instead of three fields.
struct attr_key {
  std::uint8_t kind;
  std::uint32_t weight_bits;
  std::uint32_t source;
  bool operator==(const attr_key& o) const noexcept {
    return kind == o.kind && weight_bits == o.weight_bits && source == o.source;
  }
};
struct attr_hash {
  std::size_t operator()(const attr_key& k) const noexcept {
    std::uint64_t x = (static_cast<std::uint64_t>(k.weight_bits) << 32) ^
                      (static_cast<std::uint64_t>(k.source) << 8) ^ k.kind;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
  }
};

// The bits of a weight, so equal weights hash and compare exactly.
inline std::uint32_t float_bits(float f) noexcept {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

// An interned string table: names by code, and an open-addressing index of codes (looked up by
// string_view, so finding a name never allocates).
template <typename Name>
struct basic_table {
  std::vector<Name> names;
  std::vector<std::uint32_t> slots;  // code + 1; 0 = empty; size a power of two
  static std::size_t hash(std::string_view s) noexcept { return std::hash<std::string_view>{}(s); }
  std::optional<std::uint32_t> find(std::string_view s) const noexcept {
    if (slots.empty()) return std::nullopt;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t h = hash(s) & mask;; h = (h + 1) & mask) {
      const std::uint32_t x = slots[h];
      if (x == 0) return std::nullopt;
      if (names[x - 1] == s) return x - 1;
    }
  }
  void place(std::uint32_t code) {
    const std::size_t mask = slots.size() - 1;
    std::size_t h = hash(names[code]) & mask;
    while (slots[h] != 0) h = (h + 1) & mask;
    slots[h] = code + 1;
  }
  std::uint32_t intern(std::string_view s) {
    if (auto c = find(s)) return *c;
    const auto code = static_cast<std::uint32_t>(names.size());
    names.emplace_back(s);
    if ((names.size() + 1) * 2 > slots.size()) {  // keep the load at most 1/2
      slots.assign(std::max<std::size_t>(16, slots.size() * 2), 0);
      while ((names.size() + 1) * 2 > slots.size()) slots.assign(slots.size() * 2, 0);
      for (std::uint32_t c = 0; c < names.size(); ++c) place(c);
    } else {
      place(code);
    }
    return code;
  }
  /// Forgets the names from code `n` on (a cancelled batch's).
  void truncate(std::size_t n) {
    if (n >= names.size()) return;
    names.erase(names.begin() + static_cast<std::ptrdiff_t>(n), names.end());
    std::fill(slots.begin(), slots.end(), 0U);
    for (std::uint32_t c = 0; c < names.size(); ++c) place(c);
  }
  void reserve(std::size_t n) {
    names.reserve(n);
    std::size_t want = 16;
    while ((n + 1) * 2 > want) want *= 2;
    if (want > slots.size()) {
      slots.assign(want, 0);
      for (std::uint32_t c = 0; c < names.size(); ++c) place(c);
    }
  }
  std::size_t bytes() const {
    std::size_t b =
        names.capacity() * sizeof(std::string) + slots.capacity() * sizeof(std::uint32_t);
    for (const auto& n : names) b += n.capacity() > 15 ? n.capacity() : 0;
    return b;
  }
};
using table = basic_table<std::string>;

/// Owning-record evidence as a columnar batch (string fields factorised; views into `rows`,
/// which must outlive it): the one conversion of `evidence_log::append(rows)` and
/// `roster::ingest(rows)`, so both validate (and report) exactly as a columnar batch does.
struct record_batch {
  std::vector<std::uint32_t> lc, cc, kc, sc;
  std::vector<double> t, s, w;
  evidence_columns columns;

  explicit record_batch(const std::vector<evidence>& rows)
      : lc(rows.size()),
        cc(rows.size()),
        kc(rows.size()),
        sc(rows.size()),
        t(rows.size()),
        s(rows.size()),
        w(rows.size()) {
    columns.size = rows.size();
    std::unordered_map<std::string_view, std::uint32_t> lm, cm, km, sm;
    auto code = [](std::unordered_map<std::string_view, std::uint32_t>& m, name_column& col,
                   std::string_view v) {
      auto [it, inserted] = m.emplace(v, static_cast<std::uint32_t>(col.names.size()));
      if (inserted) col.names.push_back(v);
      return it->second;
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
      lc[i] = code(lm, columns.learner, rows[i].learner);
      cc[i] = code(cm, columns.competency, rows[i].competency);
      kc[i] = code(km, columns.kind, rows[i].kind);
      sc[i] = code(sm, columns.source, rows[i].source);
      if (!rows[i].timestamp.empty() && columns.timestamp.empty())
        columns.timestamp.resize(rows.size());
      if (!columns.timestamp.empty()) columns.timestamp[i] = rows[i].timestamp;
      t[i] = rows[i].time;
      s[i] = rows[i].score;
      w[i] = rows[i].weight;
    }
    columns.learner.codes = lc.data();
    columns.competency.codes = cc.data();
    columns.kind.codes = kc.data();
    columns.source.codes = sc.data();
    columns.time.values = t.data();
    columns.score.values = s.data();
    columns.weight.values = w.data();
  }
  record_batch(const record_batch&) = delete;  // `columns` points into this object
  record_batch& operator=(const record_batch&) = delete;
};

}  // namespace masterymap::detail

namespace masterymap {

struct evidence_log::impl {
  column<std::uint32_t> learner, competency, attr;
  column<double> time;
  column<float> score;
  detail::table learners, competencies, sources, kinds;
  std::vector<evidence_attributes> attrs;
  std::unordered_map<detail::attr_key, std::uint32_t, detail::attr_hash> attr_index;
  double max_time = std::numeric_limits<double>::quiet_NaN();
  // Retractions (in order) and, by source code, the index of each in `retractions`.
  std::vector<retraction> retractions;
  std::unordered_map<std::uint32_t, std::uint32_t> retraction_index;
  // First row of each non-empty source among rows [0, source_indexed): the statements path's
  // duplicate check, extended lazily (a cache: cleared when rows it covers are truncated).
  std::unordered_map<std::uint32_t, std::uint32_t> first_row_of_source;
  std::size_t source_indexed = 0;
  // Timestamp texts (evidence_log::timestamp_text), sparse: text k belongs to row
  // stamp_rows[k] (ascending) and is stamp_chars[stamp_ends[k - 1] (or 0), stamp_ends[k]).
  // All three are empty in a log that never saw a text.
  std::vector<std::uint64_t> stamp_rows, stamp_ends;
  std::string stamp_chars;

  impl() {
    for (const auto& k : builtin_kinds()) kinds.intern(k);
    sources.intern("");
  }

  /// Row `r`'s timestamp text ("" = none). O(log stamped rows).
  [[nodiscard]] std::string_view stamp(std::size_t r) const noexcept {
    const auto it = std::lower_bound(stamp_rows.begin(), stamp_rows.end(), std::uint64_t{r});
    if (it == stamp_rows.end() || *it != r) return {};
    const auto k = static_cast<std::size_t>(it - stamp_rows.begin());
    const std::size_t b = k == 0 ? 0 : stamp_ends[k - 1];
    return std::string_view(stamp_chars).substr(b, stamp_ends[k] - b);
  }
  /// Text k of the stamps.
  [[nodiscard]] std::string_view stamp_at(std::size_t k) const noexcept {
    const std::size_t b = k == 0 ? 0 : stamp_ends[k - 1];
    return std::string_view(stamp_chars).substr(b, stamp_ends[k] - b);
  }
  /// Gives row `r` (after every stamped row) the text `t` (none when empty).
  void push_stamp(std::uint64_t r, std::string_view t) {
    if (t.empty()) return;
    stamp_chars.append(t);
    stamp_rows.push_back(r);
    stamp_ends.push_back(stamp_chars.size());
  }
  /// Drops the stamps from index k on.
  void truncate_stamps(std::size_t k) {
    if (k >= stamp_rows.size()) return;
    stamp_rows.resize(k);
    stamp_ends.resize(k);
    stamp_chars.resize(k == 0 ? 0 : stamp_ends[k - 1]);
  }

  // Stores one validated row (capacity reserved by the caller: cannot throw).
  void push_row(std::uint32_t l, std::uint32_t c, double t, double s, std::uint32_t a) noexcept {
    learner.push_back(l);
    competency.push_back(c);
    time.push_back(t);
    score.push_back(static_cast<float>(s));
    attr.push_back(a);
    if (!(t <= max_time)) max_time = t;  // also replaces the initial NaN
  }

  /// The sizes of everything an append grows, so a cancelled append can be undone.
  struct mark {
    std::size_t rows, learners, competencies, sources, kinds, attrs;
    double max_time;
    std::size_t stamps = 0;
  };
  [[nodiscard]] mark get_mark() const noexcept {
    return {learner.size(),
            learners.names.size(),
            competencies.names.size(),
            sources.names.size(),
            kinds.names.size(),
            attrs.size(),
            max_time,
            stamp_rows.size()};
  }
  /// Drops every row, name and attribute added since `m` (capacity is kept).
  void truncate(const mark& m) {
    learner.resize(m.rows);
    competency.resize(m.rows);
    time.resize(m.rows);
    score.resize(m.rows);
    attr.resize(m.rows);
    learners.truncate(m.learners);
    competencies.truncate(m.competencies);
    sources.truncate(m.sources);
    kinds.truncate(m.kinds);
    if (attrs.size() > m.attrs) {
      attrs.resize(m.attrs);
      for (auto it = attr_index.begin(); it != attr_index.end();)
        it = it->second >= m.attrs ? attr_index.erase(it) : std::next(it);
    }
    max_time = m.max_time;
    truncate_stamps(m.stamps);
    if (source_indexed > m.rows) {
      first_row_of_source.clear();
      source_indexed = 0;
    }
  }

  std::uint32_t intern_attr(const detail::attr_key& k) {
    auto [it, inserted] = attr_index.emplace(k, static_cast<std::uint32_t>(attrs.size()));
    if (inserted) {
      float w;
      std::memcpy(&w, &k.weight_bits, sizeof w);
      // A source retracted before its evidence arrived: retracted on arrival.
      const bool dead = !retractions.empty() && retraction_index.count(k.source) != 0;
      attrs.push_back({k.kind, w, k.source, dead});
    }
    return it->second;
  }
};

namespace detail {
/// The storage of a log, for the library's own parts (a roster undoing a cancelled ingest).
struct evidence_access {
  static evidence_log::impl& of(evidence_log& log) noexcept { return *log.impl_; }
};
/// The checks of rows vouched for by their source: none beyond the log's own.
/// - `check_levels` false (the default): not even a level kind's check, for rows checked when
///   they came in (a roster's own log, a saved snapshot, whose version-3 placements were not
///   levels yet). Keeps such batches on the one-pass validation (level kinds are checked row by
///   row).
/// - `check_levels` true: the `*_unchecked` appends; a level kind's score is still checked as a
///   level (`ingest_checks::level_kinds`: one log, one answer, whichever way a row came in).
const ingest_checks& checked_already(bool check_levels = false);

/// Records the retractions of `batch` in `d` (sources checked non-empty by the caller; a source
/// already retracted is left as it is) and flags the attribute triples of the newly retracted
/// sources. Returns those attribute codes; `*fresh` (if given) receives the number of sources
/// newly retracted. O(batch + attribute triples).
std::vector<std::uint32_t> retract_sources(evidence_log::impl& d,
                                           const std::vector<retraction>& batch,
                                           std::size_t* fresh = nullptr);
/// \throws std::invalid_argument naming the first retraction with an empty source.
void check_retractions(const std::vector<retraction>& batch);
/// xAPI: a voiding statement cannot be voided. \throws evidence_error listing each retraction
/// of `batch` whose source is the `by` of a retraction of `log` or of `batch` (rows: indices
/// into `batch`). O(log retractions + batch) when `batch` is not empty.
void check_not_voiding(const evidence_log& log, const std::vector<retraction>& batch);
/// xAPI: a statement id names one statement, across batches as within one. \throws
/// evidence_error listing each reuse of a voiding statement's id (a `by` of the log's
/// retractions or of `voids`) with other content: a void of `voids` whose `by` voids another
/// source there ("void k: ..."), a row of `batch` whose source is such an id ("row r: ...",
/// the first row of each source), and a void whose `by` is the source of evidence in the log or
/// in `batch` ("void k: ..."). A void sent again (same source, same `by`) is none of these. O(log
/// retractions + voids + batch rows, + attribute triples when `voids` is not empty).
void check_void_ids(const evidence_log& log, const evidence_columns& batch,
                    const std::vector<retraction>& voids);
/// `text` with its control characters escaped (\n, \r, \t, \xNN), cut after about `limit`
/// bytes ("... (N bytes)"), for a message.
std::string escaped_text(std::string_view text, std::size_t limit = 120);
/// Whether two times are the same instant as a timestamp text and a row's time must be: the
/// same whole microsecond, or adjacent doubles (where a double is coarser than a microsecond).
bool same_instant(double a, double b) noexcept;
/// Whether a timestamp text fits a row's time: "" (none), or an RFC 3339 date-time with a time
/// zone (`io::parse_rfc3339`) denoting `time` (`same_instant`). O(text).
bool timestamp_fits(std::string_view text, double time) noexcept;
/// Why `text` does not fit `time` ("timestamp text '...' is not an RFC 3339 date-time ..." or
/// "... denotes <t>, not the row's time <time> ..."), "" when it does (or when `time` itself is
/// no storable time: that is the row's own problem).
std::string timestamp_problem(std::string_view text, double time);
/// The statements path of an append: `batch` is appended (validated as by `append`), then its
/// rows whose non-empty source is already in the log (or earlier in the batch) are dropped when
/// their content is the same, and reported when it is not (the log is then restored and
/// evidence_error thrown). Adds the rows kept to `s.rows` and the dropped ones to
/// `s.duplicates`.
void append_statement_rows(evidence_log& log, const evidence_columns& batch,
                           const ingest_checks& checks, const progress& progress,
                           statements_summary& s);
}  // namespace detail

}  // namespace masterymap

#endif  // MASTERYMAP_SRC_EVIDENCE_IMPL_HPP
