// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_ERROR_HPP
#define MASTERYMAP_ERROR_HPP

#include <cstddef>
#include <masterymap/config.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace masterymap {

/// Base of every exception this library throws for a domain failure.
class MASTERYMAP_VISIBLE error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What kind of problem a validation found.
enum class problem_kind {
  duplicate_id,    ///< two competencies share an id
  unknown_id,      ///< a link names an id that is not a competency
  self_loop,       ///< a competency is its own prerequisite or child
  duplicate_edge,  ///< the same prerequisite or hierarchy link was added twice
  prerequisite_cycle,
  hierarchy_cycle,
  invalid_value,  ///< a field value is out of its domain (e.g. a NaN minimum level)
};

/// One problem found by a validation, with the ids involved (for a cycle: in order, first id
/// repeated at the end, e.g. A -> B -> C -> A).
struct problem {
  problem_kind kind;
  std::vector<std::string> ids;
  std::string message;
  friend bool operator==(const problem& a, const problem& b) {
    return a.kind == b.kind && a.ids == b.ids && a.message == b.message;
  }
};

/// The stable text name of a problem kind ("duplicate_id", "prerequisite_cycle", ...).
[[nodiscard]] MASTERYMAP_API const char* to_string(problem_kind kind) noexcept;

/// A validation found one or more problems; nothing was built or changed.
class MASTERYMAP_VISIBLE validation_error : public error {
 public:
  MASTERYMAP_API explicit validation_error(std::vector<problem> problems);
  /// Every problem found, in a deterministic order.
  [[nodiscard]] const std::vector<problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<problem> problems_;
};

/// A validation found prerequisite or hierarchy cycles and nothing else.
/// `cycle()` is the first cycle in order (first id repeated at the end); `problems()` lists all.
class MASTERYMAP_VISIBLE cycle_error : public validation_error {
 public:
  MASTERYMAP_API explicit cycle_error(std::vector<problem> problems);
  [[nodiscard]] const std::vector<std::string>& cycle() const noexcept {
    return problems().front().ids;
  }
};

/// A competency (or learner, or skill) id is not known.
class MASTERYMAP_VISIBLE unknown_id_error : public error {
 public:
  MASTERYMAP_API explicit unknown_id_error(std::string id,
                                           const std::string& what_kind = "competency");
  [[nodiscard]] const std::string& id() const noexcept { return id_; }

 private:
  std::string id_;
};

/// A policy is inconsistent; each problem names the path of the offending field.
class MASTERYMAP_VISIBLE policy_error : public error {
 public:
  MASTERYMAP_API explicit policy_error(std::vector<std::string> problems);
  [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// Input (JSON, CSV, a snapshot, a table's values) could not be read. One location convention
/// across every reader: `line()` and `column()` are the 1-based position in the file (0 when
/// unknown or not from a file; the column counts characters, as editors do); `row()` is the
/// 0-based data row of a table, the header not counted (empty when the error is not about a
/// row), so it indexes the rows as a DataFrame of the file would.
class MASTERYMAP_VISIBLE parse_error : public error {
 public:
  MASTERYMAP_API parse_error(const std::string& message, std::size_t line, std::size_t column,
                             std::optional<std::size_t> row = std::nullopt);
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] std::size_t column() const noexcept { return column_; }
  [[nodiscard]] std::optional<std::size_t> row() const noexcept { return row_; }

 private:
  std::size_t line_;
  std::size_t column_;
  std::optional<std::size_t> row_;
};

/// A file could not be opened, read or written: every reader and writer of the library throws
/// this one class (framework CSV, evidence CSV, BKT data and models, roster snapshots), so a
/// caller catches one type. `path()` names the file, `code()` holds the system's reason and
/// `missing()` tells a file that does not exist from one that cannot be read.
/// `what()` reads "<action> '<path>': <reason>", e.g.
/// "cannot open evidence CSV '/data/log.csv': No such file or directory".
class MASTERYMAP_VISIBLE file_error : public error {
 public:
  MASTERYMAP_API file_error(std::string path, std::error_code code, std::string action);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::error_code code() const noexcept { return code_; }
  /// What failed, without the path ("cannot open evidence CSV").
  [[nodiscard]] const std::string& action() const noexcept { return action_; }
  [[nodiscard]] bool missing() const noexcept {
    return code_ == std::errc::no_such_file_or_directory;
  }

 private:
  std::string path_;
  std::error_code code_;
  std::string action_;
};

}  // namespace masterymap

#endif  // MASTERYMAP_ERROR_HPP
