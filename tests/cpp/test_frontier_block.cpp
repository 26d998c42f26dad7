// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <masterymap/frontier_block.hpp>
#include <masterymap/progression.hpp>
#include <random>
#include <vector>

#include "progression_fixtures.hpp"

namespace mm = masterymap;

TEST_SUITE("frontier_block") {
  // Oracle: the brute-force frontier of the fixtures (edges walked one by one) restricted to
  // learning targets, learner by learner; every lane of a block must give exactly that, for
  // full and partly used blocks, on random DAGs (in-degrees 0 to ~10: every edge class and the
  // generic one) with random rollup parents (never on a frontier).
  TEST_CASE("each lane's flags are that learner's brute-force frontier") {
    std::mt19937 rng(2027);
    constexpr std::size_t W = mm::frontier_lanes;
    for (int round = 0; round < 40; ++round) {
      const int n = 5 + round % 37;
      const mm::framework fw = pfix::random_dag(rng, n, round % 2 ? 0.15 : 0.35);
      std::vector<std::pair<mm::index_t, std::vector<mm::index_t>>> rollups;
      std::vector<char> target(fw.size(), 1);
      for (mm::index_t c = 0; c < fw.size(); ++c)
        if (rng() % 6 == 0) {
          std::vector<mm::index_t> parts;
          for (int k = 0; k < 3; ++k)
            if (const auto x = static_cast<mm::index_t>(rng() % fw.size()); x != c)
              parts.push_back(x);
          rollups.emplace_back(c, parts);
          target[c] = 0;
        }
      const mm::progression prog(fw, mm::scale::four_point(), rollups);
      const std::size_t C = fw.size(), used = round % 3 == 0 ? W : 1 + rng() % W;
      std::vector<pfix::random_learner> ls;
      std::vector<std::uint8_t> codes(C * W, 0), flags(C * W, 7), one(C);
      for (std::size_t j = 0; j < used; ++j) {
        ls.push_back(pfix::random_state(rng, C));
        prog.encode(ls[j].st.data(), ls[j].sc.data(), one.data());
        for (std::size_t c = 0; c < C; ++c) codes[c * W + j] = one[c];
      }
      mm::frontier_flags_block(prog, codes.data(), flags.data());
      for (std::size_t j = 0; j < used; ++j) {
        std::vector<std::uint8_t> want(C, 0);
        for (const mm::index_t c : pfix::brute_frontier(fw, ls[j]))
          if (target[c]) want[c] = 1;
        std::vector<std::uint8_t> got(C);
        for (std::size_t c = 0; c < C; ++c) got[c] = flags[c * W + j];
        CHECK(got == want);
        // and the one-learner form agrees
        std::vector<std::uint8_t> single(C);
        prog.encode(ls[j].st.data(), ls[j].sc.data(), one.data());
        prog.frontier_flags(one.data(), single.data());
        CHECK(single == want);
      }
      for (std::size_t x = 0; x < C * W; ++x) REQUIRE(flags[x] <= 1);
    }
  }

  TEST_CASE("lanes all done, lanes with nothing started") {
    std::mt19937 rng(5);
    const mm::framework fw = pfix::random_dag(rng, 12, 0.3);
    const mm::progression prog(fw, mm::scale::four_point());
    constexpr std::size_t W = mm::frontier_lanes;
    std::vector<std::uint8_t> codes(fw.size() * W, mm::progression::done_code),
        flags(fw.size() * W, 9);
    mm::frontier_flags_block(prog, codes.data(), flags.data());
    CHECK(std::count(flags.begin(), flags.end(), 0) == static_cast<long>(flags.size()));
    // Nothing started, in every lane: the brute-force frontier of a learner with nothing.
    std::fill(codes.begin(), codes.end(), 0);
    mm::frontier_flags_block(prog, codes.data(), flags.data());
    pfix::random_learner none;
    none.st.assign(fw.size(), mm::status::not_started);
    none.sc.assign(fw.size(), std::nan(""));
    std::vector<std::uint8_t> want(fw.size(), 0);
    for (const mm::index_t c : pfix::brute_frontier(fw, none)) want[c] = 1;
    CHECK(std::count(want.begin(), want.end(), 1) > 0);
    for (mm::index_t c = 0; c < fw.size(); ++c)
      for (std::size_t j = 0; j < W; ++j) CHECK(flags[c * W + j] == want[c]);
  }
}
