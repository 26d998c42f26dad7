// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: what every text reader does before it parses (refuse compressed input, drop a BOM,
// check or transcode to UTF-8) and how it words a position in the file.
//
// The one location convention of the readers: `line` and `column` are 1-based and name a
// position in the file; a column counts characters (code points), as editors do, so a
// Latin-1 file's columns are its bytes on the line; `row` is the 0-based data row of a table.
#ifndef MASTERYMAP_SRC_ENCODING_DETAIL_HPP
#define MASTERYMAP_SRC_ENCODING_DETAIL_HPP

#include <cstddef>
#include <masterymap/encoding.hpp>
#include <masterymap/error.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace masterymap::detail {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode's
/// table 3-7: no overlong forms, surrogates or code points past U+10FFFF), or npos. A
/// truncated sequence is reported at its first byte. ASCII runs are checked 32 bytes at a time.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// The compression format whose magic number starts `text` ("gzip", "bzip2", "xz", "zstd",
/// "zip"), or nullptr.
[[nodiscard]] const char* compression_of(std::string_view text) noexcept;

/// A 1-based position in a text.
struct text_position {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// The position of byte `offset` of `text`: lines end at LF, CRLF and, when `cr_ends_line`,
/// a lone CR; the column counts the characters before it on its line (bytes that are not
/// UTF-8 continuation bytes) plus one. Complexity: O(offset); for error paths.
[[nodiscard]] text_position position_of(std::string_view text, std::size_t offset,
                                        bool cr_ends_line = true) noexcept;

/// A reader's input as UTF-8 without a BOM: a view into the given text, or into `storage` when
/// transcoded. For UTF-8 input `invalid` is the offset (in `text`) of the first bad byte or
/// npos: the reader reports it with utf8_error once it knows the row it falls in (a CSV
/// reader), or at once (the others, through checked_utf8).
struct utf8_input {
  std::string_view text;
  std::size_t invalid = npos;
  std::string storage;
  utf8_input() = default;
  utf8_input(const utf8_input&) = delete;
  utf8_input& operator=(const utf8_input&) = delete;
};

/// Prepares `bytes` for a reader named `source` ("edges CSV"): a compressed input is a
/// parse_error naming its format; a UTF-8 BOM is dropped and means UTF-8 whatever `encoding`
/// says; latin1 and cp1252 are transcoded;
/// text with a UTF-16 byte order mark (FF FE or FE FF) is transcoded from UTF-16 whatever
/// `encoding` says, and a UTF-32 mark is a parse_error.
/// `out` must not move afterwards (its text may point into its storage).
void decode_input(std::string_view bytes, text_encoding encoding, const char* source,
                  utf8_input& out);

/// The parse_error for the invalid byte at `offset` of `text`: "<source>: invalid UTF-8 at line
/// L, column C (byte 0xE9); ..." with `hint` (what to do) at the end, `row` when the byte falls
/// in a data row of a table.
[[nodiscard]] parse_error utf8_error(std::string_view text, std::size_t offset,
                                     std::optional<std::size_t> row, const std::string& source,
                                     const char* hint, bool cr_ends_line = true);

/// The hint of a reader that takes an encoding.
inline constexpr const char* encoding_hint =
    "if the file is not UTF-8, give its encoding ('latin-1' or 'cp1252': encoding= in Python, "
    "--encoding on the command line)";

/// The UTF-8 text of a format that is UTF-8 by definition (JSON, snapshot names): refuses
/// compressed input and UTF-16/UTF-32 (a parse_error naming the byte order mark), drops a
/// UTF-8 BOM and throws utf8_error at the first bad byte. The view points into `bytes`.
[[nodiscard]] std::string_view checked_utf8(std::string_view bytes, const std::string& source,
                                            const char* hint = "the format is UTF-8");

/// Whether `text` is well-formed UTF-8.
[[nodiscard]] inline bool is_utf8(std::string_view text) noexcept {
  return find_invalid_utf8(text) == npos;
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_ENCODING_DETAIL_HPP
