// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the compact binary form of the in-memory serialisations (`learner_state::to_bytes`,
// `bkt::dataset::to_bytes`). Fixed-width values in the machine's byte order; an array is a
// 64-bit count then its elements, a string a 64-bit length then its bytes. A header (an 8-byte
// magic naming the type, a version, a byte-order mark) turns a blob of another type, version
// or machine into a parse_error instead of a wrong object; so does any truncation.
#ifndef MASTERYMAP_SRC_BINARY_IO_HPP
#define MASTERYMAP_SRC_BINARY_IO_HPP

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <masterymap/error.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace masterymap::detail {

inline constexpr std::uint32_t byte_order_mark = 0x01020304;

/// Appends values to a string.
struct byte_writer {
  std::string out;

  void header(const char (&magic)[9], std::uint32_t version) {
    out.append(magic, 8);
    pod(version);
    pod(byte_order_mark);
  }
  template <typename T>
  void pod(const T& x) {
    static_assert(std::is_trivially_copyable_v<T>, "pod() writes trivially copyable values");
    out.append(reinterpret_cast<const char*>(&x), sizeof x);
  }
  template <typename T, typename A>
  void array(const std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "array() writes trivially copyable values");
    pod(static_cast<std::uint64_t>(v.size()));
    if (!v.empty()) out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  void str(std::string_view s) {
    pod(static_cast<std::uint64_t>(s.size()));
    out.append(s.data(), s.size());
  }
  void strings(const std::vector<std::string>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) str(s);
  }
};

/// Reads values back; every failure is a masterymap::parse_error naming `what`.
struct byte_reader {
  std::string_view in;
  const char* what;

  [[noreturn]] void fail(std::string_view why) const {
    throw parse_error(fmt::format("{}: {}", what, why), 0, 0);
  }
  void header(const char (&magic)[9], std::uint32_t version) {
    if (in.size() < 8 || std::memcmp(in.data(), magic, 8) != 0)
      fail(fmt::format("not a serialised {}", what));
    in.remove_prefix(8);
    const auto v = pod<std::uint32_t>();
    if (v != version)
      fail(fmt::format("format version {} (this library reads version {})", v, version));
    if (pod<std::uint32_t>() != byte_order_mark) fail("written on a machine of another byte order");
  }
  void bytes(void* p, std::size_t n) {
    if (n > in.size()) fail("truncated");
    if (n) std::memcpy(p, in.data(), n);
    in.remove_prefix(n);
  }
  template <typename T>
  T pod() {
    T x;
    bytes(&x, sizeof x);
    return x;
  }
  template <typename T>
  std::vector<T> array() {
    const auto n = pod<std::uint64_t>();
    if (n > in.size() / sizeof(T)) fail("truncated");
    std::vector<T> v(static_cast<std::size_t>(n));
    bytes(v.data(), v.size() * sizeof(T));
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    if (n > in.size()) fail("truncated");
    std::string s(in.substr(0, static_cast<std::size_t>(n)));
    in.remove_prefix(static_cast<std::size_t>(n));
    return s;
  }
  std::vector<std::string> strings() {
    const auto n = pod<std::uint64_t>();
    if (n > in.size() / sizeof(std::uint64_t)) fail("truncated");
    std::vector<std::string> v;
    v.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }
  /// Every byte was read.
  void finish() const {
    if (!in.empty()) fail(fmt::format("{} unexpected bytes at the end", in.size()));
  }
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_BINARY_IO_HPP
