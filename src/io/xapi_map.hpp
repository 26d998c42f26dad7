// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: one checked xAPI statement -> one evidence row (`mapper`), and the tables that intern
// names in first-use order on the way. The reader (xapi_read.cpp) runs one mapper per part of
// the text; xapi_map.cpp defines the mapper.
#ifndef MASTERYMAP_SRC_IO_XAPI_MAP_HPP
#define MASTERYMAP_SRC_IO_XAPI_MAP_HPP

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <masterymap/error.hpp>
#include <masterymap/io/xapi.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../memory_util.hpp"
#include "xapi_detail.hpp"

namespace masterymap::io::xapi_detail {

constexpr std::string_view adl = "http://adlnet.gov/expapi/verbs/";
constexpr std::string_view voided_verb = "http://adlnet.gov/expapi/verbs/voided";
constexpr std::string_view passed_verb = "http://adlnet.gov/expapi/verbs/passed";
constexpr std::string_view failed_verb = "http://adlnet.gov/expapi/verbs/failed";
constexpr std::string_view waived_verb = "https://w3id.org/xapi/adl/verbs/waived";
constexpr std::string_view completed_verb = "http://adlnet.gov/expapi/verbs/completed";
constexpr std::string_view terminated_verb = "http://adlnet.gov/expapi/verbs/terminated";
// cmi5 9.3.6: the LMS's Abandoned verb is ADL's w3id one (not adlnet.gov's)
constexpr std::string_view abandoned_verb = "https://w3id.org/xapi/adl/verbs/abandoned";
// The category activity of cmi5 defined statements (cmi5 9.6.2.1).
constexpr std::string_view cmi5_category = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
// The result extension of a cmi5 waiver's reason (cmi5 9.5.5.2).
constexpr std::string_view reason_extension = "https://w3id.org/xapi/cmi5/result/extensions/reason";

constexpr std::uint32_t none = 0xFFFFFFFFU;

// A hash of a short text, 8 bytes at a time (the mix of splitmix64): IRIs share long prefixes,
// so every byte counts. The last bytes are read as one word that overlaps the word before (a
// text of 8 bytes or more) or as two overlapping 4-byte words (4 to 7 bytes): no memcpy of a
// variable size, whose byte-wise stores the 8-byte load after it could not forward from (a
// stall of the whole row in the mapper). The size is mixed in first, so the overlap loses no
// text. The values are private to the tables (codes are in first-use order, not hash order).
inline std::uint64_t hash_text(std::string_view s) noexcept {
  const char* const p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  const auto mix = [](std::uint64_t x, std::uint64_t w) noexcept {
    x = (x ^ w) * 0xBF58476D1CE4E5B9ULL;
    return x ^ (x >> 31);
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    h = mix(h, w);
  }
  if (i < n) {
    std::uint64_t w = 0;
    if (n >= 8) {  // the last 8 bytes
      std::memcpy(&w, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t a = 0, b = 0;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = a | static_cast<std::uint64_t>(b) << 32;
    } else {  // 1 to 3 bytes
      w = static_cast<unsigned char>(p[0]) |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
          static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    }
    h = mix(h, w);
  }
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

// Texts -> values, open addressing over (hash, size, where the key is): one probe and one
// compare (against keys kept back to back in one buffer) per lookup in the common case, no
// allocation per lookup.
template <typename V>
class text_table {
 public:
  [[nodiscard]] std::uint32_t find(std::string_view key, std::uint64_t h) const noexcept {
    if (slots_.empty()) return none;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask; slots_[at].index != 0; at = (at + 1) & mask) {
      const slot& x = slots_[at];
      if (x.hash == h && x.size == key.size() &&
          std::memcmp(key.size() <= sizeof x.head ? x.head : keys_.data() + x.offset, key.data(),
                      key.size()) == 0)
        return x.index - 1;
    }
    return none;
  }
  // Adds `key` (not in the table) with `value`: its index.
  std::uint32_t insert(std::string_view key, std::uint64_t h, V value) {
    if ((values_.size() + 1) * 2 > slots_.size()) grow();
    const auto index = static_cast<std::uint32_t>(values_.size());
    values_.push_back(std::move(value));
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = h & mask;
    while (slots_[at].index != 0) at = (at + 1) & mask;
    slot& x = slots_[at];
    x.hash = h;
    x.index = index + 1;
    x.size = static_cast<std::uint32_t>(key.size());
    if (key.size() <= sizeof x.head) {
      std::memcpy(x.head, key.data(), key.size());
    } else {
      x.offset = keys_.size();
      keys_.append(key);
    }
    return index;
  }
  V& operator[](std::uint32_t i) noexcept { return values_[i]; }
  // Empties the table, keeping its memory (slots cleared in place: no allocation, no fresh
  // pages). O(slots).
  void clear() noexcept {
    std::fill(slots_.begin(), slots_.end(), slot{});
    values_.clear();
    keys_.clear();
  }
  void prefetch(std::uint64_t h) const noexcept {
    // an empty table prefetches data() + 0, a null pointer, which is harmless
    const std::size_t mask = slots_.empty() ? 0 : slots_.size() - 1;
    detail::prefetch(slots_.data() + (h & mask));
  }

 private:
  // One cache line: a key of up to 40 bytes (a learner's mbox, a verb) is compared in the slot
  // itself, so a lookup in a table larger than the cache (20,000 learners) misses once, not
  // twice (the slot, then the key elsewhere).
  struct alignas(64) slot {
    std::uint64_t hash = 0;
    std::uint32_t index = 0;  // value index + 1; 0 = empty
    std::uint32_t size = 0;   // of the key
    std::size_t offset = 0;   // of a longer key in keys_
    char head[40] = {};       // a key of up to 40 bytes
  };
  void grow() {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const auto& x : old) {
      if (x.index == 0) continue;
      std::size_t at = x.hash & mask;
      while (slots_[at].index != 0) at = (at + 1) & mask;
      slots_[at] = x;
    }
  }
  std::vector<slot> slots_;
  std::vector<V> values_;
  std::string keys_;
};

// Names interned to codes in the order rows first use them (the layout of a Categorical).
class interner {
 public:
  std::uint32_t code(std::string_view name, std::vector<std::string>& names) {
    return code(name, hash_text(name), names);
  }
  // `h` = hash_text(name).
  std::uint32_t code(std::string_view name, std::uint64_t h, std::vector<std::string>& names) {
    // the hash first: comparing the text with the previous row's (another learner of the same
    // length, mostly) was a memcmp per row
    if (last_ != none && h == last_hash_ && name == names[last_]) return last_;
    std::uint32_t e = table_.find(name, h);
    if (e == none) {
      e = table_.insert(name, h, static_cast<std::uint32_t>(names.size()));
      names.emplace_back(name);
    }
    last_hash_ = h;
    return last_ = table_[e];
  }
  // Brings the slot a lookup of hash `h` starts at into the cache.
  void prefetch(std::uint64_t h) const noexcept { table_.prefetch(h); }
  // Forgets every name, keeping the table's memory (see text_table::clear).
  void clear() noexcept {
    table_.clear();
    last_ = none;
    last_hash_ = 0;
  }

 private:
  text_table<std::uint32_t> table_;
  std::uint32_t last_ = none;  // the previous row's code: runs of one kind, verb or learner
  std::uint64_t last_hash_ = 0;
};

struct error_list {
  std::vector<std::string> messages;  // without the "statement i" prefix (see problems())
  std::vector<std::size_t> rows, lines;
  bool with_lines = false;
  void add(std::size_t statement, std::size_t line, std::string message) {
    messages.push_back(escape_controls(std::move(message)));  // no NUL cuts a message short
    rows.push_back(statement);
    lines.push_back(line);
  }
  [[nodiscard]] bool empty() const noexcept { return messages.empty(); }
  // "statement i: ..." (a JSON array: no lines) or "statement i (line n): ..." (JSON lines).
  // Numbered at the end: a part of the text read on its own numbers from 0 (see read_parts).
  [[nodiscard]] std::vector<problem> problems() const {
    std::vector<problem> out;
    out.reserve(messages.size());
    for (std::size_t k = 0; k < messages.size(); ++k)
      out.push_back(problem{problem_kind::invalid_value,
                            {},
                            lines[k] == 0 ? fmt::format("statement {}: {}", rows[k], messages[k])
                                          : fmt::format("statement {} (line {}): {}", rows[k],
                                                        lines[k], messages[k])});
    return out;
  }
};

class mapper {
 public:
  explicit mapper(const xapi_mapping& m);

  // Maps one valid statement; problems go to `errors`.
  void map(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
           xapi_evidence& out, error_list& errors);

  // Takes over the learner table of `done` (a mapper whose rows are flushed and whose table is
  // not needed again), emptied: the next part of a large file read on the same thread starts
  // with a table of the right size instead of growing one from 64 slots (20,000 learners: a
  // 4 MiB table, filled and rehashed at each doubling and mapped page by page). Call it before
  // this mapper maps a row.
  void reuse_learner_table(mapper& done) noexcept {
    learners_ = std::move(done.learners_);
    learners_.clear();
  }

  // Gives the last row mapped its learner code. The lookup waits for the next row: its slot
  // is prefetched meanwhile (a table of 20,000 learners outgrows the cache, and the lookup was
  // a cache miss per row). Codes stay in first-use order: rows are resolved in order. Call it
  // after the last row.
  void flush(xapi_evidence& out);

 private:
  struct verb_info {
    std::string_view kind;  // "" = no rating evidence
    bool waiver = false, voiding = false;
    std::uint32_t kind_code = none, verb_code = none;  // assigned by the first row
  };
  struct activity_info {
    bool aligned = false, known = true;  // known: the competency is in the framework (if any)
    std::string competency;
    std::uint32_t competency_code = none, activity_code = none;  // assigned by the first row
  };

  verb_info& verb_of(std::string_view verb);

  activity_info& activity_of(std::string_view activity);

  // cmi5: the alignment of an AU (publisher id): `alignment`, else `cmi5_aus` (cached).
  activity_info& au_info(std::string_view au);

  // cmi5: the AU of a statement: the first grouping activity that is an AU of the course
  // (`at` = its index), else the object id when it is one (`at` = no_row); "" = none.
  [[nodiscard]] std::string_view au_of(const xapi_detail::statement_fields& f,
                                       std::size_t& at) const;

  // cmi5: the rules of cmi5 defined statements (those with the cmi5 category); every problem
  // goes to `errors`; false when there was one. `au`: the statement's AU ("" = none).
  bool cmi5_ok(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
               std::string_view au, error_list& errors);

  void learner_text(const xapi_detail::statement_fields& f);

  const xapi_mapping& m_;
  std::unordered_map<std::string_view, std::string_view> verb_kinds_, alignment_;
  std::unordered_map<std::string, std::string> by_uri_;
  double success_ = 1.0, failure_ = 0.0;
  std::string buffer_;
  std::string id_;  // the statement id in lower case (see xapi_detail::lower_id)
  static constexpr std::size_t no_row = static_cast<std::size_t>(-1);
  std::size_t pending_row_ = no_row;  // the row whose learner is looked up at the next flush
  std::string pending_learner_;
  std::uint64_t pending_hash_ = 0;
  interner learners_, competencies_, kinds_, verbs_, activities_;
  text_table<verb_info> verbs_seen_;
  text_table<activity_info> activities_seen_;
  text_table<activity_info> aus_seen_;  // cmi5: AU id -> its alignment
};

}  // namespace masterymap::io::xapi_detail

#endif  // MASTERYMAP_SRC_IO_XAPI_MAP_HPP
