// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <masterymap/io/learner_map.hpp>
#include <masterymap/io/report.hpp>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace masterymap::io {

namespace {

constexpr double day = 86400.0;

// `text` cut to at most `bytes` bytes at a UTF-8 character boundary, ending in "..." when cut.
std::string cut(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t k = bytes - 3;
  while (k > 0 && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
  return text.substr(0, k) + "...";
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
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
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string pct(double a, double b) {
  if (!(b > 0)) return "&ndash;";
  return fmt::format("{:.0f}%", 100.0 * a / b);
}

std::string num(double v, int digits = 2) {
  if (std::isnan(v)) return "&ndash;";
  if (std::isinf(v)) return "&infin;";
  return fmt::format("{:.{}f}", v, digits);
}

/// Statuses in the order the bars stack them: done work from the left.
constexpr status bar_order[] = {status::exceeded,
                                status::mastered,
                                status::exempt,
                                status::inferred,
                                status::awaiting_confirmation,
                                status::in_progress,
                                status::expired,
                                status::not_started};

std::size_t code(status s) { return static_cast<std::size_t>(s); }

/// Per-competency Kaplan-Meier results.
struct km {
  survival_curve curve;
  double last = 0.0;  // longest duration, days
  double median = std::numeric_limits<double>::quiet_NaN();
  std::pair<double, double> ci{std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::quiet_NaN()};
};

const char* css = R"css(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px 32px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ccc;padding-bottom:3px}
p.meta{color:#555;margin:0 0 10px}p.note{color:#555;font-size:13px;margin:4px 0 8px}
table.summary{border-collapse:collapse;font-size:12px}
table.summary th,table.summary td{border:1px solid #ddd;padding:3px 6px;text-align:right}
table.summary th{background:#f2f2f2;position:sticky;top:0}
table.summary td.id,table.summary td.title,table.summary th.l{text-align:left}
table.summary td.title{max-width:320px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.legend span{display:inline-block;margin:2px 10px 2px 0;font-size:12px}
.legend i{display:inline-block;width:12px;height:12px;border:1px solid #555;vertical-align:-2px;margin-right:4px}
details{margin:3px 0}summary{cursor:pointer}details.group>summary{font-weight:bold}
details.competency{margin-left:18px;font-size:13px}details.competency p{margin:2px 0 6px 18px;color:#333}
.panels{display:flex;flex-wrap:wrap;gap:6px}
svg text{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif}
)css";

void legend(std::string& out) {
  out += "<p class=\"legend\">";
  for (status s : bar_order)
    out += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", status_color(s),
                       esc(status_text(s)));
  out += "</p>\n";
}

}  // namespace

std::string cohort_report_html(const roster& r, const report_options& o) {
  const framework& fw = r.framework();
  const std::size_t L = r.size();
  const std::size_t C = r.competencies();
  for (const auto& b : o.bottlenecks)
    if (!fw.find(b.competency))
      throw std::invalid_argument(fmt::format(
          "cohort_report_html: bottleneck names competency '{}', which the framework does not "
          "have",
          b.competency));

  const std::vector<std::int32_t> no_group(L, -1);
  const cohort_summary sum = summarize(r, no_group, 0, o.threads);
  auto count = [&](std::size_t c, status s) {
    return static_cast<double>(sum.status_counts[c * status_count + code(s)]);
  };
  frontier_group_options go = o.groups;
  if (o.threads) go.threads = o.threads;
  const frontier_groups ready = group_by_frontier(r, frontier_group::ready, go);
  const frontier_groups stuck = group_by_frontier(r, frontier_group::stuck, go);
  const frontier_groups recent = group_by_frontier(r, frontier_group::recent, go);
  auto per_competency = [&](const frontier_groups& g) {
    std::vector<std::size_t> n(C, 0);
    for (index_t c : g.competency) ++n[c];
    return n;
  };
  const std::vector<std::size_t> n_ready = per_competency(ready), n_stuck = per_competency(stuck);

  // Time to mastery.
  const mastery_spells spells = first_mastery(r, o.origin, o.threads);
  std::vector<km> kms(C);
  {
    std::vector<survival_curve> curves = survival_by_competency(spells, C);
    for (std::size_t k = 0; k < spells.competency.size(); ++k) {
      double& last = kms[spells.competency[k]].last;
      last = std::max(last, (spells.end[k] - spells.origin[k]) / day);
    }
    for (index_t c = 0; c < C; ++c) {
      if (curves[c].n == 0) continue;
      kms[c].curve = std::move(curves[c]);
      kms[c].median = survival_quantile(kms[c].curve, 0.5);
      kms[c].ci = survival_quantile_ci(kms[c].curve, 0.5);
    }
  }

  const std::string title = o.title.empty() ? "Cohort report: " + fw.name() : o.title;
  const double as_of = r.as_of();
  std::string out;
  out.reserve(64 * 1024 + L * C * 48);
  out += fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{} learners &middot; {} competencies "
      "&middot; {} pieces of evidence &middot; as of {}</p>\n",
      esc(title), css, esc(title), L, C, r.log().size(),
      std::isnan(as_of) ? std::string("&ndash;") : esc(format_time(as_of)));

  // --- distributions -------------------------------------------------------------------------
  out += "<h2 id=\"distribution\">Where the cohort stands</h2>\n";
  out +=
      "<p class=\"note\">Each bar is one competency, split by the learners' status (done work "
      "from the left); the figure on the right is learners who earned it (mastered or "
      "exceeded) of all learners.</p>\n";
  legend(out);
  {
    const int label_w = 150, bar_w = 600, right_w = 130, row_h = 18;
    const int width = label_w + bar_w + right_w;
    const auto height = static_cast<int>(C) * row_h + 6;
    out += fmt::format(
        "<svg class=\"distribution\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
        "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"status distribution per "
        "competency\">\n",
        width, height, width, height);
    for (index_t c = 0; c < C; ++c) {
      const int y = static_cast<int>(c) * row_h + 3;
      const double n = static_cast<double>(sum.learners[0]);
      out += fmt::format(
          "<g class=\"bar\" data-competency=\"{}\"><text x=\"{}\" y=\"{}\" font-size=\"11\" "
          "text-anchor=\"end\">{}</text>",
          esc(fw.id_of(c)), label_w - 6, y + 12, esc(fw.id_of(c)));
      double x = label_w;
      for (status s : bar_order) {
        const double k = count(c, s);
        if (k <= 0 || n <= 0) continue;
        const double w = bar_w * k / n;
        out += fmt::format(
            "<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\" "
            "stroke=\"#666\" stroke-width=\"0.5\"><title>{}: {} {} of {}</title></rect>",
            x, y, w, row_h - 4, status_color(s), esc(fw.id_of(c)), k, esc(status_text(s)), n);
        x += w;
      }
      const double earned = count(c, status::mastered) + count(c, status::exceeded);
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{} of {} ({})</text></g>\n",
                         label_w + bar_w + 6, y + 12, earned, n, pct(earned, n));
    }
    out += "</svg>\n";
  }

  // --- heatmap ---------------------------------------------------------------------------------
  out += "<h2 id=\"heatmap\">Learners &times; competencies</h2>\n";
  if (L == 0 || C == 0 || L * C > o.heatmap_max_cells) {
    out += fmt::format(
        "<p class=\"note\">Not drawn: {} learners &times; {} competencies is more than {} cells; "
        "the distributions above summarise each competency.</p>\n",
        L, C, o.heatmap_max_cells);
  } else {
    const auto& st = r.statuses();
    std::vector<std::size_t> done(L, 0), order(L);
    for (std::size_t l = 0; l < L; ++l)
      for (std::size_t c = 0; c < C; ++c) done[l] += is_done(st[l * C + c]);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (done[a] != done[b]) return done[a] > done[b];
      return r.learners()[a] < r.learners()[b];
    });
    const double cw = std::clamp(900.0 / static_cast<double>(C), 3.0, 18.0);
    const double ch = std::clamp(560.0 / static_cast<double>(L), 2.0, 14.0);
    const bool col_labels = cw >= 9.0;
    // Rows tall enough for a label each are labelled with the learner's id when names are
    // shown (cut to 20 bytes; the tooltip has it whole), else numbered (every tenth row when
    // thin).
    const bool row_names = o.names && ch >= 9.0;
    std::size_t longest = 0;
    if (row_names)
      for (const std::string& id : r.learners()) longest = std::max(longest, cut(id, 20).size());
    const double top = col_labels ? 70.0 : 8.0;
    const double left =
        row_names ? std::clamp(8.0 + 5.2 * static_cast<double>(longest), 44.0, 120.0) : 44.0;
    const double width = left + cw * static_cast<double>(C) + 8;
    const double height = top + ch * static_cast<double>(L) + 8;
    out +=
        "<p class=\"note\">One row per learner (most done first), one column per competency "
        "(framework order), coloured by status as above; hover a cell for the learner and "
        "competency.</p>\n";
    out += fmt::format(
        "<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
        "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"status of "
        "every learner on every competency\" shape-rendering=\"crispEdges\">\n",
        width, height, width, height);
    if (col_labels)
      for (index_t c = 0; c < C; ++c) {
        const double x = left + cw * (static_cast<double>(c) + 0.5);
        out += fmt::format(
            "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\" transform=\"rotate(-60 {:.2f} "
            "{:.2f})\">{}</text>\n",
            x, top - 4, x, top - 4, esc(fw.id_of(c)));
      }
    for (std::size_t row = 0; row < L; ++row) {
      const std::size_t l = order[row];
      const double y = top + ch * static_cast<double>(row);
      if (ch >= 9.0 || row % 10 == 0)
        out += fmt::format(
            "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"{}\" text-anchor=\"end\" "
            "fill=\"#666\">{}</text>",
            left - 4, y + std::min(ch, 9.0), ch >= 9.0 ? 9 : 8,
            row_names ? esc(cut(r.learners()[l], 20)) : std::to_string(row + 1));
      out += "<g>";
      for (index_t c = 0; c < C; ++c) {
        const status s = st[l * C + c];
        out += fmt::format(
            "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\">",
            left + cw * static_cast<double>(c), y, cw, ch, status_color(s));
        if (o.names)
          out += fmt::format("<title>{} &middot; {}: {}</title>", esc(r.learners()[l]),
                             esc(fw.id_of(c)), esc(status_text(s)));
        else
          out += fmt::format("<title>#{} &middot; {}: {}</title>", row + 1, esc(fw.id_of(c)),
                             esc(status_text(s)));
        out += "</rect>";
      }
      out += "</g>\n";
    }
    out += fmt::format(
        "<rect x=\"{}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"none\" "
        "stroke=\"#666\"/>\n</svg>\n",
        left, top, cw * static_cast<double>(C), ch * static_cast<double>(L));
  }

  // --- summary table ---------------------------------------------------------------------------
  out += "<h2 id=\"summary\">Summary per competency</h2>\n";
  out +=
      "<p class=\"note\">Mastery rate: learners who earned it (mastered or exceeded) of all "
      "learners, and of the learners who started it (evidence of their own). Days to "
      "mastery: the Kaplan&ndash;Meier median from the first counted evidence (95% interval; "
      "&ldquo;not reached&rdquo; while fewer than half have mastered it). Stuck: at least " +
      std::to_string(go.stuck_evidence) +
      " counted pieces of evidence without mastery, or working on it for " + num(go.stuck_days, 0) +
      " days or more.</p>\n";
  out +=
      "<table class=\"summary\">\n<thead><tr><th class=\"l\">competency</th><th "
      "class=\"l\">title</th><th>learners"
      "</th><th>started</th><th>earned</th><th>exempt</th><th>inferred</th><th>rate (all)"
      "</th><th>rate (started)</th><th>mean score</th><th>median days</th><th>95% interval"
      "</th><th>stuck</th><th>ready</th></tr></thead>\n<tbody>\n";
  for (index_t c = 0; c < C; ++c) {
    const double n = static_cast<double>(sum.learners[0]);
    const double started = n - count(c, status::not_started) - count(c, status::inferred);
    const double earned = count(c, status::mastered) + count(c, status::exceeded);
    const double scored = sum.scored[c];
    const double mean =
        scored > 0 ? sum.score_sum[c] / scored : std::numeric_limits<double>::quiet_NaN();
    const km& k = kms[c];
    std::string median = "&ndash;", ci = "&ndash;";
    if (k.curve.n > 0) {
      median = std::isnan(k.median) ? std::string("not reached") : num(k.median, 1);
      if (!std::isnan(k.ci.first))
        ci = fmt::format("{} &ndash; {}", num(k.ci.first, 1), num(k.ci.second, 1));
    }
    out += fmt::format(
        "<tr><td class=\"id\">{}</td><td class=\"title\" title=\"{}\">{}</td><td>{}</td><td>{}"
        "</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        esc(fw.id_of(c)), esc(fw.at(c).title), esc(fw.at(c).title), n, started, earned,
        count(c, status::exempt), count(c, status::inferred), pct(earned, n), pct(earned, started),
        num(mean), median, ci, n_stuck[c], n_ready[c]);
  }
  out += "</tbody>\n</table>\n";

  // --- Kaplan-Meier ----------------------------------------------------------------------------
  out += "<h2 id=\"time-to-mastery\">Time to mastery</h2>\n";
  std::vector<index_t> curves;
  for (index_t c = 0; c < C; ++c)
    if (kms[c].curve.n > 0) curves.push_back(c);
  std::stable_sort(curves.begin(), curves.end(),
                   [&](index_t a, index_t b) { return kms[a].curve.n > kms[b].curve.n; });
  const std::size_t hidden = curves.size() > o.max_curves ? curves.size() - o.max_curves : 0;
  curves.resize(std::min(curves.size(), o.max_curves));
  std::sort(curves.begin(), curves.end());
  if (curves.empty()) {
    out +=
        "<p class=\"note\">No competency has spells to estimate (no counted "
        "evidence).</p>\n";
  } else {
    double xmax = 1.0;
    for (index_t c : curves) xmax = std::max(xmax, kms[c].last);
    xmax = std::ceil(xmax);
    out += fmt::format(
        "<p class=\"note\">Share of learners not yet mastered (Kaplan&ndash;Meier) by days since "
        "their first counted evidence on the competency (learners not mastered by the report's "
        "date are censored); the dashed line is one half, the vermillion mark the median. Same "
        "axis in every panel: 0 to {} "
        "days.{}</p>\n<div class=\"panels\">\n",
        num(xmax, 0),
        hidden ? fmt::format(" {} more competencies are in the summary table only.", hidden)
               : std::string());
    const double pw = 250, ph = 150, ml = 34, mr = 8, mt = 20, mb = 22;
    const double iw = pw - ml - mr, ih = ph - mt - mb;
    for (index_t c : curves) {
      const km& k = kms[c];
      auto X = [&](double t) { return ml + iw * std::min(t, xmax) / xmax; };
      auto Y = [&](double s) { return mt + ih * (1.0 - s); };
      std::string path = fmt::format("M{:.2f},{:.2f}", X(0), Y(1));
      for (std::size_t i = 0; i < k.curve.times.size(); ++i) {
        path += fmt::format(" H{:.2f} V{:.2f}", X(k.curve.times[i]), Y(k.curve.survival[i]));
      }
      path += fmt::format(" H{:.2f}", X(k.last));
      const std::string med = std::isnan(k.median) ? std::string("median not reached")
                                                   : fmt::format("median {} d", num(k.median, 1));
      out += fmt::format(
          "<svg class=\"km\" data-competency=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" "
          "width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
          "aria-label=\"time to mastery of {}\">"
          "<text x=\"{:.0f}\" y=\"13\" font-size=\"11\" font-weight=\"bold\">{}</text>"
          "<text x=\"{:.0f}\" y=\"13\" font-size=\"10\" text-anchor=\"end\" fill=\"#444\">"
          "n={} &middot; {}</text>"
          "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"#fafafa\" "
          "stroke=\"#bbb\"/>"
          "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#999\" "
          "stroke-dasharray=\"4 3\"/>"
          "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\" text-anchor=\"end\">1</text>"
          "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\" text-anchor=\"end\">0.5</text>"
          "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\" text-anchor=\"end\">0</text>"
          "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\">0</text>"
          "<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"9\" text-anchor=\"end\">{} d</text>"
          "<path d=\"{}\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\"><title>{}: {} "
          "learners, {} mastered, {}</title></path>",
          esc(fw.id_of(c)), pw, ph, pw, ph, esc(fw.id_of(c)), ml, esc(fw.id_of(c)), pw - mr,
          k.curve.n, esc(med), ml, mt, iw, ih, ml, Y(0.5), ml + iw, Y(0.5), ml - 3, Y(1) + 3,
          ml - 3, Y(0.5) + 3, ml - 3, Y(0) + 3, ml, ph - 8, ml + iw, ph - 8, num(xmax, 0), path,
          esc(fw.id_of(c)), k.curve.n, k.curve.events, esc(med));
      if (!std::isnan(k.median))
        out += fmt::format(
            "<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#D55E00\" "
            "stroke-width=\"1.5\"/>",
            X(k.median), Y(0.5) - 4, X(k.median), Y(0));
      out += "</svg>\n";
    }
    out += "</div>\n";
  }

  // --- bottlenecks -----------------------------------------------------------------------------
  out += "<h2 id=\"bottlenecks\">Bottlenecks</h2>\n";
  {
    struct bar {
      std::string id;
      double value;
      std::string text;
    };
    std::vector<bar> bars;
    if (!o.bottlenecks.empty()) {
      out +=
          "<p class=\"note\">Competencies ranked by their bottleneck score, with the "
          "reasons.</p>\n";
      for (const auto& b : o.bottlenecks) {
        if (!(b.score > 0)) continue;  // holds nobody back: no bar
        std::string t;
        for (const auto& reason : b.reasons) t += (t.empty() ? "" : "; ") + reason;
        bars.push_back({b.competency, b.score, t});
      }
    } else {
      out +=
          "<p class=\"note\">Learners stuck on each competency (the most first): the "
          "bottleneck ranking was not given.</p>\n";
      for (index_t c = 0; c < C; ++c)
        if (n_stuck[c] > 0)
          bars.push_back(
              {fw.id_of(c), static_cast<double>(n_stuck[c]),
               fmt::format("{} {} stuck", n_stuck[c], n_stuck[c] == 1 ? "learner" : "learners")});
      std::stable_sort(bars.begin(), bars.end(),
                       [](const bar& a, const bar& b) { return a.value > b.value; });
    }
    if (bars.size() > o.max_bottlenecks) bars.resize(o.max_bottlenecks);
    if (bars.empty()) {
      out += o.bottlenecks.empty()
                 ? "<p class=\"note\">None: no learner is stuck.</p>\n"
                 : "<p class=\"note\">None: no competency holds a learner back.</p>\n";
    } else {
      double vmax = 0;
      for (const auto& b : bars) vmax = std::max(vmax, b.value);
      if (!(vmax > 0)) vmax = 1;
      const double label_w = 150, bar_w = 380, row_h = 22;
      const double width = 980, height = row_h * static_cast<double>(bars.size()) + 6;
      out += fmt::format(
          "<svg class=\"bottlenecks\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
          "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"bottleneck "
          "bars\">\n",
          width, height, width, height);
      for (std::size_t i = 0; i < bars.size(); ++i) {
        const double y = row_h * static_cast<double>(i) + 3;
        const double w = std::max(1.0, bar_w * std::max(0.0, bars[i].value) / vmax);
        // Cut to what fits right of the longest bar (the whole text is the bar's tooltip).
        const std::string text = cut(bars[i].text, 64);
        out += fmt::format(
            "<g class=\"bottleneck\"><text x=\"{:.0f}\" y=\"{:.1f}\" font-size=\"11\" "
            "text-anchor=\"end\">{}</text><rect x=\"{:.0f}\" y=\"{:.1f}\" width=\"{:.2f}\" "
            "height=\"{:.0f}\" fill=\"#D55E00\"><title>{}</title></rect><text x=\"{:.2f}\" "
            "y=\"{:.1f}\" font-size=\"11\">{}{}</text></g>\n",
            label_w - 6, y + 13, esc(bars[i].id), label_w, y, w, row_h - 6, esc(bars[i].text),
            label_w + w + 6, y + 13,
            o.bottlenecks.empty() ? std::string() : num(bars[i].value, 2) + " &middot; ",
            esc(text));
      }
      out += "</svg>\n";
    }
  }

  // --- groups ----------------------------------------------------------------------------------
  out +=
      "<h2 id=\"groups\">Groups</h2>\n<p class=\"note\">Learners grouped by the competency "
      "they are ready to learn, are stuck on, or recently mastered (within " +
      num(go.recent_days, 0) + " days)" +
      (o.names ? std::string("; open a competency to see the names.")
               : std::string("; names are not included.")) +
      "</p>\n";
  auto group_block = [&](const char* cls, const char* heading, const frontier_groups& g) {
    std::vector<std::size_t> n = per_competency(g);
    std::size_t with = 0;
    for (auto x : n) with += x > 0;
    out += fmt::format(
        "<details class=\"group\" id=\"group-{}\"><summary>{}: {} competencies, {} learner "
        "&times; competency pairs</summary>\n",
        cls, heading, with, g.competency.size());
    std::size_t k = 0;
    for (index_t c = 0; c < C; ++c) {
      if (n[c] == 0) continue;
      out += fmt::format("<details class=\"competency\"><summary>{} &mdash; {} {}</summary>",
                         esc(fw.id_of(c)), n[c], n[c] == 1 ? "learner" : "learners");
      if (o.names) {
        out += "<p>";
        bool first = true;
        for (; k < g.competency.size() && g.competency[k] == c; ++k) {
          if (!first) out += ", ";
          first = false;
          out += esc(r.learners()[g.learner[k]]);
        }
        out += "</p>";
      }
      out += "</details>\n";
    }
    out += "</details>\n";
  };
  group_block("ready", "Ready to learn", ready);
  group_block("stuck", "Stuck", stuck);
  group_block("recent", "Recently mastered", recent);

  out +=
      "<p class=\"note\">Made by masterymap. Colours: Okabe&ndash;Ito (safe for colour-vision "
      "deficiencies); every chart also states its figures in text.</p>\n</body>\n</html>\n";
  return out;
}

}  // namespace masterymap::io
