// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: evidence_log::append_csv. Input: one byte of options (column names, score
// checks with labels, a row already in the log, a custom kind), then the CSV text.
// A rejected batch must leave the log as it was; an accepted one is written back as CSV (every
// field quoted, numbers in their shortest exact form), read into a fresh log and must give the
// same rows.
#include <cstddef>
#include <cstdint>
#include <masterymap/evidence.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"

using masterymap::evidence_log;

namespace {

masterymap::csv_columns columns(std::uint8_t choice) {
  masterymap::csv_columns c;
  switch (choice % 3) {
    case 0:
      break;
    case 1:  // the knowledge-tracing convention
      c = {"user_id", "skill_name", "order_id", "correct"};
      break;
    default:  // ASSISTments' long files, with an order column
      c = {"user_id", "skill_id", "order_id", "correct"};
      break;
  }
  return c;
}

masterymap::ingest_checks checks(std::uint8_t choice) {
  masterymap::ingest_checks k;
  if ((choice & 4) != 0) {
    k.min_score = 0;
    k.max_score = 4;
    k.score_labels = {{"Beginning", 1}, {"Developing", 2}, {"Proficient", 3}, {"Exceeding", 4}};
  }
  return k;
}

void prepare(evidence_log& log, std::uint8_t choice) {
  if ((choice & 16) != 0) log.add_kind("project");
}

// The whole log as CSV with the default column names.
std::string write_csv(const evidence_log& log) {
  std::string out = "learner,competency,time,score,kind,weight,source\n";
  for (std::size_t i = 0; i < log.size(); ++i) {
    const masterymap::evidence e = log.at(i);
    fuzz::csv_field(out, e.learner, true);
    fuzz::csv_field(out, e.competency, false);
    fuzz::csv_field(out, fuzz::exact(e.time), false);
    fuzz::csv_field(out, fuzz::exact(e.score), false);
    fuzz::csv_field(out, e.kind, false);
    fuzz::csv_field(out, fuzz::exact(e.weight), false);
    fuzz::csv_field(out, e.source, false);
    out += '\n';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const masterymap::ingest_checks k = checks(choice);
  evidence_log log;
  prepare(log, choice);
  if ((choice & 8) != 0) log.append_row("ana", "A", 1.0, 2.0, "summative", 0.5, "Ms. R", k);
  const evidence_log before = log;
  std::istringstream in(text);
  if (!fuzz::parses([&] { log.append_csv(in, columns(choice), k); })) {
    FUZZ_CHECK(fuzz::same_rows(log, before));  // a rejected batch changes nothing
    return 0;
  }
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto s = static_cast<double>(log.scores()[i]);
    FUZZ_CHECK(s >= k.min_score && s <= k.max_score);
  }
  evidence_log again;
  prepare(again, choice);
  std::istringstream written(write_csv(log));
  FUZZ_CHECK(fuzz::parses([&] { again.append_csv(written, {}, k); }));
  FUZZ_CHECK(fuzz::same_rows(again, log));
  return 0;
}
