// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: helpers shared by bind_progression, bind_pacing and bind_roster.
#ifndef MASTERYMAP_PYTHON_PROGRESSION_PY_HPP
#define MASTERYMAP_PYTHON_PROGRESSION_PY_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <masterymap/pacing.hpp>
#include <masterymap/progression.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

/// One learner's columns from numpy arrays, kept alive with the view.
struct view_args {
  view_args(const progression& p, const py::object& statuses, const py::object& scores,
            const py::object& last_evidence, const py::object& as_of);
  py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> st;
  py::array_t<double, py::array::c_style | py::array::forcecast> sc, le;
  learner_view v;
};

py::object opt_score(const std::optional<double>& x);
py::list id_list(const framework& fw, const std::vector<index_t>& v);

/// A C++ result struct with the framework that names its competencies: the Python result
/// types (Blocker, Gap, LearningPath, Recommendation, DomainLevel, PaceReport) show ids where
/// the struct holds framework indices.
template <typename T>
struct named {
  T value;
  framework fw;
};

/// Attribute `keys` of `self` as a dict; lists of result objects become lists of dicts.
py::dict fields_dict(const py::handle& self, const std::vector<const char*>& keys);
/// `type(k=v, ...)` over attribute `keys` (floats rounded to 4 decimals).
std::string fields_repr(const py::handle& self, const char* type,
                        const std::vector<const char*>& keys);
/// Every attribute in `keys` equal (NaN equal to NaN).
bool fields_equal(const py::handle& a, const py::handle& b, const std::vector<const char*>& keys);

/// `to_dict()` (exactly `dict_keys`), `__repr__` (`repr_keys`) and `__eq__` (over `dict_keys`)
/// of a result type.
template <typename T>
void add_result_methods(py::class_<T>& cls, const char* type, std::vector<const char*> dict_keys,
                        std::vector<const char*> repr_keys) {
  cls.def(
         "to_dict", [dict_keys](const py::object& self) { return fields_dict(self, dict_keys); },
         "The fields as a plain dict (the keys of the former dict results).")
      .def("__repr__",
           [type, repr_keys](const py::object& self) { return fields_repr(self, type, repr_keys); })
      .def("__eq__",
           [dict_keys](const py::object& self, const py::object& other) -> py::object {
             if (!py::isinstance<T>(other))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(fields_equal(self, other, dict_keys));
           })
      .attr("__hash__") = py::none();
}

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_PROGRESSION_PY_HPP
