// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The result types of progression queries (Blocker, Gap, LearningPath, Recommendation,
// DomainLevel): attributes, reprs, equality, to_dict and pickling.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <masterymap/progression.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progression_py.hpp"

namespace masterymap::python {
namespace {

py::object opt_int(const std::optional<int>& x) {
  return x ? py::object(py::int_(*x)) : py::object(py::none());
}

// --- pickled results: each C++ record's fields as a tuple --------------------------------------

status status_code(const py::handle& code) {
  const int c = code.cast<int>();
  if (c < 0 || c > static_cast<int>(status::inferred))
    throw py::value_error("status code " + std::to_string(c) + " out of range");
  return static_cast<status>(c);
}

void append(std::vector<index_t>& to, const std::vector<index_t>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

py::tuple blocker_state(const blocker& b) {
  return py::make_tuple(b.competency, b.id, static_cast<int>(b.status), b.score, b.needed,
                        b.needed_level, b.blocks, b.ready, b.distance);
}

blocker blocker_from(const py::tuple& t) {
  if (t.size() != 9) throw py::value_error("not the state of a pickled Blocker");
  blocker b;
  b.competency = t[0].cast<index_t>();
  b.id = t[1].cast<std::string>();
  b.status = status_code(t[2]);
  b.score = t[3].cast<std::optional<double>>();
  b.needed = t[4].cast<std::string>();
  b.needed_level = t[5].cast<std::optional<double>>();
  b.blocks = t[6].cast<std::vector<index_t>>();
  b.ready = t[7].cast<bool>();
  b.distance = t[8].cast<std::uint32_t>();
  return b;
}

py_blocker blocker_from_state(const py::tuple& t, const py::handle& fw) {
  blocker b = blocker_from(t);
  std::vector<index_t> used{b.competency};
  append(used, b.blocks);
  framework f = result_framework(fw, used);
  return py_blocker{std::move(b), std::move(f)};
}

py::tuple gap_state(const gap& g) {
  return py::make_tuple(g.competency, g.id, static_cast<int>(g.status), g.score, g.domain, g.level,
                        g.undermines, g.ready);
}

py_gap gap_from_state(const py::tuple& t, const py::handle& fw) {
  if (t.size() != 8) throw py::value_error("not the state of a pickled Gap");
  gap g;
  g.competency = t[0].cast<index_t>();
  g.id = t[1].cast<std::string>();
  g.status = status_code(t[2]);
  g.score = t[3].cast<std::optional<double>>();
  g.domain = t[4].cast<std::string>();
  g.level = t[5].cast<std::optional<int>>();
  g.undermines = t[6].cast<std::vector<index_t>>();
  g.ready = t[7].cast<bool>();
  std::vector<index_t> used{g.competency};
  append(used, g.undermines);
  framework f = result_framework(fw, used);
  return py_gap{std::move(g), std::move(f)};
}

py::tuple path_state(const learning_path& p) {
  py::list steps;
  for (const auto& b : p.steps) steps.append(blocker_state(b));
  return py::make_tuple(p.goals, steps, p.days);
}

py_path path_from_state(const py::tuple& t, const py::handle& fw) {
  if (t.size() != 3) throw py::value_error("not the state of a pickled LearningPath");
  learning_path p;
  p.goals = t[0].cast<std::vector<index_t>>();
  std::vector<index_t> used = p.goals;
  for (auto h : t[1].cast<py::list>()) {
    p.steps.push_back(blocker_from(h.cast<py::tuple>()));
    used.push_back(p.steps.back().competency);
    append(used, p.steps.back().blocks);
  }
  p.days = t[2].cast<std::optional<double>>();
  framework f = result_framework(fw, used);
  return py_path{std::move(p), std::move(f)};
}

py::tuple recommendation_state(const recommendation& r) {
  return py::make_tuple(r.competency, r.id, r.score, r.unlocks, r.repairs, r.goal_distance, r.level,
                        r.days_since_evidence, static_cast<int>(r.status), r.reasons);
}

py_recommendation recommendation_from_state(const py::tuple& t, const py::handle& fw) {
  if (t.size() != 10) throw py::value_error("not the state of a pickled Recommendation");
  recommendation r;
  r.competency = t[0].cast<index_t>();
  r.id = t[1].cast<std::string>();
  r.score = t[2].cast<double>();
  r.unlocks = t[3].cast<std::vector<index_t>>();
  r.repairs = t[4].cast<std::vector<index_t>>();
  r.goal_distance = t[5].cast<std::optional<std::uint32_t>>();
  r.level = t[6].cast<std::optional<int>>();
  r.days_since_evidence = t[7].cast<std::optional<double>>();
  r.status = status_code(t[8]);
  r.reasons = t[9].cast<std::vector<std::string>>();
  std::vector<index_t> used{r.competency};
  append(used, r.unlocks);
  append(used, r.repairs);
  framework f = result_framework(fw, used);
  return py_recommendation{std::move(r), std::move(f)};
}

py::tuple level_state(const domain_level& l) {
  return py::make_tuple(l.domain, l.levels, l.level, l.next_level, l.next_done, l.next_total,
                        l.next_progress, l.next_remaining, l.gaps, l.gap_levels);
}

py_level level_from_state(const py::tuple& t, const py::handle& fw) {
  if (t.size() != 10) throw py::value_error("not the state of a pickled DomainLevel");
  domain_level l;
  l.domain = t[0].cast<std::string>();
  l.levels = t[1].cast<std::vector<int>>();
  l.level = t[2].cast<std::optional<int>>();
  l.next_level = t[3].cast<std::optional<int>>();
  l.next_done = t[4].cast<std::size_t>();
  l.next_total = t[5].cast<std::size_t>();
  l.next_progress = t[6].cast<double>();
  l.next_remaining = t[7].cast<std::vector<index_t>>();
  l.gaps = t[8].cast<std::vector<index_t>>();
  l.gap_levels = t[9].cast<std::vector<int>>();
  std::vector<index_t> used = l.next_remaining;
  append(used, l.gaps);
  framework f = result_framework(fw, used);
  return py_level{std::move(l), std::move(f)};
}

}  // namespace

void bind_progression_results(py::module_& m) {
  // ---- result types --------------------------------------------------------------------------
  py::class_<py_blocker> blocker_cls(m, "Blocker", R"pbdoc(
An unmet prerequisite (:meth:`LearnerState.blocked_by`, :meth:`LearnerState.blockers`), or a
step of a :class:`LearningPath`.

``needed`` is the level it must reach (``"mastered"``, ``"started"`` or a rating label such as
``"Developing"``), ``needed_level`` that level's value on the scale (None for mastered and
started); ``blocks`` the dependents it holds back; ``ready`` whether it can be started now;
``distance`` the steps from ready (0 when ready).
)pbdoc");
  blocker_cls.def_property_readonly("id", [](const py_blocker& b) { return b.value.id; })
      .def_property_readonly("status",
                             [](const py_blocker& b) { return to_string(b.value.status); })
      .def_property_readonly("score", [](const py_blocker& b) { return b.value.score; })
      .def_property_readonly("needed", [](const py_blocker& b) { return b.value.needed; })
      .def_property_readonly("needed_level",
                             [](const py_blocker& b) { return b.value.needed_level; })
      .def_property_readonly("blocks",
                             [](const py_blocker& b) { return id_list(b.fw, b.value.blocks); })
      .def_property_readonly("ready", [](const py_blocker& b) { return b.value.ready; })
      .def_property_readonly("distance", [](const py_blocker& b) { return b.value.distance; });
  add_result_methods(
      blocker_cls, "Blocker",
      {"id", "status", "score", "needed", "needed_level", "blocks", "ready", "distance"},
      {"id", "status", "needed", "distance", "ready", "blocks"}, &blocker_state,
      &blocker_from_state);

  py::class_<py_gap> gap_cls(m, "Gap", R"pbdoc(
A hole under done work (:meth:`LearnerState.gaps`): a gating prerequisite not met under
competencies that are done (mastered, exceeded, exempt). ``undermines`` lists those done
competencies (learning order); ``ready`` says it can be repaired right away. Unmet
prerequisites of work only in progress are not gaps: :meth:`LearnerState.blockers` lists them.
)pbdoc");
  gap_cls.def_property_readonly("id", [](const py_gap& g) { return g.value.id; })
      .def_property_readonly("status", [](const py_gap& g) { return to_string(g.value.status); })
      .def_property_readonly("score", [](const py_gap& g) { return g.value.score; })
      .def_property_readonly("domain", [](const py_gap& g) { return g.value.domain; })
      .def_property_readonly("level", [](const py_gap& g) { return opt_int(g.value.level); })
      .def_property_readonly("undermines",
                             [](const py_gap& g) { return id_list(g.fw, g.value.undermines); })
      .def_property_readonly("ready", [](const py_gap& g) { return g.value.ready; });
  add_result_methods(gap_cls, "Gap",
                     {"id", "status", "score", "domain", "level", "undermines", "ready"},
                     {"id", "status", "undermines", "ready"}, &gap_state, &gap_from_state);

  py::class_<py_path> path_cls(m, "LearningPath", R"pbdoc(
An ordered plan to one or more goals (:meth:`LearnerState.path_to`): ``goals`` (those not done
yet), ``steps`` (:class:`Blocker` objects in a valid learning order, nearest-to-ready work
first), ``length`` (number of steps) and ``days`` (projected duration at the given rate, or
None). ``to_dict()`` gives the steps as dicts.
)pbdoc");
  path_cls
      .def_property_readonly("goals", [](const py_path& p) { return id_list(p.fw, p.value.goals); })
      .def_property_readonly(
          "steps",
          [](const py_path& p) { return wrap_all(p.fw, std::vector<blocker>(p.value.steps)); })
      .def_property_readonly("length", [](const py_path& p) { return p.value.length(); })
      .def_property_readonly("days", [](const py_path& p) { return p.value.days; })
      .def_property_readonly(
          "ids",
          [](const py_path& p) {
            py::list out(p.value.steps.size());
            for (std::size_t i = 0; i < p.value.steps.size(); ++i)
              out[i] = py::str(p.value.steps[i].id);
            return out;
          },
          "The ids of the steps, in order.")
      .def("__len__", [](const py_path& p) { return p.value.length(); });
  add_result_methods(path_cls, "LearningPath", {"goals", "steps", "length", "days"},
                     {"goals", "length", "days", "ids"}, &path_state, &path_from_state);

  py::class_<py_recommendation> rec_cls(m, "Recommendation", R"pbdoc(
One ranked pick of :meth:`LearnerState.recommend`: ``score`` and the ``reasons`` behind it, the
competencies it ``unlocks`` (would bring onto the frontier) and ``repairs`` (when it is a gap:
the done competencies it undermines), ``goal_distance`` (links to the nearest goal),
``level``, ``days_since_evidence`` and ``status``.
)pbdoc");
  rec_cls.def_property_readonly("id", [](const py_recommendation& r) { return r.value.id; })
      .def_property_readonly("score", [](const py_recommendation& r) { return r.value.score; })
      .def_property_readonly("status",
                             [](const py_recommendation& r) { return to_string(r.value.status); })
      .def_property_readonly("reasons", [](const py_recommendation& r) { return r.value.reasons; })
      .def_property_readonly(
          "unlocks", [](const py_recommendation& r) { return id_list(r.fw, r.value.unlocks); })
      .def_property_readonly(
          "repairs", [](const py_recommendation& r) { return id_list(r.fw, r.value.repairs); })
      .def_property_readonly("goal_distance",
                             [](const py_recommendation& r) { return r.value.goal_distance; })
      .def_property_readonly("level",
                             [](const py_recommendation& r) { return opt_int(r.value.level); })
      .def_property_readonly("days_since_evidence", [](const py_recommendation& r) {
        return r.value.days_since_evidence;
      });
  add_result_methods(rec_cls, "Recommendation",
                     {"id", "score", "status", "reasons", "unlocks", "repairs", "goal_distance",
                      "level", "days_since_evidence"},
                     {"id", "score", "reasons"}, &recommendation_state, &recommendation_from_state);

  py::class_<py_level> level_cls(m, "DomainLevel", R"pbdoc(
Where a learner stands in one domain of a learning map (:meth:`LearnerState.level`): ``level``
is the highest level whose competencies are all done (None: none), ``levels`` the domain's
levels; ``next_level`` with ``next_done`` of ``next_total`` done (``next_progress``) and
``next_remaining``; ``gaps`` are not done below ``level`` (at ``gap_levels``).
)pbdoc");
  level_cls.def_property_readonly("domain", [](const py_level& l) { return l.value.domain; })
      .def_property_readonly("level", [](const py_level& l) { return opt_int(l.value.level); })
      .def_property_readonly("levels", [](const py_level& l) { return l.value.levels; })
      .def_property_readonly("next_level",
                             [](const py_level& l) { return opt_int(l.value.next_level); })
      .def_property_readonly("next_done", [](const py_level& l) { return l.value.next_done; })
      .def_property_readonly("next_total", [](const py_level& l) { return l.value.next_total; })
      .def_property_readonly("next_progress",
                             [](const py_level& l) { return l.value.next_progress; })
      .def_property_readonly(
          "next_remaining", [](const py_level& l) { return id_list(l.fw, l.value.next_remaining); })
      .def_property_readonly("gaps", [](const py_level& l) { return id_list(l.fw, l.value.gaps); })
      .def_property_readonly("gap_levels", [](const py_level& l) { return l.value.gap_levels; });
  add_result_methods(level_cls, "DomainLevel",
                     {"domain", "level", "levels", "next_level", "next_done", "next_total",
                      "next_progress", "next_remaining", "gaps", "gap_levels"},
                     {"domain", "level", "next_level", "next_done", "next_total", "gaps"},
                     &level_state, &level_from_state);
}

}  // namespace masterymap::python
