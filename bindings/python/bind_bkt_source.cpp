// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/bkt_source.hpp>

#include "bindings.hpp"

namespace masterymap::python {

void bind_bkt_source(py::module_& m) {
  auto bkt = m.attr("bkt").cast<py::module_>();
  py::class_<bkt::model_probabilities, probability_source,
             std::shared_ptr<bkt::model_probabilities>>(bkt, "ModelProbabilities", R"pbdoc(
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
)pbdoc")
      .def(py::init([](const bkt::model& model, double correct_at,
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
          "P(mastered) after ``scores`` (``None`` for an unknown skill).");
}

}  // namespace masterymap::python
