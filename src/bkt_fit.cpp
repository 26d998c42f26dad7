// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// BKT fitting: scaled forward-backward EM per skill, random restarts, skills in parallel.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <masterymap/bkt.hpp>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "bkt_detail.hpp"
#include "parallel.hpp"
#include "progress_meter.hpp"

namespace masterymap::bkt {
namespace {

// ---------------------------------------------------------------------------------------------
// Per-skill training data: the distinct learner sequences of the skill, each with its
// multiplicity (EM's sufficient statistics only depend on the multiset of sequences, so
// fitting duplicates once with a weight is exact). Observations are codes 2 * class + correct.

// Rows (or observations) between two cancellation checks: well under a millisecond of work.
constexpr std::size_t check_rows = std::size_t{1} << 16;

struct skill_data {
  std::vector<std::uint32_t> codes;    // concatenated distinct sequences
  std::vector<std::uint32_t> begin;    // sequence starts (size = sequences + 1)
  std::vector<double> weight;          // multiplicity of each distinct sequence
  std::vector<double> code_count;      // weighted count of each code
  std::vector<std::uint32_t> classes;  // dataset class id of each local class
  double observations = 0;             // weighted
  double sequences = 0;                // weighted
  double non_last = 0;                 // weighted count of steps followed by another step
  std::size_t max_length = 0;
  std::uint64_t raw_sequences = 0;
};

skill_data prepare(const dataset& data, const detail::grouping& g, std::size_t k, bool multigs,
                   masterymap::detail::meter& m) {
  skill_data sd;
  const std::uint32_t* rows = g.rows.data() + g.skill_begin[k];
  const std::size_t n = g.skill_begin[k + 1] - g.skill_begin[k];
  const auto& learner = data.learners();
  const auto& correct = data.correct();
  // Local item classes in order of first appearance.
  std::vector<std::uint32_t> local_code(n);
  if (multigs) {
    std::unordered_map<std::uint32_t, std::uint32_t> local;
    const auto& cls = data.item_classes();
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, inserted] =
          local.try_emplace(cls[rows[i]], static_cast<std::uint32_t>(sd.classes.size()));
      if (inserted) sd.classes.push_back(cls[rows[i]]);
      local_code[i] = 2 * it->second + correct[rows[i]];
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) local_code[i] = correct[rows[i]];
  }
  const std::size_t n_codes = 2 * std::max<std::size_t>(1, sd.classes.size());
  sd.code_count.assign(n_codes, 0.0);

  // Split into learner sequences and merge identical ones.
  std::unordered_map<std::u32string_view, std::uint32_t> seen;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // distinct sequences in local_code
  std::vector<double> counts;
  const std::u32string_view all(reinterpret_cast<const char32_t*>(local_code.data()), n);
  std::size_t next_check = check_rows;
  for (std::size_t i = 0; i < n;) {
    if (i >= next_check) {
      m.check();
      next_check = i + check_rows;
    }
    std::size_t j = i + 1;
    while (j < n && learner[rows[j]] == learner[rows[i]]) ++j;
    ++sd.raw_sequences;
    auto [it, inserted] =
        seen.try_emplace(all.substr(i, j - i), static_cast<std::uint32_t>(spans.size()));
    if (inserted) {
      spans.emplace_back(i, j - i);
      counts.push_back(1.0);
    } else {
      counts[it->second] += 1.0;
    }
    i = j;
  }
  // A canonical order of the distinct sequences: longest first (keeps the scratch buffers
  // warm), then by their codes. The E-step adds up over sequences in this order, so the fit
  // depends only on the multiset of a skill's sequences, not on the order in which learners
  // first appear in the dataset: fitting a skill on its own rows (masterymap.dask.bkt_fit fits
  // skills as separate tasks) gives the same bits as fitting it within the whole dataset.
  std::vector<std::uint32_t> orderv(spans.size());
  std::iota(orderv.begin(), orderv.end(), 0U);
  std::sort(orderv.begin(), orderv.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (spans[a].second != spans[b].second) return spans[a].second > spans[b].second;
    return all.substr(spans[a].first, spans[a].second) <
           all.substr(spans[b].first, spans[b].second);
  });
  sd.codes.reserve(n);
  sd.begin.reserve(spans.size() + 1);
  sd.begin.push_back(0);
  for (std::uint32_t u : orderv) {
    const auto [start, len] = spans[u];
    const double w = counts[u];
    for (std::size_t t = 0; t < len; ++t) {
      sd.codes.push_back(local_code[start + t]);
      sd.code_count[local_code[start + t]] += w;
    }
    sd.begin.push_back(static_cast<std::uint32_t>(sd.codes.size()));
    sd.weight.push_back(w);
    sd.observations += w * static_cast<double>(len);
    sd.sequences += w;
    sd.non_last += w * static_cast<double>(len - 1);
    sd.max_length = std::max(sd.max_length, len);
  }
  return sd;
}

// ---------------------------------------------------------------------------------------------
// Parameters during EM (one guess/slip per local class).

struct em_params {
  double prior, learn, forget;
  std::vector<double> guess, slip;
};

struct code_entry {
  double e0, e1;              // P(observation | not learned), P(observation | learned)
  double b00, b01, b10, b11;  // e0 (1-T), e0 T, e1 F, e1 (1-F)
};

struct estep_result {
  double log_likelihood = 0;
  double first = 0;               // sum of P(L_0 | all)
  double from1 = 0;               // sum over non-last steps of P(L_t | all)
  double xi01 = 0;                // sum of P(L_t = 0, L_t+1 = 1 | all)
  double xi10 = 0;                // sum of P(L_t = 1, L_t+1 = 0 | all)
  std::vector<double> gamma;      // per code: sum of P(L_t = 1 | all)
  std::vector<code_entry> table;  // reused between E-steps
};

// Rescaling threshold: forward and backward values stay above ~2^-240 (one step shrinks them by
// at most the smallest emission probability), so their products in the posteriors stay far
// from the subnormal range.
constexpr double tiny = 0x1p-200;
constexpr double huge = 0x1p+200;
constexpr double ln_huge = 200.0 * 0.69314718055994530942;

// The emission and transition products of every code (guess and slip of its class, right or
// wrong), so the recursions below are multiply-add chains.
void fill_emissions(const em_params& p, std::size_t n_codes, code_entry* tab) {
  const double T = p.learn, F = p.forget, omT = 1.0 - T, omF = 1.0 - F;
  for (std::size_t c = 0; c < n_codes; ++c) {
    const double g = p.guess[c / 2], s = p.slip[c / 2];
    const bool right = (c & 1U) != 0;
    code_entry& e = tab[c];
    e.e0 = right ? g : 1.0 - g;
    e.e1 = right ? 1.0 - s : s;
    e.b00 = e.e0 * omT;
    e.b01 = e.e0 * T;
    e.b10 = e.e1 * F;
    e.b11 = e.e1 * omF;
  }
}

// The log-likelihood of the sequences seen so far: the likelihoods of weight-1 sequences are
// multiplied (one log per E-step, not per sequence), the others added as weighted logs.
struct likelihood_sum {
  double ll = 0;
  double product = 1.0;
  long exponent = 0;  // of `product`, in units of 200 bits
  void add(double w, double likelihood, std::size_t n_rescaled) {
    if (w == 1.0) {
      product *= likelihood;
      exponent += static_cast<long>(n_rescaled);
      if (product < tiny) {
        product *= huge;
        ++exponent;
      }
    } else {
      ll += w * (std::log(likelihood) - static_cast<double>(n_rescaled) * ln_huge);
    }
  }
  double total() const {
    return ll + (std::log(product) - static_cast<double>(exponent) * ln_huge);
  }
};

// The forward pass over one sequence x[0..n): (p0, p1) = P(L_t = 0/1, o_<t), and a[2t],
// a[2t+1] the same with o_t included. Rescaled by `huge` when small; the steps where that
// happened are stored in `rescaled`. Returns P(O) (rescaled) and the number of rescalings.
std::pair<double, std::size_t> forward(const code_entry* tab, const std::uint32_t* x, std::size_t n,
                                       double prior, double* a, std::uint32_t* rescaled) {
  double p0 = 1.0 - prior, p1 = prior;
  std::size_t n_rescaled = 0;
  for (std::size_t t = 0; t < n; ++t) {
    const code_entry& e = tab[x[t]];
    a[2 * t] = p0 * e.e0;
    a[2 * t + 1] = p1 * e.e1;
    const double n0 = e.b00 * p0 + e.b10 * p1;
    const double n1 = e.b01 * p0 + e.b11 * p1;
    p0 = n0;
    p1 = n1;
    if (p0 + p1 < tiny) {
      p0 *= huge;
      p1 *= huge;
      rescaled[n_rescaled++] = static_cast<std::uint32_t>(t);
    }
  }
  return {p0 + p1, n_rescaled};
}

// The posterior sums of one sequence (normalised, before its weight and the transition
// probabilities are applied).
struct sequence_sums {
  double first;  // P(L_0 | O)
  double from1;  // over the non-last steps, P(L_t | O)
  double right;  // over the steps, P(L_t | O) where the answer is right (single class only)
  double xi01;   // over the non-last steps, P(L_t = 0, L_t+1 = 1 | O) / T
  double xi10;   // over the non-last steps, P(L_t = 1, L_t+1 = 0 | O) / F
  double last;   // P(L_{n-1} | O)
};

// The backward pass over one sequence x[0..n), after `forward` filled a and rescaled[0..
// n_rescaled): (m0, m1) = P(o_t | L_t = j) beta_t(j), unnormalised. `u_*` are unnormalised sums
// of the current run between two rescalings, flushed with its normaliser `inv`. With Multi, adds
// w * P(L_t | O) to gamma per code.
template <bool Multi>
sequence_sums backward(const code_entry* tab, const std::uint32_t* x, std::size_t n,
                       const double* a, const std::uint32_t* rescaled, std::size_t n_rescaled,
                       const em_params& p, double w, std::vector<double>& gamma) {
  const double F = p.forget, omF = 1.0 - F;
  double inv = 1.0 / (a[2 * (n - 1)] + a[2 * (n - 1) + 1]);
  double s_from1 = 0, s_right = 0, s_xi01 = 0, s_xi10 = 0;
  double u_from1 = 0, u_right = 0, u_xi01 = 0, u_xi10 = 0;
  auto flush = [&] {
    s_from1 += u_from1 * inv;
    s_right += u_right * inv;
    s_xi01 += u_xi01 * inv;
    s_xi10 += u_xi10 * inv;
    u_from1 = u_right = u_xi01 = u_xi10 = 0;
  };
  const double last = a[2 * (n - 1) + 1] * inv;  // P(L_{n-1} | O)
  double s_first = last;
  if (Multi) {
    gamma[x[n - 1]] += w * last;
  } else {
    s_right += last * static_cast<double>(x[n - 1]);
  }
  double m0 = tab[x[n - 1]].e0, m1 = tab[x[n - 1]].e1;
  std::size_t next_rescale = n_rescaled;
  for (std::size_t t = n - 1; t-- > 0;) {
    if (next_rescale > 0 && rescaled[next_rescale - 1] == t) {
      // Forward values after t carry one more factor `huge` than a[t].
      flush();
      inv *= huge;
      --next_rescale;
    }
    const double a0 = a[2 * t], a1 = a[2 * t + 1];
    const double b1 = F * m0 + omF * m1;  // beta_t(1)
    const double g1 = a1 * b1;            // P(L_t = 1 | O) / inv
    u_xi01 += a0 * m1;
    u_xi10 += a1 * m0;
    u_from1 += g1;
    if (Multi) {
      gamma[x[t]] += w * g1 * inv;
    } else {
      u_right += g1 * static_cast<double>(x[t]);
    }
    if (t == 0) s_first = g1 * inv;
    const code_entry& e = tab[x[t]];
    const double nm0 = e.b00 * m0 + e.b01 * m1;
    const double nm1 = e.b10 * m0 + e.b11 * m1;
    m0 = nm0;
    m1 = nm1;
    if (m0 + m1 < tiny) {
      // Backward values before t carry one more factor `huge`.
      flush();
      m0 *= huge;
      m1 *= huge;
      inv *= tiny;
    }
  }
  flush();
  return {s_first, s_from1, s_right, s_xi01, s_xi10, last};
}

// One E-step over all sequences of a skill.
//
// The forward and backward recursions run on unnormalised 2-vectors: multiply-add chains with
// no division, rescaled by an exact power of two only when they get small. No per-step
// normalisation is needed either: sum_i alpha_t(i) beta_t(i) = P(O) is the same at every t, so
// the posteriors of a run of steps between two rescalings share one normaliser. The backward
// pass accumulates unnormalised sums and multiplies them by that normaliser once per run.
// `a` (2 * max_length doubles) and `rescaled` (max_length) are scratch.
template <bool Multi>
void estep(const skill_data& sd, const em_params& p, double* a, std::uint32_t* rescaled,
           estep_result& out, masterymap::detail::meter& m) {
  const std::size_t n_codes = sd.code_count.size();
  out.table.resize(n_codes);
  const code_entry* tab = out.table.data();
  fill_emissions(p, n_codes, out.table.data());
  out.gamma.assign(n_codes, 0.0);
  const double T = p.learn, F = p.forget;
  double first = 0, from1 = 0, xi01 = 0, xi10 = 0;
  double g_right = 0, g_all = 0;  // non-Multi gamma sums: correct answers, all answers
  likelihood_sum ll;
  const std::uint32_t* codes = sd.codes.data();
  const std::size_t nseq = sd.weight.size();
  std::size_t next_check = check_rows;
  for (std::size_t q = 0; q < nseq; ++q) {
    if (sd.begin[q] >= next_check) {
      m.check();
      next_check = sd.begin[q] + check_rows;
    }
    const std::uint32_t* x = codes + sd.begin[q];
    const std::size_t n = sd.begin[q + 1] - sd.begin[q];
    const double w = sd.weight[q];
    const auto [likelihood, n_rescaled] = forward(tab, x, n, p.prior, a, rescaled);
    ll.add(w, likelihood, n_rescaled);
    const sequence_sums s = backward<Multi>(tab, x, n, a, rescaled, n_rescaled, p, w, out.gamma);
    first += w * s.first;
    from1 += w * s.from1;
    xi01 += w * s.xi01 * T;
    xi10 += w * s.xi10 * F;
    if (!Multi) {
      g_right += w * s.right;
      g_all += w * (s.from1 + s.last);
    }
  }
  if (!Multi) {
    out.gamma[1] = g_right;
    out.gamma[0] = g_all - g_right;
  }
  out.log_likelihood = ll.total();
  out.first = first;
  out.from1 = from1;
  out.xi01 = xi01;
  out.xi10 = xi10;
}

struct fit_setup {
  const fit_options* options;
  fixed_params fixed;
  bool forgets;
};

// A skill's share of a fit's progress: `rows` units per E-step, up to `allowed` E-steps (the
// most its restarts may take); what convergence leaves unused is added when the skill is done.
struct skill_progress {
  masterymap::detail::meter* m;
  std::uint64_t rows;
  std::uint64_t allowed;
  std::uint64_t used = 0;
  void estep_done() {
    if (used < allowed) {
      ++used;
      m->advance(rows);
    }
  }
  void skill_done() {
    m->advance(rows * (allowed - used));
    used = allowed;
  }
};

void mstep(const skill_data& sd, const estep_result& r, const fit_setup& fs, em_params& p) {
  const param_bounds& b = fs.options->bounds;
  const double cut = 1e-12;
  if (!fs.fixed.prior && sd.sequences > 0) p.prior = detail::clamp(r.first / sd.sequences, b.prior);
  const double from0 = sd.non_last - r.from1;
  if (!fs.fixed.learn && from0 > cut) p.learn = detail::clamp(r.xi01 / from0, b.learn);
  if (fs.forgets && !fs.fixed.forget && r.from1 > cut)
    p.forget = detail::clamp(r.xi10 / r.from1, b.forget);
  for (std::size_t c = 0; c < p.guess.size(); ++c) {
    const double s0 = r.gamma[2 * c], s1 = r.gamma[2 * c + 1];
    const double n0 = sd.code_count[2 * c], n1 = sd.code_count[2 * c + 1];
    const double learned = s0 + s1, unlearned = (n0 + n1) - learned;
    if (!fs.fixed.guess && unlearned > cut)
      p.guess[c] = detail::clamp(std::max(0.0, n1 - s1) / unlearned, b.guess);
    if (!fs.fixed.slip && learned > cut) p.slip[c] = detail::clamp(s0 / learned, b.slip);
  }
}

em_params initial(const skill_data& sd, const fit_setup& fs, std::uint64_t skill_seed,
                  int restart) {
  const std::size_t nc = std::max<std::size_t>(1, sd.classes.size());
  em_params p;
  const param_bounds& b = fs.options->bounds;
  if (restart == 0) {
    // A typical BKT point, so one restart is already a sensible fit.
    p.prior = 0.5;
    p.learn = 0.1;
    p.forget = fs.forgets ? 0.05 : 0.0;
    p.guess.assign(nc, 0.2);
    p.slip.assign(nc, 0.1);
  } else {
    detail::rng r(detail::mix(skill_seed, static_cast<std::uint64_t>(restart)));
    p.prior = r.uniform(0.05, 0.95);
    p.learn = r.uniform(0.01, 0.5);
    p.forget = fs.forgets ? r.uniform(0.0, 0.2) : 0.0;
    p.guess.resize(nc);
    p.slip.resize(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      p.guess[c] = r.uniform(0.05, 0.45);
      p.slip[c] = r.uniform(0.05, 0.45);
    }
  }
  p.prior = fs.fixed.prior ? *fs.fixed.prior : detail::clamp(p.prior, b.prior);
  p.learn = fs.fixed.learn ? *fs.fixed.learn : detail::clamp(p.learn, b.learn);
  p.forget =
      fs.fixed.forget ? *fs.fixed.forget : (fs.forgets ? detail::clamp(p.forget, b.forget) : 0.0);
  for (std::size_t c = 0; c < nc; ++c) {
    p.guess[c] = fs.fixed.guess ? *fs.fixed.guess : detail::clamp(p.guess[c], b.guess);
    p.slip[c] = fs.fixed.slip ? *fs.fixed.slip : detail::clamp(p.slip[c], b.slip);
  }
  return p;
}

// One EM run from `p`. `stats` are the E-step statistics of `p` when `stats_valid`; `ll` is
// then its log-likelihood and `ll_prev` that of the parameters before the last M-step.
struct em_run {
  em_params p;
  estep_result stats;
  bool stats_valid = false;
  double ll = -std::numeric_limits<double>::infinity();
  double ll_prev = -std::numeric_limits<double>::infinity();
  bool has_prev = false;
  int iterations = 0;
  bool converged = false;
};

// Runs up to `budget` more M-steps (stopping at convergence) and leaves `run` evaluated, so a
// screened run can be compared with others and later continued without repeating work.
void run_em(const skill_data& sd, const fit_setup& fs, em_run& run, int budget,
            std::vector<double>& scratch, skill_progress& sp) {
  const bool multi = fs.options->multigs && sd.classes.size() > 1;
  double* a = scratch.data();
  auto* rescaled = reinterpret_cast<std::uint32_t*>(scratch.data() + 2 * sd.max_length);
  const double tol = fs.options->tolerance * sd.observations;
  auto evaluate = [&] {
    if (multi) {
      estep<true>(sd, run.p, a, rescaled, run.stats, *sp.m);
    } else {
      estep<false>(sd, run.p, a, rescaled, run.stats, *sp.m);
    }
    sp.estep_done();
    run.stats_valid = true;
    run.ll = run.stats.log_likelihood;
    if (run.has_prev && run.ll - run.ll_prev < tol) run.converged = true;
  };
  for (int it = 0; it < budget && !run.converged; ++it) {
    if (!run.stats_valid) {
      evaluate();
      if (run.converged) break;
    }
    run.ll_prev = run.ll;
    run.has_prev = true;
    mstep(sd, run.stats, fs, run.p);
    run.stats_valid = false;
    ++run.iterations;
  }
  if (!run.stats_valid) evaluate();
}

// E-steps a skill may take: every restart's first run (evaluated once more at its end), then,
// when screening, the best one's continuation.
std::uint64_t esteps_allowed(const fit_options& o) {
  const bool screen = o.restarts == restart_strategy::screen && o.num_fits > 1;
  const auto first = static_cast<std::uint64_t>(screen ? o.screen_iterations : o.max_iterations);
  return static_cast<std::uint64_t>(o.num_fits) * (first + 1) +
         (screen ? static_cast<std::uint64_t>(o.max_iterations) + 1 : 0);
}

skill_params fit_skill(const dataset& data, const detail::grouping& g, std::size_t k,
                       const fit_options& options, std::vector<double>& scratch,
                       skill_progress& sp) {
  const std::string& name = data.skill_names()[k];
  fit_setup fs{&options, options.fixed, options.forgets};
  if (auto it = options.fixed_skills.find(name); it != options.fixed_skills.end()) {
    const fixed_params& f = it->second;
    if (f.prior) fs.fixed.prior = f.prior;
    if (f.learn) fs.fixed.learn = f.learn;
    if (f.forget) fs.fixed.forget = f.forget;
    if (f.guess) fs.fixed.guess = f.guess;
    if (f.slip) fs.fixed.slip = f.slip;
  }
  skill_data sd = prepare(data, g, k, options.multigs, *sp.m);
  scratch.resize(std::max(scratch.size(), 3 * sd.max_length));  // a[2n] + rescaled[n] (as uint32)
  const std::uint64_t skill_seed = detail::mix(options.seed, detail::fnv1a(name));

  std::vector<em_run> runs(static_cast<std::size_t>(options.num_fits));
  const bool screen = options.restarts == restart_strategy::screen && options.num_fits > 1;
  const int first_budget = screen ? options.screen_iterations : options.max_iterations;
  for (int i = 0; i < options.num_fits; ++i) {
    em_run& run = runs[static_cast<std::size_t>(i)];
    run.p = initial(sd, fs, skill_seed, i);
    run_em(sd, fs, run, first_budget, scratch, sp);
  }
  // The best training log-likelihood wins; ties go to the earliest restart.
  std::size_t best = 0;
  for (std::size_t i = 1; i < runs.size(); ++i)
    if (runs[i].ll > runs[best].ll) best = i;
  if (screen && !runs[best].converged)
    run_em(sd, fs, runs[best], options.max_iterations, scratch, sp);
  sp.skill_done();

  const em_run& run = runs[best];
  skill_params out;
  out.skill = name;
  out.prior = run.p.prior;
  out.learn = run.p.learn;
  out.forget = run.p.forget;
  out.guess = run.p.guess;
  out.slip = run.p.slip;
  if (options.multigs) {
    for (std::uint32_t c : sd.classes) out.classes.push_back(data.class_names()[c]);
  }
  out.log_likelihood = run.ll;
  out.iterations = run.iterations;
  out.converged = run.converged;
  out.restart = static_cast<int>(best);
  out.observations = static_cast<std::uint64_t>(sd.observations);
  out.sequences = sd.raw_sequences;
  return out;
}

void check_interval(interval b, const char* name) {
  if (!(b.lo >= 0.0 && b.lo <= b.hi && b.hi <= 1.0))
    throw std::invalid_argument(fmt::format(
        "bounds of {} must satisfy 0 <= lo <= hi <= 1, got [{}, {}]", name, b.lo, b.hi));
}

void check_fixed(const fixed_params& f, const std::string& where) {
  auto one = [&](const std::optional<double>& v, const char* name) {
    if (v && !(*v >= 0.0 && *v <= 1.0))
      throw std::invalid_argument(
          fmt::format("fixed {}{} must be in [0, 1], got {}", name, where, *v));
  };
  one(f.prior, "prior");
  one(f.learn, "learn");
  one(f.forget, "forget");
  one(f.guess, "guess");
  one(f.slip, "slip");
}

}  // namespace

void validate(const fit_options& options) {
  if (options.num_fits < 1)
    throw std::invalid_argument(
        fmt::format("num_fits must be at least 1, got {}", options.num_fits));
  if (options.max_iterations < 1)
    throw std::invalid_argument(
        fmt::format("max_iterations must be at least 1, got {}", options.max_iterations));
  if (options.screen_iterations < 1)
    throw std::invalid_argument(
        fmt::format("screen_iterations must be at least 1, got {}", options.screen_iterations));
  if (!(options.tolerance >= 0.0 && std::isfinite(options.tolerance)))
    throw std::invalid_argument(
        fmt::format("tolerance must be a finite number >= 0, got {}", options.tolerance));
  check_interval(options.bounds.prior, "prior");
  check_interval(options.bounds.learn, "learn");
  check_interval(options.bounds.forget, "forget");
  check_interval(options.bounds.guess, "guess");
  check_interval(options.bounds.slip, "slip");
  check_fixed(options.fixed, "");
  for (const auto& [skill, f] : options.fixed_skills)
    check_fixed(f, fmt::format(" (skill '{}')", skill));
}

model fit(const dataset& data, const fit_options& options, const progress& progress) {
  validate(options);
  if (options.multigs && !data.has_item_class())
    throw std::invalid_argument("multigs needs an item-class column");
  if (data.empty()) throw std::invalid_argument("cannot fit an empty dataset");

  // Skills to fit: those with rows (and, if given, in options.skills), largest first.
  std::vector<std::uint64_t> rows_of(data.skill_count(), 0);
  for (std::uint32_t s : data.skills()) ++rows_of[s];
  std::vector<bool> wanted(data.skill_count(), options.skills.empty());
  for (const auto& name : options.skills) {
    auto it = std::find(data.skill_names().begin(), data.skill_names().end(), name);
    if (it == data.skill_names().end()) throw unknown_id_error(name, "skill");
    wanted[static_cast<std::size_t>(it - data.skill_names().begin())] = true;
  }
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < data.skill_count(); ++k)
    if (wanted[k] && rows_of[k] > 0) todo.push_back(k);
  std::vector<std::size_t> by_size = todo;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](std::size_t a, std::size_t b) { return rows_of[a] > rows_of[b]; });

  // Progress: rows x E-steps allowed, per skill (skill_progress).
  const std::uint64_t allowed = esteps_allowed(options);
  std::uint64_t total = 0;
  for (std::size_t k : todo) total += rows_of[k] * allowed;
  masterymap::detail::meter m(progress, total);
  return m.run([&] {
    const detail::grouping g = detail::group_by_skill(data);
    m.check();
    std::vector<skill_params> fitted(data.skill_count());
    unsigned threads = masterymap::detail::resolve_threads(options.threads);
    std::vector<std::vector<double>> scratch(threads);
    masterymap::detail::parallel_tasks(
        by_size.size(), threads,
        [&](std::size_t i, unsigned worker) {
          const std::size_t k = by_size[i];
          skill_progress sp{&m, rows_of[k], allowed};
          fitted[k] = fit_skill(data, g, k, options, scratch[worker], sp);
        },
        &m);
    std::vector<skill_params> out;
    out.reserve(todo.size());
    for (std::size_t k : todo) out.push_back(std::move(fitted[k]));
    model result(std::move(out), options.forgets, options.multigs);
    m.finish();
    return result;
  });
}

std::vector<metrics> crossvalidate(const dataset& data, const fit_options& options, int folds,
                                   std::uint64_t seed, const progress& progress) {
  validate(options);
  if (folds < 2) throw std::invalid_argument("crossvalidate needs at least 2 folds");
  const std::size_t nl = data.learner_count();
  if (nl < static_cast<std::size_t>(folds))
    throw std::invalid_argument(fmt::format("{} learners cannot fill {} folds", nl, folds));
  std::vector<std::uint32_t> perm(nl);
  std::iota(perm.begin(), perm.end(), 0U);
  detail::rng r(seed);
  for (std::size_t i = nl; i > 1; --i) std::swap(perm[i - 1], perm[r.below(i)]);
  std::vector<int> fold_of(nl);
  for (std::size_t i = 0; i < nl; ++i)
    fold_of[perm[i]] = static_cast<int>(i % static_cast<std::size_t>(folds));
  // Progress: fold_units per fold, shared in proportion by its fit's progress.
  constexpr std::uint64_t fold_units = 1000;
  const auto total = static_cast<std::uint64_t>(folds) * fold_units;
  std::uint64_t reported = 0;  // the fold fits' reports keep `done` monotone across folds
  std::vector<metrics> out;
  for (int f = 0; f < folds; ++f) {
    std::vector<bool> train(nl), test(nl);
    for (std::size_t l = 0; l < nl; ++l) {
      train[l] = fold_of[l] != f;
      test[l] = fold_of[l] == f;
    }
    const dataset train_set = data.select_learners(train);
    const dataset test_set = data.select_learners(test);
    masterymap::progress fold_progress;
    fold_progress.interval = progress.interval;
    if (progress) {
      const auto base = static_cast<std::uint64_t>(f) * fold_units;
      fold_progress.report = [&, base](std::uint64_t done, std::uint64_t fold_total) {
        // The fold's last report (done == fold_total) is held back until the fold is scored.
        const std::uint64_t part = fold_total == 0 ? 0 : done * fold_units / fold_total;
        reported = std::max(reported, base + std::min(part, fold_units - 1));
        progress.report(reported, total);
      };
    }
    const model m = fit(train_set, options, fold_progress);
    out.push_back(m.evaluate(test_set));
  }
  if (progress) progress.report(total, total);
  return out;
}

}  // namespace masterymap::bkt
