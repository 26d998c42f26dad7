// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_PYTHON_BINDINGS_HPP
#define MASTERYMAP_PYTHON_BINDINGS_HPP

#include <pybind11/pybind11.h>

#include <cstring>
#include <exception>
#include <limits>
#include <masterymap/error.hpp>
#include <masterymap/framework.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

void bind_errors(py::module_& m);

/// Sets the Python error `type(message)` with `attrs` set on the instance (bind_errors.cpp).
void raise_with(py::handle type, const char* message, const py::dict& attrs);
/// A problem list as Python dicts (kind, ids, message).
py::list problems_to_python(const std::vector<problem>& problems);
/// Calls `masterymap.<module>.<function>(args...)`: the package's pure-Python conversions
/// (`_columns`: pandas/numpy in, `_frames`: DataFrames out), imported on first use. Bound
/// methods that only convert data delegate to them, so no Python code is attached to a bound
/// type after import.
template <typename... Args>
py::object call_python(const char* module, const char* function, Args&&... args) {
  return py::module_::import(module).attr(function)(std::forward<Args>(args)...);
}

/// A wrong type found by a binding's own conversion (inside a container, an options dict, an
/// `object` parameter): raised as the TypeError "<function>: <what> must be <accepts>, got
/// <type> <value>", the function's name added by guard_arguments (arguments.cpp).
class argument_error : public std::exception {
 public:
  /// `what`: the parameter, with the path to an element (`"ratings[2][1]"`); `accepts`: "an
  /// int", "a number", "an EvidenceLog", ...
  argument_error(std::string what, const char* accepts, const py::handle& got);
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// `value` as a T, or an argument_error (for None too, where T is a reference; and where T is
/// a Python type such as an array, whose construction failed with TypeError or ValueError).
template <typename T>
T cast_arg(const py::handle& value, std::string what, const char* accepts) {
  try {
    return value.cast<T>();
  } catch (const py::cast_error&) {
  } catch (const py::reference_cast_error&) {
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError) && !e.matches(PyExc_ValueError)) throw;
  }
  throw argument_error(std::move(what), accepts, value);
}

/// A competency given as its id (str) or framework index (any integer with `__index__`, numpy's
/// included; not bool). \throws UnknownIdError for an unknown id, IndexError out of range,
/// argument_error (a TypeError naming the parameter `what`) for anything else
/// (bind_keys.cpp).
index_t resolve(const framework& f, const py::handle& key, const std::string& what = "id");

/// Framework indices given as an int or an array (list, numpy) of them. Integer dtypes as they
/// are; floats only when every value is integral (5.0 is 5; 5.9 is no index and is not
/// truncated); booleans, texts and bytes are no indices. \throws argument_error naming `what`
/// (a TypeError), IndexError for a negative index or one out of range (bind_keys.cpp).
std::vector<index_t> index_vector(const framework& f, const py::handle& x, const char* what);

/// A hash of a framework consistent with its `==` (bind_framework.cpp): Framework.__hash__,
/// and the hash of the immutable types built on one (Engine, Progression).
std::size_t framework_hash(const framework& f);

/// The build options of FrameworkBuilder.build / Framework.from_json keyword arguments.
build_options make_options(bool drop_cycle_edges, bool drop_duplicate_edges);
/// The one text of an id (learner, competency, skill) given as any Python value, as
/// `masterymap._columns.id_scalar` defines it: a str as is; an integer (Python or numpy) or an
/// integral float as its decimal digits, so 1, np.int64(1) and 1.0 are all "1". `problem` gets
/// the reason when the value is not an id ("missing learner id", "non-integral learner id
/// 1.5", "boolean learner id True ..."), else "". str and int take no Python call
/// (bind_evidence.cpp).
std::string id_text(const py::handle& value, const char* what, std::string& problem);
/// As above. \throws ValueError with the reason when the value is not an id.
std::string id_text(const py::handle& value, const char* what);
/// \throws masterymap::evidence_error for row 0 of a one-row batch, as the batch path reports
/// an id that is not one, when `problem` (from `id_text`, with `text`) is not empty.
void throw_if_bad_row(const std::string& text, const std::string& problem);

/// A path given as str or os.PathLike (pathlib.Path), as `os.fspath` reads it.
/// \throws argument_error naming the parameter `what` for anything else (bytes paths are not
///         supported).
std::string fs_path(const py::handle& path, const char* what = "path");

/// A number (float, int, numpy scalar, anything with `__float__` or `__index__`) as a double,
/// or an argument_error naming `what` (cheap: for per-event calls).
inline double number_arg(const py::handle& x, const char* what, const char* accepts = "a number") {
  const double v = PyFloat_AsDouble(x.ptr());
  if (v == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    throw argument_error(what, accepts, x);
  }
  return v;
}

/// A level (`competency::level`, a placement's level): any integer (int, numpy integer:
/// `operator.index`), never a bool or a float. \throws argument_error naming `what` for anything
/// else; ValueError (naming `what`) beyond +-16,777,216 (a placement level, exact as stored).
inline int level_arg(const py::handle& x, const char* what) {
  PyObject* index = py::isinstance<py::bool_>(x) ? nullptr : PyNumber_Index(x.ptr());
  if (!index) {
    PyErr_Clear();
    throw argument_error(what, "an int (e.g. 4 for grade 4)", x);
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index, &overflow);
  Py_DECREF(index);
  if (overflow != 0 || v > 16777216 || v < -16777216)
    throw py::value_error(std::string(what) + ": level " + std::string(py::str(x)) +
                          " is beyond +-16777216");
  return static_cast<int>(v);
}

/// An integer parameter that refuses what pybind11's own int conversion lets through: a bool
/// (True is no count) and numpy booleans; any other integer (int, numpy integer: anything with
/// `__index__`) in T's range converts. Bound as `int_arg<std::uint32_t>` etc.: its signature
/// reads `int`, and a refused value fails the call as a wrong argument does, so
/// masterymap._arguments names the parameter: TypeError for a bool, ValueError with T's range
/// for an integer out of it (noted by `note_refused_int` for the explanation to read).
template <typename T>
struct int_arg {
  static_assert(std::is_integral<T>::value, "int_arg takes an integer type");
  T value{};
  operator T() const noexcept { return value; }  // NOLINT(google-explicit-constructor)
};

/// Notes that the integer `value` (decimal digits) was refused for being outside [lo, hi]: the
/// explanation of the failed call names that range (arguments.cpp). Per thread; the next
/// explanation consumes it.
void note_refused_int(std::string value, std::string lo, std::string hi);

/// `src` as a T, or false for a bool, a float, a non-integer or a value out of T's range.
template <typename T>
bool load_int_arg(PyObject* src, T& out) {
  if (PyBool_Check(src) || PyFloat_Check(src)) return false;
  if (std::strncmp(Py_TYPE(src)->tp_name, "numpy.bool", 10) == 0) return false;
  PyObject* index = PyNumber_Index(src);
  if (index == nullptr) {
    PyErr_Clear();
    return false;
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index, &overflow);
  bool ok = false;
  if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
    if constexpr (std::is_signed<T>::value)
      ok = v >= static_cast<long long>(std::numeric_limits<T>::min()) &&
           v <= static_cast<long long>(std::numeric_limits<T>::max());
    else
      ok = v >= 0 && static_cast<unsigned long long>(v) <=
                         static_cast<unsigned long long>(std::numeric_limits<T>::max());
    if (ok) out = static_cast<T>(v);
  } else if constexpr (!std::is_signed<T>::value && sizeof(T) == sizeof(unsigned long long)) {
    if (overflow > 0) {  // past LLONG_MAX: a 64-bit unsigned count may still hold it
      const unsigned long long u = PyLong_AsUnsignedLongLong(index);
      ok = !(u == static_cast<unsigned long long>(-1) && PyErr_Occurred());
      if (ok) out = static_cast<T>(u);
    }
  }
  PyErr_Clear();
  if (!ok) {
    PyObject* digits = PyObject_Str(index);
    if (digits != nullptr) {
      note_refused_int(PyUnicode_AsUTF8(digits), std::to_string(std::numeric_limits<T>::min()),
                       std::to_string(std::numeric_limits<T>::max()));
      Py_DECREF(digits);
    }
    PyErr_Clear();
  }
  Py_DECREF(index);
  return ok;
}

/// A number of days (`stuck_days`, `recent_days`): a real number >= 0 and finite, as int_arg is
/// a count. An int, a float or anything with `__float__` or `__index__` (numpy numbers)
/// converts; a bool (True is no number of days) and numpy booleans, a str or bytes, NaN, an
/// infinity and a negative number are refused. Bound as `days_arg`: its signature reads
/// `float`, and a refused value fails the call as a wrong argument does, so
/// masterymap._arguments names the parameter (noted by `note_refused_days`): TypeError for no
/// number ("must be a number of days"), ValueError for a number below 0 or not finite ("must
/// be a number of days >= 0").
struct days_arg {
  double value = 0.0;
  operator double() const noexcept { return value; }  // NOLINT(google-explicit-constructor)
};

/// Notes that the value whose repr is `repr` was refused by a days_arg: the explanation of the
/// failed call names the parameter given it (arguments.cpp). Per thread; the next explanation
/// consumes it.
void note_refused_days(std::string repr);

/// `src` as a number of days (days_arg), or false (noted by note_refused_days) for anything
/// else. O(1).
bool load_days_arg(PyObject* src, double& out);

/// A str as UTF-8, or an argument_error naming `what`.
inline std::string text_arg(const py::handle& x, const char* what, const char* accepts = "a str") {
  if (!PyUnicode_Check(x.ptr())) throw argument_error(what, accepts, x);
  return x.cast<std::string>();
}

/// Last in module init: every bound function reports wrong argument types as a TypeError
/// naming the function, the parameter and what it accepts (arguments.cpp).
/// float64 seconds since the epoch to int64 nanoseconds (datetime64[ns]) at microsecond
/// resolution, NaN and infinities to NaT (bind_time.cpp: what `_seconds_to_nanos` does). Returns
/// the first index outside datetime64[ns] (n: none; its out[] is left unwritten). Needs no GIL.
std::size_t seconds_to_nanos(const double* seconds, std::int64_t* out, std::size_t n) noexcept;

void guard_arguments(py::module_& m);

/// Seconds since the Unix epoch (UTC) of a time argument: a number (seconds, as is; not bool),
/// an ISO 8601 string (core `parse_time`), a datetime (naive = UTC, aware converted), a date
/// (midnight UTC), a pandas.Timestamp or a numpy.datetime64 (any unit). Every conversion keeps
/// microseconds exactly (the double nearest the microsecond). `name` is the parameter, named
/// in every error. With `missing_ok`, None, NaN, NaT and infinities give NaN or the infinity
/// (an evidence time the core then validates with its row).
/// \throws TypeError for another type; ParseError for a string that is not a time; ValueError
///         for a missing or infinite time unless `missing_ok` (bind_time.cpp).
double to_seconds(const py::handle& t, const char* name, bool missing_ok = false);

void bind_time(py::module_& m);
void bind_framework(py::module_& m);
void bind_framework_builder(py::module_& m);
void bind_csv(py::module_& m);
void bind_case(py::module_& m);
void bind_credentials(py::module_& m);
void bind_record(py::module_& m);
void bind_xapi(py::module_& m);
void bind_migrate(py::module_& m);
void bind_bkt(py::module_& m);
void bind_bkt_source(py::module_& m);
void bind_scale(py::module_& m);
void bind_policy(py::module_& m);
void bind_evidence(py::module_& m);
void bind_engine(py::module_& m);
void bind_progression(py::module_& m);
/// The result types of progression queries (bind_progression_results.cpp; called by
/// bind_progression).
void bind_progression_results(py::module_& m);
void bind_pacing(py::module_& m);
void bind_roster(py::module_& m);
void bind_testing(py::module_& m);
/// LearnerState.to_dot / to_svg, io.render_svg, io.have_graphviz (after bind_engine, bind_csv).
void bind_learner_map(py::module_& m);
/// Roster.report (after bind_roster).
void bind_report(py::module_& m);

}  // namespace masterymap::python

namespace pybind11::detail {
template <typename T>
struct type_caster<masterymap::python::int_arg<T>> {
  PYBIND11_TYPE_CASTER(masterymap::python::int_arg<T>, const_name("int"));
  bool load(handle src, bool /*convert*/) {
    return src && masterymap::python::load_int_arg<T>(src.ptr(), value.value);
  }
  static handle cast(const masterymap::python::int_arg<T>& v, return_value_policy, handle) {
    return make_caster<T>::cast(v.value, return_value_policy::copy, {});
  }
};
template <>
struct type_caster<masterymap::python::days_arg> {
  PYBIND11_TYPE_CASTER(masterymap::python::days_arg, const_name("float"));
  bool load(handle src, bool /*convert*/) {
    return src && masterymap::python::load_days_arg(src.ptr(), value.value);
  }
  static handle cast(const masterymap::python::days_arg& v, return_value_policy, handle) {
    return PyFloat_FromDouble(v.value);
  }
};
}  // namespace pybind11::detail

#endif  // MASTERYMAP_PYTHON_BINDINGS_HPP
