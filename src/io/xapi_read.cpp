// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// xAPI statements -> evidence: one simdjson DOM parse per statement (JSON lines) or per batch
// (a JSON array), the checker of xapi_validate.cpp collecting the fields the mapping reads.
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/io/xapi.hpp>
#include <unordered_map>

#include "../file_util.hpp"
#include "../json_util.hpp"
#include "xapi_detail.hpp"

namespace masterymap::io {

namespace {

namespace dom = simdjson::dom;
constexpr std::string_view adl = "http://adlnet.gov/expapi/verbs/";
constexpr std::string_view voided_verb = "http://adlnet.gov/expapi/verbs/voided";
constexpr std::string_view passed_verb = "http://adlnet.gov/expapi/verbs/passed";
constexpr std::string_view failed_verb = "http://adlnet.gov/expapi/verbs/failed";
constexpr std::string_view waived_verb = "https://w3id.org/xapi/adl/verbs/waived";

// Names interned to codes, looked up by view (no string built per row).
class interner {
 public:
  std::uint32_t code(std::string_view name, std::vector<std::string>& names) {
    if (!names.empty() && name == names[last_]) return last_;
    const auto it = index_.find(name);
    if (it != index_.end()) return last_ = it->second;
    const auto c = static_cast<std::uint32_t>(names.size());
    store_.emplace_back(name);
    names.emplace_back(name);
    index_.emplace(std::string_view(store_.back()), c);
    return last_ = c;
  }

 private:
  std::deque<std::string> store_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
  std::uint32_t last_ = 0;  // the previous row's name: runs of one kind, verb or learner
};

bool is_uuid_text(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    const bool hex = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? c != '-' : !hex) return false;
  }
  return true;
}

struct error_list {
  std::vector<problem> problems;
  std::vector<std::size_t> rows, lines;
  bool with_lines = false;
  // "statement i: ..." (a JSON array: no lines) or "statement i (line n): ..." (JSON lines).
  void add(std::size_t statement, std::size_t line, std::string message) {
    problems.push_back(
        problem{problem_kind::invalid_value,
                {},
                line == 0 ? fmt::format("statement {}: {}", statement, message)
                          : fmt::format("statement {} (line {}): {}", statement, line, message)});
    rows.push_back(statement);
    lines.push_back(line);
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
    if (f.verb == voided_verb) {
      out.voided.emplace_back(i, std::string(f.object_id));
      out.retractions.push_back({std::string(f.object_id), std::string(f.id)});
      return;
    }
    if (m_.cmi5 && !cmi5_ok(i, line, f, errors)) return;
    std::string_view kind;
    const auto vk = verb_kinds_.find(f.verb);
    kind = vk != verb_kinds_.end() ? vk->second : std::string_view(m_.default_kind);
    const bool waiver = f.verb == waived_verb;
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
    std::string_view competency;
    if (const auto a = alignment_.find(f.object_id); a != alignment_.end()) {
      competency = a->second;
    } else if (const auto u = by_uri_.find(std::string(f.object_id)); u != by_uri_.end()) {
      competency = u->second;
    } else if (m_.skip_unaligned) {
      out.skipped.emplace_back(i,
                               fmt::format("activity {} is aligned to no competency", f.object_id));
      return;
    } else {
      errors.add(i, line,
                 fmt::format("/object/id: activity {} is aligned to no competency", f.object_id));
      return;
    }
    if (m_.competencies != nullptr && !m_.competencies->find(competency)) {
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
    auto t = parse_rfc3339(when);
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
    out.learner.push_back(learners_.code(learner, out.learners));
    out.competency.push_back(competencies_.code(competency, out.competencies));
    out.kind.push_back(kinds_.code(kind, out.kinds));
    out.verb.push_back(verbs_.code(f.verb, out.verbs));
    out.activity.push_back(activities_.code(f.object_id, out.activities));
    out.time.push_back(*t);
    out.score.push_back(score);
    out.source.emplace_back(f.id);
    out.timestamp.emplace_back(when);
    out.statement.push_back(i);
  }

 private:
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
  interner learners_, competencies_, kinds_, verbs_, activities_;
};

// Statement ids seen in a batch: a UUID's 128 bits in an open-addressing table (no string per
// statement; ids were checked to be UUIDs before they get here).
class id_table {
 public:
  static std::pair<std::uint64_t, std::uint64_t> key(std::string_view uuid) noexcept {
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
  // The index stored under `uuid`, or inserts `index` and returns it.
  std::size_t insert(std::string_view uuid, std::size_t index) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const auto k = key(uuid);
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
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

std::size_t skip_blanks(std::string_view text, std::size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  return i;
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
// The reader over a padded copy of the text (simdjson reads up to SIMDJSON_PADDING bytes past
// the end of each statement).
xapi_evidence parse_padded(const simdjson::padded_string& padded, const xapi_mapping& mapping) {
  std::string_view text(padded.data(), padded.size());
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::string_view all = text;
  dom::parser parser;
  xapi_evidence out;
  error_list errors;
  mapper map(mapping);
  xapi_detail::statement_fields fields;
  std::vector<xapi_problem> problems;
  id_table seen;                        // statement id -> index of its first statement
  std::vector<std::string_view> spans;  // JSON lines: each statement's text (for duplicates)
  dom::parser other;
  std::vector<std::size_t> void_lines;  // the line of each `out.voided` statement

  auto one = [&](dom::element e, std::size_t i, std::size_t line, bool lines) {
    problems.clear();
    xapi_detail::check_statement(e, mapping.version, problems, &fields);
    if (!problems.empty()) {
      for (const auto& p : problems)
        errors.add(i, line, fmt::format("{}: {}", p.path.empty() ? "/" : p.path, p.rule));
      return;
    }
    if (!fields.id.empty()) {
      const std::size_t first_index = seen.insert(fields.id, i);
      if (first_index != i) {
        // Same id: the same content counts once; another content is an error.
        bool same = false;
        if (lines) {
          dom::element first;
          const auto s = spans[first_index];
          if (other.parse(s.data(), s.size(), false).get(first) == simdjson::SUCCESS)
            same = simdjson::minify(first) == simdjson::minify(e);
        } else {
          same = false;  // the caller compares array elements (see below)
        }
        if (!same) {
          errors.add(i, line,
                     fmt::format("/id: statement id {} was already used by statement {} with "
                                 "other content",
                                 fields.id, first_index));
        } else {
          out.skipped.emplace_back(i, fmt::format("a repeat of statement {}", first_index));
        }
        return;
      }
    }
    const std::size_t voids = out.voided.size();
    map.map(i, line, fields, out, errors);
    if (out.voided.size() != voids) void_lines.push_back(line);
  };

  const std::size_t start = skip_blanks(all, 0);
  if (start == all.size()) return out;
  if (all[start] == '[') {
    dom::element doc;
    const auto err = parser.parse(all.data(), all.size(), false).get(doc);
    if (err != simdjson::SUCCESS) syntax_error(all, 0, simdjson::error_message(err));
    dom::array a;
    if (doc.get_array().get(a) != simdjson::SUCCESS)
      throw parse_error(fmt::format("{}: expected an array of statements", source_name), 1, 1);
    std::vector<dom::element> elements;
    elements.reserve(a.size());
    std::size_t i = 0;
    for (auto e : a) {
      elements.push_back(e);
      // duplicates in an array: compare with the first element of that id
      std::string_view id;
      if (e.is_object() && e.at_key("id").get_string().get(id) == simdjson::SUCCESS) {
        const auto at = is_uuid_text(id) ? seen.find(id) : std::nullopt;
        if (at && simdjson::minify(elements[*at]) == simdjson::minify(e)) {
          out.skipped.emplace_back(i, fmt::format("a repeat of statement {}", *at));
          ++i;
          continue;
        }
      }
      one(e, i, 0, false);
      ++i;
    }
  } else {
    // JSON lines; a text whose first line is not a whole JSON value is one (pretty) statement.
    std::size_t pos = 0, line = 0, i = 0;
    bool first = true;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      ++line;
      const std::string_view row = all.substr(pos, end - pos);
      const std::size_t here = pos;
      pos = end + 1;
      if (skip_blanks(row, 0) == row.size()) continue;
      dom::element e;
      const auto err = parser.parse(row.data(), row.size(), false).get(e);
      if (err != simdjson::SUCCESS) {
        if (first) {
          dom::element whole;
          if (parser.parse(all.data(), all.size(), false).get(whole) == simdjson::SUCCESS) {
            spans.push_back(all);
            one(whole, 0, line, true);
            break;
          }
          syntax_error(all, 0, simdjson::error_message(err));
        }
        syntax_error(row, line - 1, simdjson::error_message(err));
      }
      (void)here;
      first = false;
      spans.push_back(row);
      one(e, i, line, true);
      ++i;
    }
    errors.with_lines = true;
  }
  // xAPI (Data 2.3.2): a voiding statement cannot itself be voided; within a batch the target is
  // seen: rejected.
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
  if (!errors.problems.empty())
    throw evidence_error(std::move(errors.problems), std::move(errors.rows),
                         errors.with_lines ? std::move(errors.lines) : std::vector<std::size_t>{});
  mark_voided(out);
  return out;
}

}  // namespace

xapi_evidence parse_xapi(std::string_view text, const xapi_mapping& mapping) {
  return parse_padded(simdjson::padded_string(text), mapping);
}

xapi_evidence read_xapi(const std::string& path, const xapi_mapping& mapping) {
  {  // a plain file is read straight into the padded buffer (no second copy)
    std::ifstream in(path, std::ios::binary);
    char magic[2] = {0, 0};
    if (in && in.read(magic, 2) && !(magic[0] == '\x1f' && magic[1] == '\x8b')) {
      in.close();
      simdjson::padded_string padded;
      if (simdjson::padded_string::load(path).get(padded) == simdjson::SUCCESS)
        return parse_padded(padded, mapping);
    }
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
}

}  // namespace masterymap::io
