// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The small fixtures of masterymap/testing.hpp (the same as masterymap.testing in Python).
#include <masterymap/testing.hpp>
#include <stdexcept>
#include <string>

namespace masterymap::testing {

framework chain(std::size_t n) {
  if (n == 0) throw std::invalid_argument("chain: n must be at least 1");
  framework_builder b("chain");
  for (std::size_t i = 1; i <= n; ++i)
    b.add_competency("C" + std::to_string(i), "Step " + std::to_string(i), "D",
                     static_cast<int>(i));
  for (std::size_t i = 2; i <= n; ++i)
    b.add_prerequisite("C" + std::to_string(i), "C" + std::to_string(i - 1));
  return b.build();
}

framework diamond() {
  framework_builder b("diamond");
  b.add_competency("A", "Top of the diamond", "D", 1);
  b.add_competency("B", "Left", "D", 2);
  b.add_competency("C", "Right", "D", 2);
  b.add_competency("D", "Bottom", "D", 3);
  b.add_prerequisite("B", "A").add_prerequisite("C", "A");
  b.add_prerequisite("D", "B").add_prerequisite("D", "C");
  return b.build();
}

policy simple_policy() { return policy(scale::four_point(), rule{}, "simple"); }

evidence_log small_log() {
  evidence_log log;
  const double day = 86400.0, t0 = 1725148800.0;  // 2024-09-01T00:00:00Z
  log.add_unchecked({"a", "C1", t0 + 1 * day, 3.0});
  log.add_unchecked({"a", "C2", t0 + 2 * day, 2.0});
  log.add_unchecked({"a", "C2", t0 + 3 * day, 3.0});
  log.add_unchecked({"a", "C3", t0 + 4 * day, 2.0});
  log.add_unchecked({"b", "C1", t0 + 2 * day, 3.0});
  log.add_unchecked({"c", "C2", t0 + 3 * day, 3.0});
  return log;
}

}  // namespace masterymap::testing
