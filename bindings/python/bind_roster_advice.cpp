// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The roster's per-learner advice (levels, gaps, blockers, pacing) as long columns, computed in
// C++ with the GIL released; masterymap._frames turns them into DataFrames.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <masterymap/roster.hpp>

#include "bindings.hpp"
#include "numpy_util.hpp"
#include "object_lock.hpp"
#include "progress_py.hpp"
#include "roster_py.hpp"

namespace masterymap::python {
namespace {

// The ids of a framework as Python strings, made once per call (rows share them).
std::vector<py::object> id_objects(const framework& fw) {
  std::vector<py::object> ids;
  ids.reserve(fw.size());
  for (index_t c = 0; c < fw.size(); ++c) ids.emplace_back(py::str(fw.id_of(c)));
  return ids;
}

py::list id_list(const std::vector<py::object>& ids, const std::vector<index_t>& cs) {
  py::list out(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) out[i] = ids[cs[i]];
  return out;
}

// The columns every roster-wide advice frame has: learner, competency, status, score.
struct advice_rows {
  std::vector<std::uint32_t> learner, competency;
  std::vector<std::uint8_t> st;
  std::vector<double> score;
  explicit advice_rows(std::size_t n) : learner(n), competency(n), st(n), score(n) {}
  template <typename T>
  void set(std::size_t k, std::size_t l, const T& x) {
    learner[k] = static_cast<std::uint32_t>(l);
    competency[k] = x.competency;
    st[k] = static_cast<std::uint8_t>(x.status);
    score[k] = x.score.value_or(NAN);
  }
  void into(py::dict& d) {
    d["learner"] = move_numpy(std::move(learner));
    d["competency"] = move_numpy(std::move(competency));
    d["status"] = move_numpy(std::move(st));
    d["score"] = move_numpy(std::move(score));
  }
};

// The long columns of Roster.gaps: one row per (learner, gap), learners in order.
py::dict gap_columns(const roster& r, const std::vector<std::vector<gap>>& gs) {
  std::size_t n = 0;
  for (const auto& g : gs) n += g.size();
  const auto& fw = r.framework();
  const std::vector<std::string> domains = fw.domains();
  advice_rows rows(n);
  std::vector<std::uint32_t> domain(n);
  std::vector<std::uint8_t> ready(n);
  std::vector<double> level(n);
  py::list undermines(n);
  const auto ids = id_objects(fw);
  std::size_t k = 0;
  for (std::size_t l = 0; l < gs.size(); ++l)
    for (const auto& g : gs[l]) {
      rows.set(k, l, g);
      domain[k] = static_cast<std::uint32_t>(std::find(domains.begin(), domains.end(), g.domain) -
                                             domains.begin());
      level[k] = g.level ? static_cast<double>(*g.level) : NAN;
      undermines[k] = id_list(ids, g.undermines);
      ready[k] = g.ready ? 1 : 0;
      ++k;
    }
  py::dict d;
  rows.into(d);
  d["domain"] = move_numpy(std::move(domain));
  d["domains"] = domains;
  d["level"] = move_numpy(std::move(level));
  d["undermines"] = undermines;
  d["ready"] = move_numpy(std::move(ready));
  return d;
}

// The long columns of Roster.blockers: one row per (learner, blocker), learners in order.
py::dict blocker_columns(const roster& r, const std::vector<std::vector<blocker>>& bs) {
  std::size_t n = 0;
  for (const auto& b : bs) n += b.size();
  const auto& fw = r.framework();
  advice_rows rows(n);
  std::vector<std::uint32_t> distance(n), needed(n);
  std::vector<std::uint8_t> ready(n);
  std::vector<double> needed_level(n);
  std::vector<std::string> needed_labels;
  py::list blocks(n);
  const auto ids = id_objects(fw);
  std::size_t k = 0;
  for (std::size_t l = 0; l < bs.size(); ++l)
    for (const auto& b : bs[l]) {
      rows.set(k, l, b);
      auto it = std::find(needed_labels.begin(), needed_labels.end(), b.needed);
      if (it == needed_labels.end()) it = needed_labels.insert(needed_labels.end(), b.needed);
      needed[k] = static_cast<std::uint32_t>(it - needed_labels.begin());
      needed_level[k] = b.needed_level.value_or(NAN);
      blocks[k] = id_list(ids, b.blocks);
      ready[k] = b.ready ? 1 : 0;
      distance[k] = b.distance;
      ++k;
    }
  py::dict d;
  rows.into(d);
  d["needed"] = move_numpy(std::move(needed));
  d["needed_labels"] = needed_labels;
  d["needed_level"] = move_numpy(std::move(needed_level));
  d["blocks"] = blocks;
  d["ready"] = move_numpy(std::move(ready));
  d["distance"] = move_numpy(std::move(distance));
  return d;
}

// A roster-wide advice query (roster::gaps, roster::blockers) as columns: progress, a read lock,
// the GIL released while C++ works.
template <typename T>
py::dict advice_columns(const roster& r, const py::object& progress,
                        std::vector<std::vector<T>> (roster::*query)(const masterymap::progress&)
                            const,
                        py::dict (*columns)(const roster&, const std::vector<std::vector<T>>&)) {
  const auto hook = python_progress(progress);
  const read_lock lock(&r, roster_type);
  std::vector<std::vector<T>> rows;
  {
    py::gil_scoped_release rel;
    rows = (r.*query)(hook);
  }
  return columns(r, rows);
}

}  // namespace

void bind_roster_advice(py::class_<roster>& cls) {
  cls.def(
         "_levels",
         [](const roster& r, const std::string& domain, const py::object& progress) {
           const auto hook = python_progress(progress);
           const read_lock lock(&r, roster_type);
           std::vector<domain_level> ls;
           {
             py::gil_scoped_release rel;
             ls = r.levels(domain, hook);
           }
           const std::size_t L = ls.size();
           std::vector<double> level(L), next(L), next_progress(L);
           std::vector<std::int64_t> done(L), total(L), gaps(L);
           py::list gap_levels, remaining;
           for (std::size_t i = 0; i < L; ++i) {
             const auto& x = ls[i];
             level[i] = x.level ? static_cast<double>(*x.level) : NAN;
             next[i] = x.next_level ? static_cast<double>(*x.next_level) : NAN;
             done[i] = static_cast<std::int64_t>(x.next_done);
             total[i] = static_cast<std::int64_t>(x.next_total);
             next_progress[i] = x.next_progress;
             gaps[i] = static_cast<std::int64_t>(x.gaps.size());
             gap_levels.append(py::cast(x.gap_levels));
           }
           py::dict d;
           d["level"] = move_numpy(std::move(level));
           d["next_level"] = move_numpy(std::move(next));
           d["next_done"] = move_numpy(std::move(done));
           d["next_total"] = move_numpy(std::move(total));
           d["next_progress"] = move_numpy(std::move(next_progress));
           d["gap_count"] = move_numpy(std::move(gaps));
           d["gap_levels"] = gap_levels;
           return d;
         },
         py::arg("domain"), py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_gaps",
          [](const roster& r, const py::object& progress) {
            return advice_columns(r, progress, &roster::gaps, gap_columns);
          },
          py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_blockers",
          [](const roster& r, const py::object& progress) {
            return advice_columns(r, progress, &roster::blockers, blocker_columns);
          },
          py::kw_only(), py::arg("progress") = py::none())
      .def(
          "_pacing",
          [](const roster& r, const pace_plan& plan, const py::object& today,
             const py::object& progress) {
            std::optional<double> t;
            if (!today.is_none()) t = to_seconds(today, "today");
            const auto hook = python_progress(progress);
            std::vector<pace_report> ps;
            {
              py::gil_scoped_release rel;
              const read_lock lock(&r, roster_type);
              ps = r.pacing(plan, t, hook);
            }
            const std::size_t L = ps.size();
            std::vector<std::uint8_t> status(L), complete(L);
            std::vector<std::int64_t> done(L), total(L);
            std::vector<double> expected(L), er(L), ar(L), acc(L), need(L), finish(L), ahead(L);
            for (std::size_t i = 0; i < L; ++i) {
              const auto& p = ps[i];
              status[i] = static_cast<std::uint8_t>(p.status);
              complete[i] = p.complete ? 1 : 0;
              done[i] = static_cast<std::int64_t>(p.done);
              total[i] = static_cast<std::int64_t>(p.total);
              expected[i] = p.expected;
              er[i] = p.expected_rate;
              ar[i] = p.actual_rate;
              acc[i] = p.acceleration;
              need[i] = p.needed_rate;
              finish[i] = p.projected_finish.value_or(NAN);
              ahead[i] = p.days_ahead;
            }
            py::dict d;
            d["status"] = move_numpy(std::move(status));
            d["done"] = move_numpy(std::move(done));
            d["expected"] = move_numpy(std::move(expected));
            d["total"] = move_numpy(std::move(total));
            d["complete"] = move_numpy(std::move(complete));
            d["expected_rate"] = move_numpy(std::move(er));
            d["actual_rate"] = move_numpy(std::move(ar));
            d["acceleration"] = move_numpy(std::move(acc));
            d["needed_rate"] = move_numpy(std::move(need));
            d["projected_finish"] = move_numpy(std::move(finish));
            d["days_ahead"] = move_numpy(std::move(ahead));
            return d;
          },
          py::arg("plan"), py::arg("today") = py::none(), py::kw_only(),
          py::arg("progress") = py::none());
}

}  // namespace masterymap::python
