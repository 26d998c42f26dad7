// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Times from Python: the one conversion of every time argument (to_seconds), and the two array
// conversions between seconds and datetime64[ns] that _columns and _frames use.
#include <pybind11/numpy.h>
// After pybind11 (Python.h): the datetime C API.
#include <datetime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <masterymap/column.hpp>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <string>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace masterymap::python {
namespace {

constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

/// Microseconds to seconds: one division of an exact integer, so the result is the double
/// nearest the microsecond whatever path the time came by.
double from_micros(std::int64_t us) { return static_cast<double>(us) / 1e6; }

/// Nanoseconds (NaT = int64 min) to seconds, rounded half up to the microsecond.
double from_nanos(std::int64_t ns) {
  if (ns == nat) return nan_v;
  std::int64_t q = ns / 1000, r = ns % 1000;
  if (r < 0) {  // floor division
    r += 1000;
    --q;
  }
  return from_micros(q + (r >= 500 ? 1 : 0));
}

std::string type_name(const py::handle& t) {
  return py::str(py::type::handle_of(t).attr("__qualname__")).cast<std::string>();
}

[[noreturn]] void wrong_type(const py::handle& t, const char* name) {
  throw py::type_error(std::string(name) +
                       ": expected a time (seconds since the Unix epoch, an ISO 8601 string, a "
                       "datetime, a date, a pandas.Timestamp or a numpy.datetime64), got " +
                       type_name(t));
}

// Types imported on first use (numpy is a dependency of the package). The handles are leaked
// on purpose, as pybind11 does with its own, so nothing is released after the interpreter is
// gone.
const py::handle& datetime64_type() {
  static py::handle type = py::object(py::module_::import("numpy").attr("datetime64")).release();
  return type;
}
const py::handle& timedelta64_type() {
  static py::handle type = py::object(py::module_::import("numpy").attr("timedelta64")).release();
  return type;
}
const py::handle& real_type() {
  static py::handle type = py::object(py::module_::import("numbers").attr("Real")).release();
  return type;
}
const py::handle& naive_epoch() {
  static py::handle epoch = py::module_::import("datetime").attr("datetime")(1970, 1, 1).release();
  return epoch;
}

/// Microseconds of a timedelta (exact integer arithmetic).
std::int64_t micros_of(const py::object& delta) {
  if (!PyDelta_Check(delta.ptr())) throw py::type_error("a time difference is not a timedelta");
  return static_cast<std::int64_t>(PyDateTime_DELTA_GET_DAYS(delta.ptr())) * 86400000000LL +
         static_cast<std::int64_t>(PyDateTime_DELTA_GET_SECONDS(delta.ptr())) * 1000000LL +
         PyDateTime_DELTA_GET_MICROSECONDS(delta.ptr());
}

/// Seconds of a datetime: aware ones through their UTC offset, naive ones taken as UTC.
double datetime_seconds(const py::handle& t) {
  if (!PyDateTime_CheckExact(t.ptr()) && py::hasattr(t, "nanosecond") && py::hasattr(t, "value")) {
    // pandas.Timestamp (a datetime subclass; pandas.NaT too): `value` is nanoseconds since
    // the epoch in UTC (wall time for naive ones).
    return from_nanos(t.attr("value").cast<std::int64_t>());
  }
  const py::object offset = t.attr("utcoffset")();
  const py::object naive = offset.is_none() ? py::reinterpret_borrow<py::object>(t)
                                            : t.attr("replace")(py::arg("tzinfo") = py::none());
  // (wall time - 1970-01-01) as a timedelta, less the UTC offset: exact to the microsecond.
  std::int64_t us = micros_of(naive - naive_epoch());
  if (!offset.is_none()) us -= micros_of(offset);
  return from_micros(us);
}

/// Seconds of a numpy.datetime64 of any unit (NaT: NaN).
double datetime64_seconds(const py::handle& t) {
  const std::string unit = py::module_::import("numpy")
                               .attr("datetime_data")(t.attr("dtype"))[py::int_(0)]
                               .cast<std::string>();
  // Units finer than a microsecond go through nanoseconds (rounded); the others convert to
  // microseconds exactly.
  const bool fine = unit == "ns" || unit == "ps" || unit == "fs" || unit == "as";
  const auto v = t.attr("astype")(fine ? "datetime64[ns]" : "datetime64[us]")
                     .attr("astype")("int64")
                     .cast<std::int64_t>();
  if (v == nat) return nan_v;
  return fine ? from_nanos(v) : from_micros(v);
}

}  // namespace

double to_seconds(const py::handle& t, const char* name, bool missing_ok) {
  double s = 0;
  // Numbers first: Roster.add calls this once per event.
  if (PyFloat_Check(t.ptr())) {
    s = PyFloat_AS_DOUBLE(t.ptr());
  } else if (PyLong_CheckExact(t.ptr())) {
    s = t.cast<double>();
  } else if (PyUnicode_Check(t.ptr())) {
    const std::string text = t.cast<std::string>();
    const auto parsed = parse_time(text);
    if (!parsed && text.size() == 8 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw parse_error(std::string(name) + ": '" + text +
                            "' is ambiguous (a date in ISO 8601's basic form, or seconds?); "
                            "write the date as '" +
                            text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2) +
                            "', or seconds as a number",
                        0, 0);
    if (!parsed)
      throw parse_error(std::string(name) + ": '" + text +
                            "' is not a time (ISO 8601 such as '2024-09-01', "
                            "'2024-09-01T08:30:00Z' or '2024-09-01T10:30:00+02:00', or seconds "
                            "since the Unix epoch)",
                        0, 0);
    s = *parsed;
  } else if (t.is_none()) {
    if (!missing_ok) wrong_type(t, name);
    return nan_v;
  } else if (PyBool_Check(t.ptr())) {
    wrong_type(t, name);
  } else {
    if (!PyDateTimeAPI) PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
    if (PyDateTime_Check(t.ptr()))
      s = datetime_seconds(t);
    else if (PyDate_Check(t.ptr()))  // midnight UTC
      s = static_cast<double>(PyLong_AsLongLong(py::int_(t.attr("toordinal")()).ptr()) - 719163LL) *
          86400.0;
    else if (py::isinstance(t, datetime64_type()))
      s = datetime64_seconds(t);
    else if (py::isinstance(t, real_type()) && !py::isinstance(t, timedelta64_type()))
      s = py::float_(py::reinterpret_borrow<py::object>(t))
              .cast<double>();  // other numbers: numpy's, Fraction ...
    else
      wrong_type(t, name);
  }
  if (!std::isfinite(s) && !missing_ok)
    throw py::value_error(
        std::string(name) + ": " +
        (std::isnan(s) ? std::string("a missing time (NaN or NaT)") : "an infinite time") +
        " is not a time");
  return s;
}

std::size_t seconds_to_nanos(const double* seconds, std::int64_t* out, std::size_t n) noexcept {
  // datetime64[ns] holds int64 nanoseconds, NaT excluded: about 1677-09-21 to 2262-04-11.
  // (The low end stops a second short, so whole seconds * 1e9 cannot overflow.)
  constexpr double lo = -9223372036.0, hi = 9223372036.854775;
  std::size_t bad = n;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = seconds[i];
    if (t > lo && t < hi) {
      // The microseconds nearest the double (t - trunc(t) is exact; ties away from zero), as
      // format_time. Casts, not floor/llround: those are library calls on baseline x86-64, and
      // this loop is the whole cost of a time column.
      const auto whole = static_cast<std::int64_t>(t);
      const double part = (t - static_cast<double>(whole)) * 1e6;
      out[i] =
          whole * 1000000000LL + static_cast<std::int64_t>(part + (part < 0 ? -0.5 : 0.5)) * 1000LL;
    } else if (!std::isfinite(t)) {
      out[i] = nat;
    } else if (bad == n) {
      bad = i;
    }
  }
  return bad;
}

void bind_time(py::module_& m) {
  m.def(
      "_to_seconds",
      [](const py::object& t, const std::string& name, bool missing_ok) {
        return to_seconds(t, name.c_str(), missing_ok);
      },
      py::arg("time"), py::arg("name") = "time", py::arg("missing_ok") = false);
  m.def(
      "_nanos_to_seconds",
      [](const py::array_t<std::int64_t, py::array::c_style>& ns) {
        // A column (huge pages, freed blocks reused): a million-row time column is otherwise
        // mostly first-touch page faults on this kind of virtual machine.
        column<double> out(static_cast<std::size_t>(ns.size()));
        const std::int64_t* p = ns.data();
        {
          py::gil_scoped_release rel;
          for (std::size_t i = 0; i < out.size(); ++i) out[i] = from_nanos(p[i]);
        }
        return move_numpy(std::move(out));
      },
      py::arg("nanoseconds"),
      "int64 nanoseconds since the epoch (datetime64[ns]; NaT = int64 min) to float64 seconds, "
      "rounded to the microsecond (NaT: NaN).");
  m.def(
      "_seconds_to_nanos",
      [](const py::array_t<double, py::array::c_style | py::array::forcecast>& seconds,
         const std::string& name) {
        column<std::int64_t> out(static_cast<std::size_t>(seconds.size()));
        const double* p = seconds.data();
        std::size_t bad = out.size();
        {
          py::gil_scoped_release rel;
          bad = seconds_to_nanos(p, out.data(), out.size());
        }
        if (bad != out.size())
          throw py::value_error(name + ": row " + std::to_string(bad) + " (" + format_time(p[bad]) +
                                ") is outside the range of datetime64[ns] (1677-09-21 to "
                                "2262-04-11)");
        return move_numpy(std::move(out));
      },
      py::arg("seconds"), py::arg("name"),
      "float64 seconds since the epoch to int64 nanoseconds (datetime64[ns]) at microsecond "
      "resolution; NaN and infinities give NaT. Raises ValueError naming `name` and the first "
      "row outside datetime64[ns].");
}

}  // namespace masterymap::python
