// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Shared by the libFuzzer targets: a check that reports a broken round trip as a crash, the
// rule for which exceptions a parser may throw, and a CSV writer for the round trips.
#ifndef MASTERYMAP_TESTS_FUZZ_UTIL_HPP
#define MASTERYMAP_TESTS_FUZZ_UTIL_HPP

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace fuzz {

/// A property the target checks failed: print it and abort, so libFuzzer saves the input.
[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}
#define FUZZ_CHECK(cond)                                  \
  do {                                                    \
    if (!(cond)) ::fuzz::fail(#cond, __FILE__, __LINE__); \
  } while (0)

/// Runs `parse` and returns true when it succeeded. A masterymap::error (parse_error,
/// validation_error, policy_error, ...) is the documented answer to bad input: false. Any other
/// exception (std::out_of_range, std::length_error, a JSON library type, ...) leaked through a
/// reader's boundary: that is a finding, so it aborts like a crash.
template <typename F>
bool parses(F&& parse) {
  try {
    parse();
    return true;
  } catch (const masterymap::error&) {
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: a reader let a %s through: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
}

/// Splits `data` at its first NUL byte: the text before and after (empty when there is none).
inline std::pair<std::string_view, std::string_view> split_at_nul(std::string_view data) {
  const auto at = data.find('\0');
  if (at == std::string_view::npos) return {data, {}};
  return {data.substr(0, at), data.substr(at + 1)};
}

/// One CSV field, always quoted (quotes doubled): whatever it holds reads back as itself.
inline void csv_field(std::string& out, std::string_view s, bool first) {
  if (!first) out += ',';
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}
/// `csv_field` with another delimiter.
inline void csv_field(std::string& out, std::string_view s, bool first, char delimiter) {
  if (!first) out += delimiter;
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// The shortest text that reads back as exactly `x` (std::from_chars, and the library's number
/// parsers, which use it).
inline std::string exact(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

/// Bitwise equality of doubles (NaN equals NaN, -0 differs from 0): "the same value" for a
/// round trip.
inline bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

/// Two logs with the same rows in the same order, bit for bit (NaN equals NaN), and the same
/// learner and competency names.
inline bool same_rows(const masterymap::evidence_log& a, const masterymap::evidence_log& b) {
  if (a.size() != b.size() || a.learners() != b.learners() || a.competencies() != b.competencies())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const masterymap::evidence x = a.at(i), y = b.at(i);
    if (x.learner != y.learner || x.competency != y.competency || !same(x.time, y.time) ||
        !same(x.score, y.score) || x.kind != y.kind || !same(x.weight, y.weight) ||
        x.source != y.source)
      return false;
  }
  return true;
}

}  // namespace fuzz

#endif  // MASTERYMAP_TESTS_FUZZ_UTIL_HPP
