// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// frontier_flags_block: progression::frontier_flags over a block of learners, a byte lane per
// learner (the gating-edge classes of progression_data, one vector comparison per edge).
#include <cstring>
#include <masterymap/frontier_block.hpp>

#include "progression_impl.hpp"

namespace masterymap {

namespace {

#if defined(__GNUC__) || defined(__clang__)
// 16 unsigned bytes: SSE2 on x86-64 (pcmpeqb, pmaxub, pand), NEON on ARM, plain code elsewhere.
using lanes16 = std::uint8_t __attribute__((vector_size(16)));
static_assert(frontier_lanes == 16);

inline lanes16 load(const std::uint8_t* p) noexcept {
  lanes16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(std::uint8_t* p, lanes16 v) noexcept { std::memcpy(p, &v, sizeof v); }
// 1 in each lane where the condition (a lane mask of 0 / 0xFF) holds.
inline lanes16 ones_where(lanes16 mask) noexcept {
  const lanes16 one = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  return mask & one;
}
// The lane mask type of a comparison of two lanes16 (signed bytes, -1 where true).
using mask16 = std::int8_t __attribute__((vector_size(16)));
inline lanes16 as_lanes(mask16 m) noexcept { return reinterpret_cast<lanes16>(m); }
#endif

}  // namespace

void frontier_flags_block(const progression& p, const std::uint8_t* codes,
                          std::uint8_t* out) noexcept {
  const auto& d = p.data();
  const std::size_t n = d.n;
  constexpr std::size_t W = frontier_lanes;
  const auto& g = d.gate_classes;
  const std::uint32_t* comp = d.gate_comp.data();
  const std::uint32_t* src = d.gate_src.data();
  const std::uint8_t* need = d.gate_need.data();
#if defined(__GNUC__) || defined(__clang__)
  // Every flag "not done" first, then each dependent with gating edges (in classes of equal
  // in-degree, as frontier_flags) gets not-done AND every edge met (code >= need, unsigned).
  lanes16 done;
  std::memset(&done, progression::done_code, sizeof done);
  for (std::size_t c = 0; c < n; ++c)
    store(out + c * W, ones_where(~as_lanes(load(codes + c * W) == done)));
  for (std::size_t k = 0; k + 1 < g.size(); ++k) {
    const std::uint32_t deg = g[k].degree, end = g[k + 1].first;
    const std::uint32_t* s = src + g[k].edges;
    const std::uint8_t* q = need + g[k].edges;
    for (std::uint32_t i = g[k].first; i < end; ++i, s += deg, q += deg) {
      std::uint8_t* o = out + std::size_t{comp[i]} * W;
      lanes16 ok = load(o);
      for (std::uint32_t j = 0; j < deg; ++j) {
        lanes16 nd;
        std::memset(&nd, q[j], sizeof nd);
        ok &= as_lanes(load(codes + std::size_t{s[j]} * W) >= nd);  // 0 or 0xFF a lane
      }
      store(o, ok);
    }
  }
#else
  for (std::size_t c = 0; c < n; ++c)
    for (std::size_t j = 0; j < W; ++j)
      out[c * W + j] = static_cast<std::uint8_t>(codes[c * W + j] != progression::done_code);
  for (std::size_t k = 0; k + 1 < g.size(); ++k) {
    const std::uint32_t deg = g[k].degree, end = g[k + 1].first;
    const std::uint32_t* s = src + g[k].edges;
    const std::uint8_t* q = need + g[k].edges;
    for (std::uint32_t i = g[k].first; i < end; ++i, s += deg, q += deg)
      for (std::size_t l = 0; l < W; ++l) {
        unsigned ok = out[comp[i] * W + l];
        for (std::uint32_t j = 0; j < deg; ++j) ok &= codes[s[j] * W + l] >= q[j] ? 1U : 0U;
        out[comp[i] * W + l] = static_cast<std::uint8_t>(ok);
      }
  }
#endif
}

}  // namespace masterymap
