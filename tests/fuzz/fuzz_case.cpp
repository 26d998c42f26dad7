// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: io::parse_case (CASE 1.0/1.1 packages). A package that imports is written
// back (lossless, and strict 1.1), and each is read again: the lossless one must give an equal
// framework; the strict one must import (its normalisations may change ids only when the
// package had none to begin with, so only the size is compared).
#include <cstddef>
#include <cstdint>
#include <masterymap/io/case.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"

using masterymap::framework;
namespace io = masterymap::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<framework> f;
  std::vector<std::string> notes;
  if (!fuzz::parses([&] { f = io::parse_case(text, {}, &notes); })) {
    io::case_options lenient;
    lenient.build.drop_cycle_edges = true;
    lenient.build.drop_duplicate_edges = true;
    if (!fuzz::parses([&] { f = io::parse_case(text, lenient); })) return 0;
  }
  const std::string out = io::write_case(*f);
  std::optional<framework> again;
  io::case_options lenient;
  lenient.build.drop_cycle_edges = true;
  lenient.build.drop_duplicate_edges = true;
  FUZZ_CHECK(fuzz::parses([&] { again = io::parse_case(out, lenient); }));
  FUZZ_CHECK(again->size() == f->size());
  FUZZ_CHECK(io::write_case(*again) == out);
  io::case_write_options strict;
  strict.strict = true;
  std::vector<std::string> made;
  const std::string s = io::write_case(*f, strict, &made);
  std::optional<framework> from_strict;
  FUZZ_CHECK(fuzz::parses([&] { from_strict = io::parse_case(s, lenient); }));
  (void)io::case_rubric_scales(*f);
  return 0;
}
