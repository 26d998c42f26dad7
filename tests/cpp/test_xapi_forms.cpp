// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The lexical forms of xAPI strings (src/io/xapi_forms.cpp) and the id lowering
// (xapi_detail.hpp) against plain byte-by-byte oracles written from the rules (RFC 3987 as the
// reader takes it; xAPI's mbox; ASCII lowering): hand-picked cases, then random strings built
// from the bytes that matter (excluded bytes, "%", hex digits, scheme characters, UTF-8) at
// every length around the 16-byte windows.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

#include "../../src/io/xapi_detail.hpp"

namespace xd = masterymap::io::xapi_detail;

namespace {

bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// scheme ":" rest; rest non-empty, no byte <= 0x20, no DEL, none of <>"{}|\^`; every "%"
// followed by two hex digits
bool oracle_iri(std::string_view s) {
  if (s.empty() || !alpha(s[0])) return false;
  std::size_t i = 1;
  while (i < s.size() && (alpha(s[i]) || digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
    ++i;
  if (i >= s.size() || s[i] != ':' || i + 1 == s.size()) return false;
  for (std::size_t k = i + 1; k < s.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (c <= 0x20 || c == 0x7f ||
        std::string_view("<>\"{}|\\^`").find(s[k]) != std::string_view::npos)
      return false;
    if (c == '%' && (k + 2 >= s.size() || !hex(s[k + 1]) || !hex(s[k + 2]))) return false;
  }
  return true;
}

bool oracle_mbox(std::string_view s) {
  if (s.substr(0, 7) != "mailto:") return false;
  const std::size_t at = s.find('@');
  return at != std::string_view::npos && at != 7 && at + 1 != s.size() && oracle_iri(s);
}

std::string oracle_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

TEST_CASE("xapi forms: is_iri and is_mbox on chosen cases") {
  for (const char* good :
       {"https://lms.example.org/activities/00410", "http://adlnet.gov/expapi/verbs/attempted",
        "mailto:learner8487@example.org", "urn:x", "a:b", "h+t-t.p:%41%7e", "https://x", "http://x",
        "https://example.org/caf\xC3\xA9/%2F", "tag:example.org,2026:~/]=[",
        "https://example.org/this/is/a/long/path/of/more/than/thirty/two/bytes"}) {
    CAPTURE(good);
    CHECK(xd::is_iri(good));
    CHECK(oracle_iri(good));
  }
  for (const char* bad : {"",
                          ":",
                          "a:",
                          "1a:b",
                          "https//x",
                          "https:",
                          "http://a b",
                          "https://x<y",
                          "https://x>y",
                          "https://x\"",
                          "https://x{y",
                          "https://x}y",
                          "https://x|y",
                          "https://x\\y",
                          "https://x^y",
                          "https://x`y",
                          "https://x\x7fy",
                          "https://x\ty",
                          "https://example.org/%zz",
                          "https://example.org/%4",
                          "https://example.org/%",
                          "https://example.org/long/enough/%g0",
                          "https://example.org/long/enough/to/have/windows/^",
                          "mailto: ann@example.org"}) {
    CAPTURE(bad);
    CHECK_FALSE(xd::is_iri(bad));
    CHECK_FALSE(oracle_iri(bad));
  }
  CHECK(xd::is_mbox("mailto:ann@example.org"));
  CHECK_FALSE(xd::is_mbox("mailto:@example.org"));
  CHECK_FALSE(xd::is_mbox("mailto:ann@"));
  CHECK_FALSE(xd::is_mbox("mailto:ann"));
  CHECK_FALSE(xd::is_mbox("mailt:ann@x"));
  CHECK_FALSE(xd::is_mbox("mailto"));
}

TEST_CASE("xapi forms: is_iri, is_mbox and lower_id agree with their oracles on random strings") {
  std::mt19937_64 rng(20261202);
  // the bytes that decide: every excluded byte, "%", hex digits, scheme characters, UTF-8
  const std::string pool =
      std::string("<>\"{}|\\^` \t\x7f\x01%:/@.+-_~=[]aAfFgGzZ09") + "\xC3\xA9\x80\xff";
  const char* const prefixes[] = {"",         "https://", "http://", "mailto:", "mailto:a@", "urn:",
                                  "x-y.z+1:", "http:/",   "https:/", "mailto",  "HTTPS://"};
  std::size_t iris = 0, mboxes = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string s = prefixes[rng() % std::size(prefixes)];
    const std::size_t n = rng() % 48;
    for (std::size_t k = 0; k < n; ++k) {
      // mostly plain letters, so that long valid IRIs occur
      s += rng() % 4 != 0 ? static_cast<char>('a' + rng() % 26) : pool[rng() % pool.size()];
    }
    CAPTURE(s);
    const bool iri = oracle_iri(s), mbox = oracle_mbox(s);
    REQUIRE(xd::is_iri(s) == iri);
    REQUIRE(xd::is_mbox(s) == mbox);
    std::string lowered;
    REQUIRE(xd::lower_id(s, lowered) == oracle_lower(s));
    iris += iri ? 1 : 0;
    mboxes += mbox ? 1 : 0;
  }
  // both answers occur often (the check is not vacuous)
  CHECK(iris > 20000);
  CHECK(mboxes > 2000);
}
