// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Bindings of masterymap::bkt, part of the submodule masterymap._core.bkt (bind_bkt.cpp): the
// Model and fitting (fit, check_options, crossvalidate, compute_metrics, simulate ...).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/encoding.hpp>
#include <stdexcept>

#include "bindings.hpp"
#include "bkt_py.hpp"
#include "numpy_util.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {
namespace {

namespace bkt = masterymap::bkt;

// `d[key]` for error messages: "options['bounds']['prior']".
std::string item_path(const std::string& d, const std::string& key) {
  return d + "['" + key + "']";
}

bkt::fixed_params fixed_from(const py::handle& h, const std::string& path,
                             const std::string& where) {
  const auto d = cast_arg<py::dict>(h, path, "a dict of parameter name to number");
  bkt::fixed_params f;
  for (auto item : d) {
    const auto key = cast_arg<std::string>(item.first, path + " key", "a parameter name (str)");
    const auto value = cast_arg<double>(item.second, item_path(path, key), "a number");
    if (key == "prior")
      f.prior = value;
    else if (key == "learn")
      f.learn = value;
    else if (key == "forget")
      f.forget = value;
    else if (key == "guess")
      f.guess = value;
    else if (key == "slip")
      f.slip = value;
    else
      throw std::invalid_argument("unknown parameter '" + key + "' in fixed" + where +
                                  " (prior, learn, forget, guess, slip)");
  }
  return f;
}

// Options from a dict (the Python wrapper passes its keyword arguments); unknown keys fail.
bkt::fit_options options_from(const py::dict& d) {
  bkt::fit_options o;
  for (auto item : d) {
    const auto key = cast_arg<std::string>(item.first, "options key", "an option name (str)");
    const std::string path = item_path("options", key);
    py::handle v = item.second;
    if (v.is_none()) continue;
    if (key == "num_fits")
      o.num_fits = cast_arg<int>(v, path, "an int");
    else if (key == "seed")
      o.seed = cast_arg<std::uint64_t>(v, path, "a non-negative int");
    else if (key == "tolerance")
      o.tolerance = cast_arg<double>(v, path, "a number");
    else if (key == "max_iterations")
      o.max_iterations = cast_arg<int>(v, path, "an int");
    else if (key == "restarts")
      o.restarts = bkt::parse_restart_strategy(cast_arg<std::string>(v, path, "a str"));
    else if (key == "screen_iterations")
      o.screen_iterations = cast_arg<int>(v, path, "an int");
    else if (key == "forgets")
      o.forgets = cast_arg<bool>(v, path, "a bool");
    else if (key == "multigs")
      o.multigs = cast_arg<bool>(v, path, "a bool");
    else if (key == "threads")
      o.threads = cast_arg<unsigned>(v, path, "None or a non-negative int");
    else if (key == "skills")
      o.skills = cast_arg<std::vector<std::string>>(v, path, "a list of skill names");
    else if (key == "bounds") {
      for (auto b : cast_arg<py::dict>(v, path, "a dict of parameter name to (lo, hi)")) {
        const auto name = cast_arg<std::string>(b.first, path + " key", "a parameter name");
        const auto [lo, hi] =
            cast_arg<std::pair<double, double>>(b.second, item_path(path, name), "a (lo, hi) pair");
        bkt::interval iv{lo, hi};
        if (name == "prior")
          o.bounds.prior = iv;
        else if (name == "learn")
          o.bounds.learn = iv;
        else if (name == "forget")
          o.bounds.forget = iv;
        else if (name == "guess")
          o.bounds.guess = iv;
        else if (name == "slip")
          o.bounds.slip = iv;
        else
          throw std::invalid_argument("unknown parameter '" + name + "' in bounds");
      }
    } else if (key == "fixed") {
      o.fixed = fixed_from(v, path, "");
    } else if (key == "fixed_skills") {
      for (auto s : cast_arg<py::dict>(v, path, "a dict of skill to a dict of parameters")) {
        const auto skill = cast_arg<std::string>(s.first, path + " key", "a skill name (str)");
        o.fixed_skills[skill] =
            fixed_from(s.second, item_path(path, skill), " for skill '" + skill + "'");
      }
    } else {
      throw std::invalid_argument("unknown fit option '" + key + "'");
    }
  }
  return o;
}

py::dict params_to_dict(const bkt::skill_params& p) {
  py::dict d;
  d["skill"] = p.skill;
  d["prior"] = p.prior;
  d["learn"] = p.learn;
  d["forget"] = p.forget;
  d["classes"] = p.classes;
  d["guess"] = p.guess;
  d["slip"] = p.slip;
  d["log_likelihood"] = p.log_likelihood;
  d["iterations"] = p.iterations;
  d["converged"] = p.converged;
  d["restart"] = p.restart;
  d["observations"] = p.observations;
  d["sequences"] = p.sequences;
  return d;
}

// One skill's parameters from a dict; `path` names it in errors ("params[2]").
bkt::skill_params params_from_dict(const py::handle& h, const std::string& path) {
  const auto d = cast_arg<py::dict>(h, path, "a dict of skill parameters");
  auto get = [&](const char* key) -> py::object {
    if (!d.contains(key))
      throw std::invalid_argument(path + " has no '" + key +
                                  "' (each needs skill, prior, learn, guess, slip)");
    return d[key];
  };
  bkt::skill_params p;
  p.skill = cast_arg<std::string>(get("skill"), item_path(path, "skill"), "a str");
  p.prior = cast_arg<double>(get("prior"), item_path(path, "prior"), "a number");
  p.learn = cast_arg<double>(get("learn"), item_path(path, "learn"), "a number");
  p.forget = d.contains("forget")
                 ? cast_arg<double>(d["forget"], item_path(path, "forget"), "a number")
                 : 0.0;
  if (d.contains("classes"))
    p.classes = cast_arg<std::vector<std::string>>(d["classes"], item_path(path, "classes"),
                                                   "a list of item-class names");
  auto numbers = [&](const char* key) {
    py::object x = get(key);
    if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x))
      return std::vector<double>{x.cast<double>()};
    return cast_arg<std::vector<double>>(x, item_path(path, key),
                                         "a number or a list of numbers (one per item class)");
  };
  p.guess = numbers("guess");
  p.slip = numbers("slip");
  // The fit diagnostics, when given (params() lists them): a model rebuilt from the params of
  // fitted models (masterymap.dask.bkt_fit merges per-skill fits) then equals the fitted one.
  if (d.contains("log_likelihood"))
    p.log_likelihood =
        cast_arg<double>(d["log_likelihood"], item_path(path, "log_likelihood"), "a number");
  if (d.contains("iterations"))
    p.iterations = cast_arg<int>(d["iterations"], item_path(path, "iterations"), "an int");
  if (d.contains("converged"))
    p.converged = cast_arg<bool>(d["converged"], item_path(path, "converged"), "a bool");
  if (d.contains("restart"))
    p.restart = cast_arg<int>(d["restart"], item_path(path, "restart"), "an int");
  if (d.contains("observations"))
    p.observations =
        cast_arg<std::uint64_t>(d["observations"], item_path(path, "observations"), "an int");
  if (d.contains("sequences"))
    p.sequences = cast_arg<std::uint64_t>(d["sequences"], item_path(path, "sequences"), "an int");
  return p;
}

py::dict metrics_to_dict(const bkt::metrics& m) {
  py::dict d;
  d["auc"] = m.auc;
  d["rmse"] = m.rmse;
  d["accuracy"] = m.accuracy;
  d["log_likelihood"] = m.log_likelihood;
  d["count"] = m.count;
  return d;
}

}  // namespace

void bind_bkt_model(py::module_& m) {
  py::class_<bkt::model> model_cls(m, "Model", R"pbdoc(
A fitted BKT model: prior, learn, forget, guess and slip per skill.

Immutable: compares by value (parameters and fit diagnostics), hashes, copies and pickles (as
its JSON).
)pbdoc");
  model_cls.def(py::init<>())
      .def_static(
          "from_params",
          [](const std::vector<py::dict>& params, bool forgets, bool multigs) {
            std::vector<bkt::skill_params> ps;
            for (std::size_t i = 0; i < params.size(); ++i)
              ps.push_back(params_from_dict(params[i], "params[" + std::to_string(i) + "]"));
            return bkt::model(std::move(ps), forgets, multigs);
          },
          py::arg("params"), py::arg("forgets") = false, py::arg("multigs") = false,
          R"pbdoc(
A model from given parameters: dicts with ``skill``, ``prior``, ``learn``, optional ``forget``,
``guess`` and ``slip`` (numbers, or lists with ``classes``), and optionally the fit diagnostics
``params()`` lists (``log_likelihood``, ``iterations``, ``converged``, ``restart``,
``observations``, ``sequences``), so ``Model.from_params(m.params(), m.forgets, m.multigs) == m``.

:raises ValueError: on a probability outside [0, 1], a duplicate skill or mismatched classes.
)pbdoc")
      .def("__len__", &bkt::model::size)
      .def_property_readonly("forgets", &bkt::model::forgets)
      .def_property_readonly("multigs", &bkt::model::multigs)
      .def_property_readonly(
          "skills",
          [](const bkt::model& mo) {
            std::vector<std::string> out;
            for (const auto& p : mo.params()) out.push_back(p.skill);
            return out;
          },
          "Skill names, in fitting order.")
      .def(
          "params",
          [](const bkt::model& mo) {
            py::list out;
            for (const auto& p : mo.params()) out.append(params_to_dict(p));
            return out;
          },
          "Parameters and fit diagnostics of every skill, as a list of dicts.")
      .def(
          "predict",
          [](const bkt::model& mo, const bkt::dataset& d, const std::string& unknown,
             const py::object& progress) {
            const auto u = bkt::parse_unknown_skill(unknown);
            py::array_t<double> pc(static_cast<py::ssize_t>(d.size())),
                st(static_cast<py::ssize_t>(d.size()));
            double* a = pc.mutable_data();
            double* b = st.mutable_data();
            const auto hook = python_progress(progress);
            {
              py::gil_scoped_release release;
              mo.predict_into(d, a, b, u, hook);
            }
            return py::make_tuple(pc, st);
          },
          py::arg("data"), py::arg("unknown") = "average", py::kw_only(),
          py::arg("progress") = py::none(),
          R"pbdoc(
Per row: P(correct) before the answer and P(mastered) after it, as two float64 arrays.

:param unknown: for skills without parameters: ``"average"`` (mean parameters), ``"nan"`` or
    ``"error"``.
:param progress: ``progress(done, total)`` in rows traced; raising from it, or Ctrl-C, cancels.
:raises UnknownIdError: for an unknown skill with ``unknown="error"``.
)pbdoc")
      .def(
          "evaluate",
          [](const bkt::model& mo, const bkt::dataset& d, const std::string& unknown,
             const py::object& progress) {
            const auto u = bkt::parse_unknown_skill(unknown);
            const auto hook = python_progress(progress);
            bkt::metrics r;
            {
              py::gil_scoped_release release;
              r = mo.evaluate(d, u, hook);
            }
            return metrics_to_dict(r);
          },
          py::arg("data"), py::arg("unknown") = "average", py::kw_only(),
          py::arg("progress") = py::none(),
          "AUC, RMSE, accuracy, log-likelihood and row count of the predictions, as a dict.")
      .def("to_json", &bkt::model::to_json, py::arg("indent") = 2, py::arg("extra") = "",
           "Versioned JSON with a checksum (what save writes); doubles round-trip exactly. "
           "``extra``: a JSON object's text kept with the model.")
      .def_static(
          "from_json", [](std::string_view text) { return bkt::model::from_json(text); },
          py::arg("text"),
          ":raises ParseError: on malformed JSON, a missing or mistyped field, or a checksum "
          "that is missing (version 2) or does not match.")
      .def("save", &bkt::model::save, py::arg("path"), py::arg("extra") = "")
      .def_static(
          "load", [](const std::string& path) { return bkt::model::load(path); }, py::arg("path"))
      .def_static(
          "_read_json",
          [](std::string_view text) {
            std::string extra;
            auto mo = bkt::model::from_json(text, &extra);
            return py::make_tuple(std::move(mo), extra);
          },
          py::arg("text"), "(model, extra object's text) of to_json text (internal).")
      .def_static(
          "_read_file",
          [](const std::string& path) {
            std::string extra;
            auto mo = bkt::model::load(path, &extra);
            return py::make_tuple(std::move(mo), extra);
          },
          py::arg("path"), "(model, extra object's text) of a saved model (internal).")
      .def("__repr__", [](const bkt::model& mo) {
        return "<masterymap.bkt.Model: " + std::to_string(mo.size()) + " skills" +
               (mo.forgets() ? ", forgets" : "") + (mo.multigs() ? ", multigs" : "") + ">";
      });
  def_equality(model_cls);
  def_copy(model_cls);
  model_cls
      .def(py::pickle([](const bkt::model& mo) { return mo.to_json(-1); },
                      [](const std::string& s) { return bkt::model::from_json(s); }))
      .def("__hash__",
           [](const bkt::model& mo) { return std::hash<std::string>{}(mo.to_json(-1)); });

  m.def(
      "fit",
      [](const bkt::dataset& d, const py::dict& options, const py::object& progress) {
        const bkt::fit_options o = options_from(options);
        const auto hook = python_progress(progress);
        py::gil_scoped_release release;
        return bkt::fit(d, o, hook);
      },
      py::arg("data"), py::arg("options") = py::dict(), py::kw_only(),
      py::arg("progress") = py::none(),
      R"pbdoc(
Fits one BKT model per skill by EM with seeded random restarts, skills in parallel.

:param options: dict with any of ``num_fits``, ``seed``, ``tolerance``, ``max_iterations``,
    ``restarts`` ("screen"/"full"), ``screen_iterations``, ``forgets``, ``multigs``,
    ``threads``, ``skills``, ``bounds`` ({param: (lo, hi)}), ``fixed`` ({param: value}),
    ``fixed_skills`` ({skill: {param: value}}).
:raises ValueError: on bad options or an empty dataset.
:raises UnknownIdError: if ``skills`` names a skill not in the data.
:param progress: ``progress(done, total)``, called about every 50 ms and once at the end, in
    rows x EM iterations (each skill up to the most its restarts may take); raising from it
    cancels the fit. Ctrl-C raises ``KeyboardInterrupt`` within about 0.1 s.
)pbdoc");
  m.def(
      "check_options", [](const py::dict& options) { bkt::validate(options_from(options)); },
      py::arg("options"), R"pbdoc(
Checks fit options (the dict :func:`fit` takes) without fitting, so a model's options fail when
it is configured rather than when it is fitted.

:raises ValueError: naming the first bad option.
)pbdoc");
  m.def(
      "crossvalidate",
      [](const bkt::dataset& d, const py::dict& options, int folds, std::uint64_t seed,
         const py::object& progress) {
        const bkt::fit_options o = options_from(options);
        const auto hook = python_progress(progress);
        std::vector<bkt::metrics> r;
        {
          py::gil_scoped_release release;
          r = bkt::crossvalidate(d, o, folds, seed, hook);
        }
        py::list out;
        for (const auto& x : r) out.append(metrics_to_dict(x));
        return out;
      },
      py::arg("data"), py::arg("options") = py::dict(), py::arg("folds") = 5, py::arg("seed") = 42,
      py::kw_only(), py::arg("progress") = py::none(),
      "K-fold cross-validation by learner; one metrics dict per fold. ``progress(done, total)``: "
      "1000 units per fold.");
  m.def(
      "compute_metrics",
      [](const carray<std::uint8_t>& correct, const carray<double>& predicted) {
        return metrics_to_dict(bkt::compute_metrics(to_vector(correct), to_vector(predicted)));
      },
      py::arg("correct"), py::arg("predicted"),
      "AUC (ties count one half), RMSE, accuracy and log-likelihood; NaN predictions are skipped.");
  m.def(
      "simulate",
      [](const std::vector<py::dict>& params, std::size_t learners, std::size_t length,
         std::uint64_t seed) {
        std::vector<bkt::skill_params> ps;
        for (std::size_t i = 0; i < params.size(); ++i)
          ps.push_back(params_from_dict(params[i], "params[" + std::to_string(i) + "]"));
        py::gil_scoped_release release;
        return bkt::simulate(ps, learners, length, seed);
      },
      py::arg("params"), py::arg("learners"), py::arg("length"), py::arg("seed") = 42,
      "Simulates ``learners`` learners answering ``length`` questions per skill (deterministic).");
}

}  // namespace masterymap::python
