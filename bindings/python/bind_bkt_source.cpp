// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/bkt_source.hpp>

#include "bindings.hpp"
#include "pickle_py.hpp"

namespace masterymap::python {

namespace {

py::tuple source_state(const bkt::model_probabilities& s) {
  return py::make_tuple(s.model(), s.options().correct_at, s.options().skill_of,
                        s.options().unknown_uses_average);
}

}  // namespace

void bind_bkt_source(py::module_& m) {
  auto bkt = m.attr("bkt").cast<py::module_>();
  py::class_<bkt::model_probabilities, probability_source,
             std::shared_ptr<bkt::model_probabilities>>
      cls(bkt, "ModelProbabilities", R"pbdoc(
A :class:`masterymap.ProbabilitySource` backed by a fitted BKT model, for ``Method.bkt``.

For each learner and competency it replays the model's forward filter over the counted scores
(in observation order; a score ``>= correct_at`` is a correct answer) and returns P(mastered)
after the last one — the value a :class:`Tracer` fed the same answers reports. Runs in C++
without the GIL, so BKT and rule-based ratings can be computed side by side on one log.

:param model: the fitted core model (``Model.core``)
:param correct_at: the score at or above which an answer counts as correct
:param skill_of: competency id -> model skill (default: the competency id itself)
:param unknown_uses_average: rate competencies whose skill the model lacks with its average
    parameters (default: no value)

Immutable: compares by its model and options, hashes, copies and pickles (so a Roster or a
LearnerState that uses it travels with it).
)pbdoc");
  cls.def(py::init([](const bkt::model& model, double correct_at,
                      std::map<std::string, std::string> skill_of, bool unknown_uses_average) {
            bkt::source_options o;
            o.correct_at = correct_at;
            o.skill_of = std::move(skill_of);
            o.unknown_uses_average = unknown_uses_average;
            return std::make_shared<bkt::model_probabilities>(model, std::move(o));
          }),
          py::arg("model"), py::kw_only(), py::arg("correct_at") = 0.5,
          py::arg("skill_of") = std::map<std::string, std::string>{},
          py::arg("unknown_uses_average") = false)
      .def(
          "probability",
          [](const bkt::model_probabilities& s, const std::string& learner,
             const std::string& competency, const std::vector<double>& scores) {
            return s.probability(learner, competency, scores);
          },
          py::arg("learner"), py::arg("competency"), py::arg("scores"),
          "P(mastered) after ``scores`` (``None`` for an unknown skill).")
      .def_property_readonly("model", &bkt::model_probabilities::model)
      .def_property_readonly(
          "correct_at", [](const bkt::model_probabilities& s) { return s.options().correct_at; })
      .def_property_readonly("skill_of",
                             [](const bkt::model_probabilities& s) { return s.options().skill_of; })
      .def_property_readonly("unknown_uses_average", [](const bkt::model_probabilities& s) {
        return s.options().unknown_uses_average;
      });
  def_equality(cls);
  def_copy(cls);
  cls.def(py::pickle(&source_state,
                     [](const py::tuple& t) {
                       if (t.size() != 4)
                         throw py::value_error("not the state of a pickled ModelProbabilities");
                       bkt::source_options o;
                       o.correct_at = t[1].cast<double>();
                       o.skill_of = t[2].cast<std::map<std::string, std::string>>();
                       o.unknown_uses_average = t[3].cast<bool>();
                       return std::make_shared<bkt::model_probabilities>(t[0].cast<bkt::model>(),
                                                                         std::move(o));
                     }))
      .def("__hash__", [](const bkt::model_probabilities& s) {
        py::tuple st = source_state(s);
        st[0] = py::str(s.model().to_json(-1));
        return frozen_hash(st);
      });
}

}  // namespace masterymap::python
