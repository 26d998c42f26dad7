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

#include "pickle_py.hpp"

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

/// The Python Framework of a result: one object per framework (shared_python), so that a
/// list of results pickles its framework once.
py::object framework_object(const framework& fw);

/// The framework of a pickled result (checked against the competency indices in it).
framework result_framework(const py::handle& fw, const std::vector<index_t>& indices);

/// `to_dict()` (exactly `dict_keys`), `__repr__` (`repr_keys`), `__eq__`/`__ne__` (over
/// `dict_keys`, NaN equal to NaN: results compare by the ids they show), `__hash__` (of the
/// same fields: results are immutable), copying (they hold nothing mutable) and pickling
/// (`state`: the C++ record's fields as a tuple; `from_state` makes the record back).
using py_blocker = named<blocker>;
using py_gap = named<gap>;
using py_path = named<learning_path>;
using py_recommendation = named<recommendation>;
using py_level = named<domain_level>;

/// Each result with the framework, as a Python list.
template <typename T>
inline py::list wrap_all(const framework& fw, std::vector<T>&& xs) {
  py::list out(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) out[i] = py::cast(named<T>{std::move(xs[i]), fw});
  return out;
}

template <typename T, typename State, typename FromState>
void add_result_methods(py::class_<named<T>>& cls, const char* type,
                        std::vector<const char*> dict_keys, std::vector<const char*> repr_keys,
                        State state, FromState from_state) {
  using N = named<T>;
  cls.def(
         "to_dict", [dict_keys](const py::object& self) { return fields_dict(self, dict_keys); },
         "The fields as a plain dict (the keys of the former dict results).")
      .def("__repr__",
           [type, repr_keys](const py::object& self) { return fields_repr(self, type, repr_keys); })
      .def("__eq__",
           [dict_keys](const py::object& self, const py::object& other) -> py::object {
             if (!py::isinstance<N>(other))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(fields_equal(self, other, dict_keys));
           })
      .def("__ne__",
           [dict_keys](const py::object& self, const py::object& other) -> py::object {
             if (!py::isinstance<N>(other))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(!fields_equal(self, other, dict_keys));
           })
      .def(
          "__hash__",
          [dict_keys](const py::object& self) { return frozen_hash(fields_dict(self, dict_keys)); })
      .def("__copy__", [](const N& x) { return N(x); })
      .def(
          "__deepcopy__", [](const N& x, const py::dict& /*memo*/) { return N(x); },
          py::arg("memo"))
      .def(py::pickle(
          [state](const N& x) { return py::make_tuple(state(x.value), framework_object(x.fw)); },
          [from_state, type](const py::tuple& t) {
            if (t.size() != 2)
              throw py::value_error(std::string("not the state of a pickled ") + type);
            return from_state(t[0].cast<py::tuple>(), t[1]);
          }));
}

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_PROGRESSION_PY_HPP
