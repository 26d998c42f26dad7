// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Competencies given from Python: one key (an id or a framework index, `resolve`) or many
// indices (`index_vector`), with the rule that tells a numeric id from an index.
#include <pybind11/numpy.h>

#include <cmath>
#include <cstring>
#include <masterymap/framework.hpp>
#include <sstream>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace masterymap::python {
namespace {

using index_array = py::array_t<index_t, py::array::c_style | py::array::forcecast>;

// An integral double as text without a fraction ("-1", "1e+20" past 64 bits).
std::string fmt_index(double v) {
  if (std::fabs(v) < 9e18) return std::to_string(static_cast<long long>(v));
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

// (bindings.hpp)
std::vector<index_t> index_vector(const framework& f, const py::handle& x, const char* what) {
  const char* accepts = "an int or an array of indices (integers)";
  if (PyBool_Check(x.ptr()) || PyUnicode_Check(x.ptr()) || PyBytes_Check(x.ptr()) ||
      PyByteArray_Check(x.ptr()))
    throw argument_error(what, accepts, x);
  py::array a;
  try {
    a = py::array::ensure(x);
  } catch (py::error_already_set&) {
  }
  if (!a) throw argument_error(what, accepts, x);
  const char kind = a.dtype().kind();
  if (kind != 'f' && kind != 'i' && kind != 'u') throw argument_error(what, accepts, x);
  // Every value checked before the cast to 32 bits, which would wrap 2**32 + 1 to 1.
  const auto n = static_cast<double>(f.size());
  const auto out_of_range = [&](const std::string& v) {
    return py::index_error(std::string(what) + ": " +
                           (v[0] == '-' ? "negative index " : "framework index ") + v +
                           " out of range [0, " + std::to_string(f.size()) + ")");
  };
  if (kind == 'f') {
    const auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t k = 0; k < d.size(); ++k) {
      const double v = d.data()[k];
      if (!(std::isfinite(v) && v == std::trunc(v)))
        throw argument_error(std::string(what) + "[" + std::to_string(k) + "]",
                             "an integer (an index; a float only when integral)", py::float_(v));
      if (v < 0 || v >= n) throw out_of_range(fmt_index(v));
    }
  } else if (kind == 'i') {
    const auto d = py::array_t<long long, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t k = 0; k < d.size(); ++k)
      if (d.data()[k] < 0 || static_cast<unsigned long long>(d.data()[k]) >= f.size())
        throw out_of_range(std::to_string(d.data()[k]));
  } else {
    const auto d =
        py::array_t<unsigned long long, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t k = 0; k < d.size(); ++k)
      if (d.data()[k] >= f.size()) throw out_of_range(std::to_string(d.data()[k]));
  }
  const auto idx = index_array::ensure(a);
  if (!idx) throw argument_error(what, accepts, x);
  return std::vector<index_t>(idx.data(), idx.data() + idx.size());
}

namespace {

bool is_bool(const py::handle& key) {
  // numpy's bool has no __index__ in use, but is a bool all the same
  return PyBool_Check(key.ptr()) || std::strcmp(Py_TYPE(key.ptr())->tp_name, "numpy.bool_") == 0;
}

// An integer key as a long long: an int (numpy's too) or an integral float (1.0 is 1, as in a
// batch). False for anything else; `out_of_range` for an integer beyond long long.
bool integer_key(const py::handle& key, long long& out, bool& out_of_range) {
  out_of_range = false;
  if (is_bool(key)) return false;
  if (PyIndex_Check(key.ptr())) {
    int overflow = 0;
    const auto i = py::reinterpret_steal<py::object>(PyNumber_Index(key.ptr()));
    if (!i) throw py::error_already_set();
    out = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    out_of_range = overflow != 0;
    return true;
  }
  if (PyFloat_Check(key.ptr()) ||
      std::strncmp(Py_TYPE(key.ptr())->tp_name, "numpy.float", 11) == 0) {
    const double v = PyFloat_AsDouble(key.ptr());
    if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    if (!(std::isfinite(v) && v == std::trunc(v))) return false;
    out_of_range = std::fabs(v) >= 9.2e18;
    out = out_of_range ? 0 : static_cast<long long>(v);
    return true;
  }
  return false;
}

}  // namespace

index_t resolve(const framework& f, const py::handle& key, const std::string& what) {
  if (PyUnicode_Check(key.ptr())) return f.index_of(key.cast<std::string>());
  long long i = 0;
  bool huge = false;
  if (!integer_key(key, i, huge))
    throw argument_error(what,
                         "a competency id (str) or a framework index (an integer; a float "
                         "only when integral)",
                         key);
  // A number is the id with its text when the framework has one (numeric ids, as a batch
  // reads 1, np.int64(1) and 1.0), else an index. Never silently the other reading: a number
  // that is both an id and the index of another competency is an error.
  // (an integer beyond long long: its digits, from Python's int)
  const std::string text =
      huge ? std::string(py::str(py::int_(py::reinterpret_borrow<py::object>(key))))
           : std::to_string(i);
  const bool in_range = !huge && i >= 0 && static_cast<unsigned long long>(i) < f.size();
  if (const auto id = f.find(text)) {
    if (!in_range || *id == static_cast<index_t>(i)) return *id;
    throw py::value_error(
        what + ": " + text + " is both the id '" + text + "' (index " + std::to_string(*id) +
        ") and the index of '" + f.id_of(static_cast<index_t>(i)) + "'; pass the id as a str ('" +
        text + "' or '" + f.id_of(static_cast<index_t>(i)) + "'; fw.index_of(id) gives an index)");
  }
  if (!in_range)
    throw py::index_error(what + ": framework index " + text + " out of range [0, " +
                          std::to_string(f.size()) + ") and no competency has the id '" + text +
                          "'");
  return static_cast<index_t>(i);
}

}  // namespace masterymap::python
