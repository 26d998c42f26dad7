// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
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

view_args::view_args(const progression& p, const py::object& statuses, const py::object& scores,
                     const py::object& last_evidence, const py::object& as_of) {
  st = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(statuses);
  if (!st) throw argument_error("statuses", "an array of status codes", statuses);
  if (static_cast<std::size_t>(st.size()) != p.size())
    throw py::value_error("statuses: expected " + std::to_string(p.size()) + " status codes");
  v.statuses = reinterpret_cast<const status*>(st.data());
  v.size = p.size();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (st.data()[i] > static_cast<std::uint8_t>(status::inferred))
      throw py::value_error("statuses: bad status code");
  if (!scores.is_none()) {
    sc = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(scores);
    if (!sc) throw argument_error("scores", "None or an array of numbers", scores);
    if (static_cast<std::size_t>(sc.size()) != p.size())
      throw py::value_error("scores: wrong length");
    v.scores = sc.data();
  }
  if (!last_evidence.is_none()) {
    if (!py::hasattr(last_evidence, "__len__") || py::isinstance<py::str>(last_evidence))
      throw argument_error("last_evidence", "None or an array of times", last_evidence);
    // Times of any form (datetime64, datetimes, ISO strings) through the one column conversion;
    // a float64 array as is.
    const bool seconds =
        py::isinstance<py::array>(last_evidence) &&
        py::array(py::reinterpret_borrow<py::array>(last_evidence)).dtype().kind() == 'f';
    le = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
        seconds ? last_evidence
                : call_python("masterymap._columns", "seconds", last_evidence, "last_evidence"));
    if (!le) throw argument_error("last_evidence", "None or an array of times", last_evidence);
    if (static_cast<std::size_t>(le.size()) != p.size())
      throw py::value_error("last_evidence: wrong length");
    v.last_evidence = le.data();
  }
  if (!as_of.is_none()) v.as_of = to_seconds(as_of, "as_of");
}

py::object opt_score(const std::optional<double>& x) {
  return x ? py::object(py::float_(*x)) : py::object(py::none());
}

py::list id_list(const framework& fw, const std::vector<index_t>& v) {
  py::list out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = py::str(fw.id_of(v[i]));
  return out;
}

py::dict fields_dict(const py::handle& self, const std::vector<const char*>& keys) {
  py::dict d;
  for (const char* k : keys) {
    py::object x = self.attr(k);
    if (py::isinstance<py::list>(x) && py::len(x) > 0 && py::hasattr(x[py::int_(0)], "to_dict")) {
      py::list items;
      for (auto item : x) items.append(item.attr("to_dict")());
      x = items;
    }
    d[k] = x;
  }
  return d;
}

std::string fields_repr(const py::handle& self, const char* type,
                        const std::vector<const char*>& keys) {
  std::string out = std::string(type) + "(";
  bool first = true;
  for (const char* k : keys) {
    py::object x = self.attr(k);
    if (py::isinstance<py::float_>(x) && std::isfinite(x.cast<double>()))
      x = py::module_::import("builtins").attr("round")(x, 4);
    std::string text;
    // A long list (a path to a grade-8 goal has 100+ ids) would drown the repr: its first few
    // items and the count; the attribute has them all.
    constexpr std::size_t shown = 8;
    if (py::isinstance<py::list>(x) && py::len(x) > shown) {
      const auto items = x.cast<py::list>();
      text = "[";
      for (std::size_t i = 0; i < shown; ++i)
        text += (i ? ", " : "") + py::repr(items[i]).cast<std::string>();
      text += ", ... (" + std::to_string(py::len(x)) + " in all)]";
    } else {
      text = py::repr(x).cast<std::string>();
    }
    // A status printed next to a score says what awaiting_confirmation is.
    if (std::string_view(k) == "status" && py::isinstance<py::str>(x) &&
        x.cast<std::string>() == to_string(status::awaiting_confirmation))
      text += std::string(" (") + status_text(status::awaiting_confirmation) + ")";
    out += (first ? "" : ", ") + std::string(k) + "=" + text;
    first = false;
  }
  return out + ")";
}

bool fields_equal(const py::handle& a, const py::handle& b, const std::vector<const char*>& keys) {
  for (const char* k : keys) {
    py::object x = a.attr(k), y = b.attr(k);
    if (py::isinstance<py::float_>(x) && py::isinstance<py::float_>(y) &&
        std::isnan(x.cast<double>()) && std::isnan(y.cast<double>()))
      continue;
    if (!x.equal(y)) return false;
  }
  return true;
}

py::object framework_object(const framework& fw) {
  return shared_python(&fw.competencies(), [&fw] { return py::cast(fw); });
}

framework result_framework(const py::handle& fw, const std::vector<index_t>& indices) {
  framework f = fw.cast<framework>();
  for (index_t i : indices)
    if (i >= f.size())
      throw py::value_error("a pickled result names competency index " + std::to_string(i) +
                            " of a framework of " + std::to_string(f.size()));
  return f;
}

namespace {

using py_blocker = named<blocker>;
using py_gap = named<gap>;
using py_path = named<learning_path>;
using py_recommendation = named<recommendation>;
using py_level = named<domain_level>;

// One id or framework index, or a sequence of them (ids and indices may mix); `what` names the
// parameter in errors.
std::vector<index_t> indices(const framework& fw, const py::object& ids,
                             const std::string& what = "goals") {
  std::vector<index_t> out;
  if (ids.is_none()) return out;
  // bytes are no list of ids (each byte would be read as an index)
  if (py::isinstance<py::str>(ids) || PyBytes_Check(ids.ptr()) || PyByteArray_Check(ids.ptr()) ||
      !py::isinstance<py::iterable>(ids))
    return {resolve(fw, ids, what)};
  for (auto h : ids) out.push_back(resolve(fw, h, what + "[" + std::to_string(out.size()) + "]"));
  return out;
}

/// Each result with the framework, as a Python list.
template <typename T>
py::list wrap_all(const framework& fw, std::vector<T>&& xs) {
  py::list out(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) out[i] = py::cast(named<T>{std::move(xs[i]), fw});
  return out;
}

py::object opt_int(const std::optional<int>& x) {
  return x ? py::object(py::int_(*x)) : py::object(py::none());
}

/// recommend's options from its keyword weights (unknown names: TypeError).
recommend_options weights_of(const framework& fw, const py::object& goals, const py::kwargs& kw) {
  recommend_options o;
  o.goals = indices(fw, goals);
  for (auto item : kw) {
    const std::string k = py::str(item.first);
    const auto x = cast_arg<double>(item.second, k, "a number");
    if (k == "unlock_weight")
      o.unlock_weight = x;
    else if (k == "goal_weight")
      o.goal_weight = x;
    else if (k == "level_weight")
      o.level_weight = x;
    else if (k == "recency_weight")
      o.recency_weight = x;
    else if (k == "gap_weight")
      o.gap_weight = x;
    else if (k == "recency_days")
      o.recency_days = x;
    else
      throw py::type_error("recommend() got an unexpected keyword argument '" + k + "'");
  }
  return o;
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

/// A rate in competencies per `per` ("day" or "week") as per day; None stays None.
std::optional<double> rate_per_day(const py::object& rate, const std::string& per) {
  if (rate.is_none()) return std::nullopt;
  if (per != "day" && per != "week") throw py::value_error("per must be 'day' or 'week'");
  return cast_arg<double>(rate, "rate", "None or a number of competencies per day or week") /
         (per == "week" ? 7.0 : 1.0);
}

}  // namespace

void bind_progression(py::module_& m) {
  // --- result types --------------------------------------------------------------------------
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

  // --- Progression ---------------------------------------------------------------------------
  py::class_<progression> progression_cls(m, "Progression", R"pbdoc(
A framework's prerequisite graph compiled for progression queries under a policy's scale.

Gating: a ``required`` prerequisite is met when it is done (mastered, exceeded or exempt); a
``familiar`` one when it is done or its score reaches the edge's lower level (its
``min_level``, else the scale's lowest rating above the bottom when that lies below mastery —
``Developing`` on the four-point scale — else any evidence: "started"). ``recommended`` never
gates; it only orders paths.

Learning targets: a parent with a rollup in the policy is not a learning target (it is done
when its rollup holds): ``frontier``, ``recommend`` and the steps of ``path_to`` never list it
(``rollups`` gives each rollup parent with its parts; ``is_learning_target`` asks one).

Usually reached through :class:`LearnerState` (``st.frontier()``, ...) and :class:`Roster`.
The methods here take one learner's dense columns: ``statuses`` (uint8 codes indexing
:data:`STATUSES`), ``scores`` (float, NaN = none), optionally ``last_evidence`` (seconds) and
``as_of``; results name competencies by id.

Immutable: compares by its framework, scale and rollup parents, hashes, copies and pickles
(compiled again when unpickled).
)pbdoc");
  progression_cls.def(py::init<framework, const policy&>(), py::arg("framework"), py::arg("policy"))
      .def_property_readonly("framework", &progression::framework)
      .def("__len__", &progression::size)
      .def(
          "is_learning_target",
          [](const progression& p, const py::object& id) {
            return p.is_learning_target(indices(p.framework(), id, "id").at(0));
          },
          py::arg("id"), "Whether ``id`` is a learning target (not a parent with a rollup).")
      .def(
          "rollups",
          [](const progression& p) {
            py::dict out;
            for (const auto& [parent, parts] : p.rollups())
              out[py::str(p.framework().id_of(parent))] = id_list(p.framework(), parts);
            return out;
          },
          "The rollup parents, each with its parts (the competencies its rollup reads), as a dict "
          "of id to list of ids, in framework order.")
      .def(
          "frontier",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            std::vector<index_t> f;
            {
              py::gil_scoped_release r;
              f = p.frontier(a.v);
            }
            return id_list(p.framework(), f);
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "Ready to learn: not done, every gating prerequisite met (framework order).")
      .def(
          "inner_fringe",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            return id_list(p.framework(), p.inner_fringe(a.v));
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "Recently learned: done, and no gating dependent done yet.")
      .def(
          "blocked_by",
          [](const progression& p, const py::object& id, const py::object& st,
             const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            const index_t t = indices(p.framework(), id, "id").at(0);
            std::vector<blocker> bs;
            {
              py::gil_scoped_release r;
              bs = p.blocked_by(a.v, t);
            }
            return wrap_all(p.framework(), std::move(bs));
          },
          py::arg("id"), py::arg("statuses"), py::arg("scores") = py::none(),
          "The unmet prerequisites of ``id``, transitively, in learning order (Blockers).")
      .def(
          "gaps",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            std::vector<gap> gs;
            {
              py::gil_scoped_release r;
              gs = p.gaps(a.v);
            }
            return wrap_all(p.framework(), std::move(gs));
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "Gating prerequisites not met under done work, most undermining first (Gaps).")
      .def(
          "blockers",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            std::vector<blocker> bs;
            {
              py::gil_scoped_release r;
              bs = p.blockers(a.v);
            }
            return wrap_all(p.framework(), std::move(bs));
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "What blocks current work: the unmet prerequisites, transitively, of every competency "
          "in progress (evidence, not done), in learning order (Blockers).")
      .def(
          "path_to",
          [](const progression& p, const py::object& goals, const py::object& st,
             const py::object& sc, std::optional<double> rate) {
            view_args a(p, st, sc, py::none(), py::none());
            const auto g = indices(p.framework(), goals);
            learning_path lp;
            {
              py::gil_scoped_release r;
              lp = p.path_to(a.v, g, rate);
            }
            return py_path{std::move(lp), p.framework()};
          },
          py::arg("goals"), py::arg("statuses"), py::arg("scores") = py::none(),
          py::arg("rate_per_day") = py::none(), "An ordered plan to the goals (a LearningPath).")
      .def(
          "recommend",
          [](const progression& p, std::size_t k, const py::object& st, const py::object& sc,
             const py::object& le, const py::object& as_of, const py::object& goals,
             double unlock_weight, double goal_weight, double level_weight, double recency_weight,
             double gap_weight, double recency_days) {
            view_args a(p, st, sc, le, as_of);
            recommend_options o;
            o.goals = indices(p.framework(), goals);
            o.unlock_weight = unlock_weight;
            o.goal_weight = goal_weight;
            o.level_weight = level_weight;
            o.recency_weight = recency_weight;
            o.gap_weight = gap_weight;
            o.recency_days = recency_days;
            std::vector<recommendation> rs;
            {
              py::gil_scoped_release r;
              rs = p.recommend(a.v, k, o);
            }
            return wrap_all(p.framework(), std::move(rs));
          },
          py::arg("k"), py::arg("statuses"), py::arg("scores") = py::none(),
          py::arg("last_evidence") = py::none(), py::arg("as_of") = py::none(),
          py::arg("goals") = py::none(), py::arg("unlock_weight") = 1.0,
          py::arg("goal_weight") = 2.0, py::arg("level_weight") = 1.0,
          py::arg("recency_weight") = 1.0, py::arg("gap_weight") = 1.0,
          py::arg("recency_days") = 14.0,
          R"pbdoc(The top ``k`` of the frontier as Recommendations (score and reasons).

score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
+ level_weight / (1 + |level - the learner's working level in its domain|)
+ recency_weight * exp(-days since the latest evidence / recency_days) (0.5 when started but
undated, 0 when not started) + gap_weight * done competencies it undermines. The working level
is the highest level with the learner's own evidence in the domain (an inferred status does
not count unless nothing else is leveled; else the highest in any domain); without leveled
evidence the level term is 1 / (1 + level - lowest frontier level). Work below the working
level with no evidence that leads to no goal (even a gap: mastery above it is evidence it is
known) is ranked after everything else,
with the reason "not yet evidenced, N levels below ...; consider a placement". Ties go to
learning order.)pbdoc")
      .def(
          "level",
          [](const progression& p, const std::string& domain, const py::object& st,
             const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            return py_level{p.level(a.v, domain), p.framework()};
          },
          py::arg("domain"), py::arg("statuses"), py::arg("scores") = py::none(),
          "The learner's level in a domain of a learning map (a DomainLevel).")
      .def(
          "levels",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            return wrap_all(p.framework(), p.levels(a.v));
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "``level`` for every leveled domain.")
      .def("attainment_label", &progression::attainment_label, py::arg("attainment"),
           "Text of an attainment (0 not started, 1 started, k + 2 at the k-th rating threshold, "
           "255 done): 'mastered', 'started', or a rating label.")
      .def("__repr__", [](const progression& p) {
        return "<Progression of " + std::to_string(p.size()) + " competencies>";
      });
  def_equality(progression_cls);
  def_copy(progression_cls);
  progression_cls
      .def(py::pickle(
          [](const progression& p) {
            return py::make_tuple(p.framework(), p.scale(), p.rollups());
          },
          [](const py::tuple& t) {
            if (t.size() != 3) throw py::value_error("not the state of a pickled Progression");
            try {
              return progression(
                  t[0].cast<framework>(), t[1].cast<scale>(),
                  t[2].cast<std::vector<std::pair<index_t, std::vector<index_t>>>>());
            } catch (const std::out_of_range& e) {
              throw py::value_error(std::string("a pickled Progression: ") + e.what());
            }
          }))
      .def("__hash__", [](const progression& p) {
        return framework_hash(p.framework()) ^
               static_cast<std::size_t>(py::hash(py::cast(p.scale())));
      });

  // --- LearnerState's progression methods (the class is defined in bind_engine) -------------
  // Each runs on the engine's cached Progression (compiled once per engine, on first use) and
  // the state's own columns; the GIL is held (Engine.update may change the state otherwise).
  py::class_<py_state> state(m.attr("LearnerState"));
  state
      .def_property_readonly(
          "progression", [](const py_state& s) { return s.st.progression(); },
          "The compiled :class:`Progression` these methods use (built once per engine, on first "
          "use, and shared by every state it evaluates).")
      .def(
          "last_evidence_times",
          [](const py_state& s) {
            const read_lock lock(&s.evidence(), "EvidenceLog");
            return move_numpy(last_evidence_times(s.st, s.evidence()));
          },
          "float64 array: the time of the latest evidence on each competency at or before the "
          "evaluation time (NaN = none).")
      .def(
          "frontier",
          [](const py_state& s) {
            const progression& p = s.st.progression();
            return id_list(p.framework(), p.frontier(view_of(s.st)));
          },
          R"pbdoc(Ready to learn: learning targets (never a parent with a rollup) not done
whose gating prerequisites are met (framework order).

``required`` prerequisites must be done (mastered, exceeded, exempt); ``familiar`` ones at
least at the edge's lower level (its ``min_level``, else the scale's lowest rating above the
bottom when below mastery, else any evidence); ``recommended`` ones never gate.)pbdoc")
      .def(
          "inner_fringe",
          [](const py_state& s) {
            const progression& p = s.st.progression();
            return id_list(p.framework(), p.inner_fringe(view_of(s.st)));
          },
          "Recently learned: done competencies none of whose gating dependents are done yet.")
      .def(
          "blocked_by",
          [](const py_state& s, const py::object& id) {
            const progression& p = s.st.progression();
            return wrap_all(p.framework(), p.blocked_by(view_of(s.st), resolve(s.st, id)));
          },
          py::arg("id"), R"pbdoc(Why ``id`` cannot be started: its unmet prerequisites,
transitively, in learning order, as :class:`Blocker` objects (id, status, score, needed,
needed_level, blocks, ready, distance). Empty when ``id`` is done or ready.)pbdoc")
      .def(
          "gaps",
          [](const py_state& s) {
            const progression& p = s.st.progression();
            return wrap_all(p.framework(), p.gaps(view_of(s.st)));
          },
          R"pbdoc(Holes under done work: gating prerequisites not met under competencies that
are done (mastered, exceeded, exempt), ranked by how much rests on them, as :class:`Gap`
objects (id, status, score, domain, level, undermines, ready). Unmet prerequisites of work only
in progress are not gaps: see :meth:`blockers`.)pbdoc")
      .def(
          "blockers",
          [](const py_state& s) {
            const progression& p = s.st.progression();
            return wrap_all(p.framework(), p.blockers(view_of(s.st)));
          },
          R"pbdoc(What blocks current work: the unmet gating prerequisites, transitively, of
every competency in progress (evidence but not done: in_progress, awaiting_confirmation,
expired), in learning order, as :class:`Blocker` objects; ``blocks`` names the work each holds
back. A prerequisite can be both a gap and a blocker.)pbdoc")
      .def(
          "path_to",
          [](const py_state& s, const py::object& goals, const py::object& rate,
             const std::string& per) {
            const progression& p = s.st.progression();
            const auto r = rate_per_day(rate, per);
            return py_path{p.path_to(view_of(s.st), indices(p.framework(), goals), r),
                           p.framework()};
          },
          py::arg("goals"), py::arg("rate") = py::none(), py::arg("per") = "day",
          R"pbdoc(An ordered plan to one or more goals: a :class:`LearningPath` (goals, steps,
length, days).

Steps are the goals not done and their unmet prerequisites (as :meth:`blocked_by`), in a valid
learning order that does the nearest-to-ready work first. Steps are learning targets: a parent
with a rollup (a goal or a prerequisite) is replaced by its parts not done. With ``rate`` competencies per
``per`` ("day" or "week"), ``days`` is the projected duration.)pbdoc")
      .def(
          "recommend",
          [](const py_state& s, std::size_t k, const py::object& goals, const py::kwargs& kw) {
            const progression& p = s.st.progression();
            const recommend_options o = weights_of(p.framework(), goals, kw);
            const std::vector<double> last = [&] {
              const read_lock lock(&s.evidence(), "EvidenceLog");
              return last_evidence_times(s.st, s.evidence());
            }();
            learner_view v = view_of(s.st);
            v.last_evidence = last.data();
            return wrap_all(p.framework(), p.recommend(v, k, o));
          },
          py::arg("k") = 5, py::arg("goals") = py::none(),
          R"pbdoc(The top ``k`` of the frontier as :class:`Recommendation` objects, each with
``score`` and ``reasons``.

score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
+ level_weight / (1 + |level - the learner's working level in its domain|)
+ recency_weight * exp(-days since the latest evidence / recency_days)
+ gap_weight * done competencies it undermines. The working level is the highest level with
the learner's own evidence in the domain (an inferred status does not count unless nothing
else is leveled; else the highest in any domain); without leveled evidence the level term is
1 / (1 + level - lowest frontier level), foundations first. Work below the working level with
no evidence that leads to no goal (even a gap without evidence) is ranked after everything
else with the
reason "not yet evidenced, N levels below the learner's working level (W) in D; consider a
placement". Rollup parents are never recommended. Defaults: weights 1, goal_weight 2,
recency_days 14 (keyword arguments unlock_weight, goal_weight, level_weight, recency_weight,
gap_weight, recency_days). Ties go to learning order.)pbdoc")
      .def(
          "level",
          [](const py_state& s, const std::string& domain) {
            const progression& p = s.st.progression();
            return py_level{p.level(view_of(s.st), domain), p.framework()};
          },
          py::arg("domain"), R"pbdoc(The learner's level in a domain of a learning map: a
:class:`DomainLevel` (domain, level (the highest level whose competencies are all done, or
None), levels, next_level, next_done, next_total, next_progress, next_remaining, gaps (not done
below the level), gap_levels).)pbdoc")
      .def(
          "levels",
          [](const py_state& s) {
            const progression& p = s.st.progression();
            return wrap_all(p.framework(), p.levels(view_of(s.st)));
          },
          ":meth:`level` for every domain with leveled competencies.");
}

}  // namespace masterymap::python
