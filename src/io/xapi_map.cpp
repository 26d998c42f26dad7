// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// xAPI statements -> evidence rows: the mapping of one checked statement (see xapi_map.hpp and
// `read_xapi` in include/masterymap/io/xapi.hpp for the rules), and the default verb table.
#include "xapi_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <masterymap/framework.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "../kind_names.hpp"

namespace masterymap::io {

namespace xapi_detail {

std::string time_out_of_range(std::string_view path, std::string_view text,
                              const xapi_time_range& range) {
  return fmt::format("{}: {} is outside the times {} can hold", path, text,
                     range.holder.empty() ? fmt::format("the time range ({} to {} seconds since "
                                                        "the epoch)",
                                                        range.first, range.last)
                                          : range.holder);
}

mapper::mapper(const xapi_mapping& m) : m_(m) {
  for (const auto& [from, to] : m.learners)  // a row needs a learner id (the log refuses "")
    if (to.empty())
      throw std::invalid_argument(
          fmt::format("learners: {} is mapped to an empty learner id", escape_controls(from)));
  // hashed views of the option tables (an ordered map compares long shared IRI prefixes)
  for (const auto& [verb, kind] : m.verb_kinds) verb_kinds_.emplace(verb, kind);
  for (const auto& [activity, competency] : m.alignment) alignment_.emplace(activity, competency);
  if (m.competencies != nullptr) {
    for (const auto& c : m.competencies->competencies()) {
      const auto it = c.metadata.find("case:uri");
      if (it != c.metadata.end() && !it->second.empty()) by_uri_.emplace(it->second, c.id);
    }
  }
  if (m.score_scale) {
    const auto& s = *m.score_scale;
    success_ = m.success_score.value_or(s.mastery_value());
    const std::size_t mi = s.mastery_index();
    failure_ = m.failure_score.value_or(mi > 0 ? s.ratings()[mi - 1].value : s.min_value());
  } else {
    success_ = m.success_score.value_or(1.0);
    failure_ = m.failure_score.value_or(0.0);
  }
}

void mapper::map(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
                 xapi_evidence& out, error_list& errors) {
  verb_info& vi = verb_of(f.verb);
  if (vi.voiding) {
    std::string target, by;
    (void)xapi_detail::lower_id(f.object_id, target);
    (void)xapi_detail::lower_id(f.id, by);
    if (!by.empty() && target == by) {  // xAPI Data 2.3.2: a voiding statement cannot be voided
      errors.add(i, line,
                 fmt::format("/object/id: the statement voids itself ({}; xAPI: a voiding "
                             "statement cannot be voided)",
                             f.id));
      return;
    }
    out.skipped.emplace_back(i, fmt::format("a voiding statement: voids {}", target));
    out.voided.emplace_back(i, target);
    out.retractions.push_back({std::move(target), std::move(by)});
    return;
  }
  std::string_view au;  // cmi5: the statement's AU (publisher id)
  std::size_t au_at = no_row;
  if (m_.cmi5) {
    au = au_of(f, au_at);
    if (!cmi5_ok(i, line, f, au, errors)) return;
  }
  const std::string_view kind = vi.kind;
  const bool waiver = vi.waiver;
  if (kind.empty() && !waiver) {
    out.skipped.emplace_back(i, fmt::format("verb {} creates no rating evidence", f.verb));
    return;
  }
  if (f.object_type != "Activity") {
    out.skipped.emplace_back(i, fmt::format("the object is a {}, not an Activity", f.object_type));
    return;
  }
  if (f.actor_is_group || f.ifi.empty()) {
    out.skipped.emplace_back(i, "the actor is a Group, not one learner");
    return;
  }
  // competency: the object's alignment, else (cmi5) its AU's
  activity_info& ai = activity_of(f.object_id);
  activity_info* target = &ai;
  const bool by_au = m_.cmi5 && !ai.aligned && !au.empty();
  if (by_au) target = &au_info(au);
  const std::string_view competency = target->competency;
  if (!target->aligned) {
    const std::string what =
        !by_au ? fmt::format("activity {} is aligned to no competency", f.object_id)
        : au == f.object_id
            ? fmt::format(
                  "activity {} (a cmi5 AU without objectives) is aligned to no "
                  "competency",
                  f.object_id)
            : fmt::format(
                  "activity {} (of the cmi5 AU {}, which has no objectives) is aligned "
                  "to no competency",
                  f.object_id, au);
    if (m_.skip_unaligned) {
      out.skipped.emplace_back(i, what);
      return;
    }
    errors.add(i, line, fmt::format("/object/id: {}", what));
    return;
  }
  if (!target->known) {
    if (by_au && au_at != no_row) {
      errors.add(i, line,
                 fmt::format("/context/contextActivities/grouping{}/id: cmi5 AU {} is aligned "
                             "to competency '{}', which is not in the framework",
                             f.grouping_is_array ? fmt::format("/{}", au_at) : std::string(), au,
                             competency));
    } else {
      errors.add(i, line,
                 fmt::format("/object/id: activity {} is aligned to competency '{}', "
                             "which is not in the framework",
                             f.object_id, competency));
    }
    return;
  }
  // learner
  learner_text(f);
  std::string_view learner = buffer_;
  if (!m_.learners.empty()) {
    const auto l = m_.learners.find(learner);
    if (l != m_.learners.end()) learner = l->second;
  }
  // score (before the time: a statement without a result is skipped, whatever its time)
  double score = 0;
  std::optional<double> fraction;
  if (waiver) {
  } else if (f.scaled) {
    double s = *f.scaled;
    if (m_.negative == xapi_negative::rescale) {
      s = (s + 1.0) / 2.0;
    } else if (s < 0) {
      if (m_.negative == xapi_negative::reject) {
        errors.add(i, line,
                   fmt::format("/result/score/scaled: negative scaled score {} (map it with "
                               "negative='zero' or 'rescale')",
                               s));
        return;
      }
      s = 0;
    }
    fraction = s;
  } else if (f.raw) {
    if (!f.min || !f.max) {
      errors.add(i, line,
                 fmt::format("/result/score/raw: raw score {} without min and max cannot be "
                             "put on the scale",
                             *f.raw));
      return;
    }
    fraction = (*f.raw - *f.min) / (*f.max - *f.min);
  }
  if (waiver) {
  } else if (fraction) {
    score = m_.score_scale ? m_.score_scale->from_fraction(*fraction) : *fraction;
  } else if (f.success) {
    score = *f.success ? success_ : failure_;
  } else if (f.completion && *f.completion && m_.completion_score) {
    score = *m_.completion_score;
  } else {
    out.skipped.emplace_back(i, "no score or success in the result");
    return;
  }
  // time
  const std::string_view when = !f.timestamp.empty() ? f.timestamp : f.stored;
  auto t = !f.timestamp.empty() ? f.timestamp_time : f.stored_time;
  if (when.empty() && m_.default_time) t = m_.default_time;
  if (!t) {
    errors.add(i, line, "/timestamp: the statement has no timestamp (and no stored time)");
    return;
  }
  if (m_.time_range && !(*t >= m_.time_range->first && *t <= m_.time_range->last)) {
    errors.add(
        i, line,
        time_out_of_range(f.timestamp.empty() && !f.stored.empty() ? "/stored" : "/timestamp",
                          when.empty() ? "the default time (no timestamp or stored)" : when,
                          *m_.time_range));
    return;
  }
  // A waiver is a row of the waiver kind that names its reason (evidence.hpp, builtin_kinds):
  // the engine exempts on it; its score (the success score) never counts.
  std::uint32_t kind_code = vi.kind_code;
  if (waiver) {
    if (std::any_of(f.reason.begin(), f.reason.end(),
                    [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; })) {
      errors.add(i, line,
                 fmt::format("/result/extensions/{}: a waiver's reason names its evidence kind "
                             "(\"waiver:<reason>\"): control characters are not allowed",
                             pointer_token(reason_extension)));
      return;
    }
    out.waived.push_back(xapi_evidence::waiver{i, std::string(learner), std::string(competency),
                                               std::string(f.reason), std::string(when)});
    score = success_;
    kind_code = f.reason.empty() || kind != "waiver"
                    ? kinds_.code(kind, out.kinds)
                    : kinds_.code(fmt::format("{}{}", detail::waiver_prefix, f.reason), out.kinds);
  }
  // codes in the order rows first use them (cached per verb and per activity, or per AU)
  if (target->competency_code == none)
    target->competency_code = competencies_.code(competency, out.competencies);
  if (ai.activity_code == none) ai.activity_code = activities_.code(f.object_id, out.activities);
  if (kind_code == none) kind_code = vi.kind_code = kinds_.code(kind, out.kinds);
  if (vi.verb_code == none) vi.verb_code = verbs_.code(f.verb, out.verbs);
  // the learner's code one row late (see flush)
  flush(out);
  pending_row_ = out.learner.size();
  if (learner.data() == buffer_.data())
    pending_learner_.swap(buffer_);  // no copy: learner_text refills buffer_ for the next row
  else
    pending_learner_.assign(learner);
  pending_hash_ = hash_text(pending_learner_);
  learners_.prefetch(pending_hash_);
  out.learner.push_back(none);
  out.competency.push_back(target->competency_code);
  out.kind.push_back(kind_code);
  out.verb.push_back(vi.verb_code);
  out.activity.push_back(ai.activity_code);
  out.time.push_back(*t);
  out.score.push_back(score);
  out.source.push_back(xapi_detail::lower_id(f.id, id_));
  out.timestamp.push_back(when);
  out.statement.push_back(i);
}

void mapper::flush(xapi_evidence& out) {
  if (pending_row_ == no_row) return;
  out.learner[pending_row_] = learners_.code(pending_learner_, pending_hash_, out.learners);
  pending_row_ = no_row;
}

mapper::verb_info& mapper::verb_of(std::string_view verb) {
  const std::uint64_t h = hash_text(verb);
  std::uint32_t e = verbs_seen_.find(verb, h);
  if (e == none) {
    verb_info v;
    const auto vk = verb_kinds_.find(verb);
    v.kind = vk != verb_kinds_.end() ? vk->second : std::string_view(m_.default_kind);
    v.waiver = detail::is_waiver_kind(v.kind);  // waived, unless verb_kinds says otherwise
    v.voiding = verb == voided_verb;
    e = verbs_seen_.insert(verb, h, v);
  }
  return verbs_seen_[e];
}

mapper::activity_info& mapper::activity_of(std::string_view activity) {
  const std::uint64_t h = hash_text(activity);
  std::uint32_t e = activities_seen_.find(activity, h);
  if (e == none) {
    activity_info a;
    if (const auto al = alignment_.find(activity); al != alignment_.end()) {
      a.aligned = true;
      a.competency = std::string(al->second);
    } else if (const auto u = by_uri_.find(std::string(activity)); u != by_uri_.end()) {
      a.aligned = true;
      a.competency = u->second;
    }
    if (a.aligned && m_.competencies != nullptr && !m_.competencies->find(a.competency))
      a.known = false;
    e = activities_seen_.insert(activity, h, std::move(a));
  }
  return activities_seen_[e];
}

mapper::activity_info& mapper::au_info(std::string_view au) {
  const std::uint64_t h = hash_text(au);
  std::uint32_t e = aus_seen_.find(au, h);
  if (e == none) {
    activity_info a;
    if (const auto al = alignment_.find(au); al != alignment_.end()) {
      a.aligned = true;
      a.competency = std::string(al->second);
    } else if (const auto c = m_.cmi5_aus.find(au); c != m_.cmi5_aus.end() && !c->second.empty()) {
      a.aligned = true;
      a.competency = c->second;
    }
    if (a.aligned && m_.competencies != nullptr && !m_.competencies->find(a.competency))
      a.known = false;
    e = aus_seen_.insert(au, h, std::move(a));
  }
  return aus_seen_[e];
}

std::string_view mapper::au_of(const xapi_detail::statement_fields& f, std::size_t& at) const {
  for (std::size_t k = 0; k < f.groupings.size(); ++k) {
    if (m_.cmi5_aus.find(f.groupings[k]) != m_.cmi5_aus.end()) {
      at = k;
      return f.groupings[k];
    }
  }
  at = no_row;
  if (m_.cmi5_aus.find(f.object_id) != m_.cmi5_aus.end()) return f.object_id;
  return {};
}

namespace {

// cmi5 9.5.2 / 9.5.3: the value result.success or result.completion must have on a verb of
// cmi5 defined statements (waived: both true, 9.5.2.0-1, 9.5.3.0-1); a verb not listed for a
// field must not carry it (9.5.2.0-3, 9.5.3.0-2).
struct cmi5_result_rule {
  std::string_view verb;
  std::size_t field;  // cmi5_fields: 0 success, 1 completion
  bool value;
};
struct cmi5_field {
  std::optional<bool> statement_fields::*member;
  std::string_view path, name, verbs, section;
};
constexpr cmi5_field cmi5_fields[] = {
    {&statement_fields::success, "/result/success", "success", "passed, failed and waived",
     "9.5.2"},
    {&statement_fields::completion, "/result/completion", "completion", "completed and waived",
     "9.5.3"},
};
constexpr cmi5_result_rule cmi5_result_rules[] = {
    {passed_verb, 0, true},    {waived_verb, 0, true}, {failed_verb, 0, false},
    {completed_verb, 1, true}, {waived_verb, 1, true},
};
// cmi5 9.5.4.1-1..4, 9.5.4.2-1: the verbs whose cmi5 defined statements must carry
// result.duration (others may).
constexpr std::string_view cmi5_duration_verbs[] = {terminated_verb, completed_verb, passed_verb,
                                                    failed_verb, abandoned_verb};

}  // namespace

bool mapper::cmi5_ok(std::size_t i, std::size_t line, const xapi_detail::statement_fields& f,
                     std::string_view au, error_list& errors) {
  bool ok = true;
  const auto fail = [&](std::string message) {
    errors.add(i, line, std::move(message));
    ok = false;
  };
  const bool defined =
      std::find(f.categories.begin(), f.categories.end(), cmi5_category) != f.categories.end();
  // cmi5 allowed statements (no cmi5 category) are plain xAPI: the result rules are cmi5's for
  // cmi5 defined statements (cmi5 9.5, 9.6.2.1)
  if (defined) {
    const bool passed = f.verb == passed_verb, failed = f.verb == failed_verb;
    if ((f.scaled || f.raw || f.min || f.max) && !passed && !failed)
      fail(fmt::format(
          "/result/score: cmi5 allows a score only on passed and failed, not on {} (cmi5 9.5.1)",
          f.verb));
    for (std::size_t field = 0; field < std::size(cmi5_fields); ++field) {
      const cmi5_field& c = cmi5_fields[field];
      const std::optional<bool>& value = f.*c.member;
      const auto rule = std::find_if(
          std::begin(cmi5_result_rules), std::end(cmi5_result_rules),
          [&](const cmi5_result_rule& r) { return r.field == field && r.verb == f.verb; });
      if (rule != std::end(cmi5_result_rules)) {
        if (value != rule->value)
          fail(fmt::format("{}: must be {} on {} (cmi5 {}), is {}", c.path,
                           rule->value ? "true" : "false", f.verb, c.section,
                           !value   ? "absent"
                           : *value ? "true"
                                    : "false"));
      } else if (value) {
        fail(fmt::format("{}: cmi5 allows {} only on {}, not on {} (cmi5 {})", c.path, c.name,
                         c.verbs, f.verb, c.section));
      }
    }
    if (f.verb == waived_verb && f.reason.empty())
      fail(
          fmt::format("/result/extensions: cmi5 requires the reason extension {}, a non-empty "
                      "string, on waived (cmi5 9.3.7.0-2, 9.5.5.2-1)",
                      reason_extension));
    if (!f.has_duration && std::find(std::begin(cmi5_duration_verbs), std::end(cmi5_duration_verbs),
                                     f.verb) != std::end(cmi5_duration_verbs))
      fail(fmt::format("/result/duration: must be present on {} (cmi5 9.5.4), is absent", f.verb));
    std::optional<double> mastery = f.mastery_score;
    if (!mastery) {
      const auto it = m_.mastery_scores.find(au.empty() ? f.object_id : au);
      if (it != m_.mastery_scores.end()) mastery = it->second;
    }
    if (mastery && f.scaled && passed && *f.scaled < *mastery)
      fail(
          fmt::format("/result/score/scaled: passed with {} below the masteryScore {} (cmi5 9.3.4)",
                      *f.scaled, *mastery));
    if (mastery && f.scaled && failed && *f.scaled >= *mastery)
      fail(fmt::format(
          "/result/score/scaled: failed with {} at or above the masteryScore {} (cmi5 9.3.5)",
          *f.scaled, *mastery));
  }
  // cmi5 9.6.2.2: the moveOn category activity on exactly the cmi5 defined statements whose
  // result has success or completion, in their category list (9.6.2.2-1); every other
  // statement, cmi5 allowed ones included, must not carry it in any contextActivities list
  // (9.6.2.2-2 and its derived requirement)
  const auto in_category = std::find(f.categories.begin(), f.categories.end(), moveon_category);
  const bool judged = defined && (f.success || f.completion);
  if (judged && in_category == f.categories.end()) {
    fail(fmt::format(
        "/context/contextActivities/category: must hold the moveOn category activity {} on {} "
        "with result.success or result.completion (cmi5 9.6.2.2)",
        moveon_category, f.verb));
  } else if (!judged && (in_category != f.categories.end() || !f.moveon_list.empty())) {
    const auto index = [](bool array, std::size_t k) {
      return array ? fmt::format("/{}", k) : std::string();
    };
    const std::string at =
        in_category != f.categories.end()
            ? "category" + index(f.category_is_array,
                                 static_cast<std::size_t>(in_category - f.categories.begin()))
            : std::string(f.moveon_list) + index(f.moveon_at != no_index, f.moveon_at);
    fail(fmt::format(
        "/context/contextActivities/{}/id: cmi5 allows the moveOn category activity only on "
        "cmi5 defined statements with result.success or result.completion, not on {} (cmi5 "
        "9.6.2.2)",
        at,
        defined ? fmt::format("{} without them", f.verb)
                : fmt::format("a cmi5 allowed statement (no cmi5 category) of {}", f.verb)));
  }
  return ok;
}

void mapper::learner_text(const xapi_detail::statement_fields& f) {
  // sized once and copied into place (appends were a call each, and rfind a byte loop)
  const bool with_ifi = m_.learner == xapi_learner::ifi;
  const bool account = f.ifi == "account";
  const std::string_view value = account ? f.account_name : f.ifi_value;
  std::size_t n = value.size();
  if (with_ifi) n += f.ifi.size() + 1 + (account ? f.home_page.size() + 1 : 0);
  buffer_.resize(n);
  char* o = buffer_.data();
  const auto put = [&o](std::string_view t) {
    if (!t.empty()) std::memcpy(o, t.data(), t.size());
    o += t.size();
  };
  if (with_ifi) {
    put(f.ifi);
    *o++ = ':';
    if (account) {
      put(f.home_page);
      *o++ = '|';
    }
  }
  char* const v = o;
  put(value);
  if (!account && f.ifi == "mbox") {
    // One canonical form per person: the domain of a mailto IRI is case-insensitive (RFC 5321
    // 2.4; xAPI Data 2.3.1 exception 7, as the reader compares statements), the local part
    // is kept as sent. "mailto:ann@EXAMPLE.org" -> "mailto:ann@example.org" (the last "@")
    if (const void* at = memrchr(v, '@', value.size()))
      for (char* c = static_cast<char*>(const_cast<void*>(at)) + 1; c < o; ++c)
        if (*c >= 'A' && *c <= 'Z') *c = static_cast<char>(*c + ('a' - 'A'));
  }
}

}  // namespace xapi_detail

std::map<std::string, std::string, std::less<>> default_verb_kinds() {
  std::map<std::string, std::string, std::less<>> out;
  for (const char* v : {"passed", "failed", "mastered"})
    out.emplace(std::string(xapi_detail::adl) + v, "summative");
  for (const char* v :
       {"completed", "answered", "scored", "attempted", "experienced", "progressed", "responded"})
    out.emplace(std::string(xapi_detail::adl) + v, "formative");
  for (const char* v : {"launched", "initialized", "terminated", "abandoned", "suspended",
                        "resumed", "satisfied", "voided", "registered", "interacted"})
    out.emplace(std::string(xapi_detail::adl) + v, "");
  out.emplace(std::string(xapi_detail::waived_verb), "waiver");
  // cmi5's own Abandoned and Satisfied verbs (cmi5 9.3.6, 9.3.9: ADL's w3id IRIs)
  out.emplace(std::string(xapi_detail::abandoned_verb), "");
  out.emplace("https://w3id.org/xapi/adl/verbs/satisfied", "");
  return out;
}

}  // namespace masterymap::io
