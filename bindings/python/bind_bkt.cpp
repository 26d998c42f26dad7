// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Bindings of masterymap::bkt as the submodule masterymap._core.bkt. The friendly, pandas-aware
// API is the pure-Python masterymap.bkt (bindings/python/masterymap/bkt.py) built on this.
// Here: the submodule, its Dataset and the CSV readers; the Model and fitting in
// bind_bkt_model.cpp, the Tracer in bind_bkt_tracer.cpp.
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
  bind_bkt_model(m);
  bind_bkt_tracer(m);
}

}  // namespace masterymap::python
