// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
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
  // Statuses: a 1-D integer array (or a list of ints), each code checked before it is
  // narrowed: a float (3.7), NaN or a 2-D array is an error, not a cast or a flattening.
  const std::size_t n = p.size();
  py::array a = py::array::ensure(statuses);
  if (!a) throw argument_error("statuses", "a 1-D array of status codes", statuses);
  const char dk = a.dtype().kind();
  if (dk != 'i' && dk != 'u' && a.size() > 0)  // [] is a float64 array: a 0-competency map
    throw py::type_error(fmt::format(
        "statuses: expected a 1-D integer array of status codes (a numpy integer dtype or a "
        "list of ints, see STATUSES), got dtype {}",
        std::string(py::str(a.dtype()))));
  if (a.ndim() != 1)
    throw py::value_error(
        fmt::format("statuses: expected a 1-D array of {} status codes, got shape {}", n,
                    std::string(py::str(py::tuple(a.attr("shape"))))));
  if (static_cast<std::size_t>(a.size()) != n)
    throw py::value_error(fmt::format(
        "statuses: expected {} status codes (one per competency), got {}", n, a.size()));
  const auto top = static_cast<std::int64_t>(status::inferred);
  if (a.dtype().is(py::dtype::of<std::uint8_t>())) {
    st = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(a);
    for (std::size_t i = 0; i < n; ++i)
      if (st.data()[i] > top)
        throw py::value_error(
            fmt::format("statuses: bad status code {} at index {} (codes 0 to "
                        "{}, see STATUSES)",
                        st.data()[i], i, top));
  } else {
    // Wider integers: checked as int64 (a uint64 past int64 is out of range anyway).
    const auto wide =
        py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    st = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>(
        static_cast<py::ssize_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t c = wide.data()[i];
      if (c < 0 || c > top)
        throw py::value_error(fmt::format(
            "statuses: bad status code {} at index {} (codes 0 to "
            "{}, see STATUSES)",
            dk == 'u' ? std::string(py::str(a[py::int_(i)])) : std::to_string(c), i, top));
      st.mutable_data()[i] = static_cast<std::uint8_t>(c);
    }
  }
  v.statuses = reinterpret_cast<const status*>(st.data());
  v.size = n;
  if (!scores.is_none()) {
    sc = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(scores);
    if (!sc) throw argument_error("scores", "None or an array of numbers", scores);
    if (sc.ndim() != 1)
      throw py::value_error(fmt::format("scores: expected a 1-D array of {} scores, got shape {}",
                                        n, std::string(py::str(py::tuple(sc.attr("shape"))))));
    if (static_cast<std::size_t>(sc.size()) != n)
      throw py::value_error(fmt::format(
          "scores: expected {} scores (one per competency, NaN = none), got {}", n, sc.size()));
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
    if (static_cast<std::size_t>(le.size()) != n)
      throw py::value_error(fmt::format("last_evidence: expected {} times, got {}", n, le.size()));
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

/// A rate in competencies per `per` ("day" or "week") as per day; None stays None.
std::optional<double> rate_per_day(const py::object& rate, const std::string& per) {
  if (rate.is_none()) return std::nullopt;
  if (per != "day" && per != "week") throw py::value_error("per must be 'day' or 'week'");
  return cast_arg<double>(rate, "rate", "None or a number of competencies per day or week") /
         (per == "week" ? 7.0 : 1.0);
}

// The rules of recommend, in both recommend docstrings (Progression, LearnerState).
constexpr const char* recommend_rules =
    R"pbdoc(The working level W in a domain with the learner's own evidence (inferred is not evidence) is
the larger of the highest level with it and the level after the domain's highest complete level
(a learner who completed grade 3, or was placed at grade 4, works at grade 4); another domain
takes the median of those, or the level after its own highest complete level if higher. Without
any level (a new learner) the level term is 1 / (1 + level - lowest frontier level), foundations
first. Ranking, in tiers, each by score: work within reach; then work two or more levels above W
(or, for a new learner, above the lowest open level) with no evidence that leads to no goal;
then work below W with no evidence that leads to no goal, with the reason "not yet evidenced, N
levels below the learner's working level (W) in D; consider a placement" (mastery above it is
evidence that it is known) - except the holes behind failed work (below a competency with
contrary evidence that is itself under done work), which stay in the first tier and repair it.
Ties go to learning order. The README's "The rules behind the advice" gives the sources.)pbdoc";
const std::string recommend_doc_1 =
    std::string(R"pbdoc(The top ``k`` of the frontier as Recommendations (score and reasons).

score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
+ level_weight / (1 + |level - the learner's working level in its domain|)
+ recency_weight * exp(-days since the latest evidence / recency_days) (0.5 when started but
undated, 0 when not started) + gap_weight * done competencies it undermines.
)pbdoc") +
    recommend_rules + R"pbdoc()pbdoc";
const std::string recommend_doc_2 =
    std::string(R"pbdoc(The top ``k`` of the frontier as :class:`Recommendation` objects, each with
``score`` and ``reasons``.

score = unlock_weight * unlocks + goal_weight / (1 + links to the nearest goal)
+ level_weight / (1 + |level - the learner's working level in its domain|)
+ recency_weight * exp(-days since the latest evidence / recency_days)
+ gap_weight * done competencies it undermines.
)pbdoc") +
    recommend_rules + R"pbdoc(
Rollup parents are never recommended. Defaults: weights 1, goal_weight 2,
recency_days 14 (keyword arguments unlock_weight, goal_weight, level_weight, recency_weight,
gap_weight, recency_days). Ties go to learning order.)pbdoc";

}  // namespace

void bind_progression(py::module_& m) {
  bind_progression_results(m);

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
The methods here take one learner's dense columns: ``statuses`` (a 1-D integer array or list
of ints, one code per competency indexing :data:`STATUSES`; uint8 is taken without a copy),
``scores`` (1-D float, NaN = none), optionally ``last_evidence`` (seconds) and ``as_of``;
results name competencies by id. Every method raises TypeError naming ``statuses`` for a
non-integer dtype (floats, NaN, bools: never cast), ValueError for a shape other than 1-D, a
wrong length (saying how many were given) or a bad code (naming its index and value).

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
          "infer",
          [](const progression& p, const py::object& st, const py::object& sc,
             const py::object& placements) {
            view_args a(p, st, sc, py::none(), py::none());
            std::vector<std::pair<std::string, int>> placed;
            if (!placements.is_none()) {
              if (!py::isinstance<py::dict>(placements))
                throw argument_error("placements", "a dict {domain: level} or None", placements);
              for (const auto& [k, lv] : placements.cast<py::dict>()) {
                if (!py::isinstance<py::str>(k))
                  throw argument_error("placements", "a dict {domain: level} (str: int)",
                                       placements);
                placed.emplace_back(k.cast<std::string>(), level_arg(lv, "placements"));
              }
            }
            std::vector<status> out;
            {
              py::gil_scoped_release r;
              out = p.infer(a.v, placed);
            }
            py::array_t<std::uint8_t> arr(static_cast<py::ssize_t>(out.size()));
            std::copy(out.begin(), out.end(), reinterpret_cast<status*>(arr.mutable_data()));
            return arr;
          },
          py::arg("statuses"), py::arg("scores") = py::none(), py::kw_only(),
          py::arg("placements") = py::none(),
          R"pbdoc(Inferred mastery applied to a status array computed elsewhere (an LMS, a notebook).

``statuses``: uint8 codes indexing :data:`STATUSES`, one per competency (framework order);
``scores``: optional floats (NaN = none; only ``weighted_mean`` rollups read them). Returns a
new uint8 array of the same length: the engine's rule (the policy's ``infer_prerequisites``;
Knowledge Space Theory's surmise relation, as ALEKS uses it), with the engine's own code. Every
``inferred`` entry given is recomputed (the result does not depend on them); a ``not_started``
competency below earned work (``mastered``, ``exceeded``, ``exempt``) through the chosen links,
not passing through contrary evidence (``in_progress``, ``awaiting_confirmation``, ``expired``),
becomes ``inferred``; a rollup parent not started whose rollup holds once inferred parts count
as met becomes ``inferred`` too, and inference goes on below it. So the engine's statuses with
``inferred`` stripped give the engine's statuses back. Pass the result to ``frontier``,
``gaps``, ``recommend``, ... (they take statuses as given).

``placements``: ``{domain: level}`` ("placed at grade 4 in NF": ``{"NF": 4}``), what a status
array cannot say; as evidence of kind ``placement`` would, everything below the level in the
domain is placed (a level above the domain's top places all of it). An unknown domain raises
:class:`UnknownIdError`; one without leveled competencies, ValueError.

Complexity: O(V + E) (plus one round per rollup parent inferred over inferred parts); the
policy is compiled on the first call (or shared with the engine). Raises TypeError for a
non-integer ``statuses`` dtype, ValueError for a shape other than 1-D, a wrong length or a bad
status code, ValueError when the Progression has no policy (unpickled from an
old pickle), PolicyError when the policy's rollups do not fit the framework.)pbdoc")
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
          "Recently learned (KST's inner fringe): earned (mastered, exceeded, exempt; never "
          "inferred: not learned here), and no gating dependent done (earned or inferred) yet.")
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
          "in progress (evidence, not done), in learning order (Blockers; ``blocks``: the next "
          "link up only).")
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
          py::arg("recency_days") = 14.0, recommend_doc_1.c_str())
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
            // The inference rule (a policy with the scale, rollups and infer_prerequisites)
            // travels too; a 3-tuple (before progression.infer) unpickles without one.
            const auto& rule = p.inference_rule();
            return py::make_tuple(p.framework(), p.scale(), p.rollups(),
                                  rule ? py::cast(*rule) : py::object(py::none()));
          },
          [](const py::tuple& t) {
            if (t.size() != 3 && t.size() != 4)
              throw py::value_error("not the state of a pickled Progression");
            try {
              if (t.size() == 4 && !t[3].is_none())
                return progression(t[0].cast<framework>(), t[3].cast<policy>());
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
          "Recently learned (KST's inner fringe): earned competencies (never inferred: not "
          "learned here) none of whose gating dependents are done (earned or inferred) yet.")
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
expired), in learning order, as :class:`Blocker` objects. ``blocks`` names the next link only
(the dependents right above it in this list, e.g. the grade-3 standard between it and the
grade-4 work in progress); follow ``blocks`` upwards to the work in progress it ultimately holds
back, or ask ``blocked_by`` of each piece of work. A prerequisite can be both a gap and a
blocker.)pbdoc")
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
          py::arg("k") = 5, py::arg("goals") = py::none(), recommend_doc_2.c_str())
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
