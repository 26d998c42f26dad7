// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// kaplan_meier, survival_quantile, survival_quantile_ci: the Kaplan–Meier estimator and its
// quantiles, as statsmodels' SurvfuncRight computes them; survival_by_competency over spells.
#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/cohort.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "parallel.hpp"

namespace masterymap {

survival_curve kaplan_meier(const std::vector<double>& durations,
                            const std::vector<std::uint8_t>& event) {
  if (durations.size() != event.size())
    throw std::invalid_argument("kaplan_meier: " + std::to_string(durations.size()) +
                                " durations but " + std::to_string(event.size()) + " event flags");
  for (std::size_t i = 0; i < durations.size(); ++i)
    if (!(durations[i] >= 0))
      throw std::invalid_argument("kaplan_meier: duration " + std::to_string(i) +
                                  " is negative or NaN");
  survival_curve s;
  s.n = durations.size();
  // (duration, event) pairs sorted by duration: the walk below reads them in order (sorting
  // indices into `durations` made every comparison two random loads).
  std::vector<std::pair<double, bool>> spells(s.n);
  for (std::size_t i = 0; i < s.n; ++i) spells[i] = {durations[i], event[i] != 0};
  std::sort(spells.begin(), spells.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Walk the distinct times upwards; the risk set at t is everyone not yet passed.
  std::size_t passed = 0;
  double log_s = 0, green = 0;
  bool green_nan = false;
  for (std::size_t i = 0; i < s.n;) {
    const double t = spells[i].first;
    std::uint32_t d = 0, k = 0;
    for (; i < s.n && spells[i].first == t; ++i, ++k) d += spells[i].second ? 1 : 0;
    const auto at_risk = static_cast<std::uint32_t>(s.n - passed);
    passed += k;
    if (d == 0) continue;
    s.events += d;
    // statsmodels: sp = 1 - d/n, floored at 1e-16 (then 0), exp(cumsum(log sp)).
    double sp = 1 - static_cast<double>(d) / static_cast<double>(at_risk);
    const bool zero = sp < 1e-16;
    if (zero) sp = 1e-16;
    log_s += std::log(sp);
    const double surv = zero ? 0.0 : std::exp(log_s);
    // Greenwood: sqrt(sum d / (n (n - d))) * S; NaN from the time n == d on.
    const double denom =
        std::max(static_cast<double>(at_risk) * static_cast<double>(at_risk - d), 1e-12);
    if (d == at_risk || at_risk == 0) green_nan = true;
    green += static_cast<double>(d) / denom;
    double se = green_nan ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(green);
    if (std::isfinite(se) || surv != 0) {
      se *= surv;
    } else {
      se = std::numeric_limits<double>::quiet_NaN();
    }
    s.times.push_back(t);
    s.at_risk.push_back(at_risk);
    s.died.push_back(d);
    s.survival.push_back(surv);
    s.se.push_back(se);
  }
  return s;
}

double survival_quantile(const survival_curve& s, double p) {
  // Survival is exp of a sum of logs, a few ulps off the exact product: 9 of 18 learners
  // mastered gives 0.49999999999999994 or 0.5000000000000001 depending on the libm. An exact
  // tie is not "below", so values within 1e-12 of 1 - p count as equal to it.
  constexpr double tie = 1e-12;
  for (std::size_t i = 0; i < s.times.size(); ++i)
    if (s.survival[i] < (1 - p) - tie) return s.times[i];
  return std::numeric_limits<double>::quiet_NaN();
}

std::pair<double, double> survival_quantile_ci(const survival_curve& s, double p) {
  constexpr double z = 1.959963984540054;  // the 0.975 quantile of the standard normal
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // g(x) = log(-log x), g'(x) = -1 / (x log x); g(1 - p) and each log x computed once (the
  // same operations, so the same values).
  const double g_p = std::log(-std::log(1 - p));
  std::size_t first = s.times.size(), last = 0;
  for (std::size_t i = 0; i < s.times.size(); ++i) {
    const double x = s.survival[i];
    const double log_x = std::log(x);
    const double r = (std::log(-log_x) - g_p) / ((-1 / (x * log_x)) * s.se[i]);
    if (std::abs(r) <= z) {  // false for NaN, as numpy's comparison
      if (first == s.times.size()) first = i;
      last = i;
    }
  }
  if (first == s.times.size()) return {nan, nan};
  const double upper =
      last + 1 == s.times.size() ? std::numeric_limits<double>::infinity() : s.times[last + 1];
  return {s.times[first], upper};
}

std::vector<survival_curve> survival_by_competency(const mastery_spells& spells,
                                                   std::size_t competencies) {
  const std::size_t n = spells.competency.size();
  if (spells.origin.size() != n || spells.end.size() != n || spells.event.size() != n)
    throw std::invalid_argument("survival_by_competency: spell columns of different lengths");
  // Each competency's spells (a run of the sorted column); the first spell out of range or out
  // of order is the error.
  std::vector<std::size_t> off(competencies + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const index_t c = spells.competency[k];
    if (c >= competencies)
      throw std::invalid_argument("survival_by_competency: spell " + std::to_string(k) +
                                  " names competency " + std::to_string(c) + " of " +
                                  std::to_string(competencies));
    if (k > 0 && c < spells.competency[k - 1])
      throw std::invalid_argument("survival_by_competency: spells not sorted by competency at " +
                                  std::to_string(k));
    ++off[c + 1];
  }
  for (std::size_t c = 0; c < competencies; ++c) off[c + 1] += off[c];
  // Competencies on every core (each curve is computed alone, so the result does not depend on
  // the thread count; an error is the lowest competency's, as in order).
  std::vector<survival_curve> out(competencies);
  detail::parallel_for(competencies, 0, 16, [&](std::size_t b, std::size_t e) {
    std::vector<double> dur;
    std::vector<std::uint8_t> ev;
    for (std::size_t c = b; c < e; ++c) {
      dur.clear();
      ev.clear();
      for (std::size_t k = off[c]; k < off[c + 1]; ++k) {
        dur.push_back((spells.end[k] - spells.origin[k]) / 86400.0);
        ev.push_back(spells.event[k]);
      }
      out[c] = kaplan_meier(dur, ev);
    }
  });
  return out;
}

}  // namespace masterymap
