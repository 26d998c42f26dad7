// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The one CSV tokenizer behind the three readers (masterymap::io::parse_csv,
// evidence_log::append_csv and bkt::parse_csv). It only splits text into fields and knows
// where each one is; every reader words its own errors, checks its own field counts and
// decides for itself what a blank line is, so their messages stay as they were.
#ifndef MASTERYMAP_SRC_CSV_TOKENIZER_HPP
#define MASTERYMAP_SRC_CSV_TOKENIZER_HPP

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::detail {

/// A malformed quoted field. Internal: each reader catches it and throws its own parse_error;
/// what() is the bare phrase ("unterminated quoted field", "unexpected character after a quoted
/// field") that parse_csv and the BKT reader put in their messages.
class csv_syntax_error : public std::runtime_error {
 public:
  enum class kind {
    unterminated_quote,  ///< the text ends inside a quoted field
    text_after_quote,    ///< a closing quote is followed by neither a delimiter nor a line end
  };
  csv_syntax_error(kind k, std::size_t at_line, std::size_t at_column, std::size_t at_offset)
      : std::runtime_error(k == kind::unterminated_quote
                               ? "unterminated quoted field"
                               : "unexpected character after a quoted field"),
        problem(k),
        line(at_line),
        column(at_column),
        offset(at_offset) {}
  kind problem;
  /// 1-based: of the opening quote (unterminated_quote) or of the offending character.
  std::size_t line;
  /// 1-based byte column on that line.
  std::size_t column;
  /// Offset of that character in the tokenizer's text (readers turn it into a line and a
  /// character column with position_of).
  std::size_t offset;
};

/// What ends a record (and a line) outside quotes. A compile-time choice: each reader has one,
/// and it keeps the BKT reader's per-field code small enough to be inlined into its loop.
enum class csv_line_ends {
  /// CR, LF or CRLF: parse_csv and the evidence reader also read old Mac files.
  cr_lf,
  /// LF (or CRLF) only: a CR just before an LF or the end of the text, or just after a closing
  /// quote, is dropped; any other CR is data (the BKT reader).
  lf,
};

/// Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into fields, as views into
/// the text wherever possible: only a quoted field with doubled quotes is unescaped, into a
/// scratch string the caller chooses. Lines are counted at record ends and at LFs inside quotes
/// (a CR inside quotes is data and is not counted). A field is quoted only when its first
/// character is a quote; elsewhere a quote is data.
template <csv_line_ends line_ends = csv_line_ends::cr_lf>
class csv_tokenizer {
  static constexpr bool cr_ends_record = line_ends == csv_line_ends::cr_lf;

 public:
  /// `text` must outlive the tokenizer and every view it returns. A UTF-8 BOM is skipped (and
  /// not counted in columns).
  explicit csv_tokenizer(std::string_view text, char delimiter = ',') noexcept
      : text_(text), delim_(delimiter) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  /// Moves to `offset` (a record's start; for re-reading, so lines are not counted from there).
  void seek(std::size_t offset) noexcept {
    pos_ = offset;
    line_start_ = offset;
  }

  /// Whether all of the text has been read.
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  /// 1-based line of the next character: at a record's start, the line the record starts on.
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// 1-based byte column of the next character.
  [[nodiscard]] std::size_t column() const noexcept { return pos_ - line_start_ + 1; }
  /// Offset of the next character in the text (after a skipped BOM).
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  /// Offset of the first character of the current line.
  [[nodiscard]] std::size_t line_start() const noexcept { return line_start_; }

  /// At a record's start: consumes an empty line (its line end alone) and returns true, or
  /// returns false and reads nothing. With csv_line_ends::lf a lone CR is not a line end.
  bool skip_blank_line() noexcept {
    const std::size_t n = text_.size();
    if (pos_ >= n) return false;
    const char c = text_[pos_];
    const bool crlf = c == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n';
    if (c != '\n' && !crlf && !(c == '\r' && cr_ends_record)) return false;
    end_line();
    return true;
  }

  /// Reads one field: a view into the text, or into `scratch` (then `escaped` is set) for a
  /// quoted field with doubled quotes. Sets `end_of_record` when the field ended its record or
  /// the text; at the end of the text it returns an empty field.
  /// \throws csv_syntax_error for an unterminated quote or a character after a closing quote.
  std::string_view field(bool& end_of_record, std::string& scratch, bool& escaped) {
    escaped = false;
    const std::size_t n = text_.size();
    // The quoted case is out of line: that keeps this function small enough for the compiler to
    // inline into the BKT reader's loop, which made that reader ~10% faster than with its own
    // cursor (ASSISTments, GCC 12 -O2).
    if (pos_ < n && text_[pos_] == '"') return quoted_field(end_of_record, scratch, escaped);
    std::size_t i = pos_;
    if constexpr (cr_ends_record) {
      while (i < n && text_[i] != delim_ && text_[i] != '\n' && text_[i] != '\r') ++i;
      const std::string_view v = text_.substr(pos_, i - pos_);
      pos_ = i;
      end_of_record = !(i < n && text_[i] == delim_);
      if (!end_of_record)
        ++pos_;
      else if (i < n)
        end_line();
      return v;
    } else {
      while (i < n && text_[i] != delim_ && text_[i] != '\n') ++i;
      std::size_t stop = i;
      if (stop > pos_ && text_[stop - 1] == '\r' && (i >= n || text_[i] == '\n')) --stop;
      const std::string_view v = text_.substr(pos_, stop - pos_);
      if (i >= n) {
        pos_ = n;
        end_of_record = true;
      } else if (text_[i] == '\n') {
        pos_ = i + 1;
        ++line_;
        line_start_ = pos_;
        end_of_record = true;
      } else {
        pos_ = i + 1;
        end_of_record = false;
      }
      return v;
    }
  }

  /// Reads the rest of a record into `fields`, unescaping into scratch strings the tokenizer
  /// keeps: the views stay valid until the next call. On a csv_syntax_error `fields` holds the
  /// record's fields before the bad one (so its size + 1 is the bad field's number).
  void record(std::vector<std::string_view>& fields) {
    fields.clear();
    bool end_of_record = false, escaped = false;
    while (!end_of_record) {
      // A deque: growing it never moves the strings earlier views point into.
      if (fields.size() == scratch_.size()) scratch_.emplace_back();
      const std::string_view v = field(end_of_record, scratch_[fields.size()], escaped);
      fields.push_back(v);
    }
  }

 private:
  std::string_view quoted_field(bool& end_of_record, std::string& scratch, bool& escaped) {
    const std::size_t n = text_.size();
    const std::size_t quote_line = line_, quote_column = column(), quote_offset = pos_;
    std::size_t i = pos_ + 1;
    std::size_t begin = i;  // start of the text not yet copied to scratch
    scratch.clear();
    for (;;) {
      if (i >= n)
        throw csv_syntax_error(csv_syntax_error::kind::unterminated_quote, quote_line, quote_column,
                               quote_offset);
      const char c = text_[i];
      if (c == '"') {
        if (i + 1 < n && text_[i + 1] == '"') {
          escaped = true;
          scratch.append(text_.data() + begin, i + 1 - begin);  // up to and with one quote
          i += 2;
          begin = i;
          continue;
        }
        break;
      }
      if (c == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
      ++i;
    }
    std::string_view v = text_.substr(begin, i - begin);
    if (escaped) {
      scratch.append(v.data(), v.size());
      v = scratch;
    }
    pos_ = i + 1;  // past the closing quote
    if (!cr_ends_record && pos_ < n && text_[pos_] == '\r') ++pos_;
    if (pos_ >= n) {
      end_of_record = true;
    } else if (text_[pos_] == delim_) {
      ++pos_;
      end_of_record = false;
    } else if (text_[pos_] == '\n' || (cr_ends_record && text_[pos_] == '\r')) {
      end_line();
      end_of_record = true;
    } else {
      throw csv_syntax_error(csv_syntax_error::kind::text_after_quote, line_, column(), pos_);
    }
    return v;
  }

  // Consumes the line end at pos_ (LF, CRLF, or a lone CR where that ends a record).
  void end_line() noexcept {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;  // offset of the current line's first character
  char delim_;
  std::deque<std::string> scratch_;  // record()'s per-field unescape buffers
};

/// Offset in `text` of field `index` (0-based) of the record that starts at `record_start`: it
/// re-reads the record, so readers keep one offset per record, not per field, and pay for the
/// field's position only when they report an error in it. The record must have been read
/// without a syntax error up to that field.
template <csv_line_ends line_ends>
[[nodiscard]] std::size_t field_offset(std::string_view text, std::size_t record_start,
                                       std::size_t index, char delimiter = ',') {
  csv_tokenizer<line_ends> tok(text, delimiter);
  tok.seek(record_start);
  std::string scratch;
  bool end_of_record = false, escaped = false;
  for (std::size_t i = 0; i < index && !end_of_record; ++i)
    (void)tok.field(end_of_record, scratch, escaped);
  return tok.position();
}

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_CSV_TOKENIZER_HPP
