// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the Python LearnerState and the helpers bind_engine, bind_progression, bind_pacing and
// bind_roster share.
#ifndef MASTERYMAP_PYTHON_ENGINE_PY_HPP
#define MASTERYMAP_PYTHON_ENGINE_PY_HPP

#include <pybind11/pybind11.h>

#include <masterymap/engine.hpp>
#include <memory>

namespace masterymap::python {
namespace py = pybind11;

/// A learner state plus the log it was evaluated on (explain and evidence times need it) and
/// the Python Engine that evaluated it (pickled with the state, once for all its states).
struct py_state {
  learner_state st;
  py::object log;
  py::object engine;
  [[nodiscard]] const evidence_log& evidence() const { return log.cast<const evidence_log&>(); }
};

/// The one Python Engine per compiled engine (see shared_python): what a state pickles.
py::object engine_object(const engine& e);

/// A competency of `s` by id (str) or framework index (int).
/// \throws unknown_id_error; py::index_error for an index out of range.
index_t resolve(const learner_state& s, const py::handle& key);

/// The source of bkt probabilities: None, a ProbabilitySource, or a Python callable
/// (learner, competency, scores) -> float | None.
std::shared_ptr<const probability_source> to_probability_source(const py::object& probabilities);
/// The inverse: None, the Python callable, or the ProbabilitySource object (to pickle it).
py::object probability_object(const std::shared_ptr<const probability_source>& source);

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_ENGINE_PY_HPP
