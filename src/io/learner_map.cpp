// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <masterymap/io/learner_map.hpp>
#include <masterymap/progression.hpp>
#include <vector>

namespace masterymap::io {

namespace {

/// A DOT double-quoted string: `"` and `\` escaped, newlines as `\n` (centred lines).
std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  out += '"';
  return out;
}

/// At most `n` bytes of `s`, cut at a UTF-8 character boundary, with "..." when cut.
std::string clip(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  std::size_t k = n;
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  return std::string(s.substr(0, k)) + "...";
}

/// Words of `s` wrapped at `width` bytes a line, at most `lines` lines (the last clipped).
std::string wrap(std::string_view s, std::size_t width, std::size_t lines) {
  std::vector<std::string> out(1);
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    const std::string_view word = s.substr(i, j - i);
    i = j;
    if (word.empty()) continue;
    if (!out.back().empty() && out.back().size() + 1 + word.size() > width) {
      if (out.size() == lines) {
        out.back() += " " + std::string(word);
        out.back() = clip(out.back(), width);
        if (out.back().size() < 3 || out.back().compare(out.back().size() - 3, 3, "...") != 0)
          out.back() += "...";
        break;
      }
      out.emplace_back();
    }
    if (!out.back().empty()) out.back() += ' ';
    out.back() += clip(word, width);
  }
  std::string r;
  for (const auto& l : out) {
    if (!r.empty()) r += '\n';
    r += l;
  }
  return r;
}

/// Border style (the cue besides colour) and peripheries of a status.
struct look {
  const char* style;
  int peripheries;
  const char* symbol;  // a glyph before the status words
};

look look_of(status s) {
  switch (s) {
    case status::not_started:
      return {"filled,dashed", 1, "\xE2\x97\x8B"};  // white circle
    case status::in_progress:
      return {"filled", 1, "\xE2\x97\x90"};  // circle with left half black
    case status::awaiting_confirmation:
      return {"filled,diagonals", 1, "\xE2\x97\x91"};
    case status::expired:
      return {"filled,dotted", 1, "\xE2\x8A\x98"};  // circled division slash
    case status::inferred:
      return {"filled,rounded,dashed", 1, "\xE2\x88\xB4"};  // therefore
    case status::mastered:
      return {"filled,bold", 1, "\xE2\x97\x8F"};  // black circle
    case status::exceeded:
      return {"filled,bold", 2, "\xE2\x98\x85"};  // black star
    case status::exempt:
      return {"filled", 2, "\xE2\x9C\x93"};  // check mark
  }
  return {"filled", 1, ""};
}

/// Text for an HTML-like DOT label: & < > " escaped.
std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string score_text(double v) { return fmt::format("{:.2f}", v); }

}  // namespace

const char* status_color(status s) noexcept {
  switch (s) {
    case status::not_started:
      return "#FFFFFF";
    case status::in_progress:
      return "#56B4E9";
    case status::awaiting_confirmation:
      return "#E69F00";
    case status::expired:
      return "#D55E00";
    case status::inferred:
      return "#B3E2D1";
    case status::mastered:
      return "#009E73";
    case status::exceeded:
      return "#0072B2";
    case status::exempt:
      return "#CC79A7";
  }
  return "#FFFFFF";
}

const char* status_text_color(status s) noexcept {
  return s == status::exceeded || s == status::mastered ? "#FFFFFF" : "#000000";
}

std::string to_dot(const learner_state& s, const evidence_log* log, const map_options& options) {
  const framework& fw = s.framework();
  const progression& prog = s.progression();
  const learner_view v = view_of(s);
  const std::size_t n = fw.size();
  std::vector<std::uint8_t> frontier(n, 0);
  for (index_t c : prog.frontier(v)) frontier[c] = 1;
  std::vector<std::size_t> gap_under(n, 0);
  std::vector<std::uint8_t> is_gap(n, 0);
  for (const gap& g : prog.gaps(v)) {
    is_gap[g.competency] = 1;
    gap_under[g.competency] = g.undermines.size();
  }
  if (options.rankdir != "LR" && options.rankdir != "TB" && options.rankdir != "RL" &&
      options.rankdir != "BT")
    throw std::invalid_argument(
        fmt::format("map_options.rankdir must be LR, TB, RL or BT, not '{}'", options.rankdir));

  const std::string name = s.learner().empty() ? std::string("learner") : s.learner();
  std::string out = fmt::format(
      "digraph {} {{\n"
      "  graph [rankdir={}, fontname=\"Helvetica,Arial,DejaVu Sans,sans-serif\", "
      "fontsize=12, nodesep=0.25, ranksep=0.45, tooltip={}];\n"
      "  node [shape=box, fontname=\"Helvetica,Arial,DejaVu Sans,sans-serif\", fontsize=10, "
      "margin=\"0.16,0.06\", color=\"#555555\", penwidth=1];\n"
      "  edge [color=\"#444444\", arrowsize=0.7];\n",
      dot_quote(name), options.rankdir, dot_quote("Learning map of " + name));

  auto node_text = [&](index_t c) {
    const competency& k = fw.at(c);
    const status st = s.status(c);
    const look lk = look_of(st);
    std::string classes = std::string("competency status-") + to_string(st);
    if (frontier[c]) classes += " frontier";
    if (is_gap[c]) classes += " gap";
    const bool rollup = !prog.is_learning_target(c);
    if (rollup) classes += " rollup";

    std::string state = std::string(lk.symbol) + " " + status_text(st);
    const auto rating = s.rating(c);
    const auto score = s.score(c);
    if (rating && score)
      state += fmt::format(" ({}, {})", *rating, score_text(*score));
    else if (score)
      state += fmt::format(" ({})", score_text(*score));
    std::string label = k.id;
    if (!k.title.empty() && k.title != k.id) label += "\n" + wrap(k.title, 28, 2);
    label += "\n" + state;
    if (frontier[c]) label += "\n\xE2\x96\xB6 ready to learn";
    if (is_gap[c]) label += fmt::format("\n\xE2\x9A\xA0 gap under {}", gap_under[c]);

    std::string tip = k.id + ": " + status_text(st);
    if (rating) tip += ", " + *rating;
    if (score) tip += " (" + score_text(*score) + ")";
    if (frontier[c]) tip += "; ready to learn";
    if (is_gap[c]) tip += fmt::format("; a gap under {} done competencies", gap_under[c]);
    if (log && options.tooltip_lines > 0) {
      const explanation ex = s.explain(c, *log);
      std::size_t lines = 0, at = 0;
      const std::string& t = ex.text;
      while (at < t.size() && lines < options.tooltip_lines) {
        std::size_t e = t.find('\n', at);
        if (e == std::string::npos) e = t.size();
        tip += "\n" + clip(std::string_view(t).substr(at, e - at), 160);
        ++lines;
        at = e + 1;
      }
      if (at < t.size()) tip += "\n...";
    }

    std::string color = "#555555";
    int pen = 1;
    if (frontier[c]) {
      color = "#000000";
      pen = 3;
    }
    if (is_gap[c]) {
      color = "#D55E00";
      pen = 3;
    }
    return fmt::format(
        "{} [id={}, class={}, label={}, tooltip={}, style=\"{}\", fillcolor=\"{}\", "
        "fontcolor=\"{}\", color=\"{}\", penwidth={}, peripheries={}];\n",
        dot_quote(k.id), dot_quote("c-" + k.id), dot_quote(classes), dot_quote(label),
        dot_quote(tip), lk.style, status_color(st), status_text_color(st), color, pen,
        lk.peripheries);
  };

  // Domains as clusters, in order of first appearance; competencies without one at top level.
  std::vector<std::string> domains;
  std::map<std::string, std::size_t> domain_index;
  std::vector<std::vector<index_t>> members;
  std::vector<index_t> loose;
  for (index_t c = 0; c < n; ++c) {
    const std::string& d = fw.at(c).domain;
    if (!options.clusters || d.empty()) {
      loose.push_back(c);
      continue;
    }
    auto [it, fresh] = domain_index.emplace(d, domains.size());
    if (fresh) {
      domains.push_back(d);
      members.emplace_back();
    }
    members[it->second].push_back(c);
  }
  for (std::size_t d = 0; d < domains.size(); ++d) {
    out += fmt::format(
        "  subgraph cluster_{} {{\n    graph [label={}, id={}, class=\"domain\", "
        "style=\"rounded\", color=\"#999999\", fontcolor=\"#333333\", tooltip={}];\n",
        d, dot_quote(domains[d]), dot_quote("d-" + domains[d]), dot_quote("domain " + domains[d]));
    for (index_t c : members[d]) out += "    " + node_text(c);
    out += "  }\n";
  }
  for (index_t c : loose) out += "  " + node_text(c);

  for (const auto& e : fw.edges()) {
    const char* style = e.strength == strength::familiar      ? "dashed"
                        : e.strength == strength::recommended ? "dotted"
                                                              : "solid";
    const char* color = e.strength == strength::recommended ? "#999999" : "#444444";
    const std::string& a = fw.id_of(e.prerequisite);
    const std::string& b = fw.id_of(e.dependent);
    out += fmt::format(
        "  {} -> {} [class=\"prerequisite {}\", style={}, color=\"{}\", penwidth={}, "
        "tooltip={}];\n",
        dot_quote(a), dot_quote(b), to_string(e.strength), style, color,
        e.strength == strength::required ? "1.4" : "1",
        dot_quote(a + " before " + b + " (" + to_string(e.strength) + ")"));
  }

  if (options.legend) {
    std::string cells;
    const status order[] = {status::not_started, status::in_progress, status::awaiting_confirmation,
                            status::expired,     status::inferred,    status::mastered,
                            status::exceeded,    status::exempt};
    for (status st : order)
      cells += fmt::format(
          "<td bgcolor=\"{}\" border=\"1\" cellpadding=\"6\"><font color=\"{}\" "
          "point-size=\"9\">{} {}</font></td>",
          status_color(st), status_text_color(st), look_of(st).symbol,
          st == status::awaiting_confirmation ? "teacher's check" : status_text(st));
    out += fmt::format(
        "  graph [labelloc=b, labeljust=l, label=<<table border=\"0\" cellborder=\"1\" "
        "cellspacing=\"3\" cellpadding=\"3\"><tr><td border=\"0\" align=\"left\"><b>{}</b></td>"
        "</tr><tr><td border=\"0\"><table border=\"0\" cellspacing=\"3\" cellpadding=\"3\"><tr>{}"
        "<td border=\"3\" cellpadding=\"6\" color=\"#000000\"><font point-size=\"9\">\xE2\x96\xB6 "
        "ready to "
        "learn</font></td><td border=\"3\" cellpadding=\"6\" color=\"#D55E00\"><font "
        "point-size=\"9\">\xE2\x9A\xA0 "
        "gap</font></td><td border=\"0\"><font point-size=\"9\">edges: required solid, familiar "
        "dashed, recommended dotted</font></td></tr></table></td></tr></table>>];\n",
        "Learning map of " + html_escape(name), cells);
  }
  out += "}\n";
  return out;
}

std::string to_svg(const learner_state& s, const evidence_log* log, const map_options& options) {
  return render_svg(to_dot(s, log, options));
}

}  // namespace masterymap::io
