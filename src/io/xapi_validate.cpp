// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// xAPI statement validation: the procedural rules of xAPI 1.0.3 (xAPI-Data.md, section 2) and
// xAPI 2.0 (IEEE 9274.1.1), coded over simdjson's DOM (random access: a rule may look at a
// sibling, e.g. revision/platform need an Activity object). Paths are built only for problems.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <masterymap/error.hpp>
#include <masterymap/io/xapi.hpp>

#include "../json_util.hpp"
#include "xapi_detail.hpp"

namespace masterymap::io {

namespace {

namespace dom = simdjson::dom;
using xapi_detail::is;
using xapi_detail::is_duration;
using xapi_detail::is_hex;
using xapi_detail::is_iri;
using xapi_detail::is_language_tag;
using xapi_detail::moveon_category;

struct where {
  const where* parent = nullptr;
  std::string_view name;
  std::size_t index = std::string::npos;
  [[nodiscard]] std::string str() const {
    std::string p = parent != nullptr ? parent->str() : std::string();
    if (parent == nullptr && name.empty() && index == std::string::npos) return p;
    p += '/';
    if (index != std::string::npos) {
      p += std::to_string(index);
    } else {
      p += xapi_detail::pointer_token(name);
    }
    return p;
  }
  [[nodiscard]] where operator/(std::string_view key) const { return where{this, key}; }
  [[nodiscard]] where operator[](std::size_t i) const { return where{this, {}, i}; }
};

enum class role : std::uint8_t { actor, authority, instructor, team, member, object, agent, group };

class checker {
 public:
  checker(xapi_version v, std::vector<xapi_problem>& out, xapi_detail::statement_fields* f)
      : v_(v), out_(out), f_(f) {}

  void statement(dom::element e, const where& at, bool sub) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    bool has_actor = false, has_verb = false, has_object = false;
    std::string_view verb_id, object_type = "Activity";
    bool object_type_ok = true;
    {  // the object's type first: context rules depend on it
      dom::element obj;
      if (o.at_key("object").get(obj) == simdjson::SUCCESS && obj.is_object()) {
        dom::element t;
        if (obj.at_key("objectType").get(t) == simdjson::SUCCESS) {
          if (!t.get_string().get(object_type)) {
          } else {
            object_type_ok = false;
          }
        }
      }
    }
    const bool top = !sub;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (value.is_null()) {
        bad(here, "must not be null");
        continue;
      }
      if (is(key, "id")) {
        if (sub) {
          bad(here, "a SubStatement has no id");
        } else {
          std::string_view s;
          if (uuid(value, here, s) && f_ && top) f_->id = s;
        }
      } else if (is(key, "actor")) {
        has_actor = true;
        actor(value, here, role::actor, top && f_ != nullptr);
      } else if (is(key, "verb")) {
        has_verb = true;
        verb(value, here, verb_id);
      } else if (is(key, "object")) {
        has_object = true;
        object(value, here, sub, top && f_ != nullptr);
      } else if (is(key, "result")) {
        result(value, here, top && f_ != nullptr);
      } else if (is(key, "context")) {
        context(value, here, object_type_ok && is(object_type, "Activity"), top && f_ != nullptr);
      } else if (is(key, "timestamp")) {
        std::string_view s;
        double t = 0;
        if (timestamp(value, here, s, t) && f_ && top) f_->timestamp = s, f_->timestamp_time = t;
      } else if (is(key, "stored") && !sub) {
        std::string_view s;
        double t = 0;
        if (timestamp(value, here, s, t) && f_) f_->stored = s, f_->stored_time = t;
      } else if (is(key, "authority") && !sub) {
        actor(value, here, role::authority, false);
      } else if (is(key, "version") && !sub) {
        version(value, here);
      } else if (is(key, "attachments")) {
        attachments(value, here);
      } else if (is(key, "objectType") && sub) {
        std::string_view s;
        if (string(value, here, s) && !is(s, "SubStatement")) bad(here, "must be \"SubStatement\"");
      } else if (sub && (is(key, "stored") || is(key, "authority") || is(key, "version"))) {
        bad(here, fmt::format("a SubStatement has no {}", key));
      } else {
        unknown(here);
      }
    }
    if (!has_actor) bad(at / "actor", "required");
    if (!has_verb) bad(at / "verb", "required");
    if (!has_object) bad(at / "object", "required");
    if (is(verb_id, "http://adlnet.gov/expapi/verbs/voided") && has_object &&
        (!object_type_ok || !is(object_type, "StatementRef")))
      bad(at / "object", "a voiding statement's object must be a StatementRef");
  }

 private:
  void bad(const where& at, std::string rule) {
    // statement text quoted in the rule or a key in the path: control characters escaped
    if (out_.size() < 64)
      out_.push_back(xapi_problem{xapi_detail::escape_controls(at.str()),
                                  xapi_detail::escape_controls(std::move(rule))});
  }
  void unknown(const where& at) { bad(at, "not a property of this object (unknown key)"); }

  bool object_of(dom::element e, const where& at, dom::object& o) {
    if (e.get_object().get(o) != simdjson::SUCCESS) {
      bad(at, "must be an object");
      return false;
    }
    return true;
  }
  bool string(dom::element e, const where& at, std::string_view& s) {
    if (e.get_string().get(s) != simdjson::SUCCESS) {
      bad(at, "must be a string");
      return false;
    }
    return true;
  }
  bool boolean(dom::element e, const where& at, bool& b) {
    if (e.get_bool().get(b) != simdjson::SUCCESS) {
      bad(at, "must be a boolean");
      return false;
    }
    return true;
  }
  bool number(dom::element e, const where& at, double& d) {
    if (!e.is_number() || e.get_double().get(d) != simdjson::SUCCESS) {
      bad(at, "must be a number");
      return false;
    }
    return true;
  }
  bool iri(dom::element e, const where& at, std::string_view& s, const char* what = "IRI") {
    if (!string(e, at, s)) return false;
    if (!is_iri(s)) {
      bad(at, fmt::format("must be an absolute {} (RFC 3987), got \"{}\"", what, s));
      return false;
    }
    return true;
  }
  bool uuid(dom::element e, const where& at, std::string_view& s) {
    if (!string(e, at, s)) return false;
    if (!xapi_detail::is_uuid(s)) {
      bad(at, fmt::format("must be a UUID (8-4-4-4-12 hex digits), got \"{}\"", s));
      return false;
    }
    return true;
  }
  bool timestamp(dom::element e, const where& at, std::string_view& s, double& t) {
    if (!string(e, at, s)) return false;
    const auto parsed = parse_rfc3339(s);
    if (parsed) t = *parsed;
    if (!parsed) {
      bad(at, fmt::format("must be an RFC 3339 date-time with a time zone (not the unknown "
                          "offset -00:00), got \"{}\"",
                          s));
      return false;
    }
    return true;
  }

  void language_map(dom::element e, const where& at) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (!is_language_tag(key)) bad(here, "not an RFC 5646 language tag");
      std::string_view s;
      if (value.is_null())
        bad(here, "must not be null");
      else
        string(value, here, s);
    }
  }

  void extensions(dom::element e, const where& at) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    for (auto [key, value] : o) {
      (void)value;
      if (!is_iri(key)) bad(at / key, "an extension key must be an absolute IRI");
    }
  }

  void account(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    bool home = false, name = false;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "homePage")) {
        home = true;
        std::string_view s;
        if (iri(value, here, s, "IRL") && collect) f_->home_page = s;
      } else if (is(key, "name")) {
        name = true;
        std::string_view s;
        if (string(value, here, s) && collect) f_->account_name = s;
      } else {
        unknown(here);
      }
    }
    if (!home) bad(at / "homePage", "required in an account");
    if (!name) bad(at / "name", "required in an account");
  }

  // An Agent or a Group in the given role; `collect`: the statement's actor.
  void actor(dom::element e, const where& at, role r, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    std::string_view type = "Agent";
    bool typed = false;
    dom::element t;
    if (o.at_key("objectType").get(t) == simdjson::SUCCESS) {
      typed = true;
      if (!string(t, at / "objectType", type)) return;
      if (!is(type, "Agent") && !is(type, "Group")) {
        bad(at / "objectType", fmt::format("must be \"Agent\" or \"Group\", got \"{}\"", type));
        return;
      }
    }
    if (r == role::object && !typed)
      bad(at / "objectType", "required for an Agent or Group object");
    const bool group = is(type, "Group");
    if (group && (r == role::member || r == role::agent)) {
      bad(at / "objectType", "must be \"Agent\" here (a Group's members are Agents)");
      return;
    }
    if (!group && (r == role::team || r == role::group)) {
      bad(at / "objectType", "must be \"Group\"");
      return;
    }
    if (collect) f_->actor_is_group = group;
    int ifis = 0;
    bool has_member = false;
    std::size_t members = 0;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (value.is_null()) {
        bad(here, "must not be null");
        continue;
      }
      std::string_view s;
      if (is(key, "objectType")) {
        // checked above
      } else if (is(key, "name")) {
        string(value, here, s);
      } else if (is(key, "mbox")) {
        ++ifis;
        if (string(value, here, s)) {
          if (!xapi_detail::is_mbox(s))
            bad(here, fmt::format("must be a mailto: IRI of an email address, got \"{}\"", s));
          else if (collect)
            f_->ifi = "mbox", f_->ifi_value = s;
        }
      } else if (is(key, "mbox_sha1sum")) {
        ++ifis;
        if (string(value, here, s)) {
          if (!xapi_detail::is_sha1_hex(s))
            bad(here, "must be 40 hex digits (the SHA-1 of a mailto IRI)");
          else if (collect)
            f_->ifi = "mbox_sha1sum", f_->ifi_value = s;
        }
      } else if (is(key, "openid")) {
        ++ifis;
        if (iri(value, here, s, "URI") && collect) f_->ifi = "openid", f_->ifi_value = s;
      } else if (is(key, "account")) {
        ++ifis;
        account(value, here, collect);
        if (collect) f_->ifi = "account";
      } else if (is(key, "member") && group) {
        has_member = true;
        dom::array a;
        if (value.get_array().get(a) != simdjson::SUCCESS) {
          bad(here, "must be an array of Agents");
        } else {
          for (auto m : a) actor(m, here[members++], role::member, false);
        }
      } else {
        unknown(here);
      }
    }
    if (collect && ifis != 1) f_->ifi = {};
    if (!group) {
      if (ifis != 1)
        bad(at, fmt::format("an Agent has exactly one inverse functional identifier (mbox, "
                            "mbox_sha1sum, openid, account), found {}",
                            ifis));
    } else if (ifis > 1) {
      bad(at, fmt::format("a Group has at most one inverse functional identifier, found {}", ifis));
    } else if (ifis == 0 && (!has_member || members == 0)) {
      bad(at / "member", "an anonymous Group (no identifier) lists its members");
    }
    if (r == role::authority && group) {
      if (ifis != 0)
        bad(at, "an authority Group is anonymous (two Agents, OAuth consumer and user)");
      else if (members != 2)
        bad(at / "member",
            fmt::format("an authority Group has exactly two members, found {}", members));
    }
  }

  void verb(dom::element e, const where& at, std::string_view& id) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    bool has_id = false;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "id")) {
        has_id = true;
        if (iri(value, here, id) && f_ && at.parent && !at.parent->parent) f_->verb = id;
      } else if (is(key, "display")) {
        language_map(value, here);
      } else {
        unknown(here);
      }
    }
    if (!has_id) bad(at / "id", "required");
  }

  void component_list(dom::element e, const where& at) {
    dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) {
      bad(at, "must be an array of interaction components");
      return;
    }
    std::size_t i = 0;
    for (auto c : a) {
      const where item = at[i++];
      dom::object o;
      if (!object_of(c, item, o)) continue;
      bool has_id = false;
      for (auto [key, value] : o) {
        const where here = item / key;
        std::string_view s;
        if (value.is_null()) {
          bad(here, "must not be null");
        } else if (is(key, "id")) {
          has_id = true;
          string(value, here, s);
        } else if (is(key, "description")) {
          language_map(value, here);
        } else {
          unknown(here);
        }
      }
      if (!has_id) bad(item / "id", "required");
    }
  }

  void definition(dom::element e, const where& at) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    for (auto [key, value] : o) {
      const where here = at / key;
      std::string_view s;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "name") || is(key, "description")) {
        language_map(value, here);
      } else if (is(key, "type")) {
        iri(value, here, s);
      } else if (is(key, "moreInfo")) {
        iri(value, here, s, "IRL");
      } else if (is(key, "extensions")) {
        extensions(value, here);
      } else if (is(key, "interactionType")) {
        if (string(value, here, s) && !xapi_detail::is_interaction_type(s))
          bad(here, fmt::format("not an interaction type (true-false, choice, fill-in, "
                                "long-fill-in, matching, performance, sequencing, likert, "
                                "numeric, other; case-sensitive), got \"{}\"",
                                s));
      } else if (is(key, "correctResponsesPattern")) {
        dom::array a;
        if (value.get_array().get(a) != simdjson::SUCCESS) {
          bad(here, "must be an array of strings");
        } else {
          std::size_t i = 0;
          for (auto x : a) string(x, here[i++], s);
        }
      } else if (is(key, "choices") || is(key, "scale") || is(key, "source") || is(key, "target") ||
                 is(key, "steps")) {
        component_list(value, here);
      } else {
        unknown(here);
      }
    }
  }

  void activity(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    bool has_id = false;
    for (auto [key, value] : o) {
      const where here = at / key;
      std::string_view s;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "objectType")) {
        if (string(value, here, s) && !is(s, "Activity")) bad(here, "must be \"Activity\"");
      } else if (is(key, "id")) {
        has_id = true;
        if (iri(value, here, s) && collect) f_->object_id = s;
      } else if (is(key, "definition")) {
        definition(value, here);
      } else {
        unknown(here);
      }
    }
    if (!has_id) bad(at / "id", "required in an Activity");
  }

  void statement_ref(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    bool has_id = false, has_type = false;
    for (auto [key, value] : o) {
      const where here = at / key;
      std::string_view s;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "objectType")) {
        has_type = true;
        if (string(value, here, s) && !is(s, "StatementRef")) bad(here, "must be \"StatementRef\"");
      } else if (is(key, "id")) {
        has_id = true;
        if (uuid(value, here, s) && collect) f_->object_id = s;
      } else {
        unknown(here);
      }
    }
    if (!has_type) bad(at / "objectType", "required in a StatementRef");
    if (!has_id) bad(at / "id", "required in a StatementRef");
  }

  void object(dom::element e, const where& at, bool sub, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    std::string_view type = "Activity";
    dom::element t;
    if (o.at_key("objectType").get(t) == simdjson::SUCCESS) {
      if (!string(t, at / "objectType", type)) return;
    }
    if (collect) f_->object_type = type;
    if (is(type, "Activity")) {
      activity(e, at, collect);
    } else if (is(type, "Agent") || is(type, "Group")) {
      actor(e, at, role::object, false);
    } else if (is(type, "StatementRef")) {
      statement_ref(e, at, collect);
    } else if (is(type, "SubStatement")) {
      if (sub)
        bad(at / "objectType", "a SubStatement cannot contain a SubStatement");
      else
        statement(e, at, true);
    } else {
      bad(at / "objectType",
          fmt::format("must be Activity, Agent, Group, StatementRef or SubStatement, got \"{}\"",
                      type));
    }
  }

  void score(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    std::optional<double> scaled, raw, min, max;
    for (auto [key, value] : o) {
      const where here = at / key;
      double d = 0;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "scaled")) {
        if (number(value, here, d)) {
          scaled = d;
          if (!(d >= -1.0 && d <= 1.0)) bad(here, fmt::format("must be in [-1, 1], got {}", d));
        }
      } else if (is(key, "raw")) {
        if (number(value, here, d)) raw = d;
      } else if (is(key, "min")) {
        if (number(value, here, d)) min = d;
      } else if (is(key, "max")) {
        if (number(value, here, d)) max = d;
      } else {
        unknown(here);
      }
    }
    if (min && max && !(*min < *max))
      bad(at / "min", fmt::format("min {} must be below max {}", *min, *max));
    if (raw && min && *raw < *min)
      bad(at / "raw", fmt::format("raw {} is below min {}", *raw, *min));
    if (raw && max && *raw > *max)
      bad(at / "raw", fmt::format("raw {} is above max {}", *raw, *max));
    if (collect) {
      f_->scaled = scaled;
      f_->raw = raw;
      f_->min = min;
      f_->max = max;
    }
  }

  void result(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    if (collect) f_->has_result = true;
    for (auto [key, value] : o) {
      const where here = at / key;
      std::string_view s;
      bool b = false;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "score")) {
        score(value, here, collect);
      } else if (is(key, "success")) {
        if (boolean(value, here, b) && collect) f_->success = b;
      } else if (is(key, "completion")) {
        if (boolean(value, here, b) && collect) f_->completion = b;
      } else if (is(key, "response")) {
        string(value, here, s);
      } else if (is(key, "duration")) {
        if (collect) f_->has_duration = true;
        if (string(value, here, s) && !is_duration(s))
          bad(here,
              fmt::format("must be an ISO 8601 duration (PnYnMnDTnHnMnS or PnW), got \"{}\"", s));
      } else if (is(key, "extensions")) {
        extensions(value, here);
        if (collect) {
          dom::element r;
          if (value.at_key("https://w3id.org/xapi/cmi5/result/extensions/reason").get(r) ==
              simdjson::SUCCESS)
            if (r.get_string().get(f_->reason) != simdjson::SUCCESS) f_->reason = {};
        }
      } else {
        unknown(here);
      }
    }
  }

  // An activity list of contextActivities (an array, or one activity object as 1.0.x allows);
  // the ids go to `ids` when given.
  void activity_list(dom::element e, const where& at, std::vector<std::string_view>* ids) {
    dom::array a;
    if (e.get_array().get(a) == simdjson::SUCCESS) {
      std::size_t i = 0;
      for (auto x : a) {
        const where item = at[i++];
        activity(x, item, false);
        if (ids != nullptr) {
          std::string_view id;
          if (x.is_object() && x.at_key("id").get_string().get(id) == simdjson::SUCCESS)
            ids->push_back(id);
        }
      }
    } else {
      activity(e, at, false);
      std::string_view id;
      if (ids != nullptr && e.is_object() &&
          e.at_key("id").get_string().get(id) == simdjson::SUCCESS)
        ids->push_back(id);
    }
  }

  // cmi5 9.6.2.2: notes the first moveOn category activity of the list `name` (parent,
  // grouping, other) when none was seen before.
  void moveon_in(dom::element e, std::string_view name) {
    if (!f_->moveon_list.empty()) return;
    const auto is_moveon = [](dom::element x) {
      std::string_view id;
      return x.is_object() && x.at_key("id").get_string().get(id) == simdjson::SUCCESS &&
             id == moveon_category;
    };
    dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) {
      if (is_moveon(e)) f_->moveon_list = name;
      return;
    }
    std::uint32_t k = 0;
    for (auto x : a) {
      if (is_moveon(x)) {
        f_->moveon_list = name;
        f_->moveon_at = k;
        return;
      }
      ++k;
    }
  }

  void context_activities(dom::element e, const where& at, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    for (auto [key, value] : o) {
      const where here = at / key;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "parent") || is(key, "other")) {
        activity_list(value, here, nullptr);
        if (collect) moveon_in(value, is(key, "parent") ? "parent" : "other");
      } else if (is(key, "grouping")) {  // cmi5: the AU's publisher id (cmi5 9.6.2.3)
        if (collect) f_->grouping_is_array = value.is_array();
        activity_list(value, here, collect ? &f_->groupings : nullptr);
        if (collect) moveon_in(value, "grouping");
      } else if (is(key, "category")) {
        if (collect) f_->category_is_array = value.is_array();
        activity_list(value, here, collect ? &f_->categories : nullptr);
      } else {
        unknown(here);
      }
    }
  }

  // 2.0: contextAgents / contextGroups entries.
  void context_actor_list(dom::element e, const where& at, bool groups) {
    dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) {
      bad(at, "must be an array");
      return;
    }
    const std::string_view type_name = groups ? "contextGroup" : "contextAgent";
    const std::string_view member = groups ? "group" : "agent";
    std::size_t i = 0;
    for (auto x : a) {
      const where item = at[i++];
      dom::object o;
      if (!object_of(x, item, o)) continue;
      bool has_type = false, has_member = false;
      for (auto [key, value] : o) {
        const where here = item / key;
        std::string_view s;
        if (value.is_null()) {
          bad(here, "must not be null");
        } else if (is(key, "objectType")) {
          has_type = true;
          if (string(value, here, s) && s != type_name)
            bad(here, fmt::format("must be \"{}\"", type_name));
        } else if (key == member) {
          has_member = true;
          actor(value, here, groups ? role::group : role::agent, false);
        } else if (is(key, "relevantTypes")) {
          dom::array types;
          if (value.get_array().get(types) != simdjson::SUCCESS) {
            bad(here, "must be an array of IRIs");
          } else {
            std::size_t k = 0;
            for (auto type : types) iri(type, here[k++], s);
            if (k == 0) bad(here, "must not be empty");
          }
        } else {
          unknown(here);
        }
      }
      if (!has_type) bad(item / "objectType", "required");
      if (!has_member) bad(item / member, "required");
    }
  }

  void context(dom::element e, const where& at, bool activity_object, bool collect) {
    dom::object o;
    if (!object_of(e, at, o)) return;
    for (auto [key, value] : o) {
      const where here = at / key;
      std::string_view s;
      if (value.is_null()) {
        bad(here, "must not be null");
      } else if (is(key, "registration")) {
        uuid(value, here, s);
      } else if (is(key, "instructor")) {
        actor(value, here, role::instructor, false);
      } else if (is(key, "team")) {
        actor(value, here, role::team, false);
      } else if (is(key, "contextActivities")) {
        context_activities(value, here, collect);
      } else if (is(key, "revision") || is(key, "platform")) {
        if (string(value, here, s) && !activity_object)
          bad(here, fmt::format("{} is allowed only when the object is an Activity", key));
      } else if (is(key, "language")) {
        if (string(value, here, s) && !is_language_tag(s))
          bad(here, fmt::format("not an RFC 5646 language tag: \"{}\"", s));
      } else if (is(key, "statement")) {
        statement_ref(value, here, false);
      } else if (is(key, "extensions")) {
        extensions(value, here);
        if (collect) {
          dom::element x;
          if (value.at_key("https://w3id.org/xapi/cmi5/context/extensions/masteryscore").get(x) ==
                  simdjson::SUCCESS &&
              x.is_number()) {
            double d = 0;
            if (x.get_double().get(d) == simdjson::SUCCESS) f_->mastery_score = d;
          }
          if (value.at_key("https://w3id.org/xapi/cmi5/context/extensions/sessionid").get(x) ==
              simdjson::SUCCESS)
            if (x.get_string().get(f_->session_id) != simdjson::SUCCESS) f_->session_id = {};
        }
      } else if ((is(key, "contextAgents") || is(key, "contextGroups")) &&
                 v_ == xapi_version::v2_0) {
        context_actor_list(value, here, is(key, "contextGroups"));
      } else {
        unknown(here);
      }
    }
  }

  void version(dom::element e, const where& at) {
    std::string_view s;
    if (!string(e, at, s)) return;
    if (!xapi_detail::is_version(s, v_))
      bad(at, fmt::format("must be 1.0.x{}, got \"{}\"",
                          v_ == xapi_version::v2_0 ? " or 2.0.x" : "", s));
  }

  void attachments(dom::element e, const where& at) {
    dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) {
      bad(at, "must be an array of attachments");
      return;
    }
    std::size_t i = 0;
    for (auto x : a) {
      const where item = at[i++];
      dom::object o;
      if (!object_of(x, item, o)) continue;
      bool usage = false, display = false, type = false, length = false, sha2 = false;
      for (auto [key, value] : o) {
        const where here = item / key;
        std::string_view s;
        if (value.is_null()) {
          bad(here, "must not be null");
        } else if (is(key, "usageType")) {
          usage = true;
          iri(value, here, s);
        } else if (is(key, "display")) {
          display = true;
          language_map(value, here);
        } else if (is(key, "description")) {
          language_map(value, here);
        } else if (is(key, "contentType")) {
          type = true;
          if (string(value, here, s) &&
              (s.find('/') == std::string_view::npos || s.front() == '/' || s.back() == '/'))
            bad(here, fmt::format("must be an Internet media type (type/subtype), got \"{}\"", s));
        } else if (is(key, "length")) {
          length = true;
          if (!value.is_int64() && !value.is_uint64())
            bad(here, "must be an integer (octets)");
          else if (value.is_int64() && value.get_int64().value_unsafe() < 0)
            bad(here, "must not be negative");
        } else if (is(key, "sha2")) {
          sha2 = true;
          if (string(value, here, s) && (s.empty() || !std::all_of(s.begin(), s.end(), is_hex)))
            bad(here, "must be a SHA-2 hash in hex digits");
        } else if (is(key, "fileUrl")) {
          iri(value, here, s, "IRL");
        } else {
          unknown(here);
        }
      }
      if (!usage) bad(item / "usageType", "required");
      if (!display) bad(item / "display", "required");
      if (!type) bad(item / "contentType", "required");
      if (!length) bad(item / "length", "required");
      if (!sha2) bad(item / "sha2", "required");
    }
  }

  xapi_version v_;
  std::vector<xapi_problem>& out_;
  xapi_detail::statement_fields* f_;
};

}  // namespace

namespace xapi_detail {
void check_statement(simdjson::dom::element statement, xapi_version version,
                     std::vector<xapi_problem>& problems, statement_fields* fields) {
  if (fields) fields->clear();
  checker c(version, problems, fields);
  c.statement(statement, where{}, false);
}
}  // namespace xapi_detail

std::vector<xapi_problem> validate_xapi_statement(
    std::string_view json, xapi_version version, const std::optional<xapi_time_range>& time_range) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element e;
  auto err = parser.parse(padded).get(e);
  std::string widened;  // an integer beyond 64 bits: read as the nearest double (parse_within)
  if (err == simdjson::NUMBER_ERROR && xapi_detail::widen_big_integers(json, widened) &&
      parser.parse(widened.data(), widened.size(), true).get(e) == simdjson::SUCCESS)
    err = simdjson::SUCCESS;
  if (err != simdjson::SUCCESS) {
    // simdjson's DOM does not say where: nlohmann's parser does ("xAPI statement: syntax error
    // at line L, column C: <reason>", line() and column() set)
    (void)detail::parse_json(json, "xAPI statement");
    throw parse_error(fmt::format("xAPI statement: {}", simdjson::error_message(err)), 0, 0);
  }
  std::vector<xapi_problem> out;
  xapi_detail::statement_fields fields;
  xapi_detail::check_statement(e, version, out, time_range ? &fields : nullptr);
  if (time_range) {
    // the time the reader takes: the timestamp, else stored (as mapper::map)
    const bool stamped = !fields.timestamp.empty();
    const auto t = stamped ? fields.timestamp_time : fields.stored_time;
    if (t && !(*t >= time_range->first && *t <= time_range->last)) {
      const char* const path = stamped ? "/timestamp" : "/stored";
      std::string rule = xapi_detail::time_out_of_range(
          path, stamped ? fields.timestamp : fields.stored, *time_range);
      rule.erase(0, std::strlen(path) + 2);
      out.push_back({path, std::move(rule)});
    }
  }
  return out;
}

}  // namespace masterymap::io
