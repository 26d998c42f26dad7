// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <cmath>
#include <masterymap/evidence.hpp>
#include <masterymap/pacing.hpp>

#include "bindings.hpp"
#include "progression_py.hpp"

namespace masterymap::python {

double to_seconds(const py::handle& t) {
  if (py::isinstance<py::str>(t)) {
    auto s = parse_time(t.cast<std::string>());
    if (!s)
      throw py::value_error("not a time: '" + t.cast<std::string>() +
                            "' (use ISO 8601 or seconds)");
    return *s;
  }
  if (py::isinstance<py::bool_>(t)) throw py::type_error("a time cannot be a bool");
  if (py::isinstance<py::int_>(t) || py::isinstance<py::float_>(t)) return t.cast<double>();
  // datetime, date, numpy.datetime64, pandas.Timestamp: the evidence log's convention.
  py::object v = py::module_::import("masterymap._mastery").attr("_time_value")(t);
  if (py::isinstance<py::str>(v)) return to_seconds(v);
  return v.cast<double>();
}

py::dict pace_dict(const framework& fw, const pace_report& r) {
  py::dict d;
  d["status"] = to_string(r.status);
  d["today"] = r.today;
  d["total"] = r.total;
  d["done"] = r.done;
  d["expected"] = r.expected;
  d["complete"] = r.complete;
  d["expected_rate"] = r.expected_rate;
  d["actual_rate"] = r.actual_rate;
  d["acceleration"] = r.acceleration;
  d["needed_rate"] = r.needed_rate;
  d["projected_finish"] = opt_score(r.projected_finish);
  d["projected_finish_date"] = r.projected_finish && std::isfinite(*r.projected_finish)
                                   ? py::object(py::str(format_time(*r.projected_finish)))
                                   : py::object(py::none());
  d["days_ahead"] = r.days_ahead;
  d["remaining"] = id_list(fw, r.remaining);
  return d;
}

void bind_pacing(py::module_& m) {
  py::class_<pace_plan>(m, "PacePlan", R"pbdoc(
A pacing plan: which competencies to finish, from ``start``, by ``target_date``, at what pace.

Times are seconds, ISO 8601 strings ("2024-09-01"), datetimes or dates (like evidence times).
The pace is ``rate`` competencies per ``per`` ("day" or "week"), or a ``calendar`` of
``(date, cumulative count)`` milestones, or (neither) linear from start to target.

:param goals: a competency id or a list of ids.
:param include_prerequisites: also count the goals' gating prerequisites (transitively).
:param recent_days: the learner's recent rate counts what was done in this many days.
:param tolerance: on track while ``|done - expected| <= max(0.5, tolerance * expected)``.

``state.pacing(plan)`` returns a dict: status (``on_track``/``behind``/``ahead``), done,
expected, total, expected_rate, actual_rate, acceleration (1.5 for a learner going 1.5x the
expected pace), needed_rate, projected_finish (seconds) and projected_finish_date, days_ahead,
remaining. Rates are per day.
)pbdoc")
      .def(py::init([](const py::object& start, const py::object& target_date,
                       const py::object& goals, const py::object& rate, const std::string& per,
                       const py::object& calendar, bool include_prerequisites, double recent_days,
                       double tolerance) {
             pace_plan p;
             p.start = to_seconds(start);
             p.target = to_seconds(target_date);
             if (py::isinstance<py::str>(goals))
               p.goals.push_back(goals.cast<std::string>());
             else
               p.goals = goals.cast<std::vector<std::string>>();
             double unit = 1.0;
             if (per == "week")
               unit = 7.0;
             else if (per != "day")
               throw py::value_error("per must be 'day' or 'week'");
             if (!rate.is_none()) p.expected_rate = rate.cast<double>() / unit;
             if (!calendar.is_none())
               for (auto item : calendar) {
                 auto pair = item.cast<py::sequence>();
                 if (pair.size() != 2)
                   throw py::value_error("calendar entries are (date, cumulative count)");
                 p.calendar.emplace_back(to_seconds(pair[0]), pair[1].cast<double>());
               }
             p.include_prerequisites = include_prerequisites;
             p.recent_days = recent_days;
             p.tolerance = tolerance;
             if (!(p.target > p.start))
               throw py::value_error("PacePlan: the target date must come after the start");
             return p;
           }),
           py::arg("start"), py::arg("target_date"), py::arg("goals"), py::arg("rate") = py::none(),
           py::arg("per") = "day", py::arg("calendar") = py::none(),
           py::arg("include_prerequisites") = false, py::arg("recent_days") = 28.0,
           py::arg("tolerance") = 0.1)
      .def_readonly("start", &pace_plan::start, "Seconds since the epoch.")
      .def_readonly("target_date", &pace_plan::target, "Seconds since the epoch.")
      .def_readonly("goals", &pace_plan::goals)
      .def_readonly("rate", &pace_plan::expected_rate,
                    "Expected competencies per day (None: calendar or linear).")
      .def_readonly("calendar", &pace_plan::calendar)
      .def_readonly("include_prerequisites", &pace_plan::include_prerequisites)
      .def_readonly("recent_days", &pace_plan::recent_days)
      .def_readonly("tolerance", &pace_plan::tolerance)
      .def(
          "expected_done",
          [](const pace_plan& p, std::size_t total, const py::object& t) {
            return expected_done(p, total, to_seconds(t));
          },
          py::arg("total"), py::arg("when"),
          "Expected count done at a time, for a plan of ``total`` competencies.")
      .def("__repr__", [](const pace_plan& p) {
        return "<PacePlan " + format_time(p.start) + " -> " + format_time(p.target) + ", " +
               std::to_string(p.goals.size()) + " goals>";
      });

  m.def(
      "_pacing",
      [](const progression& p, const pace_plan& plan, const py::object& st, const py::object& sc,
         const py::object& le, const py::object& as_of, const py::object& today) {
        view_args a(p, st, sc, le, as_of);
        std::optional<double> t;
        if (!today.is_none()) t = to_seconds(today);
        return pace_dict(p.framework(), pacing(p, a.v, plan, t));
      },
      py::arg("progression"), py::arg("plan"), py::arg("statuses"), py::arg("scores") = py::none(),
      py::arg("last_evidence") = py::none(), py::arg("as_of") = py::none(),
      py::arg("today") = py::none());
  m.def(
      "_to_seconds", [](const py::object& t) { return to_seconds(t); }, py::arg("time"));
}

}  // namespace masterymap::python
