// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_DOT_HPP
#define MASTERYMAP_IO_DOT_HPP

#include <masterymap/config.hpp>
#include <masterymap/framework.hpp>
#include <string>

namespace masterymap::io {

/// The prerequisite graph as Graphviz DOT text: one node per competency (label = id and title),
/// an edge prerequisite -> dependent, dashed for familiar, dotted for recommended.
/// Complexity: O(V + E).
[[nodiscard]] MASTERYMAP_API std::string to_dot(const framework& f);

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_DOT_HPP
