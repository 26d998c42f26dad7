// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: parse_framework_csv (an edge CSV and an optional competency CSV).
// Input: one byte choosing the column layout (the defaults, or those of the Common Core map,
// Junyi or Princeton), then the edge CSV, then optionally a NUL byte and the competency CSV.
// A framework that builds is written as JSON, parsed again and must be equal.
#include <cstddef>
#include <cstdint>
#include <masterymap/framework.hpp>
#include <masterymap/io/csv.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ccss.hpp"  // examples/cpp: the map's column options
#include "fuzz_util.hpp"

using masterymap::framework;
using masterymap::strength;
using masterymap::io::csv_framework_options;

namespace {

csv_framework_options layout(std::uint8_t choice) {
  csv_framework_options o;
  o.name = "fuzz";
  switch (choice % 4) {
    case 0:  // the defaults, with a strength column and ids added from the edges
      o.strength_column = "strength";
      o.add_missing = (choice & 4) != 0;
      o.metadata_columns = {"note"};
      break;
    case 1:  // the Common Core coherence map (examples/cpp/ccss.hpp)
      o = ccss::options();
      o.name = "fuzz";
      break;
    case 2:  // Junyi: cycles and duplicates dropped
      o.dependent_column = "exercise";
      o.id_column = "name";
      o.title_column = "pretty_display_name";
      o.domain_column = "area";
      o.level_column = "";
      o.add_missing = true;
      o.build.drop_cycle_edges = true;
      o.build.drop_duplicate_edges = true;
      break;
    default:  // Princeton: mapped strengths, cycles dropped
      o.dependent_column = "course";
      o.strength_column = "kind";
      o.strength_values = {{"prereq", strength::required},
                           {"coreq_ok", strength::familiar},
                           {"at_least", strength::required},
                           {"wildcard_or_unparsed", strength::recommended}};
      o.id_column = "course";
      o.domain_column = "dept";
      o.metadata_columns = {"category", "last_term"};
      o.add_missing = true;
      o.build.drop_cycle_edges = true;
      break;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const csv_framework_options options = layout(data[0]);
  const auto files =
      fuzz::split_at_nul(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  std::optional<framework> f;
  if (!fuzz::parses(
          [&] { f = masterymap::io::parse_framework_csv(files.first, files.second, options); }))
    return 0;
  FUZZ_CHECK(f->name() == "fuzz");
  std::optional<framework> again;
  FUZZ_CHECK(fuzz::parses([&] { again = framework::from_json(f->to_json(0)); }));
  FUZZ_CHECK(*again == *f);
  FUZZ_CHECK(f->topological_order().size() == f->size());
  FUZZ_CHECK(f->edge_count() == f->edges().size());
  return 0;
}
