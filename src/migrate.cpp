// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <algorithm>
#include <cstdint>
#include <map>
#include <masterymap/error.hpp>
#include <masterymap/migrate.hpp>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace masterymap {

const char* to_string(revision_kind kind) noexcept {
  switch (kind) {
    case revision_kind::same:
      return "same";
    case revision_kind::one_to_one:
      return "one_to_one";
    case revision_kind::chain:
      return "chain";
    case revision_kind::split:
      return "split";
    case revision_kind::merge:
      return "merge";
    case revision_kind::none:
      break;
  }
  return "none";
}

revision_kind parse_revision_kind(std::string_view name) {
  for (auto k : {revision_kind::same, revision_kind::one_to_one, revision_kind::chain,
                 revision_kind::split, revision_kind::merge, revision_kind::none})
    if (name == to_string(k)) return k;
  throw std::invalid_argument("unknown revision kind '" + std::string(name) +
                              "' (expected same, one_to_one, chain, split, merge or none)");
}

revision_map::revision_map(std::vector<revision> entries, std::vector<std::string> new_items,
                           std::vector<std::string> editions)
    : entries_(std::move(entries)),
      new_items_(std::move(new_items)),
      editions_(std::move(editions)) {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (!index_.emplace(entries_[i].old_id, i).second)
      throw std::invalid_argument("revision_map: old id '" + entries_[i].old_id +
                                  "' appears twice");
}

const revision& revision_map::at(std::string_view old_id) const {
  auto it = index_.find(std::string(old_id));
  if (it == index_.end()) throw unknown_id_error(std::string(old_id));
  return entries_[it->second];
}

bool revision_map::contains(std::string_view old_id) const noexcept {
  return index_.count(std::string(old_id)) != 0;
}

std::vector<std::string> revision_map::no_successor() const {
  std::vector<std::string> out;
  for (const auto& r : entries_)
    if (r.new_ids.empty()) out.push_back(r.old_id);
  return out;
}

namespace {

constexpr const char* replaced_by = "replacedBy";

std::string meta(const std::map<std::string, std::string>& m, const char* key,
                 const std::string& fallback) {
  auto it = m.find(key);
  return it == m.end() || it->second.empty() ? fallback : it->second;
}

// One edition's items by CASE identifier (the key every link is resolved to) and by URI.
struct edition_index {
  const framework* fw = nullptr;
  std::vector<std::string> key;  // identifier per competency
  std::unordered_map<std::string, index_t> by_key;
};

edition_index index_edition(const framework& fw,
                            std::unordered_map<std::string, std::string>& uri_to_key) {
  edition_index e;
  e.fw = &fw;
  const auto& cs = fw.competencies();
  e.key.reserve(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    std::string k = meta(cs[i].metadata, "case:identifier", cs[i].id);
    auto uri = cs[i].metadata.find("case:uri");
    if (uri != cs[i].metadata.end() && !uri->second.empty()) uri_to_key.emplace(uri->second, k);
    e.by_key.emplace(k, static_cast<index_t>(i));
    e.key.push_back(std::move(k));
  }
  return e;
}

// The identifier an association end names: the package's own item, a known URI, or the last
// segment of an unknown URI (CASE URIs end in the identifier), else the end itself.
std::string key_of(const std::string& end, const edition_index& e,
                   const std::unordered_map<std::string, std::string>& uri_to_key) {
  if (auto i = e.fw->find(end)) return e.key[*i];
  auto u = uri_to_key.find(end);
  if (u != uri_to_key.end()) return u->second;
  auto slash = end.find_last_of('/');
  if (slash != std::string::npos && slash + 1 < end.size()) return end.substr(slash + 1);
  return end;
}

// Every cycle of the replacedBy graph (one per strongly connected component with a cycle),
// named by the ids (labels) of its nodes, first repeated at the end.
std::vector<problem> find_cycles(const std::vector<std::string>& nodes,
                                 const std::vector<std::vector<std::size_t>>& out,
                                 const std::vector<std::string>& label) {
  const std::size_t n = nodes.size();
  // Iterative Tarjan.
  std::vector<std::size_t> index(n, SIZE_MAX), low(n, 0);
  std::vector<bool> on(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::size_t>> sccs;
  std::size_t counter = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (index[s] != SIZE_MAX) continue;
    std::vector<std::pair<std::size_t, std::size_t>> work{{s, 0}};
    index[s] = low[s] = counter++;
    stack.push_back(s);
    on[s] = true;
    while (!work.empty()) {
      auto& [v, pos] = work.back();
      if (pos < out[v].size()) {
        std::size_t w = out[v][pos++];
        if (index[w] == SIZE_MAX) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on[w] = true;
          work.emplace_back(w, 0);
        } else if (on[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::size_t done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
      if (low[done] == index[done]) {
        std::vector<std::size_t> scc;
        std::size_t w = SIZE_MAX;
        do {
          w = stack.back();
          stack.pop_back();
          on[w] = false;
          scc.push_back(w);
        } while (w != done);
        bool self = scc.size() == 1 &&
                    std::find(out[done].begin(), out[done].end(), done) != out[done].end();
        if (scc.size() > 1 || self) sccs.push_back(std::move(scc));
      }
    }
  }
  std::vector<problem> problems;
  for (auto& scc : sccs) {
    std::unordered_set<std::size_t> in(scc.begin(), scc.end());
    std::size_t start = *std::min_element(scc.begin(), scc.end());
    // Walk from the first node (in input order) inside the component back to it (BFS path).
    std::unordered_map<std::size_t, std::size_t> parent;
    std::vector<std::size_t> queue{start};
    std::size_t back = SIZE_MAX;
    for (std::size_t qi = 0; qi < queue.size() && back == SIZE_MAX; ++qi) {
      for (std::size_t w : out[queue[qi]]) {
        if (!in.count(w)) continue;
        if (w == start) {
          back = queue[qi];
          break;
        }
        if (parent.emplace(w, queue[qi]).second) queue.push_back(w);
      }
    }
    std::vector<std::string> ids;
    for (std::size_t v = back; v != start; v = parent.at(v)) ids.push_back(label[v]);
    ids.push_back(label[start]);
    std::reverse(ids.begin(), ids.end());
    ids.push_back(label[start]);
    std::string msg = "replacedBy cycle: ";
    for (std::size_t i = 0; i < ids.size(); ++i) msg += (i ? " -> " : "") + ids[i];
    problems.push_back(problem{problem_kind::invalid_value, std::move(ids), std::move(msg)});
  }
  return problems;
}

int rank(revision_kind k) {
  switch (k) {
    case revision_kind::split:
      return 4;
    case revision_kind::merge:
      return 3;
    case revision_kind::one_to_one:
    case revision_kind::chain:
      return 2;
    case revision_kind::same:
      return 1;
    case revision_kind::none:
      break;
  }
  return 0;
}

}  // namespace

revision_map revisions(const framework& old_edition, const framework& new_edition,
                       const std::vector<const framework*>& intermediate) {
  std::vector<const framework*> eds{&old_edition};
  for (const framework* f : intermediate) {
    if (f == nullptr) throw std::invalid_argument("revisions: an intermediate edition is null");
    eds.push_back(f);
  }
  eds.push_back(&new_edition);

  std::unordered_map<std::string, std::string> uri_to_key;
  std::vector<edition_index> idx;
  idx.reserve(eds.size());
  for (const framework* f : eds) idx.push_back(index_edition(*f, uri_to_key));

  // The replacedBy links of every edition, as identifier keys; the cycle check spans them all.
  // links[e] : origin key -> destination keys (in package order), for links living in edition e.
  std::vector<std::unordered_map<std::string, std::vector<std::string>>> links(eds.size());
  std::vector<std::string> nodes;
  std::vector<std::string> label;
  std::unordered_map<std::string, std::size_t> node_of;
  std::vector<std::vector<std::size_t>> out;
  auto node = [&](const std::string& key, const std::string& shown) {
    auto [it, fresh] = node_of.emplace(key, nodes.size());
    if (fresh) {
      nodes.push_back(key);
      label.push_back(shown);
      out.emplace_back();
    }
    return it->second;
  };
  for (std::size_t e = 0; e < eds.size(); ++e) {
    for (const auto& a : eds[e]->associations()) {
      if (a.type != replaced_by) continue;
      std::string o = key_of(a.origin, idx[e], uri_to_key);
      std::string d = key_of(a.destination, idx[e], uri_to_key);
      auto& ds = links[e][o];
      if (std::find(ds.begin(), ds.end(), d) == ds.end()) ds.push_back(d);
      std::size_t on = node(o, a.origin), dn = node(d, a.destination);
      if (std::find(out[on].begin(), out[on].end(), dn) == out[on].end()) out[on].push_back(dn);
    }
  }
  auto cycles = find_cycles(nodes, out, label);
  if (!cycles.empty()) throw cycle_error(std::move(cycles));

  // Per step s (edition s -> s+1): successors and kind of each item of edition s.
  struct step_result {
    std::vector<std::vector<index_t>> next;
    std::vector<revision_kind> kind;
  };
  std::vector<step_result> steps(eds.size() - 1);
  for (std::size_t s = 0; s + 1 < eds.size(); ++s) {
    const auto& from = idx[s];
    const auto& to = idx[s + 1];
    auto& st = steps[s];
    const std::size_t n = from.key.size();
    st.next.resize(n);
    st.kind.assign(n, revision_kind::none);
    std::unordered_map<index_t, std::size_t> preds;
    for (std::size_t i = 0; i < n; ++i) {
      auto l = links[s + 1].find(from.key[i]);
      if (l != links[s + 1].end()) {
        for (const auto& d : l->second) {
          auto t = to.by_key.find(d);
          if (t != to.by_key.end()) st.next[i].push_back(t->second);
        }
        std::sort(st.next[i].begin(), st.next[i].end());
        for (index_t t : st.next[i]) ++preds[t];
      } else {
        auto t = to.by_key.find(from.key[i]);
        if (t != to.by_key.end()) {
          st.next[i].push_back(t->second);
          st.kind[i] = revision_kind::same;
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (st.kind[i] == revision_kind::same || st.next[i].empty()) continue;
      if (st.next[i].size() > 1)
        st.kind[i] = revision_kind::split;
      else if (preds[st.next[i].front()] > 1)
        st.kind[i] = revision_kind::merge;
      else
        st.kind[i] = revision_kind::one_to_one;
    }
  }

  revision_map map;
  for (const framework* f : eds) map.editions_.push_back(f->name());
  const std::size_t n_old = old_edition.size();
  const std::size_t n_new = new_edition.size();
  std::vector<std::size_t> reached(n_new, 0);
  map.entries_.reserve(n_old);
  for (std::size_t i = 0; i < n_old; ++i) {
    revision r;
    r.old_id = old_edition.id_of(static_cast<index_t>(i));
    std::vector<index_t> cur{static_cast<index_t>(i)};
    for (auto& st : steps) {
      revision_kind k = revision_kind::none;
      std::vector<index_t> nxt;
      for (index_t c : cur) {
        if (rank(st.kind[c]) > rank(k)) k = st.kind[c];
        nxt.insert(nxt.end(), st.next[c].begin(), st.next[c].end());
      }
      std::sort(nxt.begin(), nxt.end());
      nxt.erase(std::unique(nxt.begin(), nxt.end()), nxt.end());
      r.steps.push_back(k);
      cur = std::move(nxt);
    }
    for (index_t c : cur) {
      r.new_ids.push_back(new_edition.id_of(c));
      ++reached[c];
    }
    map.entries_.push_back(std::move(r));
  }
  for (auto& r : map.entries_) {
    if (r.new_ids.empty()) {
      r.kind = revision_kind::none;
    } else if (std::all_of(r.steps.begin(), r.steps.end(),
                           [](revision_kind k) { return k == revision_kind::same; })) {
      r.kind = revision_kind::same;
    } else if (r.new_ids.size() > 1) {
      r.kind = revision_kind::split;
    } else if (reached[new_edition.index_of(r.new_ids.front())] > 1) {
      r.kind = revision_kind::merge;
    } else {
      auto changed = std::count_if(r.steps.begin(), r.steps.end(),
                                   [](revision_kind k) { return k != revision_kind::same; });
      r.kind = changed > 1 ? revision_kind::chain : revision_kind::one_to_one;
    }
  }
  for (std::size_t i = 0; i < n_old; ++i) map.index_.emplace(map.entries_[i].old_id, i);
  for (std::size_t j = 0; j < n_new; ++j)
    if (reached[j] == 0) map.new_items_.push_back(new_edition.id_of(static_cast<index_t>(j)));
  return map;
}

migration migrate(const evidence_log& log, const framework& old_edition,
                  const framework& new_edition, const revision_map& map, split_rule split) {
  const auto& comps = log.competencies();
  const auto& codes = log.competency_codes();
  const std::size_t rows = log.size();
  // Rows per competency code, and codes in order of first use.
  std::vector<std::size_t> count(comps.size(), 0);
  std::vector<std::uint32_t> order;
  for (std::size_t r = 0; r < rows; ++r) {
    if (count[codes[r]]++ == 0) order.push_back(codes[r]);
  }
  std::vector<problem> problems;
  std::vector<const revision*> rev(comps.size(), nullptr);
  for (std::uint32_t c : order) {
    const std::string& id = comps[c];
    if (!old_edition.contains(id) || !map.contains(id)) {
      problems.push_back(problem{problem_kind::unknown_id,
                                 {id},
                                 "competency '" + id + "' (" + std::to_string(count[c]) +
                                     " rows) is not in the old edition '" + old_edition.name() +
                                     "'"});
      continue;
    }
    rev[c] = &map.at(id);
    for (const auto& n : rev[c]->new_ids)
      if (!new_edition.contains(n))
        problems.push_back(problem{problem_kind::unknown_id,
                                   {id, n},
                                   "successor '" + n + "' of '" + id +
                                       "' is not in the new edition '" + new_edition.name() +
                                       "' (the revision map is for other editions)"});
  }
  if (!problems.empty()) throw validation_error(std::move(problems));

  const std::string& edition = old_edition.name();
  migration result;
  // Targets per code, and the decision per code.
  std::vector<std::vector<std::string>> targets(comps.size());
  std::vector<std::size_t> decision_of(comps.size(), SIZE_MAX);
  for (std::uint32_t c : order) {
    const revision& r = *rev[c];
    migration_decision d;
    d.old_id = r.old_id;
    d.kind = r.kind;
    d.rows = count[c];
    switch (r.kind) {
      case revision_kind::same:
        d.action = "same";
        targets[c] = r.new_ids;
        break;
      case revision_kind::one_to_one:
      case revision_kind::chain:
        d.action = "moved";
        targets[c] = r.new_ids;
        break;
      case revision_kind::merge:
        d.action = "merged";
        targets[c] = r.new_ids;
        break;
      case revision_kind::split:
        if (split == split_rule::copy) {
          d.action = "split";
          targets[c] = r.new_ids;
        } else if (split == split_rule::first) {
          d.action = "split";
          targets[c] = {r.new_ids.front()};
        } else {
          d.action = "dropped";
        }
        break;
      case revision_kind::none:
        d.action = "dropped";
        break;
    }
    d.new_ids = targets[c];
    d.written = d.rows * targets[c].size();
    decision_of[c] = result.decisions.size();
    result.decisions.push_back(std::move(d));
  }

  std::vector<std::string> extra;
  for (const auto& k : log.kinds()) extra.push_back(k);
  evidence_log out(extra);
  std::vector<evidence> batch;
  batch.reserve(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto c = codes[r];
    if (targets[c].empty()) continue;
    evidence e = log.at(r);
    // Evidence on an item that stayed the same (same identifier, same id) keeps its source.
    const bool moved = rev[c]->kind != revision_kind::same ||
                       !(targets[c].size() == 1 && targets[c].front() == e.competency);
    if (moved) {
      std::string note = "migrated from " + e.competency + " (" + edition + ")";
      e.source = e.source.empty() ? std::move(note) : e.source + "; " + note;
    }
    for (const auto& t : targets[c]) {
      evidence copy = e;
      copy.competency = t;
      batch.push_back(std::move(copy));
    }
  }
  out.append_unchecked(batch);
  result.log = std::move(out);
  return result;
}

roster_migration migrate(const roster& r, const framework& old_edition,
                         const framework& new_edition, const revision_map& map, split_rule split) {
  migration m = migrate(r.log(), old_edition, new_edition, map, split);
  roster out(new_edition, r.policy(), r.options());
  out.ingest(m.log);
  return roster_migration{std::move(out), std::move(m.decisions)};
}

}  // namespace masterymap
