// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// masterymap._core.io.achievement_credentials / clr: the C++ writers of Open Badges 3.0 and CLR
// 2.0 documents for one evaluated learner (masterymap.io wraps them: rosters, signers, dicts).
#include <pybind11/stl.h>

#include <masterymap/io/credentials.hpp>

#include "bindings.hpp"
#include "engine_py.hpp"
#include "object_lock.hpp"

namespace masterymap::python {

namespace {

io::credential_options credential_options_of(
    const std::string& issuer, const std::string& issuer_name, const std::string& identity,
    const std::string& identity_type, const std::string& salt, const std::string& valid_from,
    const std::string& achievement_base, bool include_exempt, const std::string& name) {
  io::credential_options o;
  o.issuer = issuer;
  o.issuer_name = issuer_name;
  o.identity = identity;
  o.identity_type = identity_type;
  o.salt = salt;
  o.valid_from = valid_from;
  o.achievement_base = achievement_base;
  o.include_exempt = include_exempt;
  o.name = name;
  return o;
}

/// std::invalid_argument (a bad option) as ValueError.
template <typename F>
auto options_checked(F&& f) {
  try {
    return f();
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
}

}  // namespace

void bind_credentials(py::module_& m) {
  py::module_ io = m.attr("io");
  io.def(
      "achievement_credentials",
      [](const py_state& s, const std::string& issuer, const std::string& issuer_name,
         const std::string& identity, const std::string& identity_type, const std::string& salt,
         const std::string& valid_from, const std::string& achievement_base, bool include_exempt) {
        const auto o = credential_options_of(issuer, issuer_name, identity, identity_type, salt,
                                             valid_from, achievement_base, include_exempt, "");
        const evidence_log& log = s.evidence();
        py::gil_scoped_release release;
        const read_lock lock(&log, "EvidenceLog");
        return options_checked([&] { return io::achievement_credentials(s.st, log, o); });
      },
      py::arg("state"), py::kw_only(), py::arg("issuer"), py::arg("issuer_name") = "",
      py::arg("identity") = "", py::arg("identity_type") = "identifier", py::arg("salt") = "",
      py::arg("valid_from") = "", py::arg("achievement_base") = "",
      py::arg("include_exempt") = true,
      "The unsigned OpenBadgeCredentials (JSON texts) of an evaluated learner's earned "
      "competencies; see masterymap.io.achievement_credentials.\n\n:raises ValueError: a bad "
      "option (issuer not a URI, unknown identity_type, valid_from not RFC 3339)");
  io.def(
      "clr",
      [](const py_state& s, const std::string& issuer, const std::string& issuer_name,
         const std::string& identity, const std::string& identity_type, const std::string& salt,
         const std::string& valid_from, const std::string& achievement_base, bool include_exempt,
         const std::string& name) {
        const auto o = credential_options_of(issuer, issuer_name, identity, identity_type, salt,
                                             valid_from, achievement_base, include_exempt, name);
        const evidence_log& log = s.evidence();
        py::gil_scoped_release release;
        const read_lock lock(&log, "EvidenceLog");
        return options_checked([&] { return io::clr(s.st, log, o); });
      },
      py::arg("state"), py::kw_only(), py::arg("issuer"), py::arg("issuer_name") = "",
      py::arg("identity") = "", py::arg("identity_type") = "identifier", py::arg("salt") = "",
      py::arg("valid_from") = "", py::arg("achievement_base") = "",
      py::arg("include_exempt") = true, py::arg("name") = "Comprehensive Learner Record",
      "The unsigned ClrCredential (JSON text) of an evaluated learner; see masterymap.io.clr.\n\n"
      ":raises ValueError: a bad option");
}

}  // namespace masterymap::python
