// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include "pickle_py.hpp"

#include <cmath>
#include <cstdint>
#include <string>

#include "bindings.hpp"

namespace masterymap::python {

py::array_t<std::uint8_t> bytes_array(std::string&& bytes) {
  auto* heap = new std::string(std::move(bytes));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::string*>(p); });
  return py::array_t<std::uint8_t>({static_cast<py::ssize_t>(heap->size())}, {py::ssize_t{1}},
                                   reinterpret_cast<const std::uint8_t*>(heap->data()), owner);
}

std::string_view buffer_view(const py::handle& obj, py::buffer_info& keep, const char* what) {
  if (!PyObject_CheckBuffer(obj.ptr()))
    throw argument_error(
        what, "bytes (or a bytes-like object: bytearray, memoryview, a uint8 array)", obj);
  keep = py::reinterpret_borrow<py::buffer>(obj).request();
  const py::ssize_t n = keep.size * keep.itemsize;
  if (keep.ndim > 1 || (keep.ndim == 1 && keep.strides[0] != keep.itemsize))
    throw py::value_error("the bytes of a pickled state must be contiguous");
  return {static_cast<const char*>(keep.ptr), static_cast<std::size_t>(n)};
}

py::object shared_python(const void* key, const std::function<py::object()>& make) {
  // Never freed: it must outlive every object it refers to, up to interpreter shutdown. The
  // GIL guards it.
  static auto* live = new py::object(py::module_::import("weakref").attr("WeakValueDictionary")());
  const py::int_ k(reinterpret_cast<std::uintptr_t>(key));
  py::object found = live->attr("get")(k);
  if (!found.is_none()) return found;
  py::object made = make();
  (*live)[k] = made;
  return made;
}

py::object frozen(const py::handle& value) {
  if (py::isinstance<py::float_>(value) && std::isnan(value.cast<double>()))
    return py::str("<nan>");
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    py::list items;
    for (auto x : value) items.append(frozen(x));
    return py::tuple(items);
  }
  if (py::isinstance<py::dict>(value)) {
    py::list items;
    for (auto kv : value.cast<py::dict>())
      items.append(py::make_tuple(frozen(kv.first), frozen(kv.second)));
    items.attr("sort")();
    return py::tuple(items);
  }
  return py::reinterpret_borrow<py::object>(value);
}

}  // namespace masterymap::python
