// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Bindings of masterymap::bkt, part of the submodule masterymap._core.bkt (bind_bkt.cpp): the
// Tracer (online knowledge tracing).
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

void bind_bkt_tracer(py::module_& m) {
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
