// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <pybind11/stl.h>

#include <masterymap/error.hpp>
#include <vector>

#include "bindings.hpp"

namespace masterymap::python {

// A message as Python text whatever its bytes: a parser's message may quote input cut in the
// middle of a UTF-8 sequence, and a message that cannot be decoded would replace the error with
// a UnicodeDecodeError. Undecodable bytes become U+FFFD.
py::str message_text(const std::string& message) {
  PyObject* text =
      PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "replace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

// Raises `type(message)` with extra attributes set on the instance, so Python users can read
// `.problems`, `.cycle`, `.line` ... without parsing messages.
void raise_with(py::handle type, const char* message, const py::dict& attrs) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(message_text(message));
  for (auto item : attrs) py::setattr(exc, item.first, item.second);
  PyErr_SetObject(type.ptr(), exc.ptr());
}

py::list problems_to_python(const std::vector<problem>& problems) {
  py::list out;
  for (const auto& p : problems) {
    py::dict d;
    d["kind"] = to_string(p.kind);
    py::list ids;
    for (const std::string& id : p.ids) ids.append(message_text(id));
    d["ids"] = ids;
    d["message"] = message_text(p.message);
    out.append(d);
  }
  return out;
}

void bind_errors(py::module_& m) {
  // Handles live for the life of the interpreter, as pybind11's own registered exceptions do.
  static py::exception<error> base(m, "Error", PyExc_RuntimeError);
  static py::exception<validation_error> validation(m, "ValidationError", base.ptr());
  static py::exception<cycle_error> cycle(m, "CycleError", validation.ptr());
  static py::exception<unknown_id_error> unknown(m, "UnknownIdError", base.ptr());
  static py::exception<policy_error> policy(m, "PolicyError", base.ptr());
  static py::exception<parse_error> parse(m, "ParseError", base.ptr());
  // FileError is an Error and an OSError, MissingFileError also a FileNotFoundError, so callers
  // can catch the library's class or Python's. Two bases: made with PyErr_NewException, which
  // py::exception cannot do.
  const auto new_exception = [](const char* name, const char* doc, py::handle a, py::handle b) {
    const py::tuple bases = py::make_tuple(a, b);
    PyObject* type = PyErr_NewExceptionWithDoc(name, doc, bases.ptr(), nullptr);
    if (type == nullptr) throw py::error_already_set();
    return py::handle(type);  // kept for the life of the interpreter, like `base`
  };
  static py::handle file = new_exception(
      "masterymap._core.FileError",
      "A file could not be opened, read or written (every reader and writer raises it). "
      "An Error and an OSError: `.filename`, `.errno` and `.strerror` are set.",
      base, PyExc_OSError);
  static py::handle missing_file =
      new_exception("masterymap._core.MissingFileError",
                    "The file does not exist: a FileError and a FileNotFoundError.", file,
                    PyExc_FileNotFoundError);
  m.attr("FileError") = file;
  m.attr("MissingFileError") = missing_file;
  // OSError pickles errno, strerror and filename only when it was built from them; a FileError
  // is built from its message, so it says itself what to restore (multiprocessing sends a
  // worker's exception back pickled). BaseException.__setstate__ sets the attributes back.
  file.attr("__reduce__") = py::cpp_function(
      [](const py::handle& self) {
        py::dict state;
        if (py::hasattr(self, "__dict__")) state.attr("update")(self.attr("__dict__"));
        for (const char* k : {"errno", "strerror", "filename"}) state[k] = self.attr(k);
        return py::make_tuple(py::type::of(self), self.attr("args"), state);
      },
      py::is_method(file), py::name("__reduce__"));
  base.doc() = "Base of every masterymap error (a RuntimeError).";
  validation.doc() = "Validation found problems; `.problems` lists each (kind, ids, message).";
  cycle.doc() = "Prerequisite or hierarchy cycles; `.cycle` is the first, in order.";
  unknown.doc() = "An id is not known; `.id` holds it.";
  policy.doc() = "A policy is inconsistent; `.problems` lists each with its field path.";
  parse.doc() =
      "Malformed input. `.line` and `.column`: the 1-based position in the file (the column "
      "counts characters; None when unknown or not from a file); `.row`: the 0-based data row "
      "of a table, the header not counted (None when not about a row).";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const cycle_error& e) {
      py::dict a;
      a["problems"] = problems_to_python(e.problems());
      py::list cycle_ids;
      for (const std::string& id : e.cycle()) cycle_ids.append(message_text(id));
      a["cycle"] = cycle_ids;
      py::list cycles;
      for (const auto& pr : e.problems()) cycles.append(py::cast(pr.ids));
      a["cycles"] = cycles;
      raise_with(cycle, e.what(), a);
    } catch (const validation_error& e) {
      py::dict a;
      a["problems"] = problems_to_python(e.problems());
      raise_with(validation, e.what(), a);
    } catch (const unknown_id_error& e) {
      py::dict a;
      a["id"] = e.id();
      raise_with(unknown, e.what(), a);
    } catch (const policy_error& e) {
      py::dict a;
      a["problems"] = e.problems();
      raise_with(policy, e.what(), a);
    } catch (const parse_error& e) {
      py::dict a;
      const auto known = [](std::size_t v) {
        return v == 0 ? py::object(py::none()) : py::object(py::int_(v));
      };
      a["line"] = known(e.line());
      a["column"] = known(e.column());
      a["row"] = e.row() ? py::object(py::int_(*e.row())) : py::object(py::none());
      raise_with(parse, e.what(), a);
    } catch (const file_error& e) {
      py::dict a;
      a["errno"] = e.code().value();
      a["strerror"] = e.action() + ": " + e.code().message();
      a["filename"] = e.path();
      raise_with(e.missing() ? missing_file : file, e.what(), a);
    } catch (const error& e) {
      raise_with(base, e.what(), py::dict());
    }
  });
}

}  // namespace masterymap::python
