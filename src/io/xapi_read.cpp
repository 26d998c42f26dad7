// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// xAPI statements -> evidence: JSON lines go through the On-Demand fast path (xapi_fast.cpp),
// which accepts the common valid statement in one pass; any other line, and a JSON array (one
// parse per batch), get one simdjson DOM parse and the checker of xapi_validate.cpp, which
// collects the fields the mapping reads and alone rejects.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/io/xapi.hpp>
#include <memory>
#include <unordered_map>

#include "../encoding_detail.hpp"
#include "../file_util.hpp"
#include "../json_util.hpp"
#include "../memory_util.hpp"
#include "../parallel.hpp"
#include "xapi_detail.hpp"
#include "xapi_fast.hpp"
#include "xapi_map.hpp"

namespace masterymap::io {

namespace {

namespace dom = simdjson::dom;
using xapi_detail::error_list;
using xapi_detail::interner;
using xapi_detail::json_difference;
using xapi_detail::mapper;
// Statement ids seen in a batch: a UUID's 128 bits in an open-addressing table (no string per
// statement; ids were checked to be UUIDs before they get here).
class id_table {
 public:
  // The 32 hex digits of a UUID (8-4-4-4-12, either case) as 128 bits, 8 digits at a time.
  static std::pair<std::uint64_t, std::uint64_t> key(std::string_view uuid) noexcept {
    if (uuid.size() != 36) return slow_key(uuid);
    const char* p = uuid.data();
    const std::uint64_t hi = hex8(p) << 32 | hex4(p + 9) << 16 | hex4(p + 14);
    const std::uint64_t lo = hex4(p + 19) << 48 | hex8(p + 24) << 16 | hex4(p + 32);
    return {hi, lo};
  }
  // The index stored under `uuid`, or inserts `index` and returns it.
  std::size_t insert(std::string_view uuid, std::size_t index) {
    return insert_key(key(uuid), index);
  }
  std::size_t insert_key(std::pair<std::uint64_t, std::uint64_t> k, std::size_t index) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t at = slot_of(k);
    while (slots_[at].used) {
      if (slots_[at].hi == k.first && slots_[at].lo == k.second) return slots_[at].index;
      at = (at + 1) & (slots_.size() - 1);
    }
    slots_[at] = slot{k.first, k.second, index, true};
    ++size_;
    return index;
  }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view uuid) const {
    if (slots_.empty()) return std::nullopt;
    const auto k = key(uuid);
    for (std::size_t at = slot_of(k); slots_[at].used; at = (at + 1) & (slots_.size() - 1))
      if (slots_[at].hi == k.first && slots_[at].lo == k.second) return slots_[at].index;
    return std::nullopt;
  }

 private:
  struct slot {
    std::uint64_t hi = 0, lo = 0;
    std::size_t index = 0;
    bool used = false;
  };
  [[nodiscard]] std::size_t slot_of(std::pair<std::uint64_t, std::uint64_t> k) const noexcept {
    const std::uint64_t h = (k.first ^ (k.second * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h >> 17) & (slots_.size() - 1);
  }
  void grow() {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, slot{});
    for (const auto& s : old) {
      if (!s.used) continue;
      std::size_t at = slot_of({s.hi, s.lo});
      while (slots_[at].used) at = (at + 1) & (slots_.size() - 1);
      slots_[at] = s;
    }
  }
  // The value of the digits at p[0, 8) (a digit's value is its low 4 bits, plus 9 for a
  // letter: bit 6 set), the first digit highest.
  static std::uint64_t hex8(const char* p) noexcept {
    std::uint64_t x = 0;
    std::memcpy(&x, p, 8);  // little-endian: p[0] in the lowest byte
    x = (x & 0x0F0F0F0F0F0F0F0FULL) + 9 * ((x >> 6) & 0x0101010101010101ULL);
    // each 16-bit lane (p[2k], p[2k + 1]) -> one byte p[2k] << 4 | p[2k + 1]
    x = ((x & 0x000F000F000F000FULL) << 4) | ((x >> 8) & 0x000F000F000F000FULL);
    return (x & 0xFF) << 24 | ((x >> 16) & 0xFF) << 16 | ((x >> 32) & 0xFF) << 8 |
           ((x >> 48) & 0xFF);
  }
  static std::uint64_t hex4(const char* p) noexcept {
    std::uint32_t x = 0;
    std::memcpy(&x, p, 4);
    x = (x & 0x0F0F0F0FU) + 9 * ((x >> 6) & 0x01010101U);
    x = ((x & 0x000F000FU) << 4) | ((x >> 8) & 0x000F000FU);
    return static_cast<std::uint64_t>((x & 0xFF) << 8 | ((x >> 16) & 0xFF));
  }
  // Any other text (never a checked UUID): digit by digit.
  static std::pair<std::uint64_t, std::uint64_t> slow_key(std::string_view uuid) noexcept {
    std::uint64_t hi = 0, lo = 0;
    int n = 0;
    for (char c : uuid) {
      if (c == '-') continue;
      const auto d = static_cast<std::uint64_t>(
          c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);  // hex digit, either case
      if (n < 16)
        hi = hi << 4 | d;
      else
        lo = lo << 4 | d;
      ++n;
    }
    return {hi, lo};
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

std::size_t skip_blanks(std::string_view text, std::size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  return i;
}

// simdjson reads up to SIMDJSON_PADDING bytes past a value's end. The texts lie in memory
// readable up to `end` (a padded copy's padding, a mapped file's last page): a value whose
// padding would pass it (the last lines of a mapped file) is parsed from simdjson's copy.
// A UTF-8 byte order mark at the start of `text` is skipped (a JSON line may start with one
// where files that each start with one were joined: `cat a.jsonl b.jsonl`).
// An integer beyond 64 bits (valid JSON; simdjson 3.0.1 refuses it, NUMBER_ERROR) is read as
// the nearest double: the text is parsed again with such integers written as decimals
// (xapi_detail::widen_big_integers; the parser keeps its own copy). Any other number error
// stays the first parse's.
simdjson::simdjson_result<dom::element> parse_within(dom::parser& parser, std::string_view text,
                                                     const char* end) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const bool copy =
      static_cast<std::size_t>(end - text.data()) < text.size() + simdjson::SIMDJSON_PADDING;
  const auto result = parser.parse(text.data(), text.size(), copy);
  if (result.error() == simdjson::NUMBER_ERROR) {
    std::string widened;
    if (xapi_detail::widen_big_integers(text, widened)) {
      auto again = parser.parse(widened.data(), widened.size(), true);
      if (again.error() == simdjson::SUCCESS) return again;
    }
  }
  return result;
}

// JSON lines are read in parts of at least this many bytes (see read_in_parts).
constexpr std::size_t min_part = std::size_t{4} << 20;

// The source every message of the reader starts with ("xAPI statements: ...").
constexpr const char* source_name = "xAPI statements";

/// The parse_error for malformed JSON in `text`, which starts on line `line_offset + 1` of the
/// input: "xAPI statements: syntax error at line L, column C: <reason>", L counted in the input
/// (C on that line). Every cause takes that form: a syntax error, invalid UTF-8 (reason
/// "invalid UTF-8 (byte 0xE9); JSON text is UTF-8"), a number out of range, a NUL byte (which
/// nlohmann's parser takes for the end of the input); only a failure that simdjson finds and
/// nlohmann does not has no column ("syntax error at line L: <simdjson's reason>"), and a
/// message about the whole input (UTF-16 or UTF-32 text) stays as the UTF-8 check gives it.
/// O(size of `text`); for error paths.
[[noreturn]] void syntax_error(std::string_view text, std::size_t line_offset,
                               std::string_view what) {
  const auto raise = [&](std::size_t line, std::size_t column, std::string_view reason) {
    throw parse_error(fmt::format("{}: syntax error at line {}, column {}: {}", source_name,
                                  line + line_offset, column, reason),
                      line + line_offset, column);
  };
  // A NUL byte is never valid JSON text (inside a string it must be written \u0000).
  const std::size_t nul = text.find('\0');
  const auto nul_error = [&] {
    const auto at = detail::position_of(text, nul);
    raise(at.line, at.column,
          "a NUL byte (0x00): not allowed in JSON text (inside a string write \\u0000)");
  };
  // simdjson's DOM does not say where: nlohmann's parser finds the line and column (its
  // messages start with the source and count lines in `text`: rewritten with the offset).
  try {
    // (the whole text: its UTF-8 check sees a UTF-16/UTF-32 mark; nlohmann's parser stops at a
    // NUL as at the end of the input, so an error at or after the NUL is the NUL's)
    (void)detail::parse_json(text, source_name);
  } catch (const parse_error& e) {
    if (nul != std::string_view::npos) {
      const auto at = detail::position_of(text, nul);
      if (std::make_pair(e.line(), e.column()) >= std::make_pair(at.line, at.column)) nul_error();
    }
    // the reason alone: without the source and the position nlohmann counted in `text`
    std::string reason = e.what();
    bool positioned = false;
    for (const std::string& head :
         {fmt::format("{}: syntax error at line {}, column {}: ", source_name, e.line(),
                      e.column()),
          fmt::format("{}: line {}, column {}: ", source_name, e.line(), e.column())})
      if (reason.rfind(head, 0) == 0) {
        reason.erase(0, head.size());
        positioned = true;
        break;
      }
    const std::string overflow = fmt::format(
        "{}: number out of range at line {}, column {}: ", source_name, e.line(), e.column());
    if (reason.rfind(overflow, 0) == 0) {
      reason = "number out of range: " + reason.substr(overflow.size());
      positioned = true;
    }
    // a message about the whole input (UTF-16 or UTF-32 text, compressed input): as it is
    if (!positioned && line_offset == 0) throw;
    raise(e.line(), e.column(), reason);
  } catch (...) {
  }
  if (nul != std::string_view::npos) nul_error();
  throw parse_error(
      fmt::format("{}: syntax error at line {}: {}", source_name, line_offset + 1, what),
      line_offset + 1, 0);
}

// Rows of statements voided by a statement of the same batch (before or after it) stay, flagged
// in `retracted` (the log keeps them too: `statement_batch` ingests them with the retraction).
void mark_voided(xapi_evidence& out) {
  out.retracted.assign(out.size(), 0);
  if (out.voided.empty()) return;
  std::unordered_map<std::string_view, std::size_t> voided;
  for (const auto& [i, id] : out.voided) voided.emplace(id, i);
  for (std::size_t r = 0; r < out.size(); ++r)
    if (!out.source[r].empty() && voided.count(out.source[r]) != 0) out.retracted[r] = 1;
}

// Room for the rows of `bytes` of statements, so that the columns are not copied as they grow
// (each copy also touches fresh pages). A statement takes 256 bytes or more (an id, an actor, a
// verb, an object and a result): the estimate is an upper bound, and reserved but untouched
// memory costs nothing.
void reserve(xapi_evidence& out, std::size_t bytes) {
  const std::size_t rows = bytes / 256 + 16;
  for (auto* v : {&out.learner, &out.competency, &out.kind, &out.verb, &out.activity})
    v->reserve(rows);
  out.time.reserve(rows);
  out.score.reserve(rows);
  out.statement.reserve(rows);
  out.source.reserve(rows, rows * 36);     // a UUID each
  out.timestamp.reserve(rows, rows * 24);  // "2024-03-01T09:30:00.5Z" and longer
}

// Fresh memory the join is about to write in full, mapped ahead (MADV_POPULATE_WRITE) in 4 MiB
// chunks on up to `threads` threads: on a VM a 4 KiB page fault costs microseconds (4 us
// measured here), and the join's ~110 MB for a million statements took its faults one by one
// on one thread.
class fresh_memory {
 public:
  template <typename T>
  void add_unused(const std::vector<T>& v) {  // v's capacity past its size
    add(v.data() + v.size(), (v.capacity() - v.size()) * sizeof(T));
  }
  void add_unused(const std::string& s) { add(s.data() + s.size(), s.capacity() - s.size()); }
  void populate(unsigned threads) const {
    detail::parallel_for(chunks_.size(), threads, 1, [this](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i)
        detail::column_populate(chunks_[i].first, chunks_[i].second);
    });
  }

 private:
  void add(const void* p, std::size_t bytes) {
    constexpr std::size_t chunk = std::size_t{4} << 20;
    const auto* c = static_cast<const char*>(p);
    for (std::size_t at = 0; at < bytes; at += chunk)
      chunks_.emplace_back(c + at, std::min(chunk, bytes - at));
  }
  std::vector<std::pair<const void*, std::size_t>> chunks_;
};

// One reader's state: its evidence and problems, the statement ids it has seen. The sequential
// reader reads everything; for large JSON lines, one reader per part of the text (see
// read_parts).
struct reader {
  explicit reader(const xapi_mapping& m) : mapping(m), map(m) {}
  const xapi_mapping& mapping;
  mapper map;
  xapi_evidence out;
  error_list errors;
  xapi_detail::statement_fields fields;
  std::vector<xapi_problem> problems;
  id_table seen;                        // statement id -> index of its first statement
  std::vector<std::string_view> spans;  // JSON lines: statement texts, from statement `base`
  const std::vector<dom::element>* array = nullptr;  // a JSON array: its elements so far
  std::size_t base = 0;                              // index of this reader's first statement
  const char* readable_end = nullptr;                // the texts' readable end (parse_within)
  dom::parser parser, other;
  simdjson::ondemand::parser fast;      // JSON lines: the fast path (xapi_fast.cpp) first
  std::vector<std::size_t> void_lines;  // the line of each `out.voided` statement
  // Deferred: the ids go to `ids` unchecked, for `has_repeats` after the reading (a repeat
  // then means reading again, not deferred: repeats in bulk input are rare, and a table probe
  // per statement is a cache miss).
  bool defer_ids = false;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ids;
  // JSON lines: the first syntax error (the reading stopped there)
  bool syntax = false, syntax_first = false;  // first: before any statement of this reader
  std::string_view syntax_row;
  std::string syntax_copy;  // syntax_row's text, when the part's buffer is reused (read_file_parts)
  std::size_t syntax_line = 0;
  std::size_t statements_read = 0, lines_read = 0;  // by lines(), up to a syntax error
  simdjson::error_code syntax_code = simdjson::SUCCESS;

  // The evidence read, every row complete (see mapper::flush).
  xapi_evidence take() {
    map.flush(out);
    return std::move(out);
  }

  void one(dom::element e, std::size_t i, std::size_t line, bool lines) {
    problems.clear();
    xapi_detail::check_statement(e, mapping.version, problems, &fields);
    if (!problems.empty()) {
      for (const auto& p : problems)
        errors.add(i, line, fmt::format("{}: {}", p.path.empty() ? "/" : p.path, p.rule));
      return;
    }
    accepted(&e, i, line, lines);
  }

  // Statement i, accepted with its `fields`, to the evidence. `e`: its DOM, or null when the
  // fast path accepted it (a JSON line: parsed from `spans` if a repeated id needs the DOM).
  void accepted(const dom::element* e, std::size_t i, std::size_t line, bool lines) {
    if (defer_ids && !fields.id.empty()) {
      ids.push_back(id_table::key(fields.id));
    } else if (!fields.id.empty()) {
      const std::size_t first_index = seen.insert(fields.id, i);
      if (first_index != i) {
        // Same id: the same content (as JSON values) counts once; another is an error.
        std::string diff = "(another statement)";
        dom::element self;
        if (e == nullptr &&
            parse_within(parser, spans[i - base], readable_end).get(self) == simdjson::SUCCESS)
          e = &self;
        if (e != nullptr && lines) {
          dom::element first;
          const auto s = spans[first_index - base];
          if (parse_within(other, s, readable_end).get(first) == simdjson::SUCCESS)
            diff = json_difference(*e, first, "");
        } else if (e != nullptr && array != nullptr) {
          diff = json_difference(*e, (*array)[first_index], "");
        }
        if (!diff.empty()) {
          errors.add(i, line,
                     fmt::format("/id: statement id {} was already used by statement {} with "
                                 "other content (first difference {}, this vs statement {})",
                                 fields.id, first_index, diff, first_index));
        } else {
          out.skipped.emplace_back(i, fmt::format("a repeat of statement {}", first_index));
        }
        return;
      }
    }
    const std::size_t voids = out.voided.size();
    map.map(i, line, fields, out, errors);
    if (out.voided.size() != voids) void_lines.push_back(line);
  }

  // Reads the JSON lines of all[pos, end) (`end` at a line start or the end), statements
  // numbered from `i`, lines from `line + 1`; stops at the first syntax error (noted).
  void lines(std::string_view all, std::size_t pos, std::size_t end, std::size_t i,
             std::size_t line) {
    base = i;
    bool first = true;
    reserve(out, end - pos);
    std::uint64_t fast_lines = 0, dom_lines = 0;  // (locals: counted once at the end)
    const auto count = [&] { xapi_detail::add_fast_path_counts(fast_lines, dom_lines); };
    while (pos < end) {
      std::size_t nl = all.find('\n', pos);
      if (nl == std::string_view::npos || nl > end) nl = end;
      ++line;
      ++lines_read;
      const std::string_view row = all.substr(pos, nl - pos);
      pos = nl + 1;
      if (skip_blanks(row, 0) == row.size()) continue;
      // the fast path decides the common valid statement; the DOM walker everything else
      const auto readable = static_cast<std::size_t>(readable_end - row.data());
      if (xapi_detail::fast_statement(row, readable, mapping.version, fast, fields)) {
        ++fast_lines;
        first = false;
        if (!defer_ids) spans.push_back(row);
        accepted(nullptr, i, line, true);
        ++i;
        ++statements_read;
        continue;
      }
      ++dom_lines;
      dom::element e;
      const auto err = parse_within(parser, row, readable_end).get(e);
      if (err != simdjson::SUCCESS) {
        syntax = true;
        syntax_first = first;
        syntax_row = row;
        syntax_line = line;
        syntax_code = err;
        count();
        return;
      }
      first = false;
      if (!defer_ids) spans.push_back(row);
      one(e, i, line, true);
      ++i;
      ++statements_read;
    }
    count();
  }
};

// The xAPI rule that a voiding statement cannot be voided (Data 2.3.2; within a batch the
// target is seen: rejected), the errors thrown, and the rows voided within the batch flagged.
xapi_evidence finish(xapi_evidence out, error_list errors,
                     const std::vector<std::size_t>& void_lines) {
  if (out.voided.size() > 1) {
    std::unordered_map<std::string_view, std::size_t> voiding;  // id -> statement index
    for (const auto& r : out.retractions) voiding.emplace(r.by, 0);
    for (std::size_t k = 0; k < out.voided.size(); ++k)
      voiding[out.retractions[k].by] = out.voided[k].first;
    for (std::size_t k = 0; k < out.voided.size(); ++k)
      if (const auto it = voiding.find(out.voided[k].second);
          it != voiding.end() && !out.voided[k].second.empty())
        errors.add(out.voided[k].first, void_lines[k],
                   fmt::format("/object/id: voids statement {} ({}), itself a voiding statement "
                               "(xAPI: a voiding statement cannot be voided)",
                               out.voided[k].second, it->second));
  }
  if (!errors.empty()) {
    std::vector<problem> problems = errors.problems();  // before the rows are moved
    throw evidence_error(std::move(problems), std::move(errors.rows),
                         errors.with_lines ? std::move(errors.lines) : std::vector<std::size_t>{});
  }
  mark_voided(out);
  return out;
}

// Whether a statement id (its 128 bits) occurs twice in the lists: the keys are scattered into
// 256 buckets by hash (each list counted and scattered on its own, lists on up to `threads`
// threads), then each bucket (small enough for the cache) is checked with a table, buckets on up
// to `threads` threads. O(keys).
bool has_repeats(
    const std::vector<const std::vector<std::pair<std::uint64_t, std::uint64_t>>*>& lists,
    unsigned threads) {
  using key = std::pair<std::uint64_t, std::uint64_t>;
  constexpr auto hash = [](const key& k) noexcept {
    std::uint64_t h = (k.first ^ (k.second * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
  };
  const std::size_t m = lists.size();
  // where[l][b]: the first index in `keys` of list l's keys of bucket b (counts first)
  std::vector<std::array<std::size_t, 256>> where(m);
  detail::parallel_for(m, threads, 1, [&](std::size_t l0, std::size_t l1) {
    for (std::size_t l = l0; l < l1; ++l) {
      std::array<std::size_t, 256> count{};
      for (const auto& k : *lists[l]) ++count[hash(k) >> 56];
      where[l] = count;
    }
  });
  std::array<std::size_t, 257> start{};
  for (std::size_t b = 0, at = 0; b < 256; ++b) {
    start[b] = at;
    for (std::size_t l = 0; l < m; ++l) {
      const std::size_t c = where[l][b];
      where[l][b] = at;
      at += c;
    }
    start[b + 1] = at;
  }
  std::vector<key> keys(start[256]);
  detail::parallel_for(m, threads, 1, [&](std::size_t l0, std::size_t l1) {
    key* const out = keys.data();
    for (std::size_t l = l0; l < l1; ++l) {
      std::array<std::size_t, 256> at = where[l];  // a local copy: stores to `out` leave it be
      for (const auto& k : *lists[l]) out[at[hash(k) >> 56]++] = k;
    }
  });
  std::atomic<bool> repeated{false};
  detail::parallel_for(256, threads, 16, [&](std::size_t b0, std::size_t b1) {
    std::vector<std::uint32_t> slots;  // index in `keys` + 1; 0 = empty
    for (std::size_t b = b0; b < b1 && !repeated.load(std::memory_order_relaxed); ++b) {
      const std::size_t n = start[b + 1] - start[b];
      std::size_t size = 16;
      while (size < 2 * n) size *= 2;
      slots.assign(size, 0);
      for (std::size_t i = start[b]; i < start[b + 1]; ++i) {
        std::size_t s = hash(keys[i]) & (size - 1);
        for (; slots[s] != 0; s = (s + 1) & (size - 1)) {
          if (keys[slots[s] - 1] == keys[i]) {
            repeated.store(true, std::memory_order_relaxed);
            return;
          }
        }
        slots[s] = static_cast<std::uint32_t>(i + 1);
      }
    }
  });
  return repeated.load();
}

template <typename T>
void append(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// JSON lines read in `k` parts, by one reader per part on up to `threads` threads (parts handed
// out as threads become free), then joined: the same result as one reader (statement indices,
// lines, codes in first-use order, errors in statement order). `read_part(r, p, worker)` reads
// part p into reader r (its lines numbered from 0: the join adds the counts of the parts before
// it, and `line0`, the lines before the first part). Empty when a statement id appears in two
// parts (the caller reads sequentially: the repeat's handling needs the earlier one).
template <typename ReadPart>
std::optional<xapi_evidence> read_in_parts(std::size_t k, unsigned threads, std::size_t line0,
                                           const xapi_mapping& mapping, ReadPart&& read_part) {
  std::vector<std::unique_ptr<reader>> parts;
  for (std::size_t p = 0; p < k; ++p) {
    parts.push_back(std::make_unique<reader>(mapping));
    parts.back()->defer_ids = true;
  }
  // the reader each worker finished last: its learner table goes on to the worker's next part
  std::vector<reader*> last(detail::resolve_threads(threads), nullptr);
  detail::parallel_tasks(k, threads, [&](std::size_t p, unsigned worker) {
    if (reader* const done = last[worker]) parts[p]->map.reuse_learner_table(done->map);
    read_part(*parts[p], p, worker);
    parts[p]->map.flush(parts[p]->out);
    last[worker] = parts[p].get();
  });
  // the statements and lines before each part
  std::vector<std::size_t> first_line(k), first_statement(k);
  for (std::size_t p = 0, l = line0, i = 0; p < k; ++p) {
    first_line[p] = l;
    first_statement[p] = i;
    l += parts[p]->lines_read;
    i += parts[p]->statements_read;
  }
  for (std::size_t p = 0; p < k; ++p)
    if (parts[p]->syntax)  // the first in the text (the caller checked its first line parses)
      syntax_error(parts[p]->syntax_row, first_line[p] + parts[p]->syntax_line - 1,
                   simdjson::error_message(parts[p]->syntax_code));
  std::vector<const std::vector<std::pair<std::uint64_t, std::uint64_t>>*> ids;
  for (const auto& r : parts) ids.push_back(&r->ids);
  if (has_repeats(ids, threads)) return std::nullopt;
  // join: the first part's columns stay where they are (its statements and lines are numbered
  // from the start, its codes are in first-use order); the others are renumbered after it
  xapi_evidence out = std::move(parts[0]->out);
  error_list errors = std::move(parts[0]->errors);
  errors.with_lines = true;
  std::vector<std::size_t> void_lines = std::move(parts[0]->void_lines);
  if (line0 != 0) {  // blank lines before the first statement
    for (auto& l : errors.lines) l += line0;
    for (auto& l : void_lines) l += line0;
  }
  // one part: nothing to join (its codes, numbers and texts are final)
  if (k == 1) return finish(std::move(out), std::move(errors), void_lines);
  std::vector<std::size_t> row0(k + 1, 0);
  row0[1] = out.size();
  for (std::size_t p = 1; p < k; ++p) row0[p + 1] = row0[p] + parts[p]->out.size();
  const std::size_t n = row0[k];
  struct column {
    std::vector<std::string> xapi_evidence::*names;
    std::vector<std::uint32_t> xapi_evidence::*codes;
  };
  const std::array<column, 5> columns{{{&xapi_evidence::learners, &xapi_evidence::learner},
                                       {&xapi_evidence::competencies, &xapi_evidence::competency},
                                       {&xapi_evidence::kinds, &xapi_evidence::kind},
                                       {&xapi_evidence::verbs, &xapi_evidence::verb},
                                       {&xapi_evidence::activities, &xapi_evidence::activity}}};
  std::vector<std::array<std::vector<std::uint32_t>, 5>> recode(k);
  // each column on its own, as workers become free (the learners, the most names, first)
  detail::parallel_tasks(columns.size(), threads, [&](std::size_t c, unsigned) {
    std::vector<std::string> joined = std::move(out.*columns[c].names);
    interner names;
    std::vector<std::string> again;  // the first part's names, interned again: the same codes
    for (const auto& name : joined) (void)names.code(name, again);
    for (std::size_t p = 1; p < k; ++p)
      for (const auto& name : parts[p]->out.*columns[c].names)
        recode[p][c].push_back(names.code(name, again));
    out.*columns[c].names = std::move(again);
  });
  // the joined columns and texts: room made, mapped in parallel, then written
  std::size_t source_chars = out.source.chars().size(), stamp_chars = out.timestamp.chars().size();
  for (std::size_t p = 1; p < k; ++p) {
    source_chars += parts[p]->out.source.chars().size();
    stamp_chars += parts[p]->out.timestamp.chars().size();
  }
  {
    fresh_memory fresh;
    for (const auto& c : columns) {
      (out.*c.codes).reserve(n);
      fresh.add_unused(out.*c.codes);
    }
    out.time.reserve(n);
    out.score.reserve(n);
    out.statement.reserve(n);
    out.source.reserve(n, source_chars);
    out.timestamp.reserve(n, stamp_chars);
    fresh.add_unused(out.time);
    fresh.add_unused(out.score);
    fresh.add_unused(out.statement);
    for (const auto* t : {&out.source, &out.timestamp}) {
      fresh.add_unused(t->chars());
      fresh.add_unused(t->ends());
    }
    fresh.populate(threads);
  }
  for (const auto& c : columns) (out.*c.codes).resize(n);
  out.time.resize(n);
  out.score.resize(n);
  out.statement.resize(n);
  detail::parallel_for(k - 1, threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t p = b + 1; p < e + 1; ++p) {
      const xapi_evidence& x = parts[p]->out;
      const std::size_t at = row0[p];
      // (pointers and the offset in locals: a store through `to` is not taken to change them)
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const std::uint32_t* const from = (x.*columns[c].codes).data();
        std::uint32_t* const to = (out.*columns[c].codes).data() + at;
        const std::uint32_t* const map = recode[p][c].data();
        const std::size_t rows = (x.*columns[c].codes).size();
        for (std::size_t r = 0; r < rows; ++r) to[r] = map[from[r]];
      }
      std::copy(x.time.begin(), x.time.end(), out.time.begin() + static_cast<std::ptrdiff_t>(at));
      std::copy(x.score.begin(), x.score.end(),
                out.score.begin() + static_cast<std::ptrdiff_t>(at));
      const std::size_t* const from = x.statement.data();
      std::size_t* const to = out.statement.data() + at;
      const std::size_t s0 = first_statement[p], rows = x.statement.size();
      for (std::size_t r = 0; r < rows; ++r) to[r] = from[r] + s0;
    }
  });
  for (std::size_t p = 1; p < k; ++p) {
    xapi_evidence& x = parts[p]->out;
    const std::size_t s0 = first_statement[p], l0 = first_line[p];
    out.source.append(x.source);
    out.timestamp.append(x.timestamp);
    for (auto& v : x.voided) v.first += s0;
    for (auto& w : x.waived) w.statement += s0;
    for (auto& q : x.skipped) q.first += s0;
    append(out.voided, x.voided);
    append(out.retractions, x.retractions);
    append(out.waived, x.waived);
    append(out.skipped, x.skipped);
    error_list& e = parts[p]->errors;
    for (std::size_t q = 0; q < e.rows.size(); ++q) {
      errors.rows.push_back(e.rows[q] + s0);
      errors.lines.push_back(e.lines[q] + l0);
    }
    append(errors.messages, e.messages);
    for (const std::size_t l : parts[p]->void_lines) void_lines.push_back(l + l0);
  }
  return finish(std::move(out), std::move(errors), void_lines);
}

// JSON lines in memory, of at least `min_part` bytes a part (see read_in_parts).
std::optional<xapi_evidence> read_parts(std::string_view all, const char* end, std::size_t start,
                                        const xapi_mapping& mapping, unsigned threads) {
  const std::size_t bytes = all.size() - start;
  // a few parts per thread: a thread slowed by the machine's other work gets fewer
  const std::size_t k = std::min<std::size_t>(std::size_t{threads} * 4, bytes / min_part);
  if (threads <= 1 || k <= 1) return std::nullopt;
  // part p reads [cut[p], cut[p + 1]), each cut at a line start
  std::vector<std::size_t> cut(k + 1, all.size());
  cut[0] = start;
  for (std::size_t p = 1; p < k; ++p) {
    const std::size_t nl = all.find('\n', std::max(cut[p - 1], start + bytes / k * p));
    cut[p] = nl == std::string_view::npos ? all.size() : nl + 1;
  }
  std::size_t line0 = 0;  // lines before `start` (blank)
  for (std::size_t pos = 0; pos < start; ++pos) line0 += all[pos] == '\n' ? 1 : 0;
  return read_in_parts(k, threads, line0, mapping, [&](reader& r, std::size_t p, unsigned) {
    r.readable_end = end;
    r.lines(all, cut[p], cut[p + 1], 0, 0);
  });
}

// The reader over `text`, readable up to `text.data() + readable` (see parse_within).
xapi_evidence parse_statements(std::string_view text, std::size_t readable,
                               const xapi_mapping& mapping) {
  const char* const end = text.data() + readable;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string_view all = text;
  const std::size_t start = skip_blanks(all, 0);
  if (start == all.size()) return {};
  auto r = std::make_unique<reader>(mapping);
  r->readable_end = end;
  if (all[start] == '[') {
    dom::element doc;
    const auto err = parse_within(r->parser, all, end).get(doc);
    if (err != simdjson::SUCCESS) syntax_error(all, 0, simdjson::error_message(err));
    dom::array a;
    if (doc.get_array().get(a) != simdjson::SUCCESS)
      throw parse_error(fmt::format("{}: expected an array of statements", source_name), 1, 1);
    std::vector<dom::element> elements;
    elements.reserve(a.size());
    std::size_t i = 0;
    r->array = &elements;
    for (auto e : a) {
      elements.push_back(e);
      // duplicates in an array: the same JSON value as the first element of that id is a
      // repeat, whether it is valid or not (it was reported as the first)
      std::string_view id;
      if (e.is_object() && e.at_key("id").get_string().get(id) == simdjson::SUCCESS) {
        const auto at = xapi_detail::is_uuid(id) ? r->seen.find(id) : std::nullopt;
        if (at && json_difference(e, elements[*at], "").empty()) {
          r->out.skipped.emplace_back(i, fmt::format("a repeat of statement {}", *at));
          ++i;
          continue;
        }
      }
      r->one(e, i, 0, false);
      ++i;
    }
    return finish(r->take(), std::move(r->errors), r->void_lines);
  }
  // JSON lines; a text whose first line is not a whole JSON value is one (pretty) statement.
  const unsigned threads = detail::resolve_threads(mapping.threads);
  if (threads > 1) {
    const std::size_t nl = all.find('\n', start);
    const std::string_view head =
        all.substr(start, (nl == std::string_view::npos ? all.size() : nl) - start);
    dom::element e;
    if (parse_within(r->parser, head, end).get(e) == simdjson::SUCCESS)
      if (auto out = read_parts(all, end, start, mapping, threads)) return std::move(*out);
  }
  r->defer_ids = true;
  r->lines(all, 0, all.size(), 0, 0);
  if (!r->syntax && has_repeats({&r->ids}, 1)) {  // read again, each repeat handled in its place
    r = std::make_unique<reader>(mapping);
    r->readable_end = end;
    r->lines(all, 0, all.size(), 0, 0);
  }
  r->errors.with_lines = true;
  if (r->syntax) {
    if (r->syntax_first) {
      dom::element whole;
      if (parse_within(r->parser, all, end).get(whole) == simdjson::SUCCESS) {
        r->spans.push_back(all);
        r->one(whole, 0, r->syntax_line, true);
        return finish(r->take(), std::move(r->errors), r->void_lines);
      }
      syntax_error(all, 0, simdjson::error_message(r->syntax_code));
    }
    syntax_error(r->syntax_row, r->syntax_line - 1, simdjson::error_message(r->syntax_code));
  }
  return finish(r->take(), std::move(r->errors), r->void_lines);
}

}  // namespace

xapi_evidence parse_xapi(std::string_view text, const xapi_mapping& mapping) {
  const simdjson::padded_string padded(text);
  return parse_statements({padded.data(), padded.size()},
                          padded.size() + simdjson::SIMDJSON_PADDING, mapping);
}

namespace {

// A large file of JSON lines read in parts, each by a thread into its own buffer (pread): the
// file is never held whole. Part p covers the bytes from the first line start at or after its
// nominal offset to the next part's, found in the part's own bytes (a line end at or after the
// offset - 1), so the parts agree without a pass over the file first. Empty when the file is
// small, gzip, a JSON array, starts with a line that is not a whole statement (one pretty
// statement), or repeats a statement id across parts: the caller reads it whole. Not mapped
// (mmap): a file truncated while a mapping is read kills the process (SIGBUS); read, it is
// detected and reported.
std::optional<xapi_evidence> read_file_parts(const std::string& path, const xapi_mapping& mapping) {
  const detail::positioned_file file(path);
  if (!file || file.size() < 2 * min_part) return std::nullopt;
  const std::uint64_t size = file.size();
  // the head: gzip, a BOM, a JSON array, a first line that is not a whole value
  std::string head(std::min<std::uint64_t>(size, std::uint64_t{1} << 20), '\0');
  head.resize(file.read_at(0, head.data(), head.size()));
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return std::nullopt;
  const std::size_t bom = head.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const std::size_t first = skip_blanks(head, bom);
  if (first >= head.size() || head[first] == '[') return std::nullopt;
  {
    const std::size_t nl = head.find('\n', first);
    if (nl == std::string::npos) return std::nullopt;
    dom::parser parser;
    dom::element e;
    if (parser.parse(head.data() + first, nl - first, true).get(e) != simdjson::SUCCESS)
      return std::nullopt;
  }
  const unsigned threads = detail::resolve_threads(mapping.threads);
  const std::uint64_t bytes = size - bom;
  // One thread reads the file as one part (still a window at a time): parts are for threads,
  // and each part costs its own name tables, its learners' texts and the join's copies (one
  // thread, a million statements: 22 parts of 32 MiB before).
  const std::uint64_t part = threads == 1
                                 ? bytes
                                 : std::clamp<std::uint64_t>(bytes / (std::uint64_t{threads} * 4),
                                                             min_part, std::uint64_t{32} << 20);
  const auto k = static_cast<std::size_t>((bytes + part - 1) / part);
  // a window of the file per thread, reused from part to part
  struct buffer {
    std::unique_ptr<char[]> data;
    std::size_t capacity = 0;
    // Room for n bytes and simdjson's padding, keeping the first `keep`.
    void fit(std::size_t n, std::size_t keep) {
      if (n <= capacity) return;
      capacity = std::max(n, capacity + capacity / 2);
      std::unique_ptr<char[]> bigger(new char[capacity + simdjson::SIMDJSON_PADDING]);
      if (keep != 0) std::memcpy(bigger.get(), data.get(), keep);
      data = std::move(bigger);
    }
  };
  std::vector<buffer> buffers(threads);
  constexpr std::size_t window = std::size_t{1} << 20;  // stays in the cache while parsed
  auto read_part = [&](reader& r, std::size_t p, unsigned w) {
    const std::uint64_t begin = bom + part * p, nominal_end = std::min(size, begin + part);
    buffer& b = buffers[w];
    b.fit(window, 0);
    std::uint64_t at = p == 0 ? begin : begin - 1;  // the file offset of the buffer's first byte
    std::size_t have = 0, cur = 0;  // bytes in the buffer; where the next line starts
    bool eof = false;
    auto fill = [&] {  // keeps [cur, have) and reads on
      if (cur > 0) {
        std::memmove(b.data.get(), b.data.get() + cur, have - cur);
        at += cur;
        have -= cur;
        cur = 0;
      }
      if (have == b.capacity) b.fit(2 * b.capacity, have);  // a line longer than the window
      const std::size_t got = file.read_at(at + have, b.data.get() + have, b.capacity - have);
      have += got;
      // simdjson reads the padding after the last line: defined bytes, not a stale window's
      std::memset(b.data.get() + have, 0, simdjson::SIMDJSON_PADDING);
      eof = got == 0 || at + have >= size;
    };
    fill();
    if (p != 0) {  // the part starts after the first line end at or after begin - 1
      for (;;) {
        const void* nl = std::memchr(b.data.get() + cur, '\n', have - cur);
        if (nl != nullptr) {
          cur = static_cast<std::size_t>(static_cast<const char*>(nl) - b.data.get()) + 1;
          break;
        }
        cur = have;  // all of it belongs to the line the previous part ends with
        if (eof) break;
        fill();
      }
    }
    // (room for 1 GiB of statements at most: one thread's one part may be the whole file; past
    // that the columns grow as they go)
    reserve(r.out, static_cast<std::size_t>(
                       std::min<std::uint64_t>(nominal_end - begin, std::uint64_t{1} << 30)));
    // the lines that start before nominal_end are this part's, a window at a time
    while (at + cur < nominal_end) {
      const char* base = b.data.get();
      std::size_t chunk = cur;  // the end of the last whole line in the window
      if (const void* last = have > cur ? memrchr(base + cur, '\n', have - cur) : nullptr)
        chunk = static_cast<std::size_t>(static_cast<const char*>(last) - base) + 1;
      else if (eof)
        chunk = have;  // the file's last line, without a line end
      if (chunk == cur) {
        if (eof) break;
        fill();
        continue;
      }
      if (at + chunk > nominal_end) {  // stop after the line holding byte nominal_end - 1
        const std::size_t look = std::max(cur, static_cast<std::size_t>(nominal_end - 1 - at));
        if (const void* nl = std::memchr(base + look, '\n', chunk - look))
          chunk = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
      }
      r.readable_end = base + b.capacity + simdjson::SIMDJSON_PADDING;
      r.lines(std::string_view(base, chunk), cur, chunk, r.statements_read, r.lines_read);
      cur = chunk;
      if (r.syntax) {  // the window is the next part's
        r.syntax_copy.assign(r.syntax_row);
        r.syntax_row = r.syntax_copy;
        break;
      }
      if (eof && cur >= have) break;
      if (at + cur < nominal_end) fill();
    }
  };
  // a file written or truncated meanwhile: its parts may disagree (a short read, a line cut
  // off), whatever they report
  const auto changed = [&] {
    return file_error(path, std::error_code(EIO, std::generic_category()),
                      "read xAPI statements: the file changed while it was read");
  };
  std::optional<xapi_evidence> out;
  try {
    out = read_in_parts(k, threads, 0, mapping, read_part);
  } catch (const parse_error&) {
    if (file.changed()) throw changed();
    throw;
  } catch (const evidence_error&) {
    if (file.changed()) throw changed();
    throw;
  }
  if (file.changed()) throw changed();
  return out;
}

}  // namespace

xapi_evidence read_xapi(const std::string& path, const xapi_mapping& mapping) {
  if (auto out = read_file_parts(path, mapping)) return std::move(*out);
  // small, gzip, an array, one pretty statement, a repeat across parts; or an unreadable file
  // (the library's reader gives the file_error)
  const std::string text = detail::read_data_file(path, source_name);
  return parse_xapi(text, mapping);
}

statement_batch::statement_batch(const xapi_evidence& evidence, double weight)
    : evidence_(&evidence), source_codes_(evidence.size()), weight_(evidence.size(), weight) {
  const std::size_t n = evidence.size();
  columns.size = n;
  columns.learner = {evidence.learner.data(), {evidence.learners.begin(), evidence.learners.end()}};
  columns.competency = {evidence.competency.data(),
                        {evidence.competencies.begin(), evidence.competencies.end()}};
  columns.kind = {evidence.kind.data(), {evidence.kinds.begin(), evidence.kinds.end()}};
  std::unordered_map<std::string_view, std::uint32_t> codes;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view s = evidence.source[i];
    auto [it, fresh] = codes.emplace(s, static_cast<std::uint32_t>(columns.source.names.size()));
    if (fresh) columns.source.names.push_back(s);
    source_codes_[i] = it->second;
  }
  columns.source.codes = source_codes_.data();
  columns.time.values = evidence.time.data();
  columns.score.values = evidence.score.data();
  columns.weight.values = weight_.data();
  for (std::size_t i = 0; i < n; ++i)
    if (!evidence.timestamp[i].empty()) {
      columns.timestamp.resize(n);
      for (std::size_t k = 0; k < n; ++k) columns.timestamp[k] = evidence.timestamp[k];
      break;
    }
}

}  // namespace masterymap::io
