// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// CASE rubrics as scales: a CFRubricCriterion's levels are the ratings of the competency it
// judges.
#include <fmt/format.h>

#include <algorithm>
#include <masterymap/io/case.hpp>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "case_detail.hpp"

namespace masterymap::io {

std::map<std::string, scale> case_rubric_scales(const framework& f, double mastery_fraction) {
  std::map<std::string, scale> out;
  const auto pkg = f.metadata().find(case_keys::package);
  if (pkg == f.metadata().end()) return out;
  const nlohmann::json p = nlohmann::json::parse(pkg->second);
  const auto rubrics = p.find("CFRubrics");
  if (rubrics == p.end() || !rubrics->is_array()) return out;
  // Items by identifier and by uri: a criterion names the item it judges through CFItemURI.
  std::unordered_map<std::string, std::string> by_node;
  for (const competency& c : f.competencies())
    for (const char* key : {case_keys::identifier, case_keys::uri})
      if (auto it = c.metadata.find(key); it != c.metadata.end()) by_node.emplace(it->second, c.id);
  const auto str = [](const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (std::size_t r = 0; r < rubrics->size(); ++r) {
    const auto& rubric = (*rubrics)[r];
    const auto criteria = rubric.find("CFRubricCriteria");
    if (criteria == rubric.end() || !criteria->is_array()) continue;
    for (std::size_t c = 0; c < criteria->size(); ++c) {
      const auto& criterion = (*criteria)[c];
      const std::string path = fmt::format("/CFRubrics/{}/CFRubricCriteria/{}", r, c);
      const auto node = criterion.find("CFItemURI");
      if (node == criterion.end() || !node->is_object()) continue;
      auto who = by_node.find(str(*node, "identifier"));
      if (who == by_node.end()) who = by_node.find(str(*node, "uri"));
      if (who == by_node.end()) continue;  // judges an item outside the package
      const auto levels = criterion.find("CFRubricCriterionLevels");
      if (levels == criterion.end() || !levels->is_array() || levels->empty())
        throw parse_error(path + ": a criterion without CFRubricCriterionLevels", 0, 0);
      std::vector<rating> ratings;
      for (std::size_t l = 0; l < levels->size(); ++l) {
        const auto& level = (*levels)[l];
        const auto score = level.find("score");
        const auto position = level.find("position");
        double value = 0;
        if (score != level.end() && score->is_number())
          value = score->get<double>();
        else if (position != level.end() && position->is_number())
          value = position->get<double>();
        else
          throw parse_error(
              fmt::format("{}/CFRubricCriterionLevels/{}: neither a score nor a position", path, l),
              0, 0);
        std::string label = str(level, "quality");
        if (label.empty()) label = str(level, "description");
        if (label.empty()) label = fmt::format("level {}", l + 1);
        ratings.emplace_back(std::move(label), value);
      }
      std::sort(ratings.begin(), ratings.end(),
                [](const rating& a, const rating& b) { return a.value < b.value; });
      for (std::size_t k = 1; k < ratings.size(); ++k)
        if (ratings[k].value == ratings[k - 1].value)
          throw parse_error(fmt::format("{}: two levels have the value {}", path, ratings[k].value),
                            0, 0);
      const double lo = ratings.front().value, hi = ratings.back().value;
      std::string mastery = ratings.back().label;
      for (const rating& x : ratings)
        if (x.value >= lo + mastery_fraction * (hi - lo)) {
          mastery = x.label;
          break;
        }
      out.insert_or_assign(who->second,
                           scale(std::move(ratings), mastery, std::nullopt, false,
                                 str(criterion, "category").empty() ? str(rubric, "title")
                                                                    : str(criterion, "category")));
    }
  }
  return out;
}

}  // namespace masterymap::io
