// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A learner's map: the prerequisite graph coloured by the learner's status, as Graphviz DOT
// text and as SVG laid out by Graphviz (libgvc, linked privately: no Graphviz header here).
#ifndef MASTERYMAP_IO_LEARNER_MAP_HPP
#define MASTERYMAP_IO_LEARNER_MAP_HPP

#include <cstddef>
#include <masterymap/config.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/evidence.hpp>
#include <string>
#include <string_view>

namespace masterymap::io {

/// How `to_dot(const learner_state&, ...)` draws a learner's map.
struct map_options {
  /// Graphviz rank direction: "LR" (prerequisites left of their dependents), "TB", "RL", "BT".
  std::string rankdir = "LR";
  /// A legend (an HTML-like graph label: one swatch per status, the frontier and gap cues).
  bool legend = true;
  /// Domains as clusters (one box per domain, titled with its name).
  bool clusters = true;
  /// Tooltips: at most this many lines of the explanation (0: the status line only).
  std::size_t tooltip_lines = 14;
};

/// The fill colour of a status on a learner's map and in the cohort report: the Okabe-Ito
/// palette (Okabe & Ito 2008, safe for the common colour-vision deficiencies), as "#RRGGBB":
/// not_started white, in_progress sky blue, awaiting_confirmation orange, expired vermillion,
/// inferred a light tint of bluish green, mastered bluish green, exceeded blue, exempt reddish
/// purple. Colour is never the only cue: see `to_dot`.
[[nodiscard]] MASTERYMAP_API const char* status_color(status s) noexcept;
/// The text colour readable on `status_color(s)` ("#000000" or "#FFFFFF").
[[nodiscard]] MASTERYMAP_API const char* status_text_color(status s) noexcept;

/// A learner's map as Graphviz DOT text: one node per competency (framework order), an edge per
/// prerequisite (prerequisite -> dependent).
///
/// Nodes: SVG `id` "c-" + the competency id; `class` "competency status-<status>" plus
/// "frontier" (ready to learn: `progression::frontier`), "gap" (`progression::gaps`) and
/// "rollup" (a rollup parent); fill colour by status (`status_color`) and a second cue that does
/// not rely on colour: the border (not_started dashed, inferred rounded and dashed, expired
/// dotted, awaiting_confirmation diagonals, mastered bold, exceeded and exempt a double border)
/// and the label's last line, the status in words (with the rating and score when present). The
/// frontier is outlined (black border, width 3, "ready to learn" in the label), gaps get a
/// vermillion border of width 3 and "gap under N" (N = the done competencies it undermines).
/// Tooltip: the status, and with `log` the first `tooltip_lines` lines of the explanation
/// (`learner_state::explain`). Edges: required solid, familiar dashed, recommended dotted and
/// grey. Domains are clusters ("cluster_<k>" in order of first appearance).
/// Deterministic: the same state gives the same bytes. Complexity: O(V + E), plus the
/// explanations (O(evidence of the learner)) with `log`.
/// \throws std::logic_error for a state never evaluated; std::invalid_argument for a `log`
///         that is not the one the state was evaluated on (as `explain`).
[[nodiscard]] MASTERYMAP_API std::string to_dot(const learner_state& s,
                                                const evidence_log* log = nullptr,
                                                const map_options& options = {});

/// `to_dot(s, log, options)` laid out by Graphviz's `dot` and rendered as SVG (UTF-8). The
/// same state gives the same bytes on one Graphviz version.
/// \throws std::runtime_error when masterymap was built without Graphviz (libgvc); see
///         `render_svg`.
[[nodiscard]] MASTERYMAP_API std::string to_svg(const learner_state& s,
                                                const evidence_log* log = nullptr,
                                                const map_options& options = {});

/// Whether `render_svg` is available (masterymap was built with Graphviz's libgvc).
[[nodiscard]] MASTERYMAP_API bool have_graphviz() noexcept;

/// Lays out any DOT text with Graphviz (`layout`: "dot", "neato", ...) and renders it as SVG.
/// Graphviz keeps global state, so calls are serialised by a mutex (thread-safe, not parallel).
/// \throws std::invalid_argument naming Graphviz's message for DOT text it cannot read or a
///         layout it does not know; std::runtime_error without Graphviz.
[[nodiscard]] MASTERYMAP_API std::string render_svg(std::string_view dot,
                                                    std::string_view layout = "dot");

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_LEARNER_MAP_HPP
