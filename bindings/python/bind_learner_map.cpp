// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A learner's map (io/learner_map.hpp): LearnerState.to_dot / to_svg, io.render_svg,
// io.have_graphviz.
#include <pybind11/stl.h>

#include <masterymap/io/learner_map.hpp>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "object_lock.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

namespace {

io::map_options map_options_of(const std::string& rankdir, bool legend, bool clusters,
                               std::size_t tooltip_lines) {
  io::map_options o;
  o.rankdir = rankdir;
  o.legend = legend;
  o.clusters = clusters;
  o.tooltip_lines = tooltip_lines;
  return o;
}

constexpr const char* map_doc = R"pbdoc(
This learner's map: the framework's prerequisite graph, one node per competency (framework
order) and one edge per prerequisite, drawn for this learner. Nodes are filled by status with the
Okabe–Ito palette (safe for colour-vision deficiencies) and carry a second cue that does not rely
on colour: the border (not started dashed, inferred rounded and dashed, expired dotted, awaiting
the teacher's check diagonals, mastered bold, exceeded and exempt doubled) and the status in words
on the label's last line. The frontier (ready to learn) is outlined in black, gaps (holes under
done work) in vermillion with "gap under N"; edges are solid (required), dashed (familiar) or
dotted (recommended); domains are clusters. Each node has the SVG id ``c-<competency id>``, the
class ``competency status-<status>`` (plus ``frontier``, ``gap``, ``rollup``) and a tooltip with
the status and the first ``tooltip_lines`` lines of :meth:`explain`.

``rankdir``: "LR" (prerequisites on the left), "TB", "RL" or "BT"; ``legend``: a colour key
under the map; ``clusters``: a box per domain. Deterministic (the same state gives the same text).
Raises ValueError for another ``rankdir``.)pbdoc";

}  // namespace

void bind_learner_map(py::module_& m) {
  auto state_cls = py::reinterpret_borrow<py::class_<py_state>>(m.attr("LearnerState"));
  state_cls
      .def(
          "to_dot",
          [](const py_state& s, const std::string& rankdir, bool legend, bool clusters,
             std::size_t tooltip_lines) {
            const read_lock lock(&s.evidence(), log_type);
            const auto o = map_options_of(rankdir, legend, clusters, tooltip_lines);
            py::gil_scoped_release rel;
            return io::to_dot(s.st, &s.evidence(), o);
          },
          py::kw_only(), py::arg("rankdir") = "LR", py::arg("legend") = true,
          py::arg("clusters") = true, py::arg("tooltip_lines") = 14,
          (std::string(map_doc) + "\n\nReturns the Graphviz DOT text (str).").c_str())
      .def(
          "to_svg",
          [](const py_state& s, const std::string& rankdir, bool legend, bool clusters,
             std::size_t tooltip_lines) {
            const read_lock lock(&s.evidence(), log_type);
            const auto o = map_options_of(rankdir, legend, clusters, tooltip_lines);
            py::gil_scoped_release rel;
            return io::to_svg(s.st, &s.evidence(), o);
          },
          py::kw_only(), py::arg("rankdir") = "LR", py::arg("legend") = true,
          py::arg("clusters") = true, py::arg("tooltip_lines") = 14,
          (std::string(map_doc) +
           "\n\nReturns the map laid out by Graphviz's ``dot`` (libgvc, linked in) as SVG text "
           "(str). Raises RuntimeError when masterymap was built without Graphviz "
           "(``masterymap.io.have_graphviz()``).")
              .c_str());

  auto io_mod = m.attr("io").cast<py::module_>();
  io_mod.def("have_graphviz", &io::have_graphviz,
             "Whether masterymap was built with Graphviz (libgvc): ``LearnerState.to_svg`` and "
             ":func:`render_svg` work.");
  io_mod.def(
      "render_svg",
      [](const std::string& dot, const std::string& layout) {
        py::gil_scoped_release rel;
        return io::render_svg(dot, layout);
      },
      py::arg("dot"), py::arg("layout") = "dot",
      "Any DOT text laid out by Graphviz (``layout``: \"dot\", \"neato\", ...) as SVG (str). "
      "Calls are serialised (Graphviz keeps global state). Raises ValueError for DOT text "
      "Graphviz cannot read or an unknown layout, RuntimeError without Graphviz.");
}

}  // namespace masterymap::python
