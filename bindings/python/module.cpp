// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/config.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "masterymap C++ core (use the `masterymap` package, not this module)";
  m.attr("__version__") = MASTERYMAP_VERSION_STRING;
  // First: every other binding raises these.
  masterymap::python::bind_errors(m);
  // after bind_errors: time arguments raise ParseError
  masterymap::python::bind_time(m);
  masterymap::python::bind_framework(m);
  masterymap::python::bind_framework_builder(m);  // build() returns a Framework
  // after bind_framework: the readers return Framework
  masterymap::python::bind_csv(m);
  masterymap::python::bind_case(m);
  masterymap::python::bind_xapi(m);
  // Submodule _core.bkt; after bind_errors (raises ParseError, UnknownIdError).
  masterymap::python::bind_bkt(m);
  masterymap::python::bind_scale(m);
  // after bind_scale and bind_framework: Policy holds a Scale and validates against a Framework
  masterymap::python::bind_policy(m);
  // after bind_errors: EvidenceError derives from ValidationError
  masterymap::python::bind_evidence(m);
  // after bind_evidence: evaluations take an EvidenceLog and return _IngestChecks
  masterymap::python::bind_engine(m);
  // after bind_bkt and bind_engine: a bkt model as an engine ProbabilitySource
  masterymap::python::bind_bkt_source(m);
  // after bind_engine and bind_policy: Progression compiles a framework with a policy
  masterymap::python::bind_progression(m);
  // after bind_progression: pacing reads a Progression
  masterymap::python::bind_pacing(m);
  // after bind_pacing: Roster.pacing takes a PacePlan
  masterymap::python::bind_roster(m);
  // after bind_evidence and bind_framework: migrate re-keys an EvidenceLog between Frameworks
  masterymap::python::bind_migrate(m);
  // after bind_engine: the credential writers take a LearnerState
  masterymap::python::bind_credentials(m);
  // after bind_roster, bind_migrate and bind_credentials: Roster.export_record, io.read_record
  masterymap::python::bind_record(m);
  // after bind_framework, bind_policy and bind_evidence: the simulator takes and returns them
  masterymap::python::bind_testing(m);
  // after bind_engine and bind_csv (the io submodule): LearnerState.to_dot / to_svg
  masterymap::python::bind_learner_map(m);
  // after bind_roster: Roster.report
  masterymap::python::bind_report(m);
  // Last: walks every function bound above.
  masterymap::python::guard_arguments(m);
}
