// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The cohort report (io/report.hpp): Roster.report.
#include <pybind11/stl.h>

#include <masterymap/io/file.hpp>
#include <masterymap/io/report.hpp>

#include "bindings.hpp"
#include "object_lock.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

void bind_report(py::module_& m) {
  auto roster_cls = py::reinterpret_borrow<py::class_<roster>>(m.attr("Roster"));
  roster_cls.def(
      "report",
      [](const py::object& self, const py::object& path, const std::string& title, bool names,
         std::size_t heatmap_max_cells, std::size_t max_curves, const py::object& bottlenecks,
         std::uint32_t stuck_evidence, double stuck_days, double recent_days) {
        const roster& r = self.cast<const roster&>();
        const std::string file = path.is_none() ? std::string() : fs_path(path);
        const read_lock lock(&r, roster_type);
        io::report_options o;
        o.title = title;
        o.names = names;
        o.heatmap_max_cells = heatmap_max_cells;
        o.max_curves = max_curves;
        o.groups.stuck_evidence = stuck_evidence;
        o.groups.stuck_days = stuck_days;
        o.groups.recent_days = recent_days;
        const py::object bars =
            call_python("masterymap._cohort", "report_bottlenecks", self, bottlenecks);
        for (const auto& item : bars) {
          const auto t = item.cast<py::tuple>();
          o.bottlenecks.push_back({t[0].cast<std::string>(), t[1].cast<double>(),
                                   t[2].cast<std::vector<std::string>>()});
        }
        std::string html;
        {
          py::gil_scoped_release rel;
          html = io::cohort_report_html(r, o);
        }
        if (!file.empty()) {
          py::gil_scoped_release rel;
          io::write_text_file(file, html);
        }
        return py::str(html);
      },
      py::arg("path") = py::none(), py::kw_only(), py::arg("title") = "", py::arg("names") = true,
      py::arg("heatmap_max_cells") = 40000, py::arg("max_curves") = 36,
      py::arg("bottlenecks") = py::none(), py::arg("stuck_evidence") = 10,
      py::arg("stuck_days") = 30.0, py::arg("recent_days") = 14.0, R"pbdoc(
The roster as one self-contained HTML page (str; also written to ``path``, UTF-8, when given):
no script and no external resource (a Content-Security-Policy ``default-src 'none'`` forbids any
request), so it opens offline and can be mailed as one file.

Sections: the learners, competencies, evidence and ``as_of``; per competency a bar of the
learners' statuses (Okabe–Ito colours, done work from the left, "k of N" in text); a heatmap of
learners × competencies (rows: learners, most done first; when learners × competencies is at most
``heatmap_max_cells``, else only the bars); a summary table (learners, started, earned, exempt,
inferred, mastery rate of all and of those who started, mean score, Kaplan–Meier median days to
mastery with its 95% interval, stuck, ready — as :meth:`summary`, :meth:`time_to_mastery` and
:meth:`groups_by_frontier`); Kaplan–Meier curves (at most ``max_curves`` panels, the competencies
with the most spells); bottleneck bars; the ready / stuck / recently mastered groups with the
learners' names inside closed ``<details>`` (shown on demand; ``names=False``: counts only, and
the heatmap's tooltips number the rows instead).

``bottlenecks``: the bars, as a DataFrame with columns ``competency``, ``score`` and optionally
``reasons`` (a list of str or a str), or an iterable of ``(competency, score, reasons)``; None:
the roster's own ``bottlenecks()`` ranking when it has one, else the section charts the learners
stuck on each competency. ``stuck_evidence``, ``stuck_days``, ``recent_days``: as
:meth:`groups_by_frontier`. ``title``: default "Cohort report: <framework name>".
Deterministic: the same roster and arguments give the same bytes. Raises ValueError for a
bottleneck naming an unknown competency.
)pbdoc");
}

}  // namespace masterymap::python
