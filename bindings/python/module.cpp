// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/config.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "masterymap C++ core (use the `masterymap` package, not this module)";
  m.attr("__version__") = MASTERYMAP_VERSION_STRING;
  // First: every other binding raises these.
  masterymap::python::bind_errors(m);
  masterymap::python::bind_framework(m);
  // after bind_framework: the readers return Framework
  masterymap::python::bind_csv(m);
}
