// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Text encodings: UTF-8 checks, Latin-1/cp1252 transcoding, positions in a text.
#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <masterymap/encoding.hpp>
#include <stdexcept>

#include "encoding_detail.hpp"
#include "enum_names.hpp"

namespace masterymap {

namespace {
constexpr detail::enum_names<text_encoding, 3> encoding_names{
    {{{text_encoding::utf8, "utf-8"},
      {text_encoding::latin1, "latin-1"},
      {text_encoding::cp1252, "cp1252"}}}};
}  // namespace

const char* to_string(text_encoding encoding) noexcept { return encoding_names.name(encoding); }

text_encoding parse_text_encoding(std::string_view name) {
  // Python's codec lookup normalises the same way ("UTF_8", "Latin1", "ISO-8859-1").
  std::string key;
  for (char c : name)
    if (c != '-' && c != '_' && c != ' ')
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (key == "utf8" || key == "utf8sig" || key == "u8") return text_encoding::utf8;
  if (key == "latin1" || key == "iso88591" || key == "l1" || key == "latin" || key == "8859")
    return text_encoding::latin1;
  if (key == "cp1252" || key == "windows1252") return text_encoding::cp1252;
  throw std::invalid_argument(
      fmt::format("unknown encoding '{}' (read: 'utf-8', 'latin-1', 'cp1252')", name));
}

namespace detail {

namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

// Whether the 32 bytes at p are all ASCII. memcpy: unaligned loads without undefined behaviour
// (compiles to plain moves).
inline bool ascii32(const unsigned char* p) noexcept {
  std::uint64_t w[4];
  std::memcpy(w, p, sizeof w);
  return ((w[0] | w[1] | w[2] | w[3]) & high_bits) == 0;
}

// The length of the well-formed sequence starting at s[i] (a byte >= 0x80), or 0.
inline std::size_t sequence_length(const unsigned char* s, std::size_t i, std::size_t n) noexcept {
  const unsigned c = s[i];
  std::size_t len = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte (Unicode table 3-7)
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;  // a continuation byte, C0, C1 or F5..FF
  }
  if (n - i < len) return 0;
  if (s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  return len;
}

// Windows-1252's 0x80..0x9F (WHATWG Encoding Standard, index-windows-1252): the five bytes
// Microsoft leaves undefined map to the C1 controls of the same value, so decoding never fails.
constexpr std::uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A single-byte encoding to UTF-8: ASCII runs copied whole.
void transcode(std::string_view in, text_encoding encoding, std::string& out) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  out.clear();
  out.reserve(n + n / 8);
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j + 32 <= n && ascii32(s + j)) j += 32;
    while (j < n && s[j] < 0x80) ++j;
    out.append(in.data() + i, j - i);
    if (j == n) break;
    const unsigned c = s[j];
    append_utf8(out, encoding == text_encoding::cp1252 && c < 0xA0 ? cp1252_high[c - 0x80] : c);
    i = j + 1;
  }
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (n - i >= 32 && ascii32(s + i)) {
      i += 32;
      continue;
    }
    // Byte by byte to the end of this 32-byte window (a sequence may run past it).
    const std::size_t stop = std::min(n, i + 32);
    while (i < stop) {
      if (s[i] < 0x80) {
        ++i;
        continue;
      }
      const std::size_t len = sequence_length(s, i, n);
      if (len == 0) return i;
      i += len;
    }
  }
  return npos;
}

const char* compression_of(std::string_view t) noexcept {
  auto starts = [&](std::string_view magic) { return t.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return "gzip";
  if (starts(std::string_view("\xfd"
                              "7zXZ\0",
                              6)))
    return "xz";
  if (starts("\x28\xb5\x2f\xfd")) return "zstd";
  // "BZh", a block size digit, then the block magic (pi): never the start of a real CSV.
  if (t.size() >= 10 && starts("BZh") && t[3] >= '1' && t[3] <= '9' &&
      t.substr(4, 6) == "\x31\x41\x59\x26\x53\x59")
    return "bzip2";
  if (starts("PK\x03\x04")) return "zip";
  return nullptr;
}

text_position position_of(std::string_view text, std::size_t offset, bool cr_ends_line) noexcept {
  offset = std::min(offset, text.size());
  text_position p{1, 1};
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    const char c = text[i];
    if (c == '\n' || (cr_ends_line && c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++p.line;
      line_start = i + 1;
    }
  }
  for (std::size_t i = line_start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++p.column;
  return p;
}

namespace {

// The byte order of a UTF-16 byte order mark at the start of `bytes` ("UTF-16LE", "UTF-16BE"),
// or null. (A UTF-32 mark, FF FE 00 00, starts like UTF-16LE's: see utf32_mark.)
const char* utf16_mark(std::string_view bytes) noexcept {
  if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE') return "UTF-16LE";
  if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') return "UTF-16BE";
  return nullptr;
}

bool utf32_mark(std::string_view bytes) noexcept {
  return bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4) ||
         bytes.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4);
}

// UTF-16 text after its byte order mark, transcoded to UTF-8 by the C library's iconv (what
// Excel's "Unicode text" and many Windows tools write). A lone surrogate or an odd trailing byte
// is a parse_error naming its byte offset in the file.
void transcode_utf16(std::string_view bytes, const char* order, const char* source,
                     std::string& out) {
  iconv_t cd = ::iconv_open("UTF-8", order);
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw parse_error(fmt::format("{}: the input is {} (it starts with a byte order mark), which "
                                  "this system cannot convert; save it as UTF-8",
                                  source, order),
                      1, 1);
  bytes.remove_prefix(2);
  out.assign(bytes.size() * 3 / 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's signature; it does not write there
  std::size_t in_left = bytes.size();
  char* to = out.data();
  std::size_t to_left = out.size();
  const std::size_t r = ::iconv(cd, &in, &in_left, &to, &to_left);
  const int err = errno;
  ::iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) {
    const std::size_t offset = 2 + bytes.size() - in_left;
    throw parse_error(
        fmt::format("{}: the input is {} (it starts with a byte order mark) but byte offset {} "
                    "{}; save it as UTF-8",
                    source, order, offset,
                    err == EINVAL ? "ends in the middle of a character" : "is not valid UTF-16"),
        1, 1);
  }
  out.resize(out.size() - to_left);
}

}  // namespace

void decode_input(std::string_view bytes, text_encoding encoding, const char* source,
                  utf8_input& out) {
  if (const char* format = compression_of(bytes))
    throw parse_error(
        fmt::format("{}: the input is {}-compressed; decompress it first{}", source, format,
                    std::string_view(format) == "gzip"
                        ? " (the readers of files read .gz files themselves)"
                        : ""),
        0, 0);
  if (utf32_mark(bytes))
    throw parse_error(fmt::format("{}: the input is UTF-32 (it starts with a byte order mark); "
                                  "save it as UTF-8",
                                  source),
                      1, 1);
  if (const char* order = utf16_mark(bytes)) {
    // A byte order mark decides the encoding, whatever was asked: Latin-1 or cp1252 would read
    // every other byte as a NUL.
    transcode_utf16(bytes, order, source, out.storage);
    out.text = out.storage;
    out.invalid = npos;
    return;
  }
  // A UTF-8 byte order mark says UTF-8 whatever was asked ("ï»¿" opening a Latin-1 file is
  // not data anyone writes).
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    encoding = text_encoding::utf8;
  }
  if (encoding == text_encoding::utf8) {
    out.text = bytes;
    out.invalid = find_invalid_utf8(bytes);
    return;
  }
  transcode(bytes, encoding, out.storage);
  out.text = out.storage;
  out.invalid = npos;
}

parse_error utf8_error(std::string_view text, std::size_t offset, std::optional<std::size_t> row,
                       const std::string& source, const char* hint, bool cr_ends_line) {
  const text_position at = position_of(text, offset, cr_ends_line);
  const std::string where =
      row ? fmt::format("row {} (line {}, column {})", *row, at.line, at.column)
          : fmt::format("line {}, column {}", at.line, at.column);
  return parse_error(
      fmt::format("{}: {}: invalid UTF-8 (byte 0x{:02X}); {}", source, where,
                  static_cast<unsigned>(static_cast<unsigned char>(text[offset])), hint),
      at.line, at.column, row);
}

std::string_view checked_utf8(std::string_view bytes, const std::string& source, const char* hint) {
  // The view returned points into `bytes`: text that would need transcoding (UTF-16) has no
  // storage to live in here, and these formats are UTF-8 by definition anyway.
  if (const char* order = utf16_mark(bytes))
    throw parse_error(fmt::format("{}: the input is {} (it starts with a byte order mark); {}: "
                                  "save it as UTF-8",
                                  source, utf32_mark(bytes) ? "UTF-32" : order, hint),
                      1, 1);
  utf8_input in;
  decode_input(bytes, text_encoding::utf8, source.c_str(), in);
  if (in.invalid != npos) throw utf8_error(in.text, in.invalid, std::nullopt, source, hint);
  return in.text;
}

}  // namespace detail
}  // namespace masterymap
