// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <limits>
#include <masterymap/engine.hpp>
#include <masterymap/io/file.hpp>
#include <masterymap/policy.hpp>

#include "bindings.hpp"
#include "pickle_py.hpp"

namespace masterymap::python {
namespace {

// Bad option values raise PolicyError naming the option and the allowed values, with the text
// of the JSON path (Policy.from_json), so both ways of giving a policy fail alike.
rollup_precedence parse_precedence(const std::string& s) {
  for (auto p : {rollup_precedence::rollup, rollup_precedence::evidence, rollup_precedence::either,
                 rollup_precedence::both})
    if (s == to_string(p)) return p;
  throw policy_error({"rollup_precedence: unknown value '" + s +
                      "' (expected 'rollup', 'evidence', 'either' or 'both')"});
}

infer_prerequisites parse_infer(const std::string& s) {
  for (auto p :
       {infer_prerequisites::none, infer_prerequisites::required, infer_prerequisites::gating})
    if (s == to_string(p)) return p;
  throw policy_error(
      {"infer_prerequisites: unknown value '" + s + "' (expected 'none', 'required' or 'gating')"});
}

// Adds the operands of a Python rollup call: ids, lists of ids, nested Rollups.
void add_items(rollup& r, const py::args& args, const py::object& ids) {
  const char* accepts = "a competency id, a Rollup or a list of them";
  auto add_one = [&](const py::handle& x, const std::string& what) {
    if (py::isinstance<py::str>(x)) {
      r.add(x.cast<std::string>());
    } else if (py::isinstance<rollup>(x)) {
      r.add(x.cast<const rollup&>());
    } else if (x.is_none()) {
    } else if (py::isinstance<py::iterable>(x)) {
      std::size_t i = 0;
      for (auto y : x) {
        const std::string at = what + "[" + std::to_string(i++) + "]";
        if (py::isinstance<rollup>(y))
          r.add(y.cast<const rollup&>());
        else
          r.add(cast_arg<std::string>(y, at, "a competency id (str) or a Rollup"));
      }
    } else {
      throw argument_error(what, accepts, x);
    }
  };
  std::size_t i = 0;
  for (auto a : args) add_one(a, "items[" + std::to_string(i++) + "]");
  if (!ids.is_none()) add_one(ids, "ids");
}

// (id, number) pairs from a dict or a list of pairs; `what` names the parameter in errors.
std::vector<std::pair<std::string, double>> pairs(const py::object& o, const char* what) {
  std::vector<std::pair<std::string, double>> out;
  if (o.is_none()) return out;
  if (py::isinstance<py::dict>(o)) {
    for (auto kv : o.cast<py::dict>()) {
      const auto id =
          cast_arg<std::string>(kv.first, std::string(what) + " key", "a competency id (str)");
      out.emplace_back(
          id, cast_arg<double>(kv.second, std::string(what) + "['" + id + "']", "a number"));
    }
    return out;
  }
  return cast_arg<std::vector<std::pair<std::string, double>>>(
      o, what, "None, a dict of id to number or a list of (id, number) pairs");
}

// A count (min_evidence, window_last, n, k) from a Python int: negative or too large numbers are
// problems of the policy (PolicyError with the field's path), not a TypeError.
std::uint32_t count_of(std::int64_t v, const std::string& path, std::vector<std::string>& problems,
                       const char* must = "a count from 0 to 4294967295") {
  if (v < 0 || v > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
    problems.push_back(path + ": " + std::to_string(v) + " is not " + must);
    return 0;
  }
  return static_cast<std::uint32_t>(v);
}

std::uint32_t count_or_throw(std::int64_t v, const std::string& path, const char* must) {
  std::vector<std::string> problems;
  const auto n = count_of(v, path, problems, must);
  if (!problems.empty()) throw policy_error(std::move(problems));
  return n;
}

// A rollup built by a Python call, checked whole (its items are all given at once).
rollup checked(rollup r) {
  validate(r);
  return r;
}

// Pickled states: the fields as a tuple (what the factories and the constructor take).

py::tuple method_state(const method& x) {
  return py::make_tuple(to_string(x.type()), x.w(), x.n());
}

method method_from_state(const py::tuple& t) {
  if (t.size() != 3) throw py::value_error("not the state of a pickled Method");
  const double p = t[1].cast<double>();
  switch (parse_method_kind(t[0].cast<std::string>())) {
    case method::kind::latest:
      return method::latest();
    case method::kind::highest:
      return method::highest();
    case method::kind::mean:
      return method::mean();
    case method::kind::weighted_mean:
      return method::weighted_mean();
    case method::kind::mode:
      return method::mode();
    case method::kind::weighted_average:
      return method::weighted_average(p);
    case method::kind::decaying_average:
      return method::decaying_average(p);
    case method::kind::n_mastery:
      return method::n_mastery(t[2].cast<std::uint32_t>());
    case method::kind::power_law:
      return method::power_law();
    case method::kind::bkt:
      return method::bkt(p);
  }
  throw py::value_error("not the state of a pickled Method");
}

py::tuple rule_state(const rule& r) {
  return py::make_tuple(r.method, r.min_evidence, r.require_kinds, r.ignore_kinds, r.window_last,
                        r.window_days, r.expires_after_days, r.exempt_on_pretest,
                        r.exempt_confirm_kinds, r.pretest_counts, r.monotonic);
}

rule rule_from_state(const py::tuple& t) {
  if (t.size() != 11) throw py::value_error("not the state of a pickled Rule");
  rule r;
  r.method = t[0].cast<method>();
  r.min_evidence = t[1].cast<std::uint32_t>();
  r.require_kinds = t[2].cast<std::vector<std::string>>();
  r.ignore_kinds = t[3].cast<std::vector<std::string>>();
  r.window_last = t[4].cast<std::optional<std::uint32_t>>();
  r.window_days = t[5].cast<std::optional<double>>();
  r.expires_after_days = t[6].cast<std::optional<double>>();
  r.exempt_on_pretest = t[7].cast<std::optional<double>>();
  r.exempt_confirm_kinds = t[8].cast<std::vector<std::string>>();
  r.pretest_counts = t[9].cast<bool>();
  r.monotonic = t[10].cast<bool>();
  return r;
}

// The groups as (op, k, min_points, items), each item (id, nested group, value, required).
py::list rollup_state(const rollup& r) {
  py::list out;
  for (const auto& g : r.groups()) {
    py::list items;
    for (const auto& it : g.items)
      items.append(py::make_tuple(it.id, it.nested, it.value, it.required));
    out.append(py::make_tuple(to_string(g.kind), g.k, g.min_points, items));
  }
  return out;
}

rollup rollup_from_state(const py::list& groups) {
  std::vector<rollup::group> gs;
  for (auto h : groups) {
    const auto t = h.cast<py::tuple>();
    if (t.size() != 4) throw py::value_error("not the state of a pickled Rollup");
    rollup::group g;
    const auto op = t[0].cast<std::string>();
    bool known = false;
    for (auto o : {rollup::op::all_of, rollup::op::any_of, rollup::op::k_of_n, rollup::op::points,
                   rollup::op::weighted_mean})
      if (op == to_string(o)) {
        g.kind = o;
        known = true;
      }
    if (!known) throw py::value_error("not the state of a pickled Rollup: operator '" + op + "'");
    g.k = t[1].cast<std::uint32_t>();
    g.min_points = t[2].cast<double>();
    for (auto ih : t[3].cast<py::list>()) {
      const auto it = ih.cast<py::tuple>();
      rollup::item x;
      x.id = it[0].cast<std::string>();
      x.nested = it[1].cast<std::int32_t>();
      x.value = it[2].cast<double>();
      x.required = it[3].cast<bool>();
      // Nested groups come after the group that holds them (rollup::groups()).
      if (x.nested >= 0 && (static_cast<std::size_t>(x.nested) <= gs.size() ||
                            static_cast<std::size_t>(x.nested) >= py::len(groups)))
        throw py::value_error("not the state of a pickled Rollup: nested group out of order");
      g.items.push_back(std::move(x));
    }
    gs.push_back(std::move(g));
  }
  if (gs.empty()) throw py::value_error("not the state of a pickled Rollup: no groups");
  return rollup::from_groups(std::move(gs));
}

}  // namespace

void bind_policy(py::module_& m) {
  py::class_<method> method_cls(m, "Method", R"pbdoc(
How the scores of one learner on one competency become one value. s_1..s_n are the counted
scores in order of observation time (ties by insertion order); nothing is rounded.

- ``latest()``, ``highest()``, ``mean()``, ``weighted_mean()`` (per-evidence weights),
  ``mode()`` (ties: the most recent);
- ``weighted_average(w=0.65)``: w*s_n + (1-w)*mean(s_1..s_{n-1}); one result gives s_1 (Canvas);
- ``decaying_average(w=0.65)``: D_1 = s_1, D_k = w*s_k + (1-w)*D_{k-1};
- ``n_mastery(n=5)``: no value until n scores reach mastery, then their mean (Canvas);
- ``power_law()``: least squares of ln s = a + b ln t over t = 1..n, value at t = n; scores below
  1% of the scale's top are raised to that floor; clamped to the scale;
- ``bkt(threshold=0.95)``: P(mastered) from a probability source given to the evaluation
  (``probabilities=``, required: evaluating a policy with a bkt rule without one is a
  :class:`PolicyError`); mastered when it reaches ``threshold``.

A parameter out of range is a :class:`PolicyError` when the method is made (``w`` in (0, 1),
``n >= 1``, ``threshold`` in (0, 1]).

Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  method_cls.def_static("latest", &method::latest)
      .def_static("highest", &method::highest)
      .def_static("mean", &method::mean)
      .def_static("weighted_mean", &method::weighted_mean)
      .def_static("mode", &method::mode)
      .def_static("weighted_average", &method::weighted_average, py::arg("w") = 0.65)
      .def_static("decaying_average", &method::decaying_average, py::arg("w") = 0.65)
      .def_static(
          "n_mastery",
          [](int_arg<std::int64_t> n) {
            return method::n_mastery(count_or_throw(n, "method.n", "at least 1"));
          },
          py::arg("n") = 5)
      .def_static("power_law", &method::power_law)
      .def_static("bkt", &method::bkt, py::arg("threshold") = 0.95)
      .def_property_readonly("name",
                             [](const method& x) { return std::string(to_string(x.type())); })
      .def_property_readonly("w", &method::w)
      .def_property_readonly("n", &method::n)
      .def_property_readonly("threshold", &method::threshold)
      .def("__repr__", [](const method& x) { return "Method." + to_string(x); });
  def_equality(method_cls);
  def_copy(method_cls);
  method_cls.def(py::pickle(&method_state, &method_from_state))
      .def("__hash__", [](const method& x) { return frozen_hash(method_state(x)); });

  py::class_<rule> rule_cls(m, "Rule", R"pbdoc(
A mastery rule: an aggregation method plus conditions.

:param method: a :class:`Method` (default ``Method.latest()``).
:param min_evidence: counted pieces needed before mastery.
:param require_kinds: gatekeeper kinds: the latest piece of each must be at mastery, else the
    status is ``awaiting_confirmation`` (e.g. ``["discussion"]``, a teacher's check).
:param ignore_kinds: kinds that never count (e.g. ``["self"]``).
:param window_last: count only the last k pieces.
:param window_days: count only pieces within d days of the evaluation time.
:param expires_after_days: mastery lapses (``expired``) without counted evidence for d days.
:param exempt_on_pretest: a ``pretest`` at or above this score exempts the competency.
:param exempt_confirm_kinds: kinds that must confirm an exemption first (else
    ``awaiting_confirmation``).
:param pretest_counts: pre-tests also count toward the rating (default: exemption only).
:param monotonic: once mastered, stays mastered (else recomputed).
:raises PolicyError: listing every problem (a negative count, ``window_days <= 0``, a kind both
    required and ignored, ...) with paths such as ``rule.window_days``; whether
    ``exempt_on_pretest`` is on the scale is checked when the rule joins a :class:`Policy`.

Compares by value, copies and pickles; unhashable (its fields can be set).
)pbdoc");
  rule_cls
      .def(
          py::init([](method meth, int_arg<std::int64_t> min_evidence,
                      std::vector<std::string> require_kinds, std::vector<std::string> ignore_kinds,
                      std::optional<int_arg<std::int64_t>> window_last,
                      std::optional<double> window_days, std::optional<double> expires_after_days,
                      std::optional<double> exempt_on_pretest,
                      std::vector<std::string> exempt_confirm_kinds, bool pretest_counts,
                      bool monotonic) {
            std::vector<std::string> bad;
            rule r;
            r.method = meth;
            r.min_evidence = count_of(min_evidence, "rule.min_evidence", bad);
            r.require_kinds = std::move(require_kinds);
            r.ignore_kinds = std::move(ignore_kinds);
            if (window_last) {
              const std::size_t before = bad.size();
              r.window_last = count_of(*window_last, "rule.window_last", bad, "at least 1");
              // Out of range: not also "must be at least 1" for the 0 put in its place.
              if (bad.size() != before) r.window_last.reset();
            }
            r.window_days = window_days;
            r.expires_after_days = expires_after_days;
            r.exempt_on_pretest = exempt_on_pretest;
            r.exempt_confirm_kinds = std::move(exempt_confirm_kinds);
            r.pretest_counts = pretest_counts;
            r.monotonic = monotonic;
            // Every problem of the rule at once (those of its scale when it joins a policy).
            for (auto& p : problems(r)) bad.push_back(std::move(p));
            if (!bad.empty()) throw policy_error(std::move(bad));
            return r;
          }),
          py::arg("method") = method::latest(), py::arg("min_evidence") = 1,
          py::arg("require_kinds") = std::vector<std::string>{},
          py::arg("ignore_kinds") = std::vector<std::string>{}, py::arg("window_last") = py::none(),
          py::arg("window_days") = py::none(), py::arg("expires_after_days") = py::none(),
          py::arg("exempt_on_pretest") = py::none(),
          py::arg("exempt_confirm_kinds") = std::vector<std::string>{},
          py::arg("pretest_counts") = false, py::arg("monotonic") = false)
      .def_readwrite("method", &rule::method)
      .def_property(
          "min_evidence", [](const rule& r) { return r.min_evidence; },
          [](rule& r, int_arg<std::uint32_t> v) { r.min_evidence = v; })
      .def_readwrite("require_kinds", &rule::require_kinds)
      .def_readwrite("ignore_kinds", &rule::ignore_kinds)
      .def_property(
          "window_last", [](const rule& r) { return r.window_last; },
          [](rule& r, std::optional<int_arg<std::uint32_t>> v) {
            r.window_last = v ? std::optional<std::uint32_t>(v->value) : std::nullopt;
          })
      .def_readwrite("window_days", &rule::window_days)
      .def_readwrite("expires_after_days", &rule::expires_after_days)
      .def_readwrite("exempt_on_pretest", &rule::exempt_on_pretest)
      .def_readwrite("exempt_confirm_kinds", &rule::exempt_confirm_kinds)
      .def_readwrite("pretest_counts", &rule::pretest_counts)
      .def_readwrite("monotonic", &rule::monotonic)
      .def("__repr__", [](const rule& r) { return "<Rule " + to_string(r) + ">"; });
  def_equality(rule_cls);
  def_copy(rule_cls);
  rule_cls.def(py::pickle(&rule_state, &rule_from_state));

  py::class_<rollup> rollup_cls(m, "Rollup", R"pbdoc(
How a parent competency's status follows from its children. Items are competency ids, lists of
ids, or nested :class:`Rollup` groups; no items means "every child of the parent". A child is
done when mastered, exceeded or exempt.

>>> mm.Rollup.all_of()                       # every child
>>> mm.Rollup.k_of_n(2, ["A", "B", "C"])
>>> mm.Rollup.points(min_points=3, points={"A": 2, "B": 1}, required=["A"])   # Moodle
>>> mm.Rollup.weighted_mean({"A": 2, "B": 1})
>>> mm.Rollup.any_of(mm.Rollup.all_of(["A7", "A9"]), mm.Rollup.all_of(["A7", "A10"]))

Each factory raises :class:`PolicyError` listing every problem of the rollup it makes (``k < 1``
or ``k`` above the items, non-positive ``min_points`` or more than the items' points, negative
points or weights, duplicate items).

Immutable: compares by value, hashes, copies and pickles.
)pbdoc");
  rollup_cls
      .def_static(
          "all_of",
          [](const py::args& a, const py::object& ids) {
            auto r = rollup::all_of();
            add_items(r, a, ids);
            return checked(std::move(r));
          },
          py::arg("ids") = py::none(), "Every item done.")
      .def_static(
          "any_of",
          [](const py::args& a, const py::object& ids) {
            auto r = rollup::any_of();
            add_items(r, a, ids);
            return checked(std::move(r));
          },
          py::arg("ids") = py::none(), "At least one item done.")
      .def_static(
          "k_of_n",
          [](int_arg<std::int64_t> k, const py::args& a, const py::object& ids) {
            auto r = rollup::k_of_n(count_or_throw(k, "rollup.k", "at least 1"));
            add_items(r, a, ids);
            return checked(std::move(r));
          },
          py::arg("k"), py::arg("ids") = py::none(), "At least k items done.")
      .def_static(
          "points",
          [](double min_points, const py::object& points, std::vector<std::string> required) {
            return checked(
                rollup::points(min_points, pairs(points, "points"), std::move(required)));
          },
          py::arg("min_points"), py::arg("points") = py::none(),
          py::arg("required") = std::vector<std::string>{},
          "Every required item done and the points of done items reach ``min_points`` (Moodle's "
          "rule).")
      .def_static(
          "weighted_mean",
          [](const py::object& weights) {
            return checked(rollup::weighted_mean(pairs(weights, "weights")));
          },
          py::arg("weights") = py::none(),
          "The weighted mean of the items' scores (exempt items left out) reaches mastery.")
      .def_property_readonly(
          "groups",
          [](const rollup& r) {
            py::list out;
            for (const auto& g : r.groups()) {
              py::dict d;
              d["op"] = to_string(g.kind);
              d["k"] = g.k;
              d["min_points"] = g.min_points;
              py::list items;
              for (const auto& it : g.items) {
                py::dict x;
                if (it.nested >= 0)
                  x["group"] = it.nested;
                else
                  x["id"] = it.id;
                x["value"] = it.value;
                x["required"] = it.required;
                items.append(x);
              }
              d["items"] = items;
              out.append(d);
            }
            return out;
          },
          "The groups as dicts (group 0 is the top).")
      .def("__repr__", [](const rollup& r) { return "Rollup." + to_string(r); });
  def_equality(rollup_cls);
  def_copy(rollup_cls);
  rollup_cls.def(py::pickle(&rollup_state, &rollup_from_state))
      .def("__hash__", [](const rollup& r) { return frozen_hash(rollup_state(r)); });

  py::class_<policy> policy_cls(m, "Policy", R"pbdoc(
A school's mastery policy, as data: a scale, a default rule, overrides by domain and by
competency (most specific wins: competency, domain, default), rollups for parents, and which
decides when a parent has both a rollup and its own evidence (``rollup_precedence``:
``"rollup"`` (default), ``"evidence"``, ``"either"``, ``"both"``; None = the default, as JSON
null).

``infer_prerequisites`` (``"none"``, ``"required"`` (default; also None), ``"gating"``): which prerequisite
links carry inferred mastery (Knowledge Space Theory's surmise relation, as ALEKS uses it). A
competency with no counted evidence that lies under earned work (mastered, exceeded, exempt)
through such links, or below a placement (evidence of kind ``"placement"`` on any competency of
a domain, whose score is the level: it places the learner at that level in the domain; see
:meth:`Roster.place`), gets the status ``inferred``: met for gates,
frontier, paths and levels, never earned. Contrary evidence (status ``in_progress``,
``awaiting_confirmation`` or ``expired``) wins and stops the inference there.

Round-trips through JSON (:meth:`to_json`, :meth:`from_json`); compares by value, copies and
pickles (through that JSON, also while it has problems); unhashable (it can be changed). A rule
or rollup is checked when it is given (the constructor, :meth:`override`, :meth:`rollup`, the
``rule`` and ``default_rollup`` setters raise :class:`PolicyError` with field paths such as
``overrides.domains['NF'].window_days``, and leave the policy unchanged).

>>> policy = mm.Policy(mm.Scale.four_point(), rule=mm.Rule(method=mm.Method.decaying_average(0.65)))
>>> policy.override("3.NF.A.1", rule=mm.Rule(method=mm.Method.highest()))
>>> policy.override(domain="NF", rule=mm.Rule(require_kinds=["discussion"]))
>>> policy.rollup("3.NF", mm.Rollup.k_of_n(2))
)pbdoc");
  policy_cls
      .def(py::init([](std::optional<scale> s, std::optional<rule> r, std::string name,
                       const std::optional<std::string>& prec,
                       const std::optional<std::string>& infer) {
             // None = the default, as JSON null is.
             policy p(s ? *s : scale::four_point(), r ? *r : rule{}, std::move(name));
             if (prec) p.set_precedence(parse_precedence(*prec));
             if (infer) p.set_infer_prerequisites(parse_infer(*infer));
             return p;
           }),
           py::arg("scale") = py::none(), py::arg("rule") = py::none(), py::arg("name") = "",
           py::arg("rollup_precedence") = "rollup", py::arg("infer_prerequisites") = "required")
      .def_property_readonly("name", &policy::name)
      .def_property_readonly("scale", &policy::scale)
      .def_property("rule", &policy::default_rule, &policy::set_default_rule, "The default rule.")
      .def(
          "override",
          [](policy& p, std::optional<std::string> id, std::optional<std::string> domain,
             const rule& r) -> policy& {
            if (id.has_value() == domain.has_value())
              throw py::value_error("override: give either a competency id or domain=...");
            if (id)
              p.override_competency(*id, r);
            else
              p.override_domain(*domain, r);
            return p;
          },
          py::arg("id") = py::none(), py::kw_only(), py::arg("domain") = py::none(),
          py::arg("rule"), py::return_value_policy::reference_internal,
          "Overrides the rule of one competency, or (``domain=``) of a domain. Returns the policy.")
      .def(
          "rollup",
          [](policy& p, std::string parent, const rollup& r) -> policy& {
            return p.set_rollup(std::move(parent), r);
          },
          py::arg("parent"), py::arg("rollup"), py::return_value_policy::reference_internal,
          "Sets the rollup of a parent competency. Returns the policy.")
      .def_property(
          "default_rollup", &policy::default_rollup, &policy::set_default_rollup,
          "Rollup of every parent without its own (``None``: parents use their own evidence).")
      .def_property(
          "rollup_precedence",
          [](const policy& p) { return std::string(to_string(p.precedence())); },
          [](policy& p, const std::string& s) { p.set_precedence(parse_precedence(s)); })
      .def_property(
          "infer_prerequisites",
          [](const policy& p) { return std::string(to_string(p.infer_prerequisites())); },
          [](policy& p, const std::string& s) { p.set_infer_prerequisites(parse_infer(s)); },
          "Which links carry inferred mastery: 'none', 'required' (default) or 'gating' "
          "(required and familiar). Placements apply with every value.")
      .def_property_readonly("domain_rules",
                             [](const policy& p) {
                               return std::map<std::string, rule>(p.domain_rules().begin(),
                                                                  p.domain_rules().end());
                             })
      .def_property_readonly("competency_rules",
                             [](const policy& p) {
                               return std::map<std::string, rule>(p.competency_rules().begin(),
                                                                  p.competency_rules().end());
                             })
      .def_property_readonly("rollups",
                             [](const policy& p) {
                               return std::map<std::string, rollup>(p.rollups().begin(),
                                                                    p.rollups().end());
                             })
      .def(
          "rule_for",
          [](const policy& p, const std::string& id, const std::string& domain) {
            return p.rule_for(id, domain);
          },
          py::arg("id"), py::arg("domain") = "",
          "The rule that applies (competency, then domain, then default).")
      .def("kinds", &policy::kinds, "Every evidence kind the policy names.")
      .def(
          "problems",
          [](const policy& p, const std::optional<framework>& fw) {
            return fw ? masterymap::problems(p, *fw) : p.problems();
          },
          py::arg("framework") = py::none(),
          "Every problem, with field paths (also against a framework).")
      .def(
          "validate",
          [](const policy& p, const std::optional<framework>& fw) {
            if (fw)
              masterymap::validate(p, *fw);
            else
              p.validate();
          },
          py::arg("framework") = py::none(),
          ":raises PolicyError: listing every problem with its field path.")
      .def("to_json", &policy::to_json, py::arg("indent") = 2,
           "Versioned JSON (``\"format\": \"masterymap.policy\"``).")
      .def_static("from_json", &policy::from_json, py::arg("text"), R"pbdoc(
:raises ParseError: for malformed JSON (with line and column)
:raises PolicyError: listing every missing, mistyped or invalid field with its path
)pbdoc")
      .def_static(
          "read",
          [](const py::object& path) {
            const std::string p = fs_path(path);
            py::gil_scoped_release release;
            return policy::from_json(io::read_text_file(p, "policy file"));
          },
          py::arg("path"), R"pbdoc(
Reads a policy JSON file (``str`` or path-like; see :meth:`from_json`).

:raises MissingFileError: the file does not exist (``.filename`` holds the path)
:raises FileError: it cannot be read
:raises ParseError: malformed JSON (with line and column)
:raises PolicyError: listing every missing, mistyped or invalid field with its path
)pbdoc")
      .def(
          "write",
          [](const policy& pol, const py::object& path, int indent) {
            const std::string p = fs_path(path);
            py::gil_scoped_release release;
            io::write_text_file(p, pol.to_json(indent) + "\n");
          },
          py::arg("path"), py::arg("indent") = 2, R"pbdoc(
Writes :meth:`to_json` text and a newline to ``path``, replacing the file.

:raises FileError: the file cannot be written
)pbdoc")
      .def("__repr__", [](const policy& p) { return "<" + to_string(p) + ">"; })
      .def(py::pickle([](const policy& p) { return p.to_json(-1); },
                      [](const std::string& s) { return policy::from_json_unvalidated(s); }));
  def_equality(policy_cls);
  def_copy(policy_cls);
}

}  // namespace masterymap::python
