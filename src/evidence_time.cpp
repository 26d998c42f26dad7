// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Evidence times: ISO 8601 texts to seconds since the Unix epoch and back, and what is wrong
// with a time or a timestamp text.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/evidence.hpp>
#include <masterymap/io/xapi.hpp>
#include <string>

#include "evidence_impl.hpp"

namespace masterymap {

using detail::parse_number;
using detail::trim;

// --- time ----------------------------------------------------------------------------------

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
long long days_from_civil(long long y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<double> parse_time(std::string_view text) noexcept {
  std::string_view s = trim(text);
  // Eight digits that form a date ("20240910") are ISO 8601's basic form as much as seconds:
  // neither is assumed (the row check and to_seconds say what to write instead).
  if (s.size() == 8 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int mo = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31) return std::nullopt;
  }
  if (auto n = parse_number(s)) return n;
  int y = 0, mo = 0, d = 0;
  if (!(digits(s, 0, 4, y) && s.size() >= 10 && s[4] == '-' && digits(s, 5, 2, mo) && s[7] == '-' &&
        digits(s, 8, 2, d)))
    return std::nullopt;
  static constexpr int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return std::nullopt;
  // Whole seconds and microseconds as integers, divided once at the end: the result is the
  // double nearest the microsecond, exactly as for a datetime or a datetime64 column.
  long long secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400;
  long long micros = 0;
  const auto result = [&] { return static_cast<double>(secs * 1000000 + micros) / 1e6; };
  std::size_t pos = 10;
  if (pos == s.size()) return result();
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  int hh = 0, mm = 0, ss = 0;
  if (!(digits(s, pos, 2, hh) && pos + 2 < s.size() && s[pos + 2] == ':' &&
        digits(s, pos + 3, 2, mm)))
    return std::nullopt;
  pos += 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      // Digits past the sixth round the microseconds (half up on the seventh).
      std::size_t e = pos + 1;
      int n = 0;
      while (e < s.size() && s[e] >= '0' && s[e] <= '9') {
        if (n < 6)
          micros = micros * 10 + (s[e] - '0');
        else if (n == 6 && s[e] >= '5')
          micros += 1;  // at most 1000000: carries into the seconds below
        ++n;
        ++e;
      }
      if (n == 0) return std::nullopt;
      for (int k = n; k < 6; ++k) micros *= 10;
      pos = e;
    }
  }
  if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm != 0 || ss != 0 || micros != 0)))
    return std::nullopt;
  secs += hh * 3600LL + mm * 60LL + ss;
  if (pos == s.size()) return result();
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return result();
  if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '+' ? 1 : -1;
    int oh = 0, om = 0;
    if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
    std::size_t q = pos + 3;
    if (q < s.size() && s[q] == ':') ++q;
    if (q < s.size()) {
      if (!digits(s, q, 2, om)) return std::nullopt;
      q += 2;
    }
    if (q != s.size() || oh > 23 || om > 59) return std::nullopt;
    secs -= sign * (oh * 3600LL + om * 60LL);
    return result();
  }
  return std::nullopt;
}

std::string format_time(double t) {
  // Every finite time is a date: no magnitude decides that a number is "not a date" (times
  // near 1970, such as attempt numbers, print as 1970-01-01T00:00:03Z).
  if (std::isnan(t)) return "NaN";
  if (std::isinf(t)) return t > 0 ? "+inf" : "-inf";
  // Beyond about 285,000 years the calendar arithmetic would overflow: the number, with its
  // unit.
  if (std::fabs(t) >= 9e12) return fmt::format("{} s", t);
  // To the microsecond, the resolution of every time conversion: the microseconds nearest
  // the double itself (t - trunc(t) is exact; ties away from zero), as the bindings'
  // conversion to datetime64 (bind_time.cpp).
  const auto whole = static_cast<long long>(t);
  const double part = (t - static_cast<double>(whole)) * 1e6;
  const long long micros = whole * 1000000 + static_cast<long long>(part + (part < 0 ? -0.5 : 0.5));
  long long secs = micros / 1000000;
  long long frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  long long y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  // ISO 8601 needs four-digit years; years outside 0000-9999 get a sign (expanded format).
  std::string out = y >= 0 && y <= 9999 ? fmt::format("{:04}", y) : fmt::format("{:+05}", y);
  out += fmt::format("-{:02}-{:02}T{:02}:{:02}:{:02}", m, d, rem / 3600, (rem / 60) % 60, rem % 60);
  if (frac != 0) out += fmt::format(".{:06}", frac);
  return out + "Z";
}

// --- problems of times and timestamp texts (the batch checks' messages) ------------------

std::string time_problem(double t) {
  if (t >= detail::min_stored_time && t <= detail::max_stored_time) return {};
  if (std::isnan(t)) return "missing time";
  if (!std::isfinite(t)) return fmt::format("time is infinite ({})", t);
  std::string why = fmt::format(
      "time {} ({}) is outside the range of datetime64[ns] (1677-09-21 to 2262-04-11, {} to {} "
      "seconds since the epoch)",
      t, format_time(t), detail::min_stored_time, detail::max_stored_time);
  // Milliseconds of a date in range are at least 1e11 away from 0 (the hint is only for those:
  // a date in year 3000 is out of range, not milliseconds).
  if (std::fabs(t) >= 1e11 && t / 1000 >= detail::min_stored_time &&
      t / 1000 <= detail::max_stored_time)
    why += "; it looks like milliseconds since the epoch: divide by 1000";
  return why;
}

namespace detail {

bool same_instant(double a, double b) noexcept {
  if (a == b) return true;
  if (!(std::fabs(a) <= 1e12 && std::fabs(b) <= 1e12)) return false;
  // The same whole microsecond (the reader's precision), or adjacent doubles where a double is
  // coarser than that (after 2106).
  return std::llround(a * 1e6) == std::llround(b * 1e6) || std::nextafter(a, b) == b;
}

bool timestamp_fits(std::string_view text, double time) noexcept {
  if (text.empty()) return true;
  const auto t = io::parse_rfc3339(text);
  return t && same_instant(*t, time);
}

std::string timestamp_problem(std::string_view text, double time) {
  if (text.empty()) return {};
  const auto t = io::parse_rfc3339(text);
  if (!t)
    return fmt::format(
        "timestamp text '{}' is not an RFC 3339 date-time with a time zone (e.g. "
        "2024-03-01T09:30:00Z or 2024-03-01T11:30:00.5+02:00; not the unknown offset -00:00; "
        "\"\" for none)",
        escaped_text(text));
  if (!(time >= min_stored_time && time <= max_stored_time))
    return {};  // the time itself is bad: its own problem
  if (same_instant(*t, time)) return {};
  return fmt::format(
      "timestamp text '{}' denotes {}, not the row's time {} (the text must be the same "
      "instant, to the microsecond)",
      escaped_text(text), format_time(*t), format_time(time));
}

}  // namespace detail

}  // namespace masterymap
