// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: io::parse_xapi (xAPI statements: a JSON array, one statement or JSON lines)
// with a small mapping, then the evidence into a log through the statements path.
// Input: one byte of options (edition, cmi5 rules, negative scores, default time, the form:
// as given, each line wrapped as a JSON array, or the text repeated), then the text.
// Properties: parse_xapi answers bad input only with masterymap errors; the evidence's columns
// have one entry per row; a batch appended twice is idempotent (the second time only rows
// without a statement id are new) and keeps each row's timestamp text; the validator answers
// each line without throwing anything but parse_error; the reader's fast path
// (src/io/xapi_fast.cpp) accepts a line only when the DOM walker accepts it, with the same fields.
#include <cstddef>
#include <cstdint>
#include <masterymap/evidence.hpp>
#include <masterymap/io/xapi.hpp>
#include <masterymap/scale.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "../cpp/xapi_fast_oracle.hpp"
#include "fuzz_util.hpp"

namespace io = masterymap::io;
using masterymap::evidence_log;

namespace {

io::xapi_mapping mapping(std::uint8_t choice) {
  io::xapi_mapping m;
  m.version = (choice & 1) != 0 ? io::xapi_version::v1_0_3 : io::xapi_version::v2_0;
  m.cmi5 = (choice & 2) != 0;
  m.negative = (choice & 4) != 0 ? io::xapi_negative::rescale : io::xapi_negative::reject;
  if ((choice & 8) != 0) m.default_time = 1.7e9;
  if ((choice & 16) != 0) m.score_scale = masterymap::scale::four_point();
  m.learner = (choice & 32) != 0 ? io::xapi_learner::value : io::xapi_learner::ifi;
  m.verb_kinds = io::default_verb_kinds();
  // the activities of the seeds (the spec's examples, the generated statements)
  m.alignment = {{"http://example.org/act/1", "A"},
                 {"http://example.org/act/2", "B"},
                 {"http://www.example.com/meetings/occurances/34534", "A"},
                 {"http://example.adlnet.gov/xapi/example/activity", "B"},
                 {"http://www.example.com/tincan/activities/multipart", "A"}};
  m.mastery_scores = {{"http://example.org/act/1", 0.7}};
  m.threads = 1;
  return m;
}

// Each non-blank line of `text` as one element of a JSON array.
std::string as_array(std::string_view text) {
  std::string out = "[";
  bool first = true;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!first) out += ',';
    out.append(line);
    first = false;
  }
  return out + "]";
}

// Each of the first 64 lines of `raw` through the fast path and the walker: what the fast path
// accepts, the walker accepts, and the two fill the same fields.
void fast_path_agrees(std::string_view raw, io::xapi_version version) {
  std::size_t pos = 0;
  for (int n = 0; n < 64 && pos <= raw.size(); ++n) {
    std::size_t nl = raw.find('\n', pos);
    if (nl == std::string_view::npos) nl = raw.size();
    const auto v = xapi_fast_oracle::both(raw.substr(pos, nl - pos), version);
    if (v.fast) {
      FUZZ_CHECK(v.walker);
      FUZZ_CHECK(v.difference.empty());
    }
    pos = nl + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string text(raw);
  switch ((choice >> 6) & 3) {
    case 1:
      text = as_array(raw);
      break;
    case 2:  // every statement twice: the repeats must count once
      text = std::string(raw) + "\n" + std::string(raw);
      break;
    default:
      break;
  }
  const io::xapi_mapping m = mapping(choice);
  fast_path_agrees(raw, m.version);
  std::optional<io::xapi_evidence> e;
  if (!fuzz::parses([&] { e = io::parse_xapi(text, m); })) {
    // the validator on the first line: problems or a parse_error, nothing else
    const std::string_view line = raw.substr(0, raw.find('\n'));
    (void)fuzz::parses([&] { (void)io::validate_xapi_statement(line, m.version); });
    return 0;
  }
  const std::size_t n = e->size();
  FUZZ_CHECK(e->learner.size() == n && e->competency.size() == n && e->kind.size() == n);
  FUZZ_CHECK(e->verb.size() == n && e->activity.size() == n && e->score.size() == n);
  FUZZ_CHECK(e->source.size() == n && e->timestamp.size() == n && e->statement.size() == n);
  FUZZ_CHECK(e->retracted.size() == n && e->retractions.size() == e->voided.size());
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(e->learner[i] < e->learners.size());
    FUZZ_CHECK(e->competency[i] < e->competencies.size());
  }
  const io::statement_batch b(*e);
  evidence_log log;
  masterymap::statements_summary first;
  if (!fuzz::parses([&] { first = log.append_statements(b.columns, b.retractions(), {}); })) {
    FUZZ_CHECK(log.empty());  // all or nothing
    return 0;
  }
  FUZZ_CHECK(first.rows + first.duplicates == n);
  for (std::size_t r = 0; r < log.size(); ++r) {
    const std::string_view t = log.timestamp_text(r);
    if (!t.empty()) FUZZ_CHECK(io::parse_rfc3339(t).has_value());
  }
  // again: idempotent, except rows without a statement id
  std::size_t anonymous = 0;
  for (std::size_t i = 0; i < n; ++i) anonymous += e->source[i].empty() ? 1 : 0;
  const evidence_log before = log;
  masterymap::statements_summary second;
  FUZZ_CHECK(fuzz::parses([&] { second = log.append_statements(b.columns, b.retractions(), {}); }));
  FUZZ_CHECK(second.rows == anonymous);
  FUZZ_CHECK(second.retracted == 0);
  FUZZ_CHECK(log.size() == before.size() + anonymous);
  for (std::size_t r = 0; r < before.size(); ++r)
    FUZZ_CHECK(log.timestamp_text(r) == before.timestamp_text(r));
  return 0;
}
