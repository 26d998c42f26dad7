// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_PYTHON_BINDINGS_HPP
#define MASTERYMAP_PYTHON_BINDINGS_HPP

#include <pybind11/pybind11.h>

#include <masterymap/error.hpp>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

void bind_errors(py::module_& m);

/// Sets the Python error `type(message)` with `attrs` set on the instance (bind_errors.cpp).
void raise_with(py::handle type, const char* message, const py::dict& attrs);
/// A problem list as Python dicts (kind, ids, message).
py::list problems_to_python(const std::vector<problem>& problems);
void bind_framework(py::module_& m);
void bind_csv(py::module_& m);
void bind_bkt(py::module_& m);
void bind_bkt_source(py::module_& m);
void bind_scale(py::module_& m);
void bind_policy(py::module_& m);
void bind_evidence(py::module_& m);
void bind_engine(py::module_& m);
void bind_progression(py::module_& m);
void bind_pacing(py::module_& m);
void bind_roster(py::module_& m);

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_BINDINGS_HPP
