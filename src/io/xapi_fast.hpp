// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the fast path of the xAPI reader (xapi_fast.cpp). One simdjson On-Demand pass over a
// JSON line that accepts the common valid statement and fills the fields the mapping reads,
// exactly as the statement walker (xapi_validate.cpp) fills them. It never rejects: anything it
// does not accept goes to the walker, which alone gives the verdict, the paths and the messages.
#ifndef MASTERYMAP_SRC_IO_XAPI_FAST_HPP
#define MASTERYMAP_SRC_IO_XAPI_FAST_HPP

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <masterymap/io/xapi.hpp>
#include <string_view>

#include "xapi_detail.hpp"

namespace masterymap::io::xapi_detail {

/// Whether `line` (one JSON value, blanks around it allowed, a UTF-8 byte order mark skipped)
/// is a statement that check_statement accepts under `version`, decided in one On-Demand pass;
/// when true, `fields` holds what check_statement would have filled (views into `parser`'s
/// buffers and into `line`, valid until `parser` iterates again). False means "not decided
/// here": the caller runs the DOM parse and check_statement, which give the verdict. `fields`
/// is then unspecified (check_statement clears it).
///
/// `readable` is how many bytes from `line.data()` may be read (simdjson reads up to
/// SIMDJSON_PADDING bytes past the line; with less the answer is false). Decided here: statements
/// with Agents and Groups (actor, authority Agent, instructor, team, Agent or Group objects),
/// verbs, Activity objects with any definition (interaction components included), StatementRef
/// objects (voiding), results, contexts (registration, instructor, team, contextActivities in
/// either form, revision, platform, language, statement, extensions with the cmi5 values),
/// timestamp, stored, version. Not decided (false): a SubStatement, attachments, 2.0's
/// contextAgents/contextGroups, an authority Group, a repeated key in an object whose keys the
/// rules name, an escaped key among those, a null, any value of a wrong type, anything the walker
/// would reject. Every value is read (On Demand checks only what is read), and nothing may follow
/// the value. O(size of the line).
bool fast_statement(std::string_view line, std::size_t readable, xapi_version version,
                    simdjson::ondemand::parser& parser, statement_fields& fields);

/// How many JSON lines the reader (xapi_read.cpp) decided on the fast path and how many it gave
/// to the DOM walker, since the process started (all threads; for tests and benchmarks).
struct fast_path_counts {
  std::uint64_t fast = 0, fallback = 0;
};
fast_path_counts fast_path_totals() noexcept;
void add_fast_path_counts(std::uint64_t fast, std::uint64_t fallback) noexcept;

}  // namespace masterymap::io::xapi_detail

#endif  // MASTERYMAP_SRC_IO_XAPI_FAST_HPP
