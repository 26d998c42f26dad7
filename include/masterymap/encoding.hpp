// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_ENCODING_HPP
#define MASTERYMAP_ENCODING_HPP

#include <masterymap/config.hpp>
#include <string_view>

namespace masterymap {

/// The character encoding of a text file a reader is given. Everything the library stores and
/// returns is UTF-8: a reader checks UTF-8 input (a bad byte is a parse_error with its line and
/// column) and transcodes the single-byte encodings, which cannot fail.
enum class text_encoding {
  utf8,    ///< UTF-8, with or without a BOM (the default of every reader)
  latin1,  ///< ISO-8859-1: byte b is U+00b (old exports, e.g. the ASSISTments 2009 files)
  cp1252,  ///< Windows-1252 as the WHATWG Encoding Standard defines it (Excel's "CSV")
};

/// The name of an encoding as Python's codecs spell it: "utf-8", "latin-1", "cp1252".
[[nodiscard]] MASTERYMAP_API const char* to_string(text_encoding encoding) noexcept;

/// The encoding named `name`, ignoring case, '-' and '_': "utf-8" ("utf8", "utf-8-sig"),
/// "latin-1" ("latin1", "iso-8859-1", "l1"), "cp1252" ("windows-1252").
/// \throws std::invalid_argument for any other name (the message lists these).
[[nodiscard]] MASTERYMAP_API text_encoding parse_text_encoding(std::string_view name);

}  // namespace masterymap

#endif  // MASTERYMAP_ENCODING_HPP
