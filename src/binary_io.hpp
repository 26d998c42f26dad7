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

/// The layout of values over a sink: `Sink` (derived, CRTP) provides `bytes(const void*, n)`.
/// Shared by the in-memory writer here and the roster snapshot's file writer.
template <class Sink>
struct value_writer {
  template <typename T>
  void pod(const T& x) {
    static_assert(std::is_trivially_copyable_v<T>, "pod() writes trivially copyable values");
    self().bytes(&x, sizeof x);
  }
  template <typename T, typename A>
  void array(const std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>, "array() writes trivially copyable values");
    pod(static_cast<std::uint64_t>(v.size()));
    if (!v.empty()) self().bytes(v.data(), v.size() * sizeof(T));
  }
  void str(std::string_view s) {
    pod(static_cast<std::uint64_t>(s.size()));
    self().bytes(s.data(), s.size());
  }
  void strings(const std::vector<std::string>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& s : v) str(s);
  }

 private:
  Sink& self() { return static_cast<Sink&>(*this); }
};

/// The layout of values over a source: `Source` (derived, CRTP) provides `bytes(void*, n)`,
/// `left()` (bytes not yet read), `fail(why)` (throws) and `vector_of<T>(n)` (n Ts to read
/// into). A count larger than what is left fails before anything is allocated.
template <class Source>
struct value_reader {
  template <typename T>
  T pod() {
    T x;
    self().bytes(&x, sizeof x);
    return x;
  }
  template <typename T>
  std::vector<T> array() {
    const auto n = pod<std::uint64_t>();
    if (n > self().left() / sizeof(T)) self().fail("truncated");
    std::vector<T> v = self().template vector_of<T>(static_cast<std::size_t>(n));
    if (n) self().bytes(v.data(), v.size() * sizeof(T));
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    if (n > self().left()) self().fail("truncated");
    std::string s(static_cast<std::size_t>(n), '\0');
    if (n) self().bytes(s.data(), s.size());
    return s;
  }
  std::vector<std::string> strings() {
    const auto n = pod<std::uint64_t>();
    if (n > self().left() / sizeof(std::uint64_t)) self().fail("truncated");
    std::vector<std::string> v;
    v.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) v.push_back(str());
    return v;
  }

 private:
  Source& self() { return static_cast<Source&>(*this); }
};

/// Appends values to a string.
struct byte_writer : value_writer<byte_writer> {
  std::string out;

  void header(const char (&magic)[9], std::uint32_t version) {
    out.append(magic, 8);
    pod(version);
    pod(byte_order_mark);
  }
  void bytes(const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
};

/// Reads values back; every failure is a masterymap::parse_error naming `what`.
struct byte_reader : value_reader<byte_reader> {
  std::string_view in;
  const char* what;

  byte_reader(std::string_view bytes, const char* what_) : in(bytes), what(what_) {}
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
  [[nodiscard]] std::size_t left() const noexcept { return in.size(); }
  template <typename T>
  static std::vector<T> vector_of(std::size_t n) {
    return std::vector<T>(n);
  }
  /// Every byte was read.
  void finish() const {
    if (!in.empty()) fail(fmt::format("{} unexpected bytes at the end", in.size()));
  }
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_BINARY_IO_HPP
