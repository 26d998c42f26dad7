// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Text encodings: the UTF-8 check against a decoder written from the definition, Latin-1 and
// cp1252 transcoding, and every reader's answer to bad bytes, a BOM and an `encoding`.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <masterymap/bkt.hpp>
#include <masterymap/encoding.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/io/csv.hpp>
#include <masterymap/policy.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../../src/encoding_detail.hpp"

namespace mm = masterymap;
using mm::detail::find_invalid_utf8;
using mm::detail::npos;

namespace {

// The oracle: decodes a sequence by its bit pattern, then applies the rules as the standard
// states them (shortest form, no surrogates, at most U+10FFFF). Another formulation than the
// library's table of second-byte ranges.
std::size_t oracle_length(const unsigned char* s, std::size_t n) {
  const unsigned c = s[0];
  if (c < 0x80) return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  static const std::uint32_t shortest[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < shortest[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::size_t oracle(const std::string& t) {
  const auto* s = reinterpret_cast<const unsigned char*>(t.data());
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t len = oracle_length(s + i, t.size() - i);
    if (len == 0) return i;
    i += len;
  }
  return npos;
}

std::string utf8(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Runs `read` on `text` and returns the parse_error it throws.
template <typename F>
mm::parse_error error_of(F read) {
  try {
    read();
  } catch (const mm::parse_error& e) {
    return e;
  }
  FAIL("no parse_error");
  return mm::parse_error("", 0, 0);
}

}  // namespace

TEST_SUITE("encoding") {
  TEST_CASE("the UTF-8 check agrees with a decoder written from the definition") {
    const std::string pad(37, 'a');  // crosses the 32-byte fast path on both sides
    SUBCASE("every one- and two-byte sequence, at offsets across the fast path") {
      for (int offset : {0, 1, 7, 31, 32, 33}) {
        for (unsigned a = 0; a < 256; ++a)
          for (unsigned b = 0; b < 256; ++b) {
            const std::string t = pad.substr(0, static_cast<std::size_t>(offset)) +
                                  std::string{static_cast<char>(a), static_cast<char>(b)} + pad;
            REQUIRE(find_invalid_utf8(t) == oracle(t));
          }
      }
    }
    SUBCASE("every three-byte sequence with a three-byte lead") {
      for (unsigned a = 0xE0; a <= 0xEF; ++a)
        for (unsigned b = 0; b < 256; ++b)
          for (unsigned c = 0; c < 256; ++c) {
            const std::string t =
                pad + std::string{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
            REQUIRE(find_invalid_utf8(t) == oracle(t));
          }
    }
    SUBCASE("four-byte leads: every second byte, random tails, truncation at the end") {
      std::mt19937 rng(4);
      for (unsigned a = 0xF0; a <= 0xFF; ++a)
        for (unsigned b = 0; b < 256; ++b) {
          for (int k = 0; k < 8; ++k) {
            const std::string t = std::string{static_cast<char>(a), static_cast<char>(b),
                                              static_cast<char>(0x80 | (rng() & 0x7F)),
                                              static_cast<char>(rng() & 0xFF)} +
                                  pad;
            REQUIRE(find_invalid_utf8(t) == oracle(t));
          }
          const std::string cut = pad + std::string{static_cast<char>(a), static_cast<char>(b)};
          REQUIRE(find_invalid_utf8(cut) == oracle(cut));
        }
    }
    SUBCASE("long texts of every script with one damaged byte") {
      std::mt19937 rng(7);
      for (int round = 0; round < 300; ++round) {
        std::string t;
        const int ascii_share = round % 4 == 0 ? 100 : (round % 4 == 1 ? 90 : 30);
        while (t.size() < 600) {
          std::uint32_t cp = 0;
          if (static_cast<int>(rng() % 100) < ascii_share) {
            cp = static_cast<std::uint32_t>(0x20 + rng() % 0x5F);
          } else {
            do cp = static_cast<std::uint32_t>(0x80 + rng() % 0x10FF80);
            while (cp >= 0xD800 && cp <= 0xDFFF);
          }
          t += utf8(cp);
        }
        REQUIRE(find_invalid_utf8(t) == npos);
        t[rng() % t.size()] = static_cast<char>(rng() & 0xFF);
        REQUIRE(find_invalid_utf8(t) == oracle(t));
      }
    }
    CHECK(find_invalid_utf8("") == npos);
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);        // a surrogate
    CHECK(find_invalid_utf8("ab\xC0\xAF") == 2);          // an overlong '/'
    CHECK(find_invalid_utf8("ab\xF4\x90\x80\x80") == 2);  // past U+10FFFF
    CHECK(find_invalid_utf8("\xEF\xBF\xBF\xF4\x8F\xBF\xBF") == npos);
  }

  TEST_CASE("encoding names as Python spells them") {
    CHECK(mm::parse_text_encoding("UTF-8") == mm::text_encoding::utf8);
    CHECK(mm::parse_text_encoding("utf_8_sig") == mm::text_encoding::utf8);
    CHECK(mm::parse_text_encoding("Latin-1") == mm::text_encoding::latin1);
    CHECK(mm::parse_text_encoding("ISO-8859-1") == mm::text_encoding::latin1);
    CHECK(mm::parse_text_encoding("windows-1252") == mm::text_encoding::cp1252);
    CHECK_THROWS_WITH_AS((void)mm::parse_text_encoding("utf-16"), doctest::Contains("'latin-1'"),
                         std::invalid_argument);
    CHECK(std::string(mm::to_string(mm::text_encoding::cp1252)) == "cp1252");
  }

  TEST_CASE("Latin-1 and cp1252 are transcoded: every byte, the cp1252 table") {
    std::string all;
    for (int b = 1; b < 256; ++b)
      if (b != ',' && b != '"' && b != '\n' && b != '\r') all += static_cast<char>(b);
    const std::string text = "id\n" + all + "\n";
    const auto latin = mm::io::parse_csv(text, "t", mm::text_encoding::latin1);
    std::string expected;
    for (unsigned char b : all) expected += utf8(b);
    CHECK(latin.rows.at(0).at(0) == expected);
    const auto cp = mm::io::parse_csv("id\n\x80\x81\x8A\x9F\xE9\n", "t", mm::text_encoding::cp1252);
    // WHATWG windows-1252: U+20AC, U+0081 (undefined by Microsoft: the C1 control), U+0160,
    // U+0178, then Latin-1.
    CHECK(cp.rows.at(0).at(0) ==
          utf8(0x20AC) + utf8(0x81) + utf8(0x160) + utf8(0x178) + utf8(0xE9));
    // Columns count characters, so they are the bytes of the Latin-1 file.
    const auto e = error_of(
        [] { (void)mm::io::parse_csv("a,b\n\xE9\xE9,\"x\"y\n", "t", mm::text_encoding::latin1); });
    CHECK(e.line() == 2);
    CHECK(e.column() == 7);  // the character after the closing quote
    CHECK(e.row() == 0);
  }

  TEST_CASE("positions count lines and characters") {
    using mm::detail::position_of;
    const std::string t =
        "ab\r\nc\xC3\xA9"
        "d\re";
    CHECK(position_of(t, 0).line == 1);
    CHECK(position_of(t, 4).line == 2);
    CHECK(position_of(t, 4).column == 1);
    CHECK(position_of(t, 7).column == 3);       // 'd' after the two-byte é
    CHECK(position_of(t, 9).line == 3);         // a lone CR ends a line ...
    CHECK(position_of(t, 9, false).line == 2);  // ... unless the reader says not
  }

  TEST_CASE("every reader rejects a Latin-1 byte with its line, column and row") {
    // "Caf\xE9" (Latin-1) on the third line, second field, data row 1.
    SUBCASE("framework CSV, edges and competencies") {
      auto e = error_of(
          [] { (void)mm::io::parse_framework_csv("prerequisite,dependent\nA,B\nB,Caf\xE9\n"); });
      CHECK(e.line() == 3);
      CHECK(e.column() == 6);
      CHECK(e.row() == 1);
      CHECK(std::string(e.what()).find("edges: row 1 (line 3, column 6): invalid UTF-8 (byte "
                                       "0xE9)") == 0);
      mm::io::csv_framework_options o;
      o.add_missing = true;
      e = error_of([&] {
        (void)mm::io::parse_framework_csv("prerequisite,dependent\nA,B\n",
                                          "id,title\nA,x\nB,Caf\xE9\n", o);
      });
      CHECK(e.line() == 3);
      CHECK(e.column() == 6);
      CHECK(e.row() == 1);
      o.encoding = mm::text_encoding::latin1;
      const auto fw = mm::io::parse_framework_csv("prerequisite,dependent\nA,B\n",
                                                  "id,title\nA,x\nB,Caf\xE9\n", o);
      CHECK(fw.at("B").title == "Caf\xC3\xA9");
    }
    SUBCASE("a bad byte in a header has no row") {
      const auto e = error_of([] { (void)mm::io::parse_csv("id,t\xE9tle\nA,x\n"); });
      CHECK(e.line() == 1);
      CHECK(e.column() == 5);
      CHECK_FALSE(e.row().has_value());
    }
    SUBCASE("evidence CSV") {
      mm::evidence_log log;
      std::istringstream in("learner,competency,time,score\ns1,A,1,1\ns2,Caf\xE9,2,1\n");
      const auto e = error_of([&] { log.append_csv_unchecked(in); });
      CHECK(e.line() == 3);
      CHECK(e.column() == 7);
      CHECK(e.row() == 1);
      CHECK(log.size() == 0);
      mm::csv_columns latin;
      latin.encoding = mm::text_encoding::latin1;
      std::istringstream again("learner,competency,time,score\ns1,A,1,1\ns2,Caf\xE9,2,1\n");
      log.append_csv_unchecked(again, latin);
      CHECK(log.competencies().at(1) == "Caf\xC3\xA9");
    }
    SUBCASE("BKT CSV") {
      const auto e = error_of(
          [] { (void)mm::bkt::parse_csv("user_id,skill_name,correct\na,s,1\nb,Caf\xE9,0\n"); });
      CHECK(e.line() == 3);
      CHECK(e.column() == 6);
      CHECK(e.row() == 1);
      mm::bkt::csv_options o;
      o.encoding = mm::text_encoding::cp1252;
      const auto d = mm::bkt::parse_csv("user_id,skill_name,correct\na,s,1\nb,\x80uro,0\n", o);
      CHECK(d.skill_names().at(1) == utf8(0x20AC) + "uro");
    }
    SUBCASE("JSON readers: framework, policy, BKT model and tracer") {
      const std::string bad = "{\n  \"format\": \"Caf\xE9\"\n}";
      for (const auto& read :
           std::vector<std::function<void()>>{[&] { (void)mm::framework::from_json(bad); },
                                              [&] { (void)mm::policy::from_json(bad); },
                                              [&] { (void)mm::bkt::model::from_json(bad); },
                                              [&] { (void)mm::bkt::tracer::from_json(bad); }}) {
        const auto e = error_of(read);
        CHECK(e.line() == 2);
        CHECK(e.column() == 17);
        CHECK_FALSE(e.row().has_value());
        CHECK(std::string(e.what()).find("invalid UTF-8 (byte 0xE9)") != std::string::npos);
      }
    }
  }

  TEST_CASE("every reader accepts a UTF-8 BOM") {
    const std::string bom = "\xEF\xBB\xBF";
    CHECK(mm::io::parse_framework_csv(bom + "prerequisite,dependent\nA,B\n").size() == 2);
    CHECK(mm::io::parse_csv(bom + "id\nA\n").header == std::vector<std::string>{"id"});
    mm::evidence_log log;
    std::istringstream in(bom + "learner,competency,time,score\ns1,A,1,1\n");
    log.append_csv_unchecked(in);
    CHECK(log.size() == 1);
    CHECK(mm::bkt::parse_csv(bom + "user_id,skill_name,correct\na,s,1\n").size() == 1);
    const mm::framework fw = mm::io::parse_framework_csv("prerequisite,dependent\nA,B\n");
    CHECK(mm::framework::from_json(bom + fw.to_json()) == fw);
    const mm::policy pol(mm::scale::four_point());
    CHECK(mm::policy::from_json(bom + pol.to_json()) == pol);
    mm::bkt::skill_params p;
    p.skill = "s";
    const mm::bkt::model m({p});
    CHECK(mm::bkt::model::from_json(bom + m.to_json()).to_json() == m.to_json());
  }

  TEST_CASE("compressed input is named, not parsed as text") {
    const std::string gz("\x1f\x8b\x08\x00", 4), xz("\xfd"
                                                    "7zXZ\0\0",
                                                    7);
    CHECK_THROWS_WITH_AS((void)mm::io::parse_csv(gz), doctest::Contains("gzip-compressed"),
                         mm::parse_error);
    CHECK_THROWS_WITH_AS((void)mm::bkt::parse_csv(xz), doctest::Contains("xz-compressed"),
                         mm::parse_error);
    mm::evidence_log log;
    std::istringstream in("BZh91AY&SY....");
    CHECK_THROWS_WITH_AS(log.append_csv_unchecked(in), doctest::Contains("bzip2-compressed"),
                         mm::parse_error);
    CHECK_THROWS_WITH_AS((void)mm::framework::from_json("\x28\xb5\x2f\xfd...."),
                         doctest::Contains("zstd-compressed"), mm::parse_error);
  }
}
