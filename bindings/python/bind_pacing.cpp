// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <cmath>
#include <masterymap/evidence.hpp>
#include <masterymap/pacing.hpp>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progression_py.hpp"

namespace masterymap::python {

namespace {

using py_pace = named<pace_report>;

py::object finish_date(const pace_report& r) {
  return r.projected_finish && std::isfinite(*r.projected_finish)
             ? py::object(py::str(format_time(*r.projected_finish)))
             : py::object(py::none());
}

py::tuple plan_state(const pace_plan& p) {
  return py::make_tuple(p.start, p.target, p.goals, p.include_prerequisites, p.expected_rate,
                        p.calendar, p.recent_days, p.tolerance);
}

pace_plan plan_from_state(const py::tuple& t) {
  if (t.size() != 8) throw py::value_error("not the state of a pickled PacePlan");
  pace_plan p;
  p.start = t[0].cast<double>();
  p.target = t[1].cast<double>();
  p.goals = t[2].cast<std::vector<std::string>>();
  p.include_prerequisites = t[3].cast<bool>();
  p.expected_rate = t[4].cast<std::optional<double>>();
  p.calendar = t[5].cast<std::vector<std::pair<double, double>>>();
  p.recent_days = t[6].cast<double>();
  p.tolerance = t[7].cast<double>();
  return p;
}

py::tuple report_state(const pace_report& r) {
  return py::make_tuple(static_cast<int>(r.status), r.today, r.total, r.done, r.expected,
                        r.complete, r.expected_rate, r.actual_rate, r.acceleration, r.needed_rate,
                        r.projected_finish, r.days_ahead, r.remaining);
}

py_pace report_from_state(const py::tuple& t, const py::handle& fw) {
  if (t.size() != 13) throw py::value_error("not the state of a pickled PaceReport");
  pace_report r;
  const int st = t[0].cast<int>();
  if (st < 0 || st > static_cast<int>(pace_status::ahead))
    throw py::value_error("pace status code " + std::to_string(st) + " out of range");
  r.status = static_cast<pace_status>(st);
  r.today = t[1].cast<double>();
  r.total = t[2].cast<std::size_t>();
  r.done = t[3].cast<std::size_t>();
  r.expected = t[4].cast<double>();
  r.complete = t[5].cast<bool>();
  r.expected_rate = t[6].cast<double>();
  r.actual_rate = t[7].cast<double>();
  r.acceleration = t[8].cast<double>();
  r.needed_rate = t[9].cast<double>();
  r.projected_finish = t[10].cast<std::optional<double>>();
  r.days_ahead = t[11].cast<double>();
  r.remaining = t[12].cast<std::vector<index_t>>();
  framework f = result_framework(fw, r.remaining);
  return py_pace{std::move(r), std::move(f)};
}

}  // namespace

void bind_pacing(py::module_& m) {
  py::class_<pace_plan> plan_cls(m, "PacePlan", R"pbdoc(
A pacing plan: which competencies to finish, from ``start``, by ``target_date``, at what pace.

Times (``start``, ``target_date``, calendar dates, ``today``) are any time, like evidence
times: seconds since the epoch, ISO 8601 strings ("2024-09-01"), datetimes (naive = UTC),
dates (midnight UTC), pandas Timestamps or numpy datetime64 (TypeError for another type,
ParseError for a text that is not a time). The attributes give them back as float seconds
since the epoch; ``repr`` prints them as dates.
The pace is ``rate`` competencies per ``per`` ("day" or "week"), or a ``calendar`` of
``(date, cumulative count)`` milestones, or (neither) linear from start to target.

:param goals: a competency id or a list of ids.
:param include_prerequisites: also count the goals' gating prerequisites (transitively).
:param recent_days: the learner's recent rate counts what was done in this many days.
:param tolerance: on track while ``|done - expected| <= max(0.5, tolerance * expected)``.
:raises ValueError: when the plan is made: a target not after the start, a rate that is not
    positive, calendar dates not increasing, ``recent_days <= 0``, ``tolerance < 0``.

``state.pacing(plan)`` returns a :class:`PaceReport`: status (``on_track``/``behind``/``ahead``),
done, expected, total, expected_rate, actual_rate, acceleration (1.5 for a learner going 1.5x
the expected pace), needed_rate, projected_finish (seconds since the epoch) and
projected_finish_date (ISO 8601),
days_ahead, remaining, today. Rates are per day.

Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  plan_cls
      .def(py::init([](const py::object& start, const py::object& target_date,
                       const py::object& goals, const py::object& rate, const std::string& per,
                       const py::object& calendar, bool include_prerequisites, double recent_days,
                       double tolerance) {
             pace_plan p;
             p.start = to_seconds(start, "start");
             p.target = to_seconds(target_date, "target_date");
             if (py::isinstance<py::str>(goals))
               p.goals.push_back(goals.cast<std::string>());
             else
               p.goals = cast_arg<std::vector<std::string>>(
                   goals, "goals", "a competency id (str) or a list of ids");
             double unit = 1.0;
             if (per == "week")
               unit = 7.0;
             else if (per != "day")
               throw py::value_error("per must be 'day' or 'week', not '" + per + "'");
             if (!rate.is_none())
               p.expected_rate =
                   cast_arg<double>(rate, "rate", "None or a number of competencies per `per`") /
                   unit;
             if (!calendar.is_none()) {
               if (!py::isinstance<py::iterable>(calendar) || py::isinstance<py::str>(calendar))
                 throw argument_error("calendar", "a list of (date, cumulative count) pairs",
                                      calendar);
               for (auto item : calendar) {
                 const std::string at = "calendar[" + std::to_string(p.calendar.size()) + "]";
                 if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) ||
                     py::len(item) != 2)
                   throw argument_error(at, "a (date, cumulative count) pair", item);
                 auto pair = py::reinterpret_borrow<py::sequence>(item);
                 p.calendar.emplace_back(to_seconds(pair[0], "calendar"),
                                         cast_arg<double>(pair[1], at + "[1]", "a number"));
               }
             }
             p.include_prerequisites = include_prerequisites;
             p.recent_days = recent_days;
             p.tolerance = tolerance;
             if (!(p.target > p.start))
               throw py::value_error("PacePlan: the target date (" + format_time(p.target) +
                                     ") must come after the start (" + format_time(p.start) + ")");
             validate(p);
             return p;
           }),
           py::arg("start"), py::arg("target_date"), py::arg("goals"), py::arg("rate") = py::none(),
           py::arg("per") = "day", py::arg("calendar") = py::none(),
           py::arg("include_prerequisites") = false, py::arg("recent_days") = 28.0,
           py::arg("tolerance") = 0.1)
      .def_readonly("start", &pace_plan::start, "Seconds since the epoch (float).")
      .def_readonly("target_date", &pace_plan::target, "Seconds since the epoch (float).")
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
            return expected_done(p, total, to_seconds(t, "when"));
          },
          py::arg("total"), py::arg("when"),
          "Expected count done at a time, for a plan of ``total`` competencies.")
      .def("__repr__", [](const pace_plan& p) {
        return "<PacePlan " + format_time(p.start) + " -> " + format_time(p.target) + ", " +
               std::to_string(p.goals.size()) + " goals>";
      });
  def_equality(plan_cls);
  def_copy(plan_cls);
  plan_cls.def(py::pickle(&plan_state, &plan_from_state)).def("__hash__", [](const pace_plan& p) {
    return frozen_hash(plan_state(p));
  });

  py::class_<py_pace> report(m, "PaceReport", R"pbdoc(
A learner against a :class:`PacePlan` (:meth:`LearnerState.pacing`): ``status``
(``on_track``, ``behind``, ``ahead``), ``done`` of ``total`` with ``expected`` done by
``today`` (seconds since the epoch), ``complete``; rates per day: ``expected_rate``, ``actual_rate`` (recent),
``acceleration`` (actual / expected), ``needed_rate`` (to finish on time; NaN once the target
has passed with work left); ``projected_finish`` (seconds since the epoch, None at rate 0)
and ``projected_finish_date`` (the same time as ISO 8601 UTC text), ``days_ahead`` (negative: behind), ``remaining`` (ids
not done, in learning order).

Times are float seconds since the Unix epoch, in the attributes and in ``to_dict()`` (JSON-ready);
``Roster.pacing`` gives ``projected_finish`` as a ``datetime64[ns, UTC]`` column.
)pbdoc");
  report.def_property_readonly("status", [](const py_pace& r) { return to_string(r.value.status); })
      .def_property_readonly("done", [](const py_pace& r) { return r.value.done; })
      .def_property_readonly("expected", [](const py_pace& r) { return r.value.expected; })
      .def_property_readonly("total", [](const py_pace& r) { return r.value.total; })
      .def_property_readonly("complete", [](const py_pace& r) { return r.value.complete; })
      .def_property_readonly("expected_rate",
                             [](const py_pace& r) { return r.value.expected_rate; })
      .def_property_readonly("actual_rate", [](const py_pace& r) { return r.value.actual_rate; })
      .def_property_readonly("acceleration", [](const py_pace& r) { return r.value.acceleration; })
      .def_property_readonly("needed_rate", [](const py_pace& r) { return r.value.needed_rate; })
      .def_property_readonly("projected_finish",
                             [](const py_pace& r) { return r.value.projected_finish; })
      .def_property_readonly("projected_finish_date",
                             [](const py_pace& r) { return finish_date(r.value); })
      .def_property_readonly("days_ahead", [](const py_pace& r) { return r.value.days_ahead; })
      .def_property_readonly("remaining",
                             [](const py_pace& r) { return id_list(r.fw, r.value.remaining); })
      .def_property_readonly("today", [](const py_pace& r) { return r.value.today; });
  add_result_methods(report, "PaceReport",
                     {"status", "today", "total", "done", "expected", "complete", "expected_rate",
                      "actual_rate", "acceleration", "needed_rate", "projected_finish",
                      "projected_finish_date", "days_ahead", "remaining"},
                     {"status", "done", "total", "expected", "acceleration", "days_ahead",
                      "projected_finish_date"},
                     &report_state, &report_from_state);

  m.def(
      "_pacing",
      [](const progression& p, const pace_plan& plan, const py::object& st, const py::object& sc,
         const py::object& le, const py::object& as_of, const py::object& today) {
        view_args a(p, st, sc, le, as_of);
        std::optional<double> t;
        if (!today.is_none()) t = to_seconds(today, "today");
        return py_pace{pacing(p, a.v, plan, t), p.framework()};
      },
      py::arg("progression"), py::arg("plan"), py::arg("statuses"), py::arg("scores") = py::none(),
      py::arg("last_evidence") = py::none(), py::arg("as_of") = py::none(),
      py::arg("today") = py::none());

  // LearnerState.pacing (the class is defined in bind_engine).
  py::class_<py_state>(m.attr("LearnerState"))
      .def(
          "pacing",
          [](const py_state& s, const pace_plan& plan, const py::object& today) {
            std::optional<double> t;
            if (!today.is_none()) t = to_seconds(today, "today");
            const progression& p = s.st.progression();
            const std::vector<double> last = [&] {
              const read_lock lock(&s.evidence(), "EvidenceLog");
              return last_evidence_times(s.st, s.evidence());
            }();
            learner_view v = view_of(s.st);
            v.last_evidence = last.data();
            return py_pace{pacing(p, v, plan, t), p.framework()};
          },
          py::arg("plan"), py::arg("today") = py::none(),
          R"pbdoc(This learner against a :class:`PacePlan`: a :class:`PaceReport` (``today``
defaults to the evaluation time; seconds since the epoch, an ISO 8601 string, a datetime (naive
= UTC), a date, a pandas Timestamp or a numpy datetime64).

status, done, expected, total, complete, expected_rate, actual_rate, acceleration,
needed_rate, projected_finish, projected_finish_date, days_ahead, remaining, today; rates are
per day.)pbdoc");
}

}  // namespace masterymap::python
