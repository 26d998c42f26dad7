// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Migrating evidence and rosters from one edition of a framework to the next along a revision
// map (`migrate`); the map itself is built in migrate_revisions.cpp.
#include <cstdint>
#include <masterymap/error.hpp>
#include <masterymap/migrate.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inference.hpp"

namespace masterymap {

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string rows_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

// An edition label for a row's source: at most 60 characters (cut at a UTF-8 boundary, "...").
std::string short_label(const std::string& s) {
  constexpr std::size_t max = 60;
  if (s.size() <= max) return s;
  std::size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
  return s.substr(0, cut) + "...";
}

// What the map's editions say about the given ones, for an error message.
std::string map_editions_text(const revision_map& map, const framework& old_edition,
                              const framework& new_edition) {
  const auto& eds = map.editions();
  if (eds.empty()) return "the revision map has no editions";
  std::string t = "the revision map is from " + quoted(eds.front()) + " to " + quoted(eds.back());
  if (eds.front() == new_edition.name() && eds.back() == old_edition.name() &&
      old_edition.name() != new_edition.name())
    t += ": the editions look swapped (revisions(old, new) takes the old edition first)";
  else if (eds.front() != old_edition.name() || eds.back() != new_edition.name())
    t += ", not from " + quoted(old_edition.name()) + " to " + quoted(new_edition.name());
  return t;
}

}  // namespace

migration migrate(const evidence_log& log, const framework& old_edition,
                  const framework& new_edition, const revision_map& map, split_rule split) {
  const auto& comps = log.competencies();
  const auto& codes = log.competency_codes();
  const auto& attr_codes = log.attribute_codes();
  const auto& attrs = log.attributes();
  const auto& learner_codes = log.learner_codes();
  const std::size_t rows = log.size();
  const auto placement_code = log.kind_code("placement");
  auto is_placement = [&](std::size_t r) {
    return placement_code && attrs[attr_codes[r]].kind == *placement_code;
  };
  // Rows per (competency code, placement?), and those slots in order of first use.
  const std::size_t n_slots = comps.size() * 2;
  std::vector<std::size_t> count(n_slots, 0);
  std::vector<std::uint32_t> order;
  std::vector<std::size_t> comp_rows(comps.size(), 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t slot = codes[r] * std::size_t{2} + (is_placement(r) ? 1 : 0);
    if (count[slot]++ == 0) order.push_back(static_cast<std::uint32_t>(slot));
    ++comp_rows[codes[r]];
  }
  std::vector<problem> problems;
  const auto& eds = map.editions();
  if (!eds.empty() && old_edition.name() != new_edition.name() &&
      eds.front() == new_edition.name() && eds.back() == old_edition.name())
    throw validation_error({problem{problem_kind::invalid_value,
                                    {old_edition.name(), new_edition.name()},
                                    "migrate from " + quoted(old_edition.name()) + " to " +
                                        quoted(new_edition.name()) + ": " +
                                        map_editions_text(map, old_edition, new_edition)}});
  std::vector<const revision*> rev(comps.size(), nullptr);
  for (std::uint32_t slot : order) {
    const std::uint32_t c = slot / 2;
    if (slot % 2 == 1 && count[c * std::size_t{2}] > 0) continue;  // checked with its rows
    const std::string& id = comps[c];
    if (!old_edition.contains(id)) {
      problems.push_back(problem{problem_kind::unknown_id,
                                 {id},
                                 "competency '" + id + "' (" + rows_text(comp_rows[c]) +
                                     ") is not in the old edition '" + old_edition.name() + "'"});
      continue;
    }
    if (!map.contains(id)) {
      problems.push_back(problem{
          problem_kind::unknown_id,
          {id},
          "competency '" + id + "' (" + rows_text(comp_rows[c]) + ") of the old edition '" +
              old_edition.name() +
              "' is not in the revision map: " + map_editions_text(map, old_edition, new_edition)});
      continue;
    }
    rev[c] = &map.at(id);
    if (slot % 2 == 1) continue;  // placement rows go by domain
    for (const auto& n : rev[c]->new_ids)
      if (!new_edition.contains(n)) {
        problems.push_back(problem{problem_kind::unknown_id,
                                   {id, n},
                                   "successor '" + n + "' of '" + id +
                                       "' is not in the new edition '" + new_edition.name() +
                                       "' (" + map_editions_text(map, old_edition, new_edition) +
                                       ": other editions)"});
      }
  }
  if (!problems.empty()) throw validation_error(std::move(problems));

  const std::string edition = short_label(old_edition.name());
  migration result;
  std::vector<std::vector<std::string>> targets(n_slots);
  std::vector<std::string> notes(n_slots);  // the source note of a moved row, per slot
  for (std::uint32_t slot : order) {
    const std::uint32_t c = slot / 2;
    const revision& r = *rev[c];
    migration_decision d;
    d.old_id = r.old_id;
    d.kind = r.kind;
    d.rows = count[slot];
    auto& tg = targets[slot];
    if (slot % 2 == 1) {
      // Placement rows: the same domain's placement competency in the new edition.
      d.domain = old_edition.at(old_edition.index_of(r.old_id)).domain;
      if (!d.domain.empty() && detail::has_placement_host(new_edition, d.domain)) {
        tg = {new_edition.id_of(detail::placement_host(new_edition, d.domain, "migrate"))};
        d.action = "placed";
      } else {
        d.action = "dropped";
      }
    } else {
      switch (r.kind) {
        case revision_kind::same:
          d.action = r.new_ids.size() == 1 && r.new_ids.front() == r.old_id ? "same" : "renamed";
          tg = r.new_ids;
          break;
        case revision_kind::one_to_one:
        case revision_kind::chain:
          d.action = "moved";
          tg = r.new_ids;
          break;
        case revision_kind::merge:
          d.action = "merged";
          tg = r.new_ids;
          break;
        case revision_kind::split:
          if (split == split_rule::copy) {
            d.action = "split";
            tg = r.new_ids;
          } else if (split == split_rule::first) {
            d.action = "split";
            tg = {r.new_ids.front()};
          } else {
            d.action = "dropped";
          }
          break;
        case revision_kind::none:
          d.action = "dropped";
          break;
      }
    }
    if (r.kind != revision_kind::same || !(tg.size() == 1 && tg.front() == r.old_id))
      notes[slot] = r.old_id + " (" + edition + ")";
    d.new_ids = tg;
    d.written = d.rows * tg.size();
    result.decisions.push_back(std::move(d));
  }

  std::vector<std::string> extra;
  for (const auto& k : log.kinds()) extra.push_back(k);
  evidence_log out(extra);
  std::vector<evidence> batch;
  batch.reserve(rows);
  std::vector<std::uint8_t> had(log.learners().size(), 0);  // 1: rows in, 2: rows out
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t slot = codes[r] * std::size_t{2} + (is_placement(r) ? 1 : 0);
    auto& h = had[learner_codes[r]];
    if (h == 0) h = 1;
    if (targets[slot].empty()) continue;
    h = 2;
    evidence e = log.at(r);
    if (!notes[slot].empty())
      e.source = e.source.empty() ? "migration from " + notes[slot]
                                  : e.source + "; migrated from " + notes[slot];
    for (const auto& t : targets[slot]) {
      evidence copy = e;
      copy.competency = t;
      batch.push_back(std::move(copy));
    }
  }
  out.append_unchecked(batch);
  result.log = std::move(out);
  // Learners in log order (of first row) whose rows were all dropped.
  std::vector<std::uint8_t> listed(had.size(), 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto l = learner_codes[r];
    if (had[l] == 1 && !listed[l]) {
      listed[l] = 1;
      result.emptied_learners.push_back(log.learners()[l]);
    }
  }
  return result;
}

roster_migration migrate(const roster& r, const framework& old_edition,
                         const framework& new_edition, const revision_map& map, split_rule split) {
  migration m = migrate(r.log(), old_edition, new_edition, map, split);
  roster out(new_edition, r.policy(), r.options());
  out.ingest(m.log);
  return roster_migration{std::move(out), std::move(m.decisions), std::move(m.emptied_learners)};
}

}  // namespace masterymap
