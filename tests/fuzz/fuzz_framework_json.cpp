// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: framework::from_json (native JSON, versions 1 and 2). A framework that
// parses is written back, parsed again and must be equal, with the same text; its graph queries
// run on it (they may not crash on any valid framework).
#include <cstddef>
#include <cstdint>
#include <masterymap/framework.hpp>
#include <masterymap/io/dot.hpp>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"

using masterymap::framework;

namespace {

void round_trip(const framework& f) {
  const std::string text = f.to_json(0);
  std::optional<framework> again;
  FUZZ_CHECK(fuzz::parses([&] { again = framework::from_json(text); }));
  FUZZ_CHECK(*again == f);
  FUZZ_CHECK(again->to_json(0) == text);
  FUZZ_CHECK(again->name() == f.name());
  FUZZ_CHECK(framework::from_json(f.to_json(2)) == f);
}

void query(const framework& f) {
  (void)masterymap::io::to_dot(f);
  (void)f.longest_chain();
  (void)f.redundant_prerequisites();
  (void)f.domains();
  FUZZ_CHECK(f.topological_order().size() == f.size());
  if (f.size() == 0) return;
  const masterymap::index_t last = static_cast<masterymap::index_t>(f.size() - 1);
  (void)f.prerequisites(last, true);
  (void)f.dependents(0, true, masterymap::strength_set::gating());
  (void)f.ancestors({0, last});
  std::vector<masterymap::index_t> all(f.size());
  std::iota(all.begin(), all.end(), masterymap::index_t{0});
  FUZZ_CHECK(f.subgraph(all) == f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<framework> f;
  if (!fuzz::parses([&] { f = framework::from_json(text); })) {
    // A graph with cycles or duplicates may still build when asked to drop them.
    masterymap::build_options lenient;
    lenient.drop_cycle_edges = true;
    lenient.drop_duplicate_edges = true;
    if (!fuzz::parses([&] { f = framework::from_json(text, lenient); })) return 0;
  }
  round_trip(*f);
  query(*f);
  return 0;
}
