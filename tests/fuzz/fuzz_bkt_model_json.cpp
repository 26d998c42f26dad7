// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: bkt::model::from_json and bkt::tracer::from_json (the same text is given
// to both). A model or tracer that parses is written back, parsed again and must be equal (its
// parameters bit for bit, the same text), and predicts on a few answers of each skill.
#include <cstddef>
#include <cstdint>
#include <masterymap/bkt.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"

namespace bkt = masterymap::bkt;

namespace {

bool same(const bkt::skill_params& a, const bkt::skill_params& b) {
  return a.skill == b.skill && fuzz::same(a.prior, b.prior) && fuzz::same(a.learn, b.learn) &&
         fuzz::same(a.forget, b.forget) && a.classes == b.classes && fuzz::same(a.guess, b.guess) &&
         fuzz::same(a.slip, b.slip) && fuzz::same(a.log_likelihood, b.log_likelihood) &&
         a.iterations == b.iterations && a.converged == b.converged && a.restart == b.restart &&
         a.observations == b.observations && a.sequences == b.sequences;
}

bool same(const bkt::model& a, const bkt::model& b) {
  if (a.size() != b.size() || a.forgets() != b.forgets() || a.multigs() != b.multigs())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a.params()[i], b.params()[i])) return false;
  return true;
}

void check_model(const bkt::model& m) {
  const std::string text = m.to_json(-1);
  std::optional<bkt::model> again;
  FUZZ_CHECK(fuzz::parses([&] { again = bkt::model::from_json(text); }));
  FUZZ_CHECK(same(*again, m));
  FUZZ_CHECK(again->to_json(-1) == text);
  // Two learners answer every skill (at most 16) twice, with each item class.
  bkt::dataset d;
  const bool classes = m.multigs();
  std::size_t k = 0;
  for (const auto& p : m.params()) {
    if (p.skill.empty() || ++k > 16) break;
    for (const char* learner : {"a", "b"})
      for (bool correct : {true, false})
        d.add(learner, p.skill, correct, std::nullopt,
              classes ? (p.classes.empty() ? std::string_view("x") : p.classes.front())
                      : std::string_view());
  }
  const bkt::prediction pr = m.predict(d);
  FUZZ_CHECK(pr.correct.size() == d.size());
  (void)m.evaluate(d, bkt::unknown_skill::nan);
}

void check_tracer(const bkt::tracer& t) {
  const std::string text = t.to_json(-1);
  std::optional<bkt::tracer> again;
  FUZZ_CHECK(fuzz::parses([&] { again = bkt::tracer::from_json(text); }));
  FUZZ_CHECK(again->to_json(-1) == text);
  FUZZ_CHECK(same(again->model(), t.model()));
  FUZZ_CHECK(again->learners() == t.learners());
  FUZZ_CHECK(again->tracked_pairs() == t.tracked_pairs());
  for (std::uint32_t l = 0; l < t.learners().size() && l < 8; ++l)
    for (std::uint32_t s = 0; s < t.model().size() && s < 8; ++s) {
      FUZZ_CHECK(fuzz::same(again->mastery(l, s), t.mastery(l, s)));
      FUZZ_CHECK(again->opportunities(l, s) == t.opportunities(l, s));
      (void)t.predict_correct(l, s);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<bkt::model> m;
  if (fuzz::parses([&] { m = bkt::model::from_json(text); })) check_model(*m);
  std::optional<bkt::tracer> t;
  if (fuzz::parses([&] { t = bkt::tracer::from_json(text); })) check_tracer(*t);
  return 0;
}
