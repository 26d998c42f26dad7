// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The learner simulator and fixtures of masterymap/testing.hpp, as private _core functions that
// masterymap/testing.py wraps (DataFrames, pyBKT parameter names, argument checks).
#include <pybind11/stl.h>

#include <masterymap/testing.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "numpy_util.hpp"

namespace masterymap::python {

namespace {

using params_tuple = std::tuple<double, double, double, double, double>;

testing::bkt_params to_params(const params_tuple& t) {
  return {std::get<0>(t), std::get<1>(t), std::get<2>(t), std::get<3>(t), std::get<4>(t)};
}

py::list names(const std::vector<std::string>& v) {
  py::list out;
  for (const auto& s : v) out.append(py::str(s));
  return out;
}

}  // namespace

void bind_testing(py::module_& m) {
  m.def(
      "_simulate",
      [](const framework& fw, const policy& p, int_arg<std::size_t> learners,
         int_arg<std::uint64_t> seed, const params_tuple& params,
         const std::vector<std::pair<std::string, params_tuple>>& overrides, double pace_sigma,
         const std::vector<std::tuple<std::string, double, double>>& groups, double start,
         double interval, int_arg<std::uint32_t> attempts, int_arg<std::uint32_t> streak,
         int_arg<std::uint32_t> max_attempts, int_arg<unsigned> threads) {
        testing::simulation_options o;
        o.learners = learners;
        o.seed = seed;
        o.params = to_params(params);
        for (const auto& [id, t] : overrides) o.overrides[id] = to_params(t);
        o.pace_sigma = pace_sigma;
        for (const auto& [name, share, mult] : groups) o.groups.push_back({name, share, mult});
        o.start = start;
        o.interval = interval;
        o.attempts = attempts;
        o.streak = streak;
        o.max_attempts = max_attempts;
        o.threads = threads;
        testing::simulation s;
        {
          py::gil_scoped_release release;
          s = testing::simulate(fw, p, o);
        }
        py::dict out;
        out["learner_names"] = names(s.learner_names);
        out["competency_ids"] = names(s.competency_ids);
        out["kind_names"] = names(s.kind_names);
        out["group_names"] = names(s.group_names);
        out["learner"] = move_numpy(std::move(s.learner));
        out["competency"] = move_numpy(std::move(s.competency));
        out["time"] = move_numpy(std::move(s.time));
        out["score"] = move_numpy(std::move(s.score));
        out["kind"] = move_numpy(std::move(s.kind));
        out["correct"] = move_numpy(std::move(s.correct));
        out["truth_learner"] = move_numpy(std::move(s.truth_learner));
        out["truth_competency"] = move_numpy(std::move(s.truth_competency));
        out["mastery_time"] = move_numpy(std::move(s.mastery_time));
        out["truth_attempts"] = move_numpy(std::move(s.truth_attempts));
        out["group"] = move_numpy(std::move(s.group));
        out["pace"] = move_numpy(std::move(s.pace));
        return out;
      },
      py::arg("framework"), py::arg("policy"), py::arg("learners"), py::arg("seed"),
      py::arg("params"), py::arg("overrides"), py::arg("pace_sigma"), py::arg("groups"),
      py::arg("start"), py::arg("interval"), py::arg("attempts"), py::arg("streak"),
      py::arg("max_attempts"), py::arg("threads"),
      "Runs masterymap::testing::simulate (GIL released); use masterymap.testing.simulate.");
  m.def(
      "_reference_uniforms",
      [](std::uint64_t seed, std::uint64_t learner, std::size_t n) {
        testing::reference_stream r(seed, learner);
        std::vector<double> out(n);
        for (auto& u : out) u = r.uniform();
        return move_numpy(std::move(out));
      },
      py::arg("seed"), py::arg("learner"), py::arg("n"),
      "The first n uniforms of a learner's stream (for reference implementations in tests).");
  m.def("_fixture_chain", &testing::chain, py::arg("n") = 5);
  m.def("_fixture_diamond", &testing::diamond);
  m.def("_fixture_policy", &testing::simple_policy);
  m.def("_fixture_log", &testing::small_log);
}

}  // namespace masterymap::python
