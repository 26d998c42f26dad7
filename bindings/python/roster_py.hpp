// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: what bind_roster.cpp, bind_roster_advice.cpp and bind_roster_snapshot.cpp share.
#ifndef MASTERYMAP_BINDINGS_ROSTER_PY_HPP
#define MASTERYMAP_BINDINGS_ROSTER_PY_HPP

#include <pybind11/pybind11.h>

#include <masterymap/roster.hpp>

namespace masterymap::python {

namespace py = pybind11;

/// The names object locks report (object_lock.hpp).
inline constexpr const char* roster_type = "Roster";
inline constexpr const char* log_type = "EvidenceLog";

/// The roster's per-learner advice as columns: _levels, _gaps, _blockers, _pacing
/// (bind_roster_advice.cpp; the DataFrames are built in masterymap._frames).
void bind_roster_advice(py::class_<roster>& cls);
/// Cohort analytics: summary, groups_by_frontier (bind_cohort.cpp; DataFrames in
/// masterymap._cohort).
void bind_cohort(py::class_<roster>& cls);
/// Snapshots, copies, pickling and equality (bind_roster_snapshot.cpp).
void bind_roster_snapshot(py::class_<roster>& cls);

}  // namespace masterymap::python

#endif  // MASTERYMAP_BINDINGS_ROSTER_PY_HPP
