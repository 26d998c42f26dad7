// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: helpers shared by bind_progression, bind_pacing and bind_roster.
#ifndef MASTERYMAP_PYTHON_PROGRESSION_PY_HPP
#define MASTERYMAP_PYTHON_PROGRESSION_PY_HPP

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <masterymap/pacing.hpp>
#include <masterymap/progression.hpp>
#include <optional>
#include <vector>

namespace masterymap::python {
namespace py = pybind11;

/// One learner's columns from numpy arrays, kept alive with the view.
struct view_args {
  view_args(const progression& p, const py::object& statuses, const py::object& scores,
            const py::object& last_evidence, const py::object& as_of);
  py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast> st;
  py::array_t<double, py::array::c_style | py::array::forcecast> sc, le;
  learner_view v;
};

py::object opt_score(const std::optional<double>& x);
py::list id_list(const framework& fw, const std::vector<index_t>& v);
py::dict level_dict(const framework& fw, const domain_level& l);
py::dict pace_dict(const framework& fw, const pace_report& r);
/// Seconds from a number, an ISO 8601 string, a datetime/date or a pandas Timestamp.
double to_seconds(const py::handle& t);

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_PROGRESSION_PY_HPP
