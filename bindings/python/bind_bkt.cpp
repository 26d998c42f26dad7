// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Bindings of masterymap::bkt as the submodule masterymap._core.bkt. The friendly, pandas-aware
// API is the pure-Python masterymap.bkt (bindings/python/masterymap/bkt.py) built on this.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <limits>
#include <masterymap/bkt.hpp>
#include <masterymap/encoding.hpp>
#include <stdexcept>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"

namespace masterymap::python {
namespace {

namespace bkt = masterymap::bkt;

template <typename T>
using carray = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T>
std::vector<T> to_vector(const carray<T>& a) {
  if (a.ndim() != 1) throw std::invalid_argument("expected a one-dimensional array");
  return std::vector<T>(a.data(), a.data() + a.size());
}

bkt::csv_options csv_from(const std::string& learner, const std::string& skill,
                          const std::string& correct, const std::string& order,
                          const std::string& item_class, const std::string& delimiter,
                          const std::string& multi_skill, const std::string& separator,
                          const std::string& encoding) {
  bkt::csv_options o;
  o.columns.learner = learner;
  o.columns.skill = skill;
  o.columns.correct = correct;
  o.columns.order = order;
  o.columns.item_class = item_class;
  if (delimiter.size() != 1) throw std::invalid_argument("delimiter must be one character");
  o.delimiter = delimiter[0];
  o.multi_skill = bkt::parse_multi_skill(multi_skill);
  o.skill_separator = separator;
  o.encoding = parse_text_encoding(encoding);
  return o;
}

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

// One answer's correctness as Model.update checks it: a bool (numpy's too) or an int 0 or 1;
// a float (0.1, NaN) is no answer, and 2 or -1 is not 0 or 1.
bool correct_arg(const py::handle& x) {
  if (PyBool_Check(x.ptr())) return x.ptr() == Py_True;
  if (std::strcmp(Py_TYPE(x.ptr())->tp_name, "numpy.bool_") == 0)
    return PyObject_IsTrue(x.ptr()) == 1;
  if (!PyIndex_Check(x.ptr())) throw argument_error("correct", "0 or 1 (an int or a bool)", x);
  const auto i = py::reinterpret_steal<py::object>(PyNumber_Index(x.ptr()));
  if (!i) throw py::error_already_set();
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (overflow != 0 || (v != 0 && v != 1))
    throw py::value_error("correct must be 0 or 1, got " + std::string(py::repr(x)));
  return v == 1;
}

}  // namespace

void bind_bkt(py::module_& parent) {
  py::module_ m =
      parent.def_submodule("bkt", "Bayesian Knowledge Tracing core (see masterymap.bkt).");

  py::class_<bkt::dataset> dataset_cls(m, "Dataset", py::dynamic_attr(), R"pbdoc(
A table of responses: learner, skill and item-class indices into name lists, 0/1 correct.

Rows keep their input order; within a learner they are chronological unless an order key was
given. Build one with :func:`read_csv`, :func:`parse_csv`, :meth:`from_indices` or
``masterymap.bkt.dataset(df)``.

Compares by its rows and names; copies and pickles (a compact binary form as a numpy byte
array, out of band with pickle protocol 5), with its attributes (``columns``); unhashable (a
data table, like a numpy array).
)pbdoc");
  dataset_cls.def(py::init<>())
      .def_static(
          "from_indices",
          [](const carray<std::uint32_t>& learner, std::vector<std::string> learner_names,
             const carray<std::uint32_t>& skill, std::vector<std::string> skill_names,
             const carray<std::uint8_t>& correct, const std::optional<carray<double>>& order,
             const std::optional<carray<std::uint32_t>>& item_class,
             std::vector<std::string> class_names) {
            return bkt::dataset::from_indices(
                to_vector(learner), std::move(learner_names), to_vector(skill),
                std::move(skill_names), to_vector(correct),
                order ? to_vector(*order) : std::vector<double>{},
                item_class ? to_vector(*item_class) : std::vector<std::uint32_t>{},
                std::move(class_names));
          },
          py::arg("learner"), py::arg("learner_names"), py::arg("skill"), py::arg("skill_names"),
          py::arg("correct"), py::arg("order") = py::none(), py::arg("item_class") = py::none(),
          py::arg("class_names") = std::vector<std::string>{},
          R"pbdoc(
Builds a dataset from integer codes (the fast path from numpy / pandas).

:param learner: uint32 code per row, indexing ``learner_names``.
:param skill: uint32 code per row, indexing ``skill_names``.
:param correct: 0/1 per row.
:param order: optional sort key per row (float64).
:param item_class: optional uint32 code per row, indexing ``class_names`` (for ``multigs``).
:raises ValueError: on mismatched lengths, codes out of range, non-binary ``correct``, empty or
    duplicate names.
)pbdoc")
      .def("__len__", &bkt::dataset::size)
      .def_property_readonly("learner_count", &bkt::dataset::learner_count)
      .def_property_readonly("skill_count", &bkt::dataset::skill_count)
      .def_property_readonly("has_order", &bkt::dataset::has_order)
      .def_property_readonly("has_item_class", &bkt::dataset::has_item_class)
      .def_property_readonly(
          "learners", [](const bkt::dataset& d) { return copy_numpy(d.learners()); },
          "Learner code of each row (uint32, a copy).")
      .def_property_readonly(
          "skills", [](const bkt::dataset& d) { return copy_numpy(d.skills()); },
          "Skill code of each row (uint32, a copy).")
      .def_property_readonly(
          "correct", [](const bkt::dataset& d) { return copy_numpy(d.correct()); },
          "0/1 answer of each row (uint8, a copy).")
      .def_property_readonly(
          "order", [](const bkt::dataset& d) { return copy_numpy(d.order()); },
          "Order key of each row (float64; empty without one).")
      .def_property_readonly(
          "item_classes", [](const bkt::dataset& d) { return copy_numpy(d.item_classes()); },
          "Item-class code of each row (uint32; empty without one).")
      .def_property_readonly(
          "source_row", [](const bkt::dataset& d) { return copy_numpy(d.source_row()); },
          "Input row of each row (differs from the identity after a multi-skill split).")
      .def_property_readonly("learner_names", &bkt::dataset::learner_names)
      .def_property_readonly("skill_names", &bkt::dataset::skill_names)
      .def_property_readonly("class_names", &bkt::dataset::class_names)
      .def(
          "apply_multi_skill",
          [](const bkt::dataset& d, const std::string& policy, const std::string& separator) {
            return d.apply_multi_skill(bkt::parse_multi_skill(policy), separator);
          },
          py::arg("policy"), py::arg("separator") = "_",
          R"pbdoc(
Applies a multi-skill policy: ``"keep"`` (names as they are), ``"split"`` (a row whose skill
joins several with ``separator`` counts once per skill) or ``"reject"``.

:raises ParseError: with ``"reject"`` on a joined name, with ``"split"`` on a name with an empty
    part (``.row`` is the 0-based row).
)pbdoc")
      .def("select_learners", &bkt::dataset::select_learners, py::arg("keep"),
           "The rows of the learners whose flag in ``keep`` (one per learner code) is true.")
      .def("__repr__", [](const bkt::dataset& d) {
        return "<masterymap.bkt.Dataset: " + std::to_string(d.size()) + " rows, " +
               std::to_string(d.learner_count()) + " learners, " + std::to_string(d.skill_count()) +
               " skills>";
      });
  def_equality(dataset_cls);
  dataset_cls
      .def("__copy__",
           [](const py::object& self) {
             py::object c = py::cast(bkt::dataset(self.cast<const bkt::dataset&>()));
             c.attr("__dict__").attr("update")(self.attr("__dict__"));
             return c;
           })
      .def(
          "__deepcopy__",
          [](const py::object& self, const py::dict& memo) {
            py::object c = py::cast(bkt::dataset(self.cast<const bkt::dataset&>()));
            c.attr("__dict__")
                .attr("update")(
                    py::module_::import("copy").attr("deepcopy")(self.attr("__dict__"), memo));
            return c;
          },
          py::arg("memo"))
      .def(py::pickle(
          [](const py::object& self) {
            const auto& d = self.cast<const bkt::dataset&>();
            return py::make_tuple(bytes_array(d.to_bytes()), self.attr("__dict__"));
          },
          [](const py::tuple& t) {
            if (t.size() != 2) throw py::value_error("not the state of a pickled Dataset");
            py::buffer_info keep;
            const std::string_view bytes = buffer_view(t[0], keep);
            return std::make_pair(bkt::dataset::from_bytes(bytes), t[1].cast<py::dict>());
          }));

  const char* csv_doc = R"pbdoc(
Reads a response CSV (RFC 4180 quoting, LF or CRLF line ends, header first; a .csv.gz file is
decompressed).

:param learner, skill, correct: column names.
:param order: optional column to sort each learner's rows by: numbers or ISO 8601 times (""
    = rows are chronological).
:param item_class: optional column for per-class guess/slip (``multigs``).
:param multi_skill: ``"keep"``, ``"split"`` or ``"reject"`` for skill names joining several.
:param encoding: ``"utf-8"`` (checked; a BOM is skipped), ``"latin-1"`` or ``"cp1252"``.
:raises ParseError: with ``.line``, ``.column`` (1-based position in the file) and ``.row``
    (0-based data row) for a non-binary ``correct``, an empty learner or skill, a bad order
    value, invalid UTF-8 or a short row; for a missing column (line 1) or compressed input.
)pbdoc";
  m.def(
      "read_csv",
      [](const std::string& path, const std::string& learner, const std::string& skill,
         const std::string& correct, const std::string& order, const std::string& item_class,
         const std::string& delimiter, const std::string& multi_skill, const std::string& separator,
         const std::string& encoding, const py::object& progress) {
        const auto o = csv_from(learner, skill, correct, order, item_class, delimiter, multi_skill,
                                separator, encoding);
        const auto hook = python_progress(progress);
        py::gil_scoped_release release;
        return bkt::read_csv(path, o, hook);
      },
      py::arg("path"), py::arg("learner") = "user_id", py::arg("skill") = "skill_name",
      py::arg("correct") = "correct", py::arg("order") = "", py::arg("item_class") = "",
      py::arg("delimiter") = ",", py::arg("multi_skill") = "keep", py::arg("separator") = "_",
      py::arg("encoding") = "utf-8", py::kw_only(), py::arg("progress") = py::none(), csv_doc);
  m.def(
      "parse_csv",
      [](const py::bytes& text, const std::string& learner, const std::string& skill,
         const std::string& correct, const std::string& order, const std::string& item_class,
         const std::string& delimiter, const std::string& multi_skill, const std::string& separator,
         const std::string& encoding, const py::object& progress) {
        const auto o = csv_from(learner, skill, correct, order, item_class, delimiter, multi_skill,
                                separator, encoding);
        char* buffer = nullptr;
        py::ssize_t length = 0;
        if (PYBIND11_BYTES_AS_STRING_AND_SIZE(text.ptr(), &buffer, &length) != 0)
          throw py::error_already_set();
        const auto hook = python_progress(progress);
        py::gil_scoped_release release;
        return bkt::parse_csv(std::string_view(buffer, static_cast<std::size_t>(length)), o, hook);
      },
      py::arg("text"), py::arg("learner") = "user_id", py::arg("skill") = "skill_name",
      py::arg("correct") = "correct", py::arg("order") = "", py::arg("item_class") = "",
      py::arg("delimiter") = ",", py::arg("multi_skill") = "keep", py::arg("separator") = "_",
      py::arg("encoding") = "utf-8", py::kw_only(), py::arg("progress") = py::none(),
      "As :func:`read_csv`, from bytes in memory (decompressed: gzip input is a ParseError).");

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

  py::class_<bkt::tracer> tracer_cls(m, "Tracer", R"pbdoc(
Online knowledge tracing: per-learner P(mastered) per skill, advanced in O(1) per answer.

Compares by value (model, threshold, learners, every tracked state), copies (an independent
tracer) and pickles (as its JSON); unhashable (it changes with each answer).
)pbdoc");
  tracer_cls.def(py::init<bkt::model, double>(), py::arg("model"), py::arg("threshold") = 0.95)
      .def_property_readonly("model", &bkt::tracer::model)
      .def_property("threshold", &bkt::tracer::threshold, &bkt::tracer::set_threshold,
                    "Mastered when P(mastered) >= threshold.")
      .def_property_readonly("learners", &bkt::tracer::learners, "Learner names by index.")
      .def_property_readonly("tracked_pairs", &bkt::tracer::tracked_pairs)
      // Learners and skills are ids in any form (1, np.int64(1), 1.0 and "1" are one id).
      .def(
          "learner_index",
          [](bkt::tracer& t, const py::object& learner) {
            return t.learner_index(id_text(learner, "learner"));
          },
          py::arg("learner"), "Index of a learner, added if new.")
      .def(
          "skill_index",
          [](const bkt::tracer& t, const py::object& skill) {
            return t.skill_index(id_text(skill, "skill"));
          },
          py::arg("skill"), ":raises UnknownIdError: for a skill the model does not know.")
      .def(
          "update",
          [](bkt::tracer& t, const py::object& learner, const py::object& skill,
             const py::object& correct, const std::string& item_class) {
            return t.update(id_text(learner, "learner"), id_text(skill, "skill"),
                            correct_arg(correct), item_class);
          },
          py::arg("learner"), py::arg("skill"), py::arg("correct"), py::arg("item_class") = "",
          R"pbdoc(
Applies one answer; returns the new P(mastered).

:param correct: 0 or 1 (an int, numpy's too, or a bool)
:raises TypeError: ``correct`` is not an int or a bool (0.5, NaN, "no")
:raises ValueError: ``correct`` is an int other than 0 or 1
)pbdoc")
      .def(
          "update_batch",
          [](bkt::tracer& t, const carray<std::uint32_t>& learners,
             const carray<std::uint32_t>& skills, const carray<std::uint8_t>& correct,
             bool with_p_correct) -> py::object {
            const std::size_t n = static_cast<std::size_t>(correct.size());
            if (static_cast<std::size_t>(learners.size()) != n ||
                static_cast<std::size_t>(skills.size()) != n)
              throw std::invalid_argument("learners, skills and correct must have the same length");
            py::array_t<double> mastery(static_cast<py::ssize_t>(n));
            py::array_t<double> pc(with_p_correct ? static_cast<py::ssize_t>(n) : 0);
            double* mo = mastery.mutable_data();
            double* po = with_p_correct ? pc.mutable_data() : nullptr;
            const std::uint32_t* l = learners.data();
            const std::uint32_t* s = skills.data();
            const std::uint8_t* c = correct.data();
            // With the GIL held (O(1) per answer): every Tracer method holds the GIL throughout,
            // so another Python thread never sees a tracer half updated.
            t.update_batch(l, s, c, n, mo, po);
            if (with_p_correct) return py::make_tuple(mastery, pc);
            return std::move(mastery);
          },
          py::arg("learners"), py::arg("skills"), py::arg("correct"), py::arg("p_correct") = false,
          R"pbdoc(
Applies many answers in order, by learner and skill index.

:returns: P(mastered) after each answer (and, with ``p_correct=True``, P(correct) before it).
:raises IndexError: on an index past the end (nothing is changed).
)pbdoc")
      .def(
          "mastery",
          [](const bkt::tracer& t, const py::object& learner, const py::object& skill) {
            return t.mastery(id_text(learner, "learner"), id_text(skill, "skill"));
          },
          py::arg("learner"), py::arg("skill"), "P(mastered) now (the prior before any answer).")
      .def(
          "mastered",
          [](const bkt::tracer& t, const py::object& learner, const py::object& skill) {
            return t.mastered(id_text(learner, "learner"), id_text(skill, "skill"));
          },
          py::arg("learner"), py::arg("skill"))
      .def(
          "predict_correct",
          [](const bkt::tracer& t, const py::object& learner, const py::object& skill) {
            const auto k = t.skill_index(id_text(skill, "skill"));
            auto l = t.find_learner(id_text(learner, "learner"));
            if (!l) {
              const auto& p = t.model().params()[k];
              return p.prior * (1.0 - p.mean_slip()) + (1.0 - p.prior) * p.mean_guess();
            }
            return t.predict_correct(*l, k);
          },
          py::arg("learner"), py::arg("skill"), "P(correct) on the next answer.")
      .def(
          "opportunities",
          [](const bkt::tracer& t, const py::object& learner,
             const py::object& skill) -> std::uint32_t {
            const auto k = t.skill_index(id_text(skill, "skill"));
            auto l = t.find_learner(id_text(learner, "learner"));
            return l ? t.opportunities(*l, k) : 0;
          },
          py::arg("learner"), py::arg("skill"), "Answers seen for the pair.")
      .def(
          "reset",
          [](bkt::tracer& t, const py::object& learner) { t.reset(id_text(learner, "learner")); },
          py::arg("learner"), "Forgets every answer of a learner.")
      .def("reset_all", &bkt::tracer::reset_all)
      .def("to_json", &bkt::tracer::to_json, py::arg("indent") = -1,
           "Versioned JSON of the model, threshold and every state; doubles round-trip.")
      .def_static("from_json", &bkt::tracer::from_json, py::arg("text"));
  def_equality(tracer_cls);
  def_copy(tracer_cls);
  tracer_cls.def(py::pickle([](const bkt::tracer& t) { return t.to_json(-1); },
                            [](const std::string& s) { return bkt::tracer::from_json(s); }));
}

}  // namespace masterymap::python
