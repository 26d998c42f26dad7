// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Wrong argument types: one TypeError naming the function, the parameter and what it accepts,
// for every bound function, instead of pybind11's "incompatible function arguments" and
// "Unable to cast Python instance".
//
// How: every pybind11 function object of the module calls one C dispatcher (the same function
// pointer in each PyMethodDef). guard_arguments points each of them at `guarded`, which calls
// pybind11's dispatcher and, only when that failed with pybind11's own wording, replaces the
// error with an explanation built by masterymap._arguments from the overloads' signatures
// and the call's arguments. Successful calls pay one extra function call and a null check;
// docstrings, signatures and overload resolution are unchanged, and nothing is attached to a
// bound type.
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "bindings.hpp"

namespace masterymap::python {
namespace {

// pybind11's dispatcher (one per extension module: the headers compile into each).
PyCFunction pybind11_dispatcher = nullptr;

// What to call a function in a message, by its function record (the head of its overload
// chain): "Rule()", "Roster.add()", "bkt.fit()", or "Rule.min_evidence" for a property.
// Read only when a call failed.
struct display_name {
  std::string text;
  bool accessor = false;  // a property's getter or setter: "Rule.min_evidence must be ..."
};
std::unordered_map<const void*, display_name>& names() {
  static auto* table = new std::unordered_map<const void*, display_name>();  // lives with the
  return *table;                                                             // interpreter
}

// Set by the translator of argument_error, read (and cleared) by `guarded` of the innermost
// bound call on the same thread: the message still lacks the function's name.
thread_local bool argument_error_pending = false;

// Set by an int_arg refusing an integer out of its range (bindings.hpp): (digits, lo, hi).
// Read by the explanation of the failed call that follows, on the same thread.
struct refused_int {
  std::string value, lo, hi;
};
thread_local refused_int last_refused_int;

// Set by a days_arg refusing a value (bindings.hpp): its repr. Read by the explanation of the
// failed call that follows, on the same thread.
thread_local std::string last_refused_days;

const py::detail::function_record* record_of(PyObject* self) {
  return static_cast<const py::detail::function_record*>(
      PyCapsule_GetPointer(self, py::detail::get_function_record_capsule_name()));
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// pybind11's own wording of a failed call: no overload matched, or a cast inside a body failed.
enum class failure { none, arguments, conversion };

failure classify(PyObject* type, const std::string& message, const char* name) {
  if (type == PyExc_TypeError && starts_with(message, std::string(name) + "(): incompatible "))
    return failure::arguments;
  if (type == PyExc_RuntimeError &&
      (starts_with(message, "Unable to cast") || starts_with(message, "Unable to move")))
    return failure::conversion;
  return failure::none;
}

bool is_comparison(const char* name) {
  for (const char* op : {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"})
    if (std::strcmp(name, op) == 0) return true;
  return false;
}

// The overloads of a chain as masterymap._arguments reads them: (signature, is_method,
// {argument name: default's text}).
py::list describe_overloads(const py::detail::function_record* rec) {
  py::list out;
  for (; rec != nullptr; rec = rec->next) {
    py::dict defaults;
    for (const auto& a : rec->args)
      if (a.name != nullptr && a.descr != nullptr) defaults[py::str(a.name)] = py::str(a.descr);
    out.append(py::make_tuple(py::str(rec->signature ? rec->signature : "()"),
                              py::bool_(rec->is_method), defaults));
  }
  return out;
}

// A private core function is called by a public wrapper of the package: a message names the
// function users called ("EvidenceLog.add()", not "EvidenceLog._add_row()").
std::string public_name(std::string display) {
  static const std::pair<const char*, const char*> wrappers[] = {
      {"EvidenceLog._add_row()", "EvidenceLog.add()"},
      {"EvidenceLog._append_columns()", "EvidenceLog.extend()"},
      {"Roster._ingest_log()", "Roster.ingest()"},
      {"Roster._ingest_columns()", "Roster.ingest()"},
      {"bkt.Model._read_json()", "bkt.Model.from_json()"},
      {"bkt.Model._read_file()", "bkt.Model.load()"},
      {"_pacing()", "LearnerState.pacing()"},
      {"_to_seconds()", "to_seconds()"},
      {"_simulate()", "testing.simulate()"},
      {"_fixture_chain()", "testing.chain()"},
      {"_fixture_diamond()", "testing.diamond()"},
      {"_fixture_policy()", "testing.policy()"},
      {"_fixture_log()", "testing.small_log()"},
      {"io.parse_xapi()", "io.read_xapi()"},
      {"io.default_verb_kinds()", "io.xapi_verb_kinds()"},
      {"io.parse_case()", "io.read_case()"},
      {"io.read_case_file()", "io.read_case()"},
      {"bkt.check_options()", "bkt.Model()"},
      {"bkt.compute_metrics()", "bkt.metrics()"}};
  for (const auto& [from, to] : wrappers)
    if (display == from) return to;
  // Otherwise the private name's public twin: "Roster._pacing()" -> "Roster.pacing()".
  const auto at = display.find("._");
  if (at != std::string::npos && display.compare(at, 3, ".__") != 0) display.erase(at + 1, 1);
  return display;
}

std::string display_of(const py::detail::function_record* rec, bool& accessor) {
  auto it = names().find(rec);
  if (it != names().end()) {
    accessor = it->second.accessor;
    return public_name(it->second.text);
  }
  accessor = false;
  return public_name(std::string(rec->name) + "()");
}

// Replaces the pending error of a failed call of `self` when it is pybind11's wording. Returns
// a new reference to return instead of failing (NotImplemented for a comparison with an
// unrelated type), or nullptr to fail with the (possibly replaced) error.
PyObject* explain_failure(PyObject* self, PyObject* args, PyObject* kwargs) noexcept {
  // Consumed by the innermost failed call, whatever its error: never left for a later one.
  const bool pending = std::exchange(argument_error_pending, false);
  const refused_int refused = std::exchange(last_refused_int, refused_int{});
  const std::string refused_days = std::exchange(last_refused_days, std::string());
  if (!PyErr_ExceptionMatches(PyExc_TypeError) && !PyErr_ExceptionMatches(PyExc_RuntimeError))
    return nullptr;
  PyObject *type = nullptr, *value = nullptr, *trace = nullptr;
  PyErr_Fetch(&type, &value, &trace);
  PyErr_NormalizeException(&type, &value, &trace);
  const py::object type_ = py::reinterpret_steal<py::object>(type);
  const py::object value_ = py::reinterpret_steal<py::object>(value);
  const py::object trace_ = py::reinterpret_steal<py::object>(trace);
  auto restore = [&] {
    PyErr_Restore(type_.inc_ref().ptr(), value_.inc_ref().ptr(), trace_.inc_ref().ptr());
  };
  try {
    const auto* rec = record_of(self);
    if (rec == nullptr) {
      PyErr_Clear();
      restore();
      return nullptr;
    }
    bool accessor = false;
    const std::string display = display_of(rec, accessor);
    const std::string message = py::str(value_);
    if (type == PyExc_TypeError && pending) {
      // A binding's own check (argument_error): the message lacks only the function's name.
      PyErr_SetString(PyExc_TypeError, (display + ": " + message).c_str());
      return nullptr;
    }
    const failure f = classify(type, message, rec->name);
    if (f == failure::none) {
      restore();
      return nullptr;
    }
    if (f == failure::arguments && is_comparison(rec->name))
      return py::handle(Py_NotImplemented).inc_ref().ptr();
    py::object text =
        py::module_::import("masterymap._arguments")
            .attr("explain")(
                display, accessor, describe_overloads(rec),
                py::reinterpret_borrow<py::object>(args),
                kwargs ? py::reinterpret_borrow<py::object>(kwargs) : py::object(py::dict()),
                f == failure::arguments ? "arguments" : "conversion",
                refused.value.empty()
                    ? py::object(py::none())
                    : py::object(py::make_tuple(refused.value, refused.lo, refused.hi)),
                refused_days.empty() ? py::object(py::none()) : py::object(py::str(refused_days)));
    // A message for a TypeError, or a ValueError to raise as it is (an int out of range).
    if (py::isinstance<py::str>(text))
      PyErr_SetObject(PyExc_TypeError, text.ptr());
    else
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(text.ptr())), text.ptr());
    return nullptr;
  } catch (py::error_already_set& e) {
    // The explanation itself failed (masterymap._arguments not importable?): say so, without
    // pybind11's wording.
    e.restore();
    PyErr_Clear();
  } catch (...) {
    PyErr_Clear();
  }
  PyErr_SetString(PyExc_TypeError, "wrong argument types (and the explanation failed)");
  return nullptr;
}

PyObject* guarded(PyObject* self, PyObject* args, PyObject* kwargs) {
  PyObject* result = reinterpret_cast<PyCFunctionWithKeywords>(
      reinterpret_cast<void (*)()>(pybind11_dispatcher))(self, args, kwargs);
  if (result == nullptr) return explain_failure(self, args, kwargs);
  return result;
}

// Points a pybind11 function object at `guarded` and records its display name.
void guard(py::handle f, std::string display, bool accessor) {
  if (f && PyInstanceMethod_Check(f.ptr())) f = PyInstanceMethod_GET_FUNCTION(f.ptr());
  if (!f || !PyCFunction_Check(f.ptr())) return;
  auto* cf = reinterpret_cast<PyCFunctionObject*>(f.ptr());
  if (cf->m_ml->ml_meth != pybind11_dispatcher) return;
  cf->m_ml->ml_meth = reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(guarded));
  if (const auto* rec = record_of(cf->m_self)) names()[rec] = {std::move(display), accessor};
}

// Walks a module, its submodules and classes (nested ones too), guarding every function.
struct walker {
  std::string root;  // "masterymap._core": only its own submodules and classes
  py::object staticmethod_type = py::module_::import("builtins").attr("staticmethod");
  py::object property_type = py::module_::import("builtins").attr("property");

  bool ours(py::handle v) const {
    return py::hasattr(v, "__module__") && starts_with(py::str(v.attr("__module__")), root);
  }

  void walk_class(py::handle cls, const std::string& prefix) const {
    const std::string qual = prefix + std::string(py::str(cls.attr("__name__")));
    const py::dict members = cls.attr("__dict__").attr("copy")();
    for (auto item : members) {
      const std::string attr = py::str(item.first);
      py::handle v = item.second;
      if (py::isinstance(v, staticmethod_type)) v = v.attr("__func__");
      if (PyInstanceMethod_Check(v.ptr()) || PyCFunction_Check(v.ptr())) {
        guard(v, attr == "__init__" ? qual + "()" : qual + "." + attr + "()", false);
      } else if (py::isinstance(v, property_type)) {
        guard(v.attr("fget"), qual + "." + attr, true);
        guard(v.attr("fset"), qual + "." + attr, true);
      } else if (PyType_Check(v.ptr()) && ours(v)) {
        walk_class(v, qual + ".");
      }
    }
  }

  void walk_module(const py::module_& m, const std::string& prefix) const {
    const py::dict members = m.attr("__dict__").attr("copy")();
    for (auto item : members) {
      const std::string attr = py::str(item.first);
      py::handle v = item.second;
      if (PyCFunction_Check(v.ptr())) {
        guard(v, prefix + attr + "()", false);
      } else if (PyType_Check(v.ptr()) && ours(v)) {
        walk_class(v, prefix);
      } else if (PyModule_Check(v.ptr()) && starts_with(py::str(v.attr("__name__")), root + ".")) {
        walk_module(py::reinterpret_borrow<py::module_>(v), prefix + attr + ".");
      }
    }
  }
};

}  // namespace

void note_refused_int(std::string value, std::string lo, std::string hi) {
  last_refused_int = {std::move(value), std::move(lo), std::move(hi)};
}

void note_refused_days(std::string repr) { last_refused_days = std::move(repr); }

bool load_days_arg(PyObject* src, double& out) {
  bool ok = false;
  double v = 0.0;
  if (!PyBool_Check(src) && std::strncmp(Py_TYPE(src)->tp_name, "numpy.bool", 10) != 0 &&
      !PyUnicode_Check(src) && !PyBytes_Check(src) && !PyByteArray_Check(src)) {
    if (PyFloat_Check(src)) {
      v = PyFloat_AS_DOUBLE(src);
      ok = true;
    } else if (PyIndex_Check(src) || PyNumber_Check(src)) {  // int, numpy numbers
      PyObject* f = PyNumber_Float(src);  // (an int past a double's range: OverflowError)
      if (f != nullptr) {
        v = PyFloat_AS_DOUBLE(f);
        Py_DECREF(f);
        ok = true;
      }
      PyErr_Clear();
    }
  }
  ok = ok && std::isfinite(v) && v >= 0.0;
  if (ok) {
    out = v;
    return true;
  }
  PyObject* repr = PyObject_Repr(src);
  if (repr != nullptr) {
    const char* text = PyUnicode_AsUTF8(repr);
    if (text != nullptr) note_refused_days(text);
    Py_DECREF(repr);
  }
  PyErr_Clear();
  return false;
}

argument_error::argument_error(std::string what, const char* accepts, const py::handle& got)
    : message_(std::move(what) + " must be " + accepts + ", got " +
               std::string(py::str(call_python("masterymap._arguments", "describe", got)))) {}

std::string fs_path(const py::handle& path, const char* what) {
  if (!py::isinstance<py::str>(path) && !py::hasattr(path, "__fspath__"))
    throw argument_error(what, "a str or os.PathLike", path);
  auto p = py::reinterpret_steal<py::object>(PyOS_FSPath(path.ptr()));
  if (!p) throw py::error_already_set();
  if (!py::isinstance<py::str>(p)) throw argument_error(what, "a str or os.PathLike[str]", path);
  return p.cast<std::string>();
}

void guard_arguments(py::module_& m) {
  const py::cpp_function probe([] {});
  pybind11_dispatcher = PyCFunction_GET_FUNCTION(probe.ptr());
  walker{py::str(m.attr("__name__"))}.walk_module(m, "");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const argument_error& e) {
      argument_error_pending = true;
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });
}

}  // namespace masterymap::python
