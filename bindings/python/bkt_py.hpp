// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Shared by the bindings of masterymap::bkt (bind_bkt*.cpp): the submodule's parts and the
// array conversion they use.
#ifndef MASTERYMAP_PYTHON_BKT_PY_HPP
#define MASTERYMAP_PYTHON_BKT_PY_HPP

#include <pybind11/numpy.h>

#include <stdexcept>
#include <vector>

#include "bindings.hpp"

namespace masterymap::python {

template <typename T>
using carray = py::array_t<T, py::array::c_style | py::array::forcecast>;

/// A 1-D array as a vector. \throws std::invalid_argument for another number of dimensions.
template <typename T>
std::vector<T> to_vector(const carray<T>& a) {
  if (a.ndim() != 1) throw std::invalid_argument("expected a one-dimensional array");
  return std::vector<T>(a.data(), a.data() + a.size());
}

/// Binds bkt.Model and the fitting functions (fit, check_options, crossvalidate,
/// compute_metrics, simulate ...) into the bkt submodule `m` (bind_bkt_model.cpp).
void bind_bkt_model(py::module_& m);
/// Binds bkt.Tracer into the bkt submodule `m`, after the Model (bind_bkt_tracer.cpp).
void bind_bkt_tracer(py::module_& m);

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_BKT_PY_HPP
