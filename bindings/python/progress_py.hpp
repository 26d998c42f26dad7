// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the progress hook (masterymap/progress.hpp) of every long call made from Python.
#ifndef MASTERYMAP_PYTHON_PROGRESS_PY_HPP
#define MASTERYMAP_PYTHON_PROGRESS_PY_HPP

#include <pybind11/pybind11.h>

#include <chrono>
#include <cstdint>
#include <masterymap/progress.hpp>
#include <string>

namespace masterymap::python {
namespace py = pybind11;

/// How often a long call made from Python reports (checks for Ctrl-C, calls `progress`).
inline constexpr std::chrono::milliseconds report_interval{50};

/// Reports of a long call, while the GIL is released: about every 50 ms, on the calling thread,
/// the hook takes the GIL, runs Python's signal handlers (so Ctrl-C raises KeyboardInterrupt in
/// the middle of the call) and calls `callback(done, total)` if one is given. An exception from
/// either cancels the call, which leaves its object unchanged and re-raises it.
///
/// `callback` must stay alive for the call (it is the bound method's argument); the returned
/// hook holds it without a reference, so the hook may be destroyed without the GIL.
/// \throws py::type_error when `callback` is neither None nor callable.
inline progress python_progress(const py::object& callback) {
  if (!callback.is_none() && PyCallable_Check(callback.ptr()) == 0)
    throw py::type_error("progress must be None or a callable progress(done, total), got " +
                         std::string(py::str(py::type::handle_of(callback).attr("__name__"))));
  progress p;
  p.interval = report_interval;
  PyObject* cb = callback.is_none() ? nullptr : callback.ptr();
  // Without a callback, a call shorter than the interval takes no GIL at all: its reports (the
  // last one, those of nested calls) could only check signals, which Python does on return.
  // (Two words of state: std::function keeps them without allocating.)
  const auto start = std::chrono::steady_clock::now();
  p.report = [cb, start](std::uint64_t done, std::uint64_t total) {
    if (cb == nullptr && std::chrono::steady_clock::now() - start < report_interval) return;
    const py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (cb != nullptr) {
      const py::handle fn(cb);
      fn(done, total);
    }
  };
  return p;
}

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_PROGRESS_PY_HPP
