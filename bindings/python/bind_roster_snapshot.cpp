// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// A roster's snapshot in Python: save/load, bytes, equality, copies and pickling.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <masterymap/roster.hpp>
#include <memory>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "pickle_py.hpp"
#include "progress_py.hpp"
#include "roster_py.hpp"

namespace masterymap::python {

void bind_roster_snapshot(py::class_<roster>& roster_cls) {
  roster_cls
      .def(
          "save",
          [](const roster& r, const py::object& path, const py::object& progress,
             int_arg<std::uint32_t> version) {
            const std::string p = fs_path(path);
            const auto hook = python_progress(progress);
            py::gil_scoped_release rel;
            const read_lock lock(&r, roster_type);
            r.save(p, hook, version.value);
          },
          py::arg("path"), py::kw_only(), py::arg("progress") = py::none(), py::arg("version") = 0,
          "Writes the whole roster to a versioned binary snapshot. ``progress(done, total)``: "
          "bytes of the evidence columns and tables read; raising from it (or Ctrl-C) cancels. "
          "``version``: 0 (the default) or 7: the tables as held in memory, restored in place, "
          "written as 6 when the log has no timestamp texts and as 7 when it keeps statements' "
          "timestamp texts; 6: that format, ValueError (naming versions 7 and 0, the file "
          "untouched) when the log has timestamp texts, which it has no place for; or 5 (or 4, "
          "the same) for the cell-list format of earlier releases (written as version 4 when "
          "the log has no retractions; ValueError when the log has timestamp texts: that format "
          "has no place for them); anything else raises ValueError naming these.")
      .def_static(
          "load",
          [](const py::object& path, unsigned threads, const py::object& probabilities,
             const py::object& progress) {
            const std::string p = fs_path(path);
            roster_options o;
            o.threads = threads;
            o.probabilities = to_probability_source(probabilities);
            const auto hook = python_progress(progress);
            std::unique_ptr<roster> out;
            {
              py::gil_scoped_release rel;
              out = std::make_unique<roster>(roster::load(p, o, hook));
            }
            return out;
          },
          py::arg("path"), py::kw_only(), py::arg("threads") = 0,
          py::arg("probabilities") = py::none(), py::arg("progress") = py::none(),
          "Restores a roster written by :meth:`save` (raises ParseError on a bad file); "
          "``probabilities`` as for the constructor. ``progress(done, total)``: the file's "
          "bytes, counted twice (read, then restored); raising from it (or Ctrl-C) cancels.")
      .def(
          "to_bytes",
          [](const roster& r) {
            const read_lock lock(&r, roster_type);
            std::string b;
            {
              py::gil_scoped_release rel;
              b = r.to_bytes();
            }
            return py::bytes(b);
          },
          "The snapshot :meth:`save` writes, as bytes.")
      .def_static(
          "from_bytes",
          [](const py::object& data, unsigned threads, const py::object& probabilities) {
            roster_options o;
            o.threads = threads;
            o.probabilities = to_probability_source(probabilities);
            py::buffer_info keep;
            const std::string_view bytes = buffer_view(data, keep, "data");
            std::unique_ptr<roster> out;
            {
              py::gil_scoped_release rel;
              out = std::make_unique<roster>(roster::from_bytes(bytes, o));
            }
            return out;
          },
          py::arg("data"), py::kw_only(), py::arg("threads") = 0,
          py::arg("probabilities") = py::none(),
          "Restores a roster from :meth:`to_bytes` (bytes or any buffer), as :meth:`load` "
          "(raises ParseError on bad bytes).");
  // As def_equality, holding both rosters for reading (another thread may be ingesting).
  const auto equal = [](const roster& a, const roster& b) {
    const lock_set locks{{&a, roster_type, false}, {&a == &b ? nullptr : &b, roster_type, false}};
    return a == b;
  };
  roster_cls.def("__eq__", equal, py::is_operator())
      .def(
          "__ne__", [equal](const roster& a, const roster& b) { return !equal(a, b); },
          py::is_operator());
  // A roster is not copyable in C++ (it is large): copies go through its snapshot in memory.
  const auto copy_of = [](const roster& r, roster_options o) {
    const read_lock lock(&r, roster_type);
    py::gil_scoped_release rel;
    return roster::from_bytes(r.to_bytes(), std::move(o));
  };
  roster_cls.def("__copy__", [copy_of](const roster& r) { return copy_of(r, r.options()); })
      .def(
          "__deepcopy__",
          [copy_of](const roster& r, const py::dict& memo) {
            roster_options o = r.options();
            o.probabilities = to_probability_source(py::module_::import("copy").attr("deepcopy")(
                probability_object(o.probabilities), memo));
            return copy_of(r, std::move(o));
          },
          py::arg("memo"));
  roster_cls.def(py::pickle(
      [](const roster& r) {
        const read_lock lock(&r, roster_type);
        std::string b;
        {
          py::gil_scoped_release rel;
          b = r.to_bytes();
        }
        return py::make_tuple(bytes_array(std::move(b)), r.options().threads,
                              probability_object(r.options().probabilities));
      },
      [](const py::tuple& t) {
        if (t.size() != 3) throw py::value_error("not the state of a pickled Roster");
        roster_options o;
        o.threads = t[1].cast<unsigned>();
        o.probabilities = to_probability_source(t[2]);
        py::buffer_info keep;
        const std::string_view bytes = buffer_view(t[0], keep);
        py::gil_scoped_release rel;
        return roster::from_bytes(bytes, o);
      }));
}

}  // namespace masterymap::python
