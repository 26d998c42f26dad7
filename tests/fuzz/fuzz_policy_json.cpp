// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: policy::from_json. A policy that parses is valid (from_json validates), is
// written back, parsed again and must be equal, with the same text.
#include <cstddef>
#include <cstdint>
#include <masterymap/policy.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"

using masterymap::policy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<policy> p;
  if (!fuzz::parses([&] { p = policy::from_json(text); })) return 0;
  FUZZ_CHECK(p->problems().empty());
  const std::string out = p->to_json(0);
  std::optional<policy> again;
  FUZZ_CHECK(fuzz::parses([&] { again = policy::from_json(out); }));
  FUZZ_CHECK(*again == *p);
  FUZZ_CHECK(again->to_json(0) == out);
  FUZZ_CHECK(policy::from_json(p->to_json(2)) == *p);
  (void)masterymap::to_string(*p);
  (void)p->kinds();
  return 0;
}
