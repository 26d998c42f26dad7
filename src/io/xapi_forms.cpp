// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The lexical forms an xAPI statement's strings must take: absolute IRIs (RFC 3987), language
// tags (RFC 5646), ISO 8601 durations and RFC 3339 timestamps. The statement rules
// (xapi_validate.cpp) call them on every string they check.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <masterymap/io/xapi.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "xapi_detail.hpp"

namespace masterymap::io {

namespace xapi_detail {

namespace {

// The bytes an IRI's rest must not contain: blanks, controls, DEL and <>"{}|\\^`.
constexpr std::array<bool, 256> iri_excluded_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c <= 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t[0x7f] = true;
  for (const char c : {'<', '>', '"', '{', '}', '|', '\\', '^', '`'})
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> iri_excluded = iri_excluded_table();

}  // namespace

// RFC 3987 absolute IRI, as far as a statement check needs: a scheme (ALPHA *(ALPHA / DIGIT /
// "+" / "-" / ".")), ":", a non-empty rest without blanks, controls or the characters RFC 3987
// excludes (<>"{}|\^`), and every "%" the start of a pct-encoded ("%" HEXDIG HEXDIG: "%zz",
// "%2" and a "%" at the end are not).
bool is_iri(std::string_view s) {
  const std::size_t n = s.size();
  const char* const p = s.data();
  std::size_t i = 0;  // where the rest starts, after the scheme's ":"
  if (n >= 8) {       // the common schemes, one word compare each
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    constexpr auto word = [](const char(&t)[9]) {
      std::uint64_t x = 0;
      for (int k = 7; k >= 0; --k) x = x << 8 | static_cast<unsigned char>(t[k]);
      return x;
    };
    constexpr std::uint64_t seven = 0x00FFFFFFFFFFFFFFULL;  // the first 7 bytes (little endian)
    if (w == word("https://"))
      i = 6;
    else if ((w & seven) == (word("http://x") & seven))
      i = 5;
    else if ((w & seven) == (word("mailto:x") & seven))
      i = 7;
  }
  if (i == 0) {
    if (n == 0 || !is_alpha(p[0])) return false;
    i = 1;
    while (i < n && (is_alnum(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.')) ++i;
    if (i >= n || p[i] != ':' || i + 1 >= n) return false;
    ++i;
  }
  bool percent = false;
  if (n >= 16) {
    // 16 bytes at a time (GCC/Clang vector extensions: SSE2 on x86-64, NEON on arm64); IRIs are
    // the most common strings of a statement (verb, activity, type, parents, mbox). The last
    // window ends at the end and may overlap the one before or the scheme: a scheme's bytes and
    // ":" are neither excluded nor "%". Excluded bytes and "%" are gathered over all windows and
    // tested once (no memchr pass for "%", no byte loop for the tail). The excluded bytes in
    // fewer compares: x | 2 is '>' for "<>", '^' for "\\^", DEL for "}" and DEL; x - '{' <= 2
    // for "{|}".
    using bytes16 = unsigned char __attribute__((vector_size(16)));
    bytes16 bad{}, pct{};
    const auto window = [&bad, &pct](const char* q) {
      bytes16 v;
      std::memcpy(&v, q, 16);
      const bytes16 v2 = v | 2;
      bad |=
          static_cast<bytes16>((v <= 0x20) | (v == '"') | (v == '`') | (v2 == '>') | (v2 == '^') |
                               (v2 == 0x7f) | (static_cast<bytes16>(v - '{') <= 2));
      pct |= static_cast<bytes16>(v == '%');
    };
    for (; i + 16 <= n; i += 16) window(p + i);
    if (i < n) window(p + n - 16);
    std::uint64_t lanes[2], pl[2];
    std::memcpy(lanes, &bad, 16);
    std::memcpy(pl, &pct, 16);
    if ((lanes[0] | lanes[1]) != 0) return false;
    percent = (pl[0] | pl[1]) != 0;
  } else {
    for (; i < n; ++i) {
      if (iri_excluded[static_cast<unsigned char>(p[i])]) return false;
      percent |= p[i] == '%';
    }
  }
  if (!percent) return true;
  // pct-encoded = "%" HEXDIG HEXDIG (RFC 3987 2.2, from RFC 3986 2.1); "%" is in no other rule
  const char* const end = p + n;
  for (const char* q = static_cast<const char*>(std::memchr(p, '%', n)); q != nullptr;
       q = static_cast<const char*>(std::memchr(q + 1, '%', static_cast<std::size_t>(end - q - 1))))
    if (end - q < 3 || !is_hex(q[1]) || !is_hex(q[2])) return false;
  return true;
}

// RFC 5646 language tag (well-formed: langtag, privateuse or a grandfathered tag), subtags
// case-insensitive; a repeated variant or extension singleton is refused (section 2.2.5/2.2.6).
bool is_language_tag(std::string_view s) {
  static constexpr std::array<std::string_view, 26> grandfathered{
      "en-gb-oed", "i-ami",     "i-bnn",     "i-default",  "i-enochian",  "i-hak",  "i-klingon",
      "i-lux",     "i-mingo",   "i-navajo",  "i-pwn",      "i-tao",       "i-tay",  "i-tsu",
      "sgn-be-fr", "sgn-be-nl", "sgn-ch-de", "art-lojban", "cel-gaulish", "no-bok", "no-nyn",
      "zh-guoyu",  "zh-hakka",  "zh-min",    "zh-min-nan", "zh-xiang"};
  if (s.empty()) return false;
  // the common forms first, without allocating: "en", "eng", "en-US", "es-419"
  {
    std::size_t n = 0;
    while (n < s.size() && is_alpha(s[n])) ++n;
    if (n >= 2 && n <= 3) {
      if (n == s.size()) return true;
      const auto r = s.substr(n);
      if (r.size() == 3 && r[0] == '-' && is_alpha(r[1]) && is_alpha(r[2])) return true;
      if (r.size() == 4 && r[0] == '-' && is_digit(r[1]) && is_digit(r[2]) && is_digit(r[3]))
        return true;
    }
  }
  std::string lower(s);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (auto g : grandfathered)
    if (lower == g) return true;
  std::vector<std::string_view> sub;
  std::string_view rest(lower);
  while (true) {
    const auto dash = rest.find('-');
    sub.push_back(rest.substr(0, dash));
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  for (auto t : sub) {
    if (t.empty() || t.size() > 8) return false;
    for (char c : t)
      if (!is_alnum(c)) return false;
  }
  auto all = [](std::string_view t, bool (*p)(char)) { return std::all_of(t.begin(), t.end(), p); };
  std::size_t i = 0;
  auto private_use = [&](std::size_t from) {  // "x" 1*("-" 1*8alphanum)
    return from + 1 < sub.size();
  };
  if (sub[0] == "x") return private_use(0);
  // language
  if (!all(sub[0], is_alpha) || sub[0].size() < 2) return false;
  const std::size_t lang_len = sub[0].size();
  i = 1;
  if (lang_len <= 3) {  // up to three extlangs
    for (int k = 0; k < 3 && i < sub.size() && sub[i].size() == 3 && all(sub[i], is_alpha); ++k)
      ++i;
  }
  if (i < sub.size() && sub[i].size() == 4 && all(sub[i], is_alpha)) ++i;  // script
  if (i < sub.size() && ((sub[i].size() == 2 && all(sub[i], is_alpha)) ||
                         (sub[i].size() == 3 && all(sub[i], is_digit))))
    ++i;  // region
  std::vector<std::string_view> variants;
  while (i < sub.size() && (sub[i].size() >= 5 || (sub[i].size() == 4 && is_digit(sub[i][0])))) {
    if (std::find(variants.begin(), variants.end(), sub[i]) != variants.end()) return false;
    variants.push_back(sub[i]);
    ++i;
  }
  std::string singletons;
  while (i < sub.size() && sub[i].size() == 1 && sub[i] != "x") {
    if (singletons.find(sub[i][0]) != std::string::npos) return false;
    singletons += sub[i][0];
    ++i;
    std::size_t n = 0;
    while (i < sub.size() && sub[i].size() >= 2) {
      ++i;
      ++n;
    }
    if (n == 0) return false;
  }
  if (i < sub.size() && sub[i] == "x") return private_use(i);
  return i == sub.size();
}

// ISO 8601 duration as xAPI uses it: PnYnMnDTnHnMnS (at least one part; a decimal fraction on
// the last part only), or PnW alone.
bool is_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return false;
  std::size_t i = 1;
  static constexpr std::string_view date_units = "YMD", time_units = "HMS";
  bool any = false, in_time = false, fraction_seen = false;
  std::size_t unit_pos = 0;  // next allowed unit within the current part
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time || fraction_seen) return false;
      in_time = true;
      unit_pos = 0;
      ++i;
      if (i == s.size()) return false;  // "PT"
      continue;
    }
    if (fraction_seen) return false;  // nothing after a fraction
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
    bool fraction = false;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      const std::size_t f = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i == f) return false;
      fraction = true;
    }
    if (i == s.size()) return false;
    const char unit = s[i++];
    if (!in_time && unit == 'W') {
      if (any || i != s.size()) return false;  // PnW alone
      return true;
    }
    const std::string_view units = in_time ? time_units : date_units;
    const auto pos = units.find(unit, unit_pos);
    if (pos == std::string_view::npos) return false;
    unit_pos = pos + 1;
    any = true;
    fraction_seen = fraction;
  }
  return any;
}

// An Agent's mbox: a mailto: IRI with an address (text before and after one "@").
bool is_mbox(std::string_view s) {
  // "mailto:", then the first "@" neither right after it nor last (memchr: one pass, not a
  // byte loop)
  if (s.size() < 7 || std::memcmp(s.data(), "mailto:", 7) != 0) return false;
  const void* const at = std::memchr(s.data() + 7, '@', s.size() - 7);
  if (at == nullptr) return false;
  const auto at_sign = static_cast<std::size_t>(static_cast<const char*>(at) - s.data());
  return at_sign != 7 && at_sign + 1 != s.size() && is_iri(s);
}

// An Agent's mbox_sha1sum: 40 hex digits (either case).
bool is_sha1_hex(std::string_view s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), is_hex);
}

// A statement's version: "1.0" or "1.0.<digits>", under 2.0 also "2.0" or "2.0.<digits>".
bool is_version(std::string_view s, xapi_version version) {
  const auto minor_ok = [&](std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    const auto rest = s.substr(prefix.size());
    if (rest.empty()) return true;
    return rest.size() >= 2 && rest[0] == '.' &&
           std::all_of(rest.begin() + 1, rest.end(), is_digit);
  };
  return minor_ok("1.0") || (version == xapi_version::v2_0 && minor_ok("2.0"));
}

// An interaction definition's interactionType (xAPI Data 2.4.4.1.2, case-sensitive).
bool is_interaction_type(std::string_view s) {
  static constexpr std::array<std::string_view, 10> types{
      "true-false",  "choice",     "fill-in", "long-fill-in", "matching",
      "performance", "sequencing", "likert",  "numeric",      "other"};
  return std::find(types.begin(), types.end(), s) != types.end();
}

// Whether the digits of an integer (without its sign) are beyond 64 bits: more than 2^64 - 1, or
// for a negative integer more than 2^63 (simdjson 3.0.1 refuses either with NUMBER_ERROR).
static bool beyond_64_bits(std::string_view digits, bool negative) {
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit);
}

bool widen_big_integers(std::string_view text, std::string& out) {
  out.clear();
  std::size_t copied = 0;  // text[0, copied) is in `out`
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !is_digit(c)) continue;
    // a number token: [-] digits [. digits] [e [+-] digits]
    const bool negative = c == '-';
    const std::size_t from = i + (negative ? 1 : 0);
    std::size_t j = from;
    while (j < text.size() && is_digit(text[j])) ++j;
    std::size_t end = j;  // of the whole token
    while (end < text.size() && (is_digit(text[end]) || text[end] == '.' || text[end] == 'e' ||
                                 text[end] == 'E' || text[end] == '+' || text[end] == '-'))
      ++end;
    const std::string_view digits = text.substr(from, j - from);
    if (end == j && !digits.empty() && digits[0] != '0' && beyond_64_bits(digits, negative)) {
      out.append(text.substr(copied, j - copied));
      out += ".0";  // a decimal number: simdjson reads it as the nearest double
      copied = j;
    }
    i = end - 1;
  }
  if (copied == 0) return false;
  out.append(text.substr(copied));
  return true;
}

}  // namespace xapi_detail

namespace {
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
}  // namespace

std::optional<double> parse_rfc3339(std::string_view s) noexcept {
  using xapi_detail::is_digit;
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)
  if (s.size() < 20) return std::nullopt;
  // the value of the n digits at p, -1 when one is not a digit: returned, not stored through a
  // reference on every digit (which an out-of-line lambda did, six times per timestamp)
  const auto digits = [](const char* p, int n) noexcept {
    int v = 0;
    bool ok = true;
    for (int k = 0; k < n; ++k) {
      const int d = static_cast<unsigned char>(p[k]) - '0';
      ok &= static_cast<unsigned>(d) <= 9U;
      v = v * 10 + d;
    }
    return ok ? v : -1;
  };
  const char* const c = s.data();
  const int year = digits(c, 4), month = digits(c + 5, 2), day = digits(c + 8, 2),
            hour = digits(c + 11, 2), minute = digits(c + 14, 2), second = digits(c + 17, 2);
  if (year < 0 || c[4] != '-' || month < 0 || c[7] != '-' || day < 0 ||
      (c[10] != 'T' && c[10] != 't') || hour < 0 || c[13] != ':' || minute < 0 || c[16] != ':' ||
      second < 0)
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  static constexpr std::array<int, 12> month_days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > month_days[static_cast<std::size_t>(month - 1)] || (month == 2 && day == 29 && !leap))
    return std::nullopt;
  std::size_t i = 19;
  std::int64_t micro = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    int n = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (n < 7) micro = micro * 10 + (s[i] - '0');
      ++n;
      ++i;
    }
    if (i == start) return std::nullopt;
    for (; n < 7; ++n) micro *= 10;  // tenths of a microsecond, then round half up
    micro = (micro + 5) / 10;
  }
  if (i >= s.size()) return std::nullopt;
  int offset = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    if (i + 6 != s.size()) return std::nullopt;
    const int oh = digits(c + i + 1, 2), om = digits(c + i + 4, 2);
    if (oh < 0 || s[i + 3] != ':' || om < 0 || oh > 23 || om > 59) return std::nullopt;
    if (s[i] == '-' && oh == 0 && om == 0) return std::nullopt;  // unknown local offset
    offset = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  // A leap second (RFC 3339 5.7) only at the end of a UTC day, 23:59:60 UTC whatever the offset
  // it is written with; it counts as the next second, 00:00:00 of the next day (POSIX time).
  if (second == 60 && ((hour * 60 + minute - offset) % 1440 + 1440) % 1440 != 23 * 60 + 59)
    return std::nullopt;
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t secs =
      days * 86400 + hour * 3600 + minute * 60 + second - static_cast<std::int64_t>(offset) * 60;
  return static_cast<double>(secs * 1000000 + micro) / 1e6;
}

}  // namespace masterymap::io
