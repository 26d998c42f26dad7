// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// libFuzzer target: bkt::parse_csv. Input: one byte choosing the options (column names, an
// order key and item classes, multi-skill split or reject, the delimiter), then the CSV text.
// A dataset that parses is predicted on (grouping by learner and skill, in order) and written
// back as CSV (every field quoted), read again and must be the same table.
#include <cstddef>
#include <cstdint>
#include <masterymap/bkt.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"

namespace bkt = masterymap::bkt;

namespace {

bkt::csv_options options(std::uint8_t choice) {
  bkt::csv_options o;
  switch (choice % 6) {
    case 0:
      break;
    case 1:  // ASSISTments' long files
      o.columns.skill = "skill_id";
      break;
    case 2:  // an order key and item classes
      o.columns.order = "order_id";
      o.columns.item_class = "template_id";
      break;
    case 3:
      o.multi_skill = bkt::multi_skill::split;
      break;
    case 4:
      o.multi_skill = bkt::multi_skill::reject;
      o.skill_separator = "~~";
      break;
    default:
      o.delimiter = '\t';
      o.columns.order = "order_id";
      break;
  }
  return o;
}

std::string write_csv(const bkt::dataset& d, const bkt::csv_options& o) {
  const char sep = o.delimiter;
  std::string out;
  fuzz::csv_field(out, o.columns.learner, true, sep);
  fuzz::csv_field(out, o.columns.skill, false, sep);
  fuzz::csv_field(out, o.columns.correct, false, sep);
  // The columns the options name (a table without rows has no order values, yet the column is
  // required when read back).
  const bool order = !o.columns.order.empty(), item_class = !o.columns.item_class.empty();
  if (order) fuzz::csv_field(out, o.columns.order, false, sep);
  if (item_class) fuzz::csv_field(out, o.columns.item_class, false, sep);
  out += '\n';
  for (std::size_t i = 0; i < d.size(); ++i) {
    fuzz::csv_field(out, d.learner_names()[d.learners()[i]], true, sep);
    fuzz::csv_field(out, d.skill_names()[d.skills()[i]], false, sep);
    fuzz::csv_field(out, d.correct()[i] ? "1" : "0", false, sep);
    if (order) fuzz::csv_field(out, fuzz::exact(d.order()[i]), false, sep);
    if (item_class) fuzz::csv_field(out, d.class_names()[d.item_classes()[i]], false, sep);
    out += '\n';
  }
  return out;
}

bool same(const bkt::dataset& a, const bkt::dataset& b) {
  return a.learner_names() == b.learner_names() && a.skill_names() == b.skill_names() &&
         a.class_names() == b.class_names() && a.learners() == b.learners() &&
         a.skills() == b.skills() && a.correct() == b.correct() &&
         fuzz::same(a.order(), b.order()) && a.item_classes() == b.item_classes();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bkt::csv_options o = options(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::optional<bkt::dataset> d;
  if (!fuzz::parses([&] { d = bkt::parse_csv(text, o); })) return 0;
  FUZZ_CHECK(d->learners().size() == d->size() && d->skills().size() == d->size());
  for (std::size_t i = 0; i < d->size(); ++i) {
    FUZZ_CHECK(d->learners()[i] < d->learner_count());
    FUZZ_CHECK(d->skills()[i] < d->skill_count());
    FUZZ_CHECK(d->correct()[i] <= 1);
  }
  if (!d->empty()) {
    bkt::skill_params p;
    p.skill = d->skill_names().front();
    const bkt::model m({p});
    const bkt::prediction pr = m.predict(*d);
    FUZZ_CHECK(pr.correct.size() == d->size() && pr.state.size() == d->size());
  }
  bkt::csv_options keep = o;
  keep.multi_skill = bkt::multi_skill::keep;
  std::optional<bkt::dataset> again;
  FUZZ_CHECK(fuzz::parses([&] { again = bkt::parse_csv(write_csv(*d, keep), keep); }));
  FUZZ_CHECK(same(*again, *d));
  return 0;
}
