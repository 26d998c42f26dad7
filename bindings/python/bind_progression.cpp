// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <masterymap/progression.hpp>

#include "bindings.hpp"
#include "progression_py.hpp"

namespace masterymap::python {

view_args::view_args(const progression& p, const py::object& statuses, const py::object& scores,
                     const py::object& last_evidence, const py::object& as_of) {
  st = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(statuses);
  if (!st || static_cast<std::size_t>(st.size()) != p.size())
    throw py::value_error("statuses: expected " + std::to_string(p.size()) + " status codes");
  v.statuses = reinterpret_cast<const status*>(st.data());
  v.size = p.size();
  for (std::size_t i = 0; i < p.size(); ++i)
    if (st.data()[i] > static_cast<std::uint8_t>(status::expired))
      throw py::value_error("statuses: bad status code");
  if (!scores.is_none()) {
    sc = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(scores);
    if (!sc || static_cast<std::size_t>(sc.size()) != p.size())
      throw py::value_error("scores: wrong length");
    v.scores = sc.data();
  }
  if (!last_evidence.is_none()) {
    le = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(last_evidence);
    if (!le || static_cast<std::size_t>(le.size()) != p.size())
      throw py::value_error("last_evidence: wrong length");
    v.last_evidence = le.data();
  }
  if (!as_of.is_none()) v.as_of = as_of.cast<double>();
}

py::object opt_score(const std::optional<double>& x) {
  return x ? py::object(py::float_(*x)) : py::object(py::none());
}

py::list id_list(const framework& fw, const std::vector<index_t>& v) {
  py::list out;
  for (index_t i : v) out.append(fw.id_of(i));
  return out;
}

py::dict blocker_dict(const framework& fw, const blocker& b) {
  py::dict d;
  d["id"] = b.id;
  d["status"] = to_string(b.status);
  d["score"] = opt_score(b.score);
  d["needed"] = b.needed;
  d["needed_level"] = opt_score(b.needed_level);
  d["blocks"] = id_list(fw, b.blocks);
  d["ready"] = b.ready;
  d["distance"] = b.distance;
  return d;
}

py::dict level_dict(const framework& fw, const domain_level& l) {
  py::dict d;
  d["domain"] = l.domain;
  d["level"] = l.level ? py::object(py::int_(*l.level)) : py::object(py::none());
  d["levels"] = l.levels;
  d["next_level"] = l.next_level ? py::object(py::int_(*l.next_level)) : py::object(py::none());
  d["next_done"] = l.next_done;
  d["next_total"] = l.next_total;
  d["next_progress"] = l.next_progress;
  d["next_remaining"] = id_list(fw, l.next_remaining);
  d["gaps"] = id_list(fw, l.gaps);
  d["gap_levels"] = l.gap_levels;
  return d;
}

std::vector<index_t> indices(const framework& fw, const py::object& ids) {
  std::vector<index_t> out;
  if (ids.is_none()) return out;
  if (py::isinstance<py::str>(ids)) return {fw.index_of(ids.cast<std::string>())};
  for (auto h : ids) {
    if (py::isinstance<py::str>(h))
      out.push_back(fw.index_of(h.cast<std::string>()));
    else
      out.push_back(h.cast<index_t>());
  }
  return out;
}

void bind_progression(py::module_& m) {
  py::class_<progression>(m, "Progression", R"pbdoc(
A framework's prerequisite graph compiled for progression queries under a policy's scale.

Gating: a ``required`` prerequisite is met when it is done (mastered, exceeded or exempt); a
``familiar`` one when it is done or its score reaches the edge's lower level (its
``min_level``, else the scale's lowest rating above the bottom when that lies below mastery —
``Developing`` on the four-point scale — else any evidence: "started"). ``recommended`` never
gates; it only orders paths.

Usually reached through :class:`LearnerState` (``st.frontier()``, ...) and :class:`Roster`.
The methods here take one learner's dense columns: ``statuses`` (uint8 codes indexing
:data:`STATUSES`), ``scores`` (float, NaN = none), optionally ``last_evidence`` (seconds) and
``as_of``; results name competencies by id.
)pbdoc")
      .def(py::init<framework, const policy&>(), py::arg("framework"), py::arg("policy"))
      .def_property_readonly("framework", &progression::framework)
      .def("__len__", &progression::size)
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
            const index_t t = indices(p.framework(), id).at(0);
            std::vector<blocker> bs;
            {
              py::gil_scoped_release r;
              bs = p.blocked_by(a.v, t);
            }
            py::list out;
            for (const auto& b : bs) out.append(blocker_dict(p.framework(), b));
            return out;
          },
          py::arg("id"), py::arg("statuses"), py::arg("scores") = py::none(),
          "The unmet prerequisites of ``id``, transitively, in learning order (dicts).")
      .def(
          "gaps",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            std::vector<gap> gs;
            {
              py::gil_scoped_release r;
              gs = p.gaps(a.v);
            }
            py::list out;
            for (const auto& g : gs) {
              py::dict d;
              d["id"] = g.id;
              d["status"] = to_string(g.status);
              d["score"] = opt_score(g.score);
              d["domain"] = g.domain;
              d["level"] = g.level ? py::object(py::int_(*g.level)) : py::object(py::none());
              d["undermines"] = id_list(p.framework(), g.undermines);
              d["ready"] = g.ready;
              out.append(d);
            }
            return out;
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "Unmastered prerequisites under work with evidence, most undermining first (dicts).")
      .def(
          "path_to",
          [](const progression& p, const py::object& goals, const py::object& st,
             const py::object& sc, std::optional<double> rate_per_day) {
            view_args a(p, st, sc, py::none(), py::none());
            const auto g = indices(p.framework(), goals);
            learning_path lp;
            {
              py::gil_scoped_release r;
              lp = p.path_to(a.v, g, rate_per_day);
            }
            py::list steps;
            for (const auto& b : lp.steps) steps.append(blocker_dict(p.framework(), b));
            py::dict d;
            d["goals"] = id_list(p.framework(), lp.goals);
            d["steps"] = steps;
            d["length"] = lp.length();
            d["days"] = opt_score(lp.days);
            return d;
          },
          py::arg("goals"), py::arg("statuses"), py::arg("scores") = py::none(),
          py::arg("rate_per_day") = py::none(),
          "An ordered plan to the goals: dict(goals, steps, length, days).")
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
            py::list out;
            for (const auto& x : rs) {
              py::dict d;
              d["id"] = x.id;
              d["score"] = x.score;
              d["status"] = to_string(x.status);
              d["reasons"] = x.reasons;
              d["unlocks"] = id_list(p.framework(), x.unlocks);
              d["repairs"] = id_list(p.framework(), x.repairs);
              d["goal_distance"] =
                  x.goal_distance ? py::object(py::int_(*x.goal_distance)) : py::object(py::none());
              d["level"] = x.level ? py::object(py::int_(*x.level)) : py::object(py::none());
              d["days_since_evidence"] = opt_score(x.days_since_evidence);
              out.append(d);
            }
            return out;
          },
          py::arg("k"), py::arg("statuses"), py::arg("scores") = py::none(),
          py::arg("last_evidence") = py::none(), py::arg("as_of") = py::none(),
          py::arg("goals") = py::none(), py::arg("unlock_weight") = 1.0,
          py::arg("goal_weight") = 2.0, py::arg("level_weight") = 1.0,
          py::arg("recency_weight") = 1.0, py::arg("gap_weight") = 1.0,
          py::arg("recency_days") = 14.0,
          R"pbdoc(The top ``k`` of the frontier, each a dict with its score and reasons.

score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
+ level_weight / (1 + level - lowest frontier level) + recency_weight * exp(-days since the
latest evidence / recency_days) (0.5 when started but undated, 0 when not started)
+ gap_weight * competencies with evidence it undermines. Ties go to learning order.)pbdoc")
      .def(
          "level",
          [](const progression& p, const std::string& domain, const py::object& st,
             const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            return level_dict(p.framework(), p.level(a.v, domain));
          },
          py::arg("domain"), py::arg("statuses"), py::arg("scores") = py::none(),
          "The learner's level in a domain of a learning map (dict).")
      .def(
          "levels",
          [](const progression& p, const py::object& st, const py::object& sc) {
            view_args a(p, st, sc, py::none(), py::none());
            py::list out;
            for (const auto& l : p.levels(a.v)) out.append(level_dict(p.framework(), l));
            return out;
          },
          py::arg("statuses"), py::arg("scores") = py::none(),
          "``level`` for every leveled domain.")
      .def("code_label", &progression::code_label, py::arg("code"),
           "Text of an attainment code: 'mastered', 'started', or a rating label.")
      .def("__repr__", [](const progression& p) {
        return "<Progression of " + std::to_string(p.size()) + " competencies>";
      });
}

}  // namespace masterymap::python
