// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The xAPI reader's fast path (see xapi_fast.hpp): one simdjson On-Demand pass over a statement
// in document order, applying the rules of the DOM walker (xapi_validate.cpp) with the same form
// checks (xapi_forms.cpp, xapi_detail.hpp). The walker looks at siblings (at_key); here a rule
// that depends on a key that may come later is checked when its object closes: the Agent/Group
// rules (objectType, identifiers, members), the required keys, score's min/max/raw, revision and
// platform (an Activity object) and voiding (a StatementRef object). Anything else that the
// walker may answer differently (a repeated key, an escaped key, a type the rules do not name
// here) is "not decided": the caller runs the walker. On Demand checks only what is read, so
// every value is read, with the getter of its type.
#include "xapi_fast.hpp"

#include <atomic>
#include <cstring>
#include <optional>

#include "xapi_fast_values.hpp"

namespace masterymap::io::xapi_detail {

namespace {

namespace od = simdjson::ondemand;
using simdjson::SUCCESS;
using xapi_fast_detail::any_value;
using xapi_fast_detail::boolean;
using xapi_fast_detail::component_list;
using xapi_fast_detail::iri;
using xapi_fast_detail::key_is;
using xapi_fast_detail::keys_seen;
using xapi_fast_detail::language_map;
using xapi_fast_detail::number;
using xapi_fast_detail::string;
using xapi_fast_detail::strings;
using xapi_fast_detail::timestamp;
using xapi_fast_detail::uuid;

constexpr std::string_view mastery_score_key =
    "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
constexpr std::string_view session_id_key =
    "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
constexpr std::string_view reason_key = "https://w3id.org/xapi/cmi5/result/extensions/reason";

std::atomic<std::uint64_t> fast_total{0}, fallback_total{0};

enum class role : std::uint8_t { actor, authority, instructor, team, member, object };
enum class object_kind : std::uint8_t { activity, actor, statement_ref };
enum class cmi5_values : std::uint8_t { none, context, result };

// An Agent or a Group as far as read: the rules that depend on its objectType are applied at
// its close (actor_close), objectType may come last.
struct actor_state {
  keys_seen seen;
  bool typed = false, group = false;
  bool members_allowed = true;  // false for a Group's member (an Agent: no nesting)
  int ifis = 0;
  std::size_t members = 0;
};

// The pass over one statement, filling the walker's fields as it goes.
class walker {
 public:
  walker(xapi_version version, statement_fields& fields) noexcept : version_(version), f_(fields) {}

  bool statement(od::object& o) {
    keys_seen seen;
    bool needs_activity = false;  // revision or platform: the object must be an Activity
    object_kind kind = object_kind::activity;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      od::value& v = f.value();
      bool ok = false;
      if (key_is(k, "id")) {
        ok = seen.first(1) && uuid(v, f_.id);
      } else if (key_is(k, "actor")) {
        ok = seen.first(2) && actor(v, role::actor, true);
      } else if (key_is(k, "verb")) {
        ok = seen.first(4) && verb(v);
      } else if (key_is(k, "object")) {
        ok = seen.first(8) && object(v, kind);
      } else if (key_is(k, "result")) {
        ok = seen.first(16) && result(v);
      } else if (key_is(k, "context")) {
        ok = seen.first(32) && context(v, needs_activity);
      } else if (key_is(k, "timestamp")) {
        ok = seen.first(64) && timestamp(v, f_.timestamp, f_.timestamp_time);
      } else if (key_is(k, "stored")) {
        ok = seen.first(128) && timestamp(v, f_.stored, f_.stored_time);
      } else if (key_is(k, "version")) {
        std::string_view s;
        ok = seen.first(256) && string(v, s) && is_version(s, version_);
      } else if (key_is(k, "authority")) {
        ok = seen.first(512) && actor(v, role::authority, false);
      }
      if (!ok) return false;  // attachments, a key of a SubStatement, an unknown key
    }
    // actor, verb and object required; the rules that need the object's type
    return seen.has(2) && seen.has(4) && seen.has(8) &&
           (!needs_activity || kind == object_kind::activity) &&
           (!is(f_.verb, "http://adlnet.gov/expapi/verbs/voided") ||
            kind == object_kind::statement_ref);
  }

 private:
  // One key of an Agent or a Group; `collect`: the statement's actor.
  bool actor_key(const char* k, od::value& v, actor_state& a, bool collect) {
    std::string_view s;
    if (key_is(k, "objectType")) {
      if (!a.seen.first(1) || !string(v, s)) return false;
      a.typed = true;
      a.group = is(s, "Group");
      return a.group || is(s, "Agent");
    }
    if (key_is(k, "name")) return a.seen.first(2) && string(v, s);
    if (key_is(k, "mbox")) {
      if (!a.seen.first(4) || !string(v, s) || !is_mbox(s)) return false;
      if (collect) f_.ifi = "mbox", f_.ifi_value = s;
    } else if (key_is(k, "mbox_sha1sum")) {
      if (!a.seen.first(8) || !string(v, s) || !is_sha1_hex(s)) return false;
      if (collect) f_.ifi = "mbox_sha1sum", f_.ifi_value = s;
    } else if (key_is(k, "openid")) {
      if (!a.seen.first(16) || !iri(v, s)) return false;
      if (collect) f_.ifi = "openid", f_.ifi_value = s;
    } else if (key_is(k, "account")) {
      if (!a.seen.first(32) || !account(v, collect)) return false;
      if (collect) f_.ifi = "account";
    } else if (key_is(k, "member")) {  // allowed for a Group (checked at the close)
      od::array list;
      if (!a.members_allowed || !a.seen.first(64) || v.get_array().get(list) != SUCCESS)
        return false;
      for (auto item : list) {
        od::value m;
        if (std::move(item).get(m) != SUCCESS || !actor(m, role::member, false)) return false;
        ++a.members;
      }
      return true;
    } else {
      return false;
    }
    ++a.ifis;
    return true;
  }

  // The rules of an Agent or a Group that depend on its objectType, in role `r`.
  bool actor_close(const actor_state& a, role r, bool collect) {
    if (r == role::object && !a.typed) return false;
    if (a.group ? r == role::member : r == role::team) return false;
    if (a.group) {
      // anonymous: lists its members; an authority Group (OAuth) is left to the walker
      if (a.ifis > 1 || (a.ifis == 0 && a.members == 0) || r == role::authority) return false;
    } else if (a.ifis != 1 || a.seen.has(64)) {
      return false;
    }
    if (collect) {
      f_.actor_is_group = a.group;
      if (a.ifis != 1) f_.ifi = {};
    }
    return true;
  }

  bool actor(od::value& v, role r, bool collect) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    actor_state a;
    a.members_allowed = r != role::member;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS || !actor_key(f.key().raw(), f.value(), a, collect))
        return false;
    }
    return actor_close(a, r, collect);
  }

  bool account(od::value& v, bool collect) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      std::string_view s;
      if (key_is(k, "homePage")) {
        if (!seen.first(1) || !iri(f.value(), s)) return false;
        if (collect) f_.home_page = s;
      } else if (key_is(k, "name")) {
        if (!seen.first(2) || !string(f.value(), s)) return false;
        if (collect) f_.account_name = s;
      } else {
        return false;
      }
    }
    return seen.has(1) && seen.has(2);
  }

  // The statement's verb (a SubStatement's goes to the walker).
  bool verb(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      if (key_is(k, "id")) {
        if (!seen.first(1) || !iri(f.value(), f_.verb)) return false;
      } else if (key_is(k, "display")) {
        if (!seen.first(2) || !language_map(f.value())) return false;
      } else {
        return false;
      }
    }
    return seen.has(1);
  }

  bool definition(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      od::value& x = f.value();
      std::string_view s;
      bool ok = false;
      if (key_is(k, "name")) {
        ok = seen.first(1) && language_map(x);
      } else if (key_is(k, "description")) {
        ok = seen.first(2) && language_map(x);
      } else if (key_is(k, "type")) {
        ok = seen.first(4) && iri(x, s);
      } else if (key_is(k, "moreInfo")) {
        ok = seen.first(8) && iri(x, s);
      } else if (key_is(k, "extensions")) {
        ok = seen.first(16) && extensions(x, cmi5_values::none);
      } else if (key_is(k, "interactionType")) {
        ok = seen.first(32) && string(x, s) && is_interaction_type(s);
      } else if (key_is(k, "correctResponsesPattern")) {
        ok = seen.first(64) && strings(x);
      } else if (key_is(k, "choices")) {
        ok = seen.first(128) && component_list(x);
      } else if (key_is(k, "scale")) {
        ok = seen.first(256) && component_list(x);
      } else if (key_is(k, "source")) {
        ok = seen.first(512) && component_list(x);
      } else if (key_is(k, "target")) {
        ok = seen.first(1024) && component_list(x);
      } else if (key_is(k, "steps")) {
        ok = seen.first(2048) && component_list(x);
      }
      if (!ok) return false;
    }
    return true;
  }

  // One key of an Activity (`id` its id) or of a StatementRef.
  bool activity_key(const char* k, od::value& v, keys_seen& seen, std::string_view& id) {
    std::string_view s;
    if (key_is(k, "objectType")) return seen.first(1) && string(v, s) && is(s, "Activity");
    if (key_is(k, "id")) return seen.first(2) && iri(v, id);
    if (key_is(k, "definition")) return seen.first(4) && definition(v);
    return false;
  }
  static bool statement_ref_key(const char* k, od::value& v, keys_seen& seen,
                                std::string_view& id) {
    std::string_view s;
    if (key_is(k, "objectType")) return seen.first(1) && string(v, s) && is(s, "StatementRef");
    if (key_is(k, "id")) return seen.first(2) && uuid(v, id);
    return false;
  }

  bool activity(od::value& v, std::string_view& id) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS || !activity_key(f.key().raw(), f.value(), seen, id))
        return false;
    }
    return seen.has(2);
  }

  [[gnu::noinline]] static bool statement_ref(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    std::string_view id;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS ||
          !statement_ref_key(f.key().raw(), f.value(), seen, id))
        return false;
    }
    return seen.has(1) && seen.has(2);
  }

  // The statement's object: its type from objectType when that is the first key (the usual
  // order), otherwise an Activity (a later objectType must then say so; any other order goes
  // to the walker).
  bool object(od::value& v, object_kind& kind) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;  // an Activity's or a StatementRef's
    actor_state a;
    std::string_view id;
    bool first = true;
    kind = object_kind::activity;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      od::value& x = f.value();
      if (first && key_is(k, "objectType")) {
        std::string_view type;
        if (!string(x, type)) return false;
        if (is(type, "Agent") || is(type, "Group")) {
          kind = object_kind::actor;
          a.seen.first(1);
          a.typed = true;
          a.group = is(type, "Group");
        } else if (is(type, "StatementRef")) {
          kind = object_kind::statement_ref;
        } else if (!is(type, "Activity")) {
          return false;  // a SubStatement, or not a type
        }
        seen.first(1);
        first = false;
        continue;
      }
      first = false;
      const bool ok = kind == object_kind::activity ? activity_key(k, x, seen, id)
                      : kind == object_kind::actor  ? actor_key(k, x, a, false)
                                                    : statement_ref_key(k, x, seen, id);
      if (!ok) return false;
    }
    switch (kind) {
      case object_kind::activity:
        if (!seen.has(2)) return false;
        f_.object_type = "Activity";
        f_.object_id = id;
        return true;
      case object_kind::actor:
        f_.object_type = a.group ? "Group" : "Agent";
        return actor_close(a, role::object, false);
      case object_kind::statement_ref:
        if (!seen.has(2)) return false;
        f_.object_type = "StatementRef";
        f_.object_id = id;
        return true;
    }
    return false;
  }

  bool score(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    std::optional<double> scaled, raw, min, max;
    for (auto item : o) {
      od::field f;
      double d = 0;
      if (std::move(item).get(f) != SUCCESS || !number(f.value(), d)) return false;
      const char* k = f.key().raw();
      if (key_is(k, "scaled")) {
        if (!seen.first(1) || !(d >= -1.0 && d <= 1.0)) return false;
        scaled = d;
      } else if (key_is(k, "raw")) {
        if (!seen.first(2)) return false;
        raw = d;
      } else if (key_is(k, "min")) {
        if (!seen.first(4)) return false;
        min = d;
      } else if (key_is(k, "max")) {
        if (!seen.first(8)) return false;
        max = d;
      } else {
        return false;
      }
    }
    if ((min && max && !(*min < *max)) || (raw && min && *raw < *min) ||
        (raw && max && *raw > *max))
      return false;
    f_.scaled = scaled;
    f_.raw = raw;
    f_.min = min;
    f_.max = max;
    return true;
  }

  bool result(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    f_.has_result = true;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      od::value& x = f.value();
      std::string_view s;
      bool b = false, ok = false;
      if (key_is(k, "score")) {
        ok = seen.first(1) && score(x);
      } else if (key_is(k, "success")) {
        ok = seen.first(2) && boolean(x, b);
        f_.success = b;
      } else if (key_is(k, "completion")) {
        ok = seen.first(4) && boolean(x, b);
        f_.completion = b;
      } else if (key_is(k, "response")) {
        ok = seen.first(8) && string(x, s);
      } else if (key_is(k, "duration")) {
        ok = seen.first(16) && string(x, s) && is_duration(s);
        f_.has_duration = true;
      } else if (key_is(k, "extensions")) {
        ok = seen.first(32) && extensions(x, cmi5_values::result);
      }
      if (!ok) return false;
    }
    return true;
  }

  // An activity list of contextActivities: an array of Activities or one (either version, as
  // the walker takes it); the ids go to `ids` when given (category, grouping: as the walker).
  // `list`: the list's name when its moveOn category activity is noted (parent, grouping,
  // other: cmi5 9.6.2.2, as the walker), else "".
  bool activity_list(od::value& v, std::vector<std::string_view>* ids, std::string_view list = {}) {
    od::json_type type;
    if (v.type().get(type) != SUCCESS) return false;
    std::string_view id;
    const auto note = [&](std::uint32_t k) {
      if (!list.empty() && f_.moveon_list.empty() && id == moveon_category) {
        f_.moveon_list = list;
        f_.moveon_at = k;
      }
    };
    if (type == od::json_type::object) {
      if (!activity(v, id)) return false;
      if (ids != nullptr) ids->push_back(id);
      note(no_index);
      return true;
    }
    od::array a;
    if (v.get_array().get(a) != SUCCESS) return false;
    std::uint32_t k = 0;
    for (auto item : a) {
      od::value x;
      if (std::move(item).get(x) != SUCCESS || !activity(x, id)) return false;
      if (ids != nullptr) ids->push_back(id);
      note(k++);
    }
    return true;
  }

  bool context_activities(od::value& v) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      const unsigned bit = key_is(k, "parent")     ? 1
                           : key_is(k, "grouping") ? 2
                           : key_is(k, "other")    ? 4
                           : key_is(k, "category") ? 8
                                                   : 0;
      if (bit == 0 || !seen.first(bit)) return false;
      std::vector<std::string_view>* ids = nullptr;
      std::string_view list = bit == 1 ? "parent" : bit == 4 ? "other" : "";
      if (bit == 8 || bit == 2) {
        od::json_type type;
        if (f.value().type().get(type) != SUCCESS) return false;
        if (bit == 8) {
          f_.category_is_array = type == od::json_type::array;
          ids = &f_.categories;
        } else {  // cmi5: the AU's publisher id (cmi5 9.6.2.3)
          f_.grouping_is_array = type == od::json_type::array;
          ids = &f_.groupings;
          list = "grouping";
        }
      }
      if (!activity_list(f.value(), ids, list)) return false;
    }
    return true;
  }

  bool context(od::value& v, bool& needs_activity) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    keys_seen seen;
    for (auto item : o) {
      od::field f;
      if (std::move(item).get(f) != SUCCESS) return false;
      const char* k = f.key().raw();
      od::value& x = f.value();
      std::string_view s;
      bool ok = false;
      if (key_is(k, "registration")) {
        ok = seen.first(1) && uuid(x, s);
      } else if (key_is(k, "instructor")) {
        ok = seen.first(2) && actor(x, role::instructor, false);
      } else if (key_is(k, "team")) {
        ok = seen.first(4) && actor(x, role::team, false);
      } else if (key_is(k, "contextActivities")) {
        ok = seen.first(8) && context_activities(x);
      } else if (key_is(k, "revision")) {
        ok = seen.first(16) && string(x, s);
        needs_activity = true;
      } else if (key_is(k, "platform")) {
        ok = seen.first(32) && string(x, s);
        needs_activity = true;
      } else if (key_is(k, "language")) {
        ok = seen.first(64) && string(x, s) && is_language_tag(s);
      } else if (key_is(k, "statement")) {
        ok = seen.first(128) && statement_ref(x);
      } else if (key_is(k, "extensions")) {
        ok = seen.first(256) && extensions(x, cmi5_values::context);
      }
      if (!ok) return false;  // 2.0's contextAgents / contextGroups, an unknown key
    }
    return true;
  }

  // Extensions: IRI keys, any values. The walker reads cmi5's values with at_key (the first
  // member of that key): masteryScore when a number, sessionid and reason when strings.
  [[gnu::noinline]] bool extensions(od::value& v, cmi5_values cmi5) {
    od::object o;
    if (v.get_object().get(o) != SUCCESS) return false;
    bool score_seen = false, session_seen = false, reason_seen = false;
    for (auto item : o) {
      od::field f;
      std::string_view key;
      if (std::move(item).get(f) != SUCCESS || f.unescaped_key().get(key) != SUCCESS ||
          !is_iri(key))
        return false;
      od::value& x = f.value();
      od::json_type type;
      if (x.type().get(type) != SUCCESS) return false;
      if (cmi5 == cmi5_values::context && !score_seen && key == mastery_score_key) {
        score_seen = true;
        if (type == od::json_type::number) {
          double d = 0;
          if (!number(x, d)) return false;
          f_.mastery_score = d;
          continue;
        }
      } else if (cmi5 == cmi5_values::context && !session_seen && key == session_id_key) {
        session_seen = true;
        if (type == od::json_type::string) {
          if (!string(x, f_.session_id)) return false;
          continue;
        }
      } else if (cmi5 == cmi5_values::result && !reason_seen && key == reason_key) {
        reason_seen = true;
        if (type == od::json_type::string) {
          if (!string(x, f_.reason)) return false;
          continue;
        }
      }
      if (!any_value(x, 0)) return false;
    }
    return true;
  }

  xapi_version version_;
  statement_fields& f_;
};

}  // namespace

// Flattened: On Demand's navigation and the walker's small functions inlined into one body
// (the getters were calls, each through simdjson's result types). The rare parts (extensions,
// interaction components, context.statement) stay calls ([[gnu::noinline]]). Benchmark
// statements, one thread, cachegrind: 8,120 instructions a statement, from 9,330 with calls and
// memcmp for the keys (the DOM parse and walker: 11,330).
[[gnu::flatten]] bool fast_statement(std::string_view line, std::size_t readable,
                                     xapi_version version, simdjson::ondemand::parser& parser,
                                     statement_fields& fields) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") {  // as parse_within (xapi_read.cpp)
    line.remove_prefix(3);
    readable -= 3;
  }
  if (readable < line.size() + simdjson::SIMDJSON_PADDING) return false;
  fields.clear();
  od::document doc;
  od::object o;
  if (parser.iterate(line.data(), line.size(), readable).get(doc) != SUCCESS ||
      doc.get_object().get(o) != SUCCESS)
    return false;
  walker w(version, fields);
  // nothing after the object (simdjson 3.0.1's document has no at_end(): past the last
  // structural character, current_location() answers OUT_OF_BOUNDS)
  return w.statement(o) && doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

fast_path_counts fast_path_totals() noexcept {
  return {fast_total.load(std::memory_order_relaxed),
          fallback_total.load(std::memory_order_relaxed)};
}

void add_fast_path_counts(std::uint64_t fast, std::uint64_t fallback) noexcept {
  fast_total.fetch_add(fast, std::memory_order_relaxed);
  fallback_total.fetch_add(fallback, std::memory_order_relaxed);
}

}  // namespace masterymap::io::xapi_detail
