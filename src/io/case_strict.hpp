// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_SRC_IO_CASE_STRICT_HPP
#define MASTERYMAP_SRC_IO_CASE_STRICT_HPP

#include <optional>
#include <string>
#include <vector>

namespace masterymap::io::detail {

/// The package `text` normalised to CASE 1.1 (see `case_write_options::strict`); one line per
/// change is appended to `notes` ("<JSON path>: <what was done>"). `stamp` fills a missing
/// lastChangeDateTime.
std::string strict_case(const std::string& text, const std::string& stamp,
                        std::vector<std::string>& notes);

/// The same, always through the normaliser (no fast path): what the fast path must agree with
/// (tests compare the two).
std::string strict_case_slow(const std::string& text, const std::string& stamp,
                             std::vector<std::string>& notes);

/// The fast path of `strict_case` (case_strict_fast.cpp): when every CFItem and CFAssociation
/// is one the normaliser would leave as it is (checked read-only), the package with only its
/// skeleton normalised and the node lists as written; nullopt when a node is dirty (then the
/// whole package goes through `strict_case_slow`).
std::optional<std::string> strict_case_fast(const std::string& text, const std::string& stamp,
                                            std::vector<std::string>& notes);

}  // namespace masterymap::io::detail

#endif  // MASTERYMAP_SRC_IO_CASE_STRICT_HPP
