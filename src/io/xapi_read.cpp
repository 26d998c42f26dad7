// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// xAPI statements -> evidence: one simdjson DOM parse per statement (JSON lines) or per batch
// (a JSON array), the checker of xapi_validate.cpp collecting the fields the mapping reads.
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

#include "../file_util.hpp"
#include "../json_util.hpp"
#include "../memory_util.hpp"
#include "../parallel.hpp"
#include "xapi_detail.hpp"

namespace masterymap::io {

namespace {

namespace dom = simdjson::dom;
constexpr std::string_view adl = "http://adlnet.gov/expapi/verbs/";
constexpr std::string_view voided_verb = "http://adlnet.gov/expapi/verbs/voided";
constexpr std::string_view passed_verb = "http://adlnet.gov/expapi/verbs/passed";
constexpr std::string_view failed_verb = "http://adlnet.gov/expapi/verbs/failed";
constexpr std::string_view waived_verb = "https://w3id.org/xapi/adl/verbs/waived";

constexpr std::uint32_t none = 0xFFFFFFFFU;

// A hash of a short text, 8 bytes at a time (the mix of splitmix64): IRIs share long prefixes,
// so every byte counts.
std::uint64_t hash_text(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  std::size_t i = 0;
  auto mix = [&h](std::uint64_t w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    mix(w);
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    mix(w);
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
  void prefetch(std::uint64_t h) const noexcept {
    // an empty table prefetches data() + 0, a null pointer, which is harmless
    const std::size_t mask = slots_.empty() ? 0 : slots_.size() - 1;
    const slot* p = slots_.data() + (h & mask);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    // GCC 12 drops __builtin_prefetch here (inlined into mapper::map, measured: no prefetch
    // instruction in the object), so the instruction is written out
    asm volatile("prefetcht0 %0" : : "m"(*reinterpret_cast<const char*>(p)));
#else
    detail::prefetch(p);
#endif
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

 private:
  text_table<std::uint32_t> table_;
  std::uint32_t last_ = none;  // the previous row's code: runs of one kind, verb or learner
  std::uint64_t last_hash_ = 0;
};

// --- statements as JSON values -------------------------------------------------------------

// A JSON pointer token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// A value as short text for a message (minified, cut at 60 bytes).
std::string short_json(dom::element e) {
  std::string t = simdjson::minify(e);
  if (t.size() > 60) {
    std::size_t cut = 57;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t = t.substr(0, cut) + "...";
  }
  return t;
}

bool is_integer(dom::element_type t) {
  return t == dom::element_type::INT64 || t == dom::element_type::UINT64;
}

// Where two JSON values first differ as values, in document order of `a` ("" = equal): object
// members are compared by key whatever their order, arrays element by element, numbers by value
// (1, 1.0 and 1e0 are equal; integers exactly), strings by their (unescaped) characters.
// The result is "<pointer>: <a> vs <b>" ("(absent)" for a member only one side has).
// O(size * log(members)) (members sorted by key). The depth is simdjson's (at most 1024).
std::string json_difference(dom::element a, dom::element b, const std::string& path) {
  const auto differ = [&] {
    return fmt::format("{}: {} vs {}", path.empty() ? "/" : path, short_json(a), short_json(b));
  };
  const dom::element_type ta = a.type(), tb = b.type();
  const bool na = is_integer(ta) || ta == dom::element_type::DOUBLE;
  const bool nb = is_integer(tb) || tb == dom::element_type::DOUBLE;
  if (na && nb) {
    if (is_integer(ta) && is_integer(tb)) {
      const auto i64 = [](dom::element e) { return e.get_int64().value_unsafe(); };
      const auto u64 = [](dom::element e) { return e.get_uint64().value_unsafe(); };
      const bool neg_a = ta == dom::element_type::INT64 && i64(a) < 0;
      const bool neg_b = tb == dom::element_type::INT64 && i64(b) < 0;
      if (neg_a != neg_b) return differ();
      if (neg_a) return i64(a) == i64(b) ? std::string() : differ();
      const std::uint64_t ua =
          ta == dom::element_type::INT64 ? static_cast<std::uint64_t>(i64(a)) : u64(a);
      const std::uint64_t ub =
          tb == dom::element_type::INT64 ? static_cast<std::uint64_t>(i64(b)) : u64(b);
      return ua == ub ? std::string() : differ();
    }
    const auto value = [](dom::element e, dom::element_type t) {
      if (t == dom::element_type::INT64) return static_cast<double>(e.get_int64().value_unsafe());
      if (t == dom::element_type::UINT64) return static_cast<double>(e.get_uint64().value_unsafe());
      return e.get_double().value_unsafe();
    };
    return value(a, ta) == value(b, tb) ? std::string() : differ();
  }
  if (ta != tb) return differ();
  switch (ta) {
    case dom::element_type::STRING: {
      const std::string_view x = a.get_string().value_unsafe(), y = b.get_string().value_unsafe();
      if (x == y) return {};
      // xAPI Data 2.3.1 (Statement Immutability, exception 4; Statement Comparison
      // Requirements): a timestamp's serialization is not part of the statement, so the same
      // instant written otherwise ("...T10:00:00Z", "...T12:00:00+02:00") matches.
      if (path == "/timestamp" || path == "/stored" || path == "/object/timestamp")
        if (const auto p = parse_rfc3339(x), q = parse_rfc3339(y); p && q && *p == *q) return {};
      return differ();
    }
    case dom::element_type::BOOL:
      return a.get_bool().value_unsafe() == b.get_bool().value_unsafe() ? std::string() : differ();
    case dom::element_type::NULL_VALUE:
      return {};
    case dom::element_type::ARRAY: {
      const dom::array x = a.get_array().value_unsafe(), y = b.get_array().value_unsafe();
      auto i = x.begin(), j = y.begin();
      std::size_t k = 0;
      for (; i != x.end() && j != y.end(); ++i, ++j, ++k)
        if (auto d = json_difference(*i, *j, fmt::format("{}/{}", path, k)); !d.empty()) return d;
      if (i != x.end() || j != y.end()) return differ();
      return {};
    }
    case dom::element_type::OBJECT: {
      using member = std::pair<std::string_view, dom::element>;
      const auto members = [](dom::object o) {
        std::vector<member> v;
        for (auto f : o) v.emplace_back(f.key, f.value);
        std::stable_sort(v.begin(), v.end(),
                         [](const member& p, const member& q) { return p.first < q.first; });
        return v;
      };
      const dom::object oa = a.get_object().value_unsafe(), ob = b.get_object().value_unsafe();
      const std::vector<member> x = members(oa), y = members(ob);
      // In `a`'s document order: a member of `a` that `b` lacks or has otherwise.
      for (auto f : oa) {
        const auto it =
            std::lower_bound(y.begin(), y.end(), f.key,
                             [](const member& p, std::string_view k) { return p.first < k; });
        const std::string at = path + "/" + pointer_token(f.key);
        if (it == y.end() || it->first != f.key)
          return fmt::format("{}: {} vs (absent)", at, short_json(f.value));
        // (a repeated key: the first of each side)
        if (auto d = json_difference(f.value, it->second, at); !d.empty()) return d;
      }
      for (const member& m : y)
        if (!std::binary_search(x.begin(), x.end(), m,
                                [](const member& p, const member& q) { return p.first < q.first; }))
          return fmt::format("{}/{}: (absent) vs {}", path, pointer_token(m.first),
                             short_json(m.second));
      return {};
    }
    default:
      return differ();
  }
}

struct error_list {
  std::vector<std::string> messages;  // without the "statement i" prefix (see problems())
  std::vector<std::size_t> rows, lines;
  bool with_lines = false;
  void add(std::size_t statement, std::size_t line, std::string message) {
    messages.push_back(std::move(message));
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
  explicit mapper(const xapi_mapping& m) : m_(m) {
    // hashed views of the option tables (an ordered map compares long shared IRI prefixes)
    for (const auto& [verb, kind] : m.verb_kinds) verb_kinds_.emplace(verb, kind);
    for (const auto& [activity, competency] : m.alignment) alignment_.emplace(activity, competency);
    if (m.competencies != nullptr) {
      for (const auto& c : m.competencies->competencies()) {
        const auto it = c.metadata.find("case:uri");
        if (it != c.metadata.end() && !it->second.empty()) by_uri_.emplace(it->second, c.id);
      }
    }
    if (m.score_scale) {
      const auto& s = *m.score_scale;
      success_ = m.success_score.value_or(s.mastery_value());
      const std::size_t mi = s.mastery_index();
      failure_ = m.failure_score.value_or(mi > 0 ? s.ratings()[mi - 1].value : s.min_value());
    } else {
      success_ = m.success_score.value_or(1.0);
      failure_ = m.failure_score.value_or(0.0);
    }
  }

  // Maps one valid statement; problems go to `errors`.
  void map(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
           xapi_evidence& out, error_list& errors) {
    verb_info& vi = verb_of(f.verb);
    if (vi.voiding) {
      out.voided.emplace_back(i, std::string(f.object_id));
      out.retractions.push_back({std::string(f.object_id), std::string(f.id)});
      return;
    }
    if (m_.cmi5 && !cmi5_ok(i, line, f, errors)) return;
    const std::string_view kind = vi.kind;
    const bool waiver = vi.waiver;
    if (kind.empty() && !waiver) {
      out.skipped.emplace_back(i, fmt::format("verb {} creates no rating evidence", f.verb));
      return;
    }
    if (f.object_type != "Activity") {
      out.skipped.emplace_back(i,
                               fmt::format("the object is a {}, not an Activity", f.object_type));
      return;
    }
    if (f.actor_is_group || f.ifi.empty()) {
      out.skipped.emplace_back(i, "the actor is a Group, not one learner");
      return;
    }
    // competency
    activity_info& ai = activity_of(f.object_id);
    const std::string_view competency = ai.competency;
    if (!ai.aligned) {
      if (m_.skip_unaligned) {
        out.skipped.emplace_back(
            i, fmt::format("activity {} is aligned to no competency", f.object_id));
        return;
      }
      errors.add(i, line,
                 fmt::format("/object/id: activity {} is aligned to no competency", f.object_id));
      return;
    }
    if (!ai.known) {
      errors.add(i, line,
                 fmt::format("/object/id: activity {} is aligned to competency '{}', "
                             "which is not in the framework",
                             f.object_id, competency));
      return;
    }
    // learner
    learner_text(f);
    std::string_view learner = buffer_;
    if (!m_.learners.empty()) {
      const auto l = m_.learners.find(learner);
      if (l != m_.learners.end()) learner = l->second;
    }
    // score (before the time: a statement without a result is skipped, whatever its time)
    double score = 0;
    std::optional<double> fraction;
    if (waiver) {
    } else if (f.scaled) {
      double s = *f.scaled;
      if (m_.negative == xapi_negative::rescale) {
        s = (s + 1.0) / 2.0;
      } else if (s < 0) {
        if (m_.negative == xapi_negative::reject) {
          errors.add(i, line,
                     fmt::format("/result/score/scaled: negative scaled score {} (map it with "
                                 "negative='zero' or 'rescale')",
                                 s));
          return;
        }
        s = 0;
      }
      fraction = s;
    } else if (f.raw) {
      if (!f.min || !f.max) {
        errors.add(i, line,
                   fmt::format("/result/score/raw: raw score {} without min and max cannot be "
                               "put on the scale",
                               *f.raw));
        return;
      }
      fraction = (*f.raw - *f.min) / (*f.max - *f.min);
    }
    if (waiver) {
    } else if (fraction) {
      score = m_.score_scale ? m_.score_scale->from_fraction(*fraction) : *fraction;
    } else if (f.success) {
      score = *f.success ? success_ : failure_;
    } else if (f.completion && *f.completion && m_.completion_score) {
      score = *m_.completion_score;
    } else {
      out.skipped.emplace_back(i, "no score or success in the result");
      return;
    }
    // time
    const std::string_view when = !f.timestamp.empty() ? f.timestamp : f.stored;
    auto t = !f.timestamp.empty() ? f.timestamp_time : f.stored_time;
    if (when.empty() && m_.default_time) t = m_.default_time;
    if (!t) {
      errors.add(i, line, "/timestamp: the statement has no timestamp (and no stored time)");
      return;
    }
    if (waiver) {
      out.waived.push_back(xapi_evidence::waiver{i, std::string(learner), std::string(competency),
                                                 std::string(f.reason), std::string(when)});
      return;
    }
    // codes in the order rows first use them (cached per verb and per activity)
    if (ai.competency_code == none)
      ai.competency_code = competencies_.code(competency, out.competencies);
    if (ai.activity_code == none) ai.activity_code = activities_.code(f.object_id, out.activities);
    if (vi.kind_code == none) vi.kind_code = kinds_.code(kind, out.kinds);
    if (vi.verb_code == none) vi.verb_code = verbs_.code(f.verb, out.verbs);
    // the learner's code one row late (see flush)
    flush(out);
    pending_row_ = out.learner.size();
    pending_learner_.assign(learner);
    pending_hash_ = hash_text(learner);
    learners_.prefetch(pending_hash_);
    out.learner.push_back(none);
    out.competency.push_back(ai.competency_code);
    out.kind.push_back(vi.kind_code);
    out.verb.push_back(vi.verb_code);
    out.activity.push_back(ai.activity_code);
    out.time.push_back(*t);
    out.score.push_back(score);
    out.source.push_back(f.id);
    out.timestamp.push_back(when);
    out.statement.push_back(i);
  }

  // Gives the last row mapped its learner code. The lookup waits for the next row: its slot
  // is prefetched meanwhile (a table of 20,000 learners outgrows the cache, and the lookup was
  // a cache miss per row). Codes stay in first-use order: rows are resolved in order. Call it
  // after the last row.
  void flush(xapi_evidence& out) {
    if (pending_row_ == no_row) return;
    out.learner[pending_row_] = learners_.code(pending_learner_, pending_hash_, out.learners);
    pending_row_ = no_row;
  }

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

  verb_info& verb_of(std::string_view verb) {
    const std::uint64_t h = hash_text(verb);
    std::uint32_t e = verbs_seen_.find(verb, h);
    if (e == none) {
      verb_info v;
      const auto vk = verb_kinds_.find(verb);
      v.kind = vk != verb_kinds_.end() ? vk->second : std::string_view(m_.default_kind);
      v.waiver = verb == waived_verb;
      v.voiding = verb == voided_verb;
      e = verbs_seen_.insert(verb, h, v);
    }
    return verbs_seen_[e];
  }

  activity_info& activity_of(std::string_view activity) {
    const std::uint64_t h = hash_text(activity);
    std::uint32_t e = activities_seen_.find(activity, h);
    if (e == none) {
      activity_info a;
      if (const auto al = alignment_.find(activity); al != alignment_.end()) {
        a.aligned = true;
        a.competency = std::string(al->second);
      } else if (const auto u = by_uri_.find(std::string(activity)); u != by_uri_.end()) {
        a.aligned = true;
        a.competency = u->second;
      }
      if (a.aligned && m_.competencies != nullptr && !m_.competencies->find(a.competency))
        a.known = false;
      e = activities_seen_.insert(activity, h, std::move(a));
    }
    return activities_seen_[e];
  }

  bool cmi5_ok(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
               error_list& errors) {
    const bool passed = f.verb == passed_verb, failed = f.verb == failed_verb;
    if ((f.scaled || f.raw || f.min || f.max) && !passed && !failed) {
      errors.add(i, line,
                 fmt::format("/result/score: cmi5 allows a score only on passed and "
                             "failed, not on {}",
                             f.verb));
      return false;
    }
    std::optional<double> mastery = f.mastery_score;
    if (!mastery) {
      const auto it = m_.mastery_scores.find(f.object_id);
      if (it != m_.mastery_scores.end()) mastery = it->second;
    }
    if (mastery && f.scaled && passed && *f.scaled < *mastery) {
      errors.add(i, line,
                 fmt::format("/result/score/scaled: passed with {} below the "
                             "masteryScore {} (cmi5 9.3.4)",
                             *f.scaled, *mastery));
      return false;
    }
    if (mastery && f.scaled && failed && *f.scaled >= *mastery) {
      errors.add(i, line,
                 fmt::format("/result/score/scaled: failed with {} at or above the "
                             "masteryScore {} (cmi5 9.3.5)",
                             *f.scaled, *mastery));
      return false;
    }
    return true;
  }

  void learner_text(const xapi_detail::statement_fields& f) {
    buffer_.clear();
    if (m_.learner == xapi_learner::ifi) {
      buffer_.append(f.ifi);
      buffer_ += ':';
    }
    if (f.ifi == "account") {
      if (m_.learner == xapi_learner::ifi) {
        buffer_.append(f.home_page);
        buffer_ += '|';
      }
      buffer_.append(f.account_name);
    } else {
      buffer_.append(f.ifi_value);
    }
  }

  const xapi_mapping& m_;
  std::unordered_map<std::string_view, std::string_view> verb_kinds_, alignment_;
  std::unordered_map<std::string, std::string> by_uri_;
  double success_ = 1.0, failure_ = 0.0;
  std::string buffer_;
  static constexpr std::size_t no_row = static_cast<std::size_t>(-1);
  std::size_t pending_row_ = no_row;  // the row whose learner is looked up at the next flush
  std::string pending_learner_;
  std::uint64_t pending_hash_ = 0;
  interner learners_, competencies_, kinds_, verbs_, activities_;
  text_table<verb_info> verbs_seen_;
  text_table<activity_info> activities_seen_;
};

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
simdjson::simdjson_result<dom::element> parse_within(dom::parser& parser, std::string_view text,
                                                     const char* end) {
  const bool copy =
      static_cast<std::size_t>(end - text.data()) < text.size() + simdjson::SIMDJSON_PADDING;
  return parser.parse(text.data(), text.size(), copy);
}

// The source every message of the reader starts with ("xAPI statements: ...").
constexpr const char* source_name = "xAPI statements";

/// The parse_error for malformed JSON in `text`, which starts on line `line_offset + 1` of the
/// input: "xAPI statements: syntax error at line L, column C: <reason>", L counted in the input.
[[noreturn]] void syntax_error(std::string_view text, std::size_t line_offset,
                               std::string_view what) {
  // simdjson's DOM does not say where: nlohmann's parser finds the line and column (its message
  // already starts with the source and counts lines in `text`: rewritten with the offset).
  try {
    (void)detail::parse_json(text, source_name);
  } catch (const parse_error& e) {
    if (line_offset == 0) throw;
    std::string message = e.what();
    const std::string head =
        fmt::format("{}: syntax error at line {}, column {}: ", source_name, e.line(), e.column());
    if (message.rfind(head, 0) == 0)
      message = fmt::format("{}: syntax error at line {}, column {}: {}", source_name,
                            e.line() + line_offset, e.column(), message.substr(head.size()));
    throw parse_error(message, e.line() + line_offset, e.column());
  } catch (...) {
  }
  throw parse_error(fmt::format("{}: {} (line {})", source_name, what, line_offset + 1),
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

}  // namespace

std::map<std::string, std::string, std::less<>> default_verb_kinds() {
  std::map<std::string, std::string, std::less<>> out;
  for (const char* v : {"passed", "failed", "mastered"})
    out.emplace(std::string(adl) + v, "summative");
  for (const char* v :
       {"completed", "answered", "scored", "attempted", "experienced", "progressed", "responded"})
    out.emplace(std::string(adl) + v, "formative");
  for (const char* v : {"launched", "initialized", "terminated", "abandoned", "suspended",
                        "resumed", "satisfied", "voided", "registered", "interacted"})
    out.emplace(std::string(adl) + v, "");
  out.emplace(std::string(waived_verb), "");
  return out;
}

namespace {

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
  std::vector<std::size_t> void_lines;  // the line of each `out.voided` statement
  // Deferred: the ids go to `ids` unchecked, for `has_repeats` after the reading (a repeat
  // then means reading again, not deferred: repeats in bulk input are rare, and a table probe
  // per statement is a cache miss).
  bool defer_ids = false;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ids;
  // JSON lines: the first syntax error (the reading stopped there)
  bool syntax = false, syntax_first = false;  // first: before any statement of this reader
  std::string_view syntax_row;
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
    if (defer_ids && !fields.id.empty()) {
      ids.push_back(id_table::key(fields.id));
    } else if (!fields.id.empty()) {
      const std::size_t first_index = seen.insert(fields.id, i);
      if (first_index != i) {
        // Same id: the same content (as JSON values) counts once; another is an error.
        std::string diff = "(another statement)";
        if (lines) {
          dom::element first;
          const auto s = spans[first_index - base];
          if (parse_within(other, s, readable_end).get(first) == simdjson::SUCCESS)
            diff = json_difference(e, first, "");
        } else if (array != nullptr) {
          diff = json_difference(e, (*array)[first_index], "");
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
    while (pos < end) {
      std::size_t nl = all.find('\n', pos);
      if (nl == std::string_view::npos || nl > end) nl = end;
      ++line;
      ++lines_read;
      const std::string_view row = all.substr(pos, nl - pos);
      pos = nl + 1;
      if (skip_blanks(row, 0) == row.size()) continue;
      dom::element e;
      const auto err = parse_within(parser, row, readable_end).get(e);
      if (err != simdjson::SUCCESS) {
        syntax = true;
        syntax_first = first;
        syntax_row = row;
        syntax_line = line;
        syntax_code = err;
        return;
      }
      first = false;
      if (!defer_ids) spans.push_back(row);
      one(e, i, line, true);
      ++i;
      ++statements_read;
    }
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
// 256 buckets by hash, then each bucket (small enough for the cache) is checked with a table,
// buckets on up to `threads` threads. O(keys).
bool has_repeats(
    const std::vector<const std::vector<std::pair<std::uint64_t, std::uint64_t>>*>& lists,
    unsigned threads) {
  using key = std::pair<std::uint64_t, std::uint64_t>;
  auto hash = [](const key& k) {
    std::uint64_t h = (k.first ^ (k.second * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
  };
  std::array<std::size_t, 257> start{};
  for (const auto* l : lists)
    for (const auto& k : *l) ++start[(hash(k) >> 56) + 1];
  for (std::size_t b = 0; b < 256; ++b) start[b + 1] += start[b];
  std::vector<key> keys(start[256]);
  std::array<std::size_t, 256> at{};
  std::copy(start.begin(), start.begin() + 256, at.begin());
  for (const auto* l : lists)
    for (const auto& k : *l) keys[at[hash(k) >> 56]++] = k;
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

// JSON lines of at least `min_part` bytes a part, read by one reader per part on up to
// `threads` threads (parts handed out as threads become free), then joined: the same result as
// one reader (statement indices, lines, codes in first-use order, errors in statement order).
// Each part numbers its statements and lines from 0; the join adds the counts of the parts
// before it (no pass to count them first). Empty when a statement id appears in two parts (the
// caller reads sequentially: the repeat's handling needs the earlier one).
std::optional<xapi_evidence> read_parts(std::string_view all, const char* end, std::size_t start,
                                        const xapi_mapping& mapping, unsigned threads) {
  constexpr std::size_t min_part = std::size_t{4} << 20;
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
  std::vector<std::unique_ptr<reader>> parts;
  for (std::size_t p = 0; p < k; ++p) {
    parts.push_back(std::make_unique<reader>(mapping));
    parts.back()->defer_ids = true;
    parts.back()->readable_end = end;
  }
  detail::parallel_tasks(k, threads, [&](std::size_t p, unsigned) {
    parts[p]->lines(all, cut[p], cut[p + 1], 0, 0);
    parts[p]->map.flush(parts[p]->out);
  });
  // the statements and lines before each part
  std::vector<std::size_t> first_line(k), first_statement(k);
  std::size_t line0 = 0;  // lines before `start` (blank)
  for (std::size_t pos = 0; pos < start; ++pos) line0 += all[pos] == '\n' ? 1 : 0;
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
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<std::string> joined = std::move(out.*columns[c].names);
    interner names;
    std::vector<std::string> again;  // the first part's names, interned again: the same codes
    for (const auto& name : joined) (void)names.code(name, again);
    for (std::size_t p = 1; p < k; ++p)
      for (const auto& name : parts[p]->out.*columns[c].names)
        recode[p][c].push_back(names.code(name, again));
    out.*columns[c].names = std::move(again);
    (out.*columns[c].codes).resize(n);
  }
  out.time.resize(n);
  out.score.resize(n);
  out.statement.resize(n);
  detail::parallel_for(k - 1, threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t p = b + 1; p < e + 1; ++p) {
      const xapi_evidence& x = parts[p]->out;
      const std::size_t at = row0[p];
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& from = x.*columns[c].codes;
        auto* to = (out.*columns[c].codes).data() + at;
        const auto& map = recode[p][c];
        for (std::size_t r = 0; r < from.size(); ++r) to[r] = map[from[r]];
      }
      std::copy(x.time.begin(), x.time.end(), out.time.begin() + static_cast<std::ptrdiff_t>(at));
      std::copy(x.score.begin(), x.score.end(),
                out.score.begin() + static_cast<std::ptrdiff_t>(at));
      for (std::size_t r = 0; r < x.statement.size(); ++r)
        out.statement[at + r] = x.statement[r] + first_statement[p];
    }
  });
  std::size_t source_chars = out.source.chars().size(), stamp_chars = out.timestamp.chars().size();
  for (std::size_t p = 1; p < k; ++p) {
    source_chars += parts[p]->out.source.chars().size();
    stamp_chars += parts[p]->out.timestamp.chars().size();
  }
  out.source.reserve(n, source_chars);
  out.timestamp.reserve(n, stamp_chars);
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

xapi_evidence read_xapi(const std::string& path, const xapi_mapping& mapping) {
  {  // a plain file is parsed where it is mapped (no copy)
    const detail::mapped_file file(path);
    const std::string_view bytes = file.bytes();
    if (file && !(bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b'))
      return parse_statements(bytes, file.readable(), mapping);
  }
  // gzip, an empty or unreadable file: the library's reader (and its file_error)
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
