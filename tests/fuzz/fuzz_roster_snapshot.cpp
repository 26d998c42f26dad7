// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: roster::load (the binary snapshot; the input is written to a temporary file,
// since snapshots are read from files). A roster that loads is saved, loaded again and must
// give the same tables and evidence, and saving that gives the same bytes; its bulk queries run
// and one more event is added (neither may crash on any roster that loaded).
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <masterymap/roster.hpp>
#include <optional>
#include <string>

#include "fuzz_util.hpp"

using masterymap::roster;

namespace {

struct temp_paths {
  std::string input, saved, again;
  temp_paths() {
    const char* dir = std::getenv("TMPDIR");
    const std::string base =
        std::string(dir && *dir ? dir : "/tmp") + "/masterymap_fuzz_" + std::to_string(::getpid());
    input = base + "_input.snapshot";
    saved = base + "_saved.snapshot";
    again = base + "_again.snapshot";
  }
  ~temp_paths() {
    std::remove(input.c_str());
    std::remove(saved.c_str());
    std::remove(again.c_str());
  }
};

const temp_paths& paths() {
  static const temp_paths p;
  return p;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool same_tables(const roster& a, const roster& b) {
  if (a.learners() != b.learners() || a.statuses() != b.statuses() || a.ratings() != b.ratings() ||
      a.attainments() != b.attainments() || !fuzz::same(a.scores(), b.scores()) ||
      !fuzz::same(a.as_of(), b.as_of()) || a.framework() != b.framework() ||
      a.policy() != b.policy())
    return false;
  return a.log().kinds() == b.log().kinds() && fuzz::same_rows(a.log(), b.log());
}

void query(const roster& r) {
  (void)r.frontier_matrix();
  const auto domains = r.framework().domains();
  if (!domains.empty()) (void)r.levels(domains.front());
  if (r.size() == 0) return;
  (void)r.row(0);
  (void)r.last_evidence_times(r.size() - 1);
  const masterymap::learner_state s = r.learner(r.learners().front());
  FUZZ_CHECK(s.size() == r.competencies());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const temp_paths& p = paths();
  {
    std::ofstream out(p.input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  masterymap::roster_options one_thread;
  one_thread.threads = 1;
  std::optional<roster> r;
  if (!fuzz::parses([&] { r = roster::load(p.input, one_thread); })) return 0;
  r->save(p.saved);
  std::optional<roster> again;
  FUZZ_CHECK(fuzz::parses([&] { again = roster::load(p.saved, one_thread); }));
  FUZZ_CHECK(same_tables(*again, *r));
  again->save(p.again);
  FUZZ_CHECK(read_all(p.again) == read_all(p.saved));
  query(*r);
  if (r->competencies() > 0) {
    const double t = std::isnan(r->as_of()) ? 0.0 : r->as_of();
    (void)fuzz::parses([&] {
      (void)r->add("fuzz learner", r->framework().id_of(0), t, r->policy().scale().max_value());
    });
  }
  return 0;
}
