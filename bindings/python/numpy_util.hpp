// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// numpy arrays from C++ vectors: one owner-transferring form, one copying form.
#ifndef MASTERYMAP_PYTHON_NUMPY_UTIL_HPP
#define MASTERYMAP_PYTHON_NUMPY_UTIL_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstring>
#include <utility>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

/// A 1-D array that takes over `v` without copying: the vector moves into a capsule that the
/// array owns, so its memory is freed when the array is (works for any allocator, e.g. the
/// huge-page backed masterymap::column).
template <typename T, typename A>
py::array_t<T> move_numpy(std::vector<T, A>&& v) {
  auto* heap = new std::vector<T, A>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T, A>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(heap->size())},
                        {static_cast<py::ssize_t>(sizeof(T))}, heap->data(), owner);
}

/// A C-ordered rows x cols array taking over `v` (size rows * cols) without copying.
template <typename T, typename A>
py::array_t<T> move_numpy(std::vector<T, A>&& v, py::ssize_t rows, py::ssize_t cols) {
  auto* heap = new std::vector<T, A>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T, A>*>(p); });
  return py::array_t<T>(
      {rows, cols},
      {static_cast<py::ssize_t>(sizeof(T)) * cols, static_cast<py::ssize_t>(sizeof(T))},
      heap->data(), owner);
}

/// A 1-D array with a copy of `v` (for data the C++ object keeps).
template <typename T, typename A>
py::array_t<T> copy_numpy(const std::vector<T, A>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(T));
  return out;
}

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_NUMPY_UTIL_HPP
