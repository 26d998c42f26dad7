// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: what every bound type uses to travel (pickle, copy) and compare (==, !=, hash).
//
// Conventions, the same for every type:
// - Pickling goes through the library's own serialisations (framework and policy JSON, the
//   roster snapshot, the BKT model and tracer JSON, the compact binary forms of learner states
//   and datasets) or, for small records, a tuple of their fields; big binary states are numpy
//   uint8 arrays, so pickle protocol 5 can send them out of band.
// - `==` and `!=` come from the C++ `operator==` (NotImplemented for another type, so
//   comparing with anything else is False, never a TypeError).
// - Mutable types are unhashable (`__hash__` is None); immutable ones hash consistently with
//   `==`.
#ifndef MASTERYMAP_PYTHON_PICKLE_PY_HPP
#define MASTERYMAP_PYTHON_PICKLE_PY_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace masterymap::python {
namespace py = pybind11;

/// `__eq__` and `__ne__` from `T`'s `operator==`, returning NotImplemented for other types.
/// Leaves `__hash__` None (pybind11 does that for a class defining `__eq__`): mutable types.
template <typename T, typename... Options>
void def_equality(py::class_<T, Options...>& cls) {
  cls.def(
         "__eq__", [](const T& a, const T& b) { return a == b; }, py::is_operator())
      .def(
          "__ne__", [](const T& a, const T& b) { return !(a == b); }, py::is_operator());
}

/// `__copy__` and `__deepcopy__` as a C++ copy: for types that hold no Python objects (a copy
/// is then independent of the original, as a deep copy must be).
template <typename T, typename... Options>
void def_copy(py::class_<T, Options...>& cls) {
  cls.def("__copy__", [](const T& x) { return T(x); })
      .def(
          "__deepcopy__", [](const T& x, const py::dict& /*memo*/) { return T(x); },
          py::arg("memo"));
}

/// A one-dimensional uint8 array that owns `bytes` (no copy): the state of the big objects.
/// pickle protocol 5 can send it out of band; older protocols copy it in band.
py::array_t<std::uint8_t> bytes_array(std::string&& bytes);

/// The bytes of a state: anything with the buffer protocol (the array from `bytes_array`,
/// bytes, bytearray, memoryview). `keep` keeps the buffer alive while the view is used.
/// \throws TypeError naming the parameter `what` for anything else, ValueError for a
/// non-contiguous buffer.
std::string_view buffer_view(const py::handle& obj, py::buffer_info& keep,
                             const char* what = "state");

/// One Python object per live C++ object, so that pickling many objects that share a part (the
/// learner states of one engine, the results over one framework) writes the part once: the
/// same `key` (the address of the shared C++ data) gives the same Python object while it
/// lives; otherwise `make()` makes one.
py::object shared_python(const void* key, const std::function<py::object()>& make);

/// A hashable form of a state: lists become tuples, dicts sorted tuples of items, NaN one
/// marker (so that NaN fields, which compare equal, hash equal). For hashing immutable records
/// consistently with an `==` that compares the same state.
py::object frozen(const py::handle& value);

/// `hash(frozen(value))`.
inline py::ssize_t frozen_hash(const py::handle& value) { return py::hash(frozen(value)); }

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_PICKLE_PY_HPP
