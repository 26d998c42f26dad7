// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The revision map between two editions of a framework: `revisions` (following replacedBy
// associations edition by edition), `revision_map`'s queries and revision_kind's names.
#include <algorithm>
#include <cstdint>
#include <map>
#include <masterymap/error.hpp>
#include <masterymap/migrate.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

// The identifier of an association's end node as its CASE JSON wrote it (metadata "case:json",
// as io::read_case keeps it), or "".
std::string node_identifier(const association& a, const char* end) {
  auto it = a.metadata.find("case:json");
  if (it == a.metadata.end()) return {};
  const auto j = nlohmann::json::parse(it->second, nullptr, false);
  if (!j.is_object()) return {};
  auto n = j.find(end);
  if (n == j.end() || !n->is_object()) return {};
  auto id = n->find("identifier");
  if (id == n->end() || !id->is_string()) return {};
  return id->get<std::string>();
}

// Every cycle of a replacedBy graph (one per strongly connected component with a cycle), as
// the nodes on it from the first (in input order), not repeated.
std::vector<std::vector<std::size_t>> find_cycles(
    std::size_t n, const std::vector<std::vector<std::size_t>>& out) {
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
  std::vector<std::vector<std::size_t>> cycles;
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
    std::vector<std::size_t> path;
    for (std::size_t v = back; v != start; v = parent.at(v)) path.push_back(v);
    path.push_back(start);
    std::reverse(path.begin(), path.end());
    cycles.push_back(std::move(path));
  }
  return cycles;
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

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// One replacedBy association, its ends as identifier keys.
struct link_rec {
  std::size_t package = 0;  // index of the edition whose package holds it
  std::string origin, destination;
  enum class use : std::uint8_t { unused, dead, resolved } state = use::unused;
  bool misplaced = false;  // followed from a package older than the step's new edition
};

// Everything `revisions` knows about the editions and their links.
struct resolver {
  std::vector<const framework*> eds;
  std::vector<edition_index> idx;
  std::unordered_map<std::string, std::string> uri_to_key;
  std::vector<link_rec> recs;
  // out[e]: origin key -> link records of package e (package order, one per destination)
  std::vector<std::unordered_map<std::string, std::vector<std::size_t>>> out;

  [[nodiscard]] std::size_t first_in(const std::string& key) const {
    for (std::size_t e = 0; e < idx.size(); ++e)
      if (idx[e].by_key.count(key)) return e;
    return SIZE_MAX;
  }
  // The id of `key` in edition `prefer` (or the next one), else in the first edition that has
  // it, else the end's text.
  [[nodiscard]] std::string label(const std::string& key, std::size_t prefer) const {
    for (std::size_t e : {prefer, prefer + 1}) {
      if (e >= idx.size()) continue;
      auto it = idx[e].by_key.find(key);
      if (it != idx[e].by_key.end()) return eds[e]->id_of(it->second);
    }
    const std::size_t e = first_in(key);
    if (e != SIZE_MAX) return eds[e]->id_of(idx[e].by_key.at(key));
    // Not in any edition: the end's text as a package wrote it (error and note paths only).
    for (std::size_t p = 0; p < eds.size(); ++p)
      for (const auto& a : eds[p]->associations()) {
        if (a.type != replaced_by) continue;
        if (key_of(a.origin, idx[p], uri_to_key) == key) return a.origin;
        if (key_of(a.destination, idx[p], uri_to_key) == key) return a.destination;
      }
    return key;
  }
  // Whether `key` stays at step s (edition s to s+1): its index in edition s+1, unless the
  // package of s+1 replaces it by an item of edition s+1.
  [[nodiscard]] std::optional<index_t> stays(const std::string& key, std::size_t s) const {
    const auto& to = idx[s + 1];
    auto t = to.by_key.find(key);
    if (t == to.by_key.end()) return std::nullopt;
    auto l = out[s + 1].find(key);
    if (l != out[s + 1].end())
      for (std::size_t r : l->second)
        if (to.by_key.count(recs[r].destination)) return std::nullopt;
    return t->second;
  }
  // The links `key` follows at step s: those of the oldest package newer than edition s that
  // has any, else of edition s or the nearest older one. nullptr: none.
  [[nodiscard]] const std::vector<std::size_t>* links_of(const std::string& key,
                                                         std::size_t s) const {
    for (std::size_t p = s + 1; p < out.size(); ++p) {
      auto l = out[p].find(key);
      if (l != out[p].end()) return &l->second;
    }
    for (std::size_t p = s + 1; p-- > 0;) {
      auto l = out[p].find(key);
      if (l != out[p].end()) return &l->second;
    }
    return nullptr;
  }
};

struct step_result {
  std::vector<std::vector<index_t>> next;
  std::vector<revision_kind> kind;
};

// Step s: the successors in edition s+1 of every item of edition s, by an iterative depth-first
// walk of the links (memoised per key). Cycles met are appended to `cycles` (by key set, once).
step_result walk_step(resolver& rv, std::size_t s, std::vector<problem>& cycles,
                      std::vector<std::vector<std::string>>& cycle_keys) {
  struct node {
    const std::string* key;  // in rv.idx or rv.recs, which the walk does not change
    std::uint8_t state = 0;  // 0 new, 1 on the stack, 2 done
    const std::vector<std::size_t>* links = nullptr;
    std::vector<index_t> result;
  };
  std::vector<node> nodes;
  std::unordered_map<std::string_view, std::size_t> node_of;
  std::vector<std::pair<std::size_t, std::size_t>> followed;  // (link record, child node)
  auto get = [&](const std::string& key) {
    auto [it, fresh] = node_of.emplace(std::string_view(key), nodes.size());
    if (fresh) nodes.push_back(node{&key, 0, nullptr, {}});
    return it->second;
  };
  struct frame {
    std::size_t n;
    std::size_t pos;
  };
  std::vector<frame> stack;
  // Starts node n: done at once when it stays or has no links; else pushed.
  auto enter = [&](std::size_t n) {
    if (auto t = rv.stays(*nodes[n].key, s)) {
      nodes[n].result = {*t};
      nodes[n].state = 2;
      return;
    }
    nodes[n].links = rv.links_of(*nodes[n].key, s);
    if (nodes[n].links == nullptr) {
      nodes[n].state = 2;
      return;
    }
    nodes[n].state = 1;
    stack.push_back(frame{n, 0});
  };
  const auto& from = rv.idx[s];
  step_result st;
  const std::size_t n_from = from.key.size();
  st.next.resize(n_from);
  st.kind.assign(n_from, revision_kind::none);
  for (std::size_t i = 0; i < n_from; ++i) {
    if (auto t = rv.stays(from.key[i], s)) {  // the common case: no walk, no node
      st.next[i] = {*t};
      st.kind[i] = revision_kind::same;
      continue;
    }
    const std::size_t root = get(from.key[i]);
    if (nodes[root].state == 0) enter(root);
    while (!stack.empty()) {
      frame& f = stack.back();
      const auto& links = *nodes[f.n].links;
      if (f.pos < links.size()) {
        const std::size_t r = links[f.pos++];
        const std::size_t c = get(rv.recs[r].destination);
        if (rv.recs[r].package <= s) rv.recs[r].misplaced = true;
        followed.emplace_back(r, c);
        if (nodes[c].state == 0) {
          enter(c);
        } else if (nodes[c].state == 1) {
          // A cycle: the stack from c's frame to the top, back to c.
          std::size_t at = stack.size();
          while (at-- > 0 && stack[at].n != c) {
          }
          std::vector<std::string> keys;
          std::vector<std::string> ids;
          std::vector<std::size_t> packages;
          for (std::size_t k = at; k < stack.size(); ++k) {
            keys.push_back(*nodes[stack[k].n].key);
            ids.push_back(rv.label(*nodes[stack[k].n].key, s));
            const auto& ls = *nodes[stack[k].n].links;
            const std::size_t p = rv.recs[ls[stack[k].pos - 1]].package;
            if (std::find(packages.begin(), packages.end(), p) == packages.end())
              packages.push_back(p);
          }
          ids.push_back(ids.front());
          std::vector<std::string> sorted_keys = keys;
          std::sort(sorted_keys.begin(), sorted_keys.end());
          if (std::find(cycle_keys.begin(), cycle_keys.end(), sorted_keys) == cycle_keys.end()) {
            cycle_keys.push_back(std::move(sorted_keys));
            std::string msg = "replacedBy cycle: ";
            for (std::size_t k = 0; k < ids.size(); ++k) msg += (k ? " -> " : "") + ids[k];
            std::sort(packages.begin(), packages.end());
            msg += " (links of ";
            for (std::size_t k = 0; k < packages.size(); ++k)
              msg += (k ? (k + 1 == packages.size() ? " and " : ", ") : "") +
                     quoted(rv.eds[packages[k]]->name());
            msg += ")";
            cycles.push_back(problem{problem_kind::invalid_value, std::move(ids), std::move(msg)});
          }
        }
        continue;
      }
      // Done: the union of the children's results (a child on a cycle adds nothing).
      node& done = nodes[f.n];
      std::vector<index_t> res;
      for (std::size_t r : links) {
        const node& c = nodes[node_of.at(std::string_view(rv.recs[r].destination))];
        if (c.state == 2) res.insert(res.end(), c.result.begin(), c.result.end());
      }
      std::sort(res.begin(), res.end());
      res.erase(std::unique(res.begin(), res.end()), res.end());
      done.result = std::move(res);
      done.state = 2;
      stack.pop_back();
    }
    const node& rn = nodes[root];
    st.next[i] = rn.result;
    if (rn.links == nullptr && !rn.result.empty()) st.kind[i] = revision_kind::same;
  }
  for (const auto& [r, c] : followed) {
    auto& state = rv.recs[r].state;
    if (nodes[c].state == 2 && !nodes[c].result.empty())
      state = link_rec::use::resolved;
    else if (state == link_rec::use::unused)
      state = link_rec::use::dead;
  }
  std::unordered_map<index_t, std::size_t> preds;
  for (std::size_t i = 0; i < n_from; ++i)
    for (index_t t : st.next[i]) ++preds[t];
  for (std::size_t i = 0; i < n_from; ++i) {
    if (st.kind[i] == revision_kind::same || st.next[i].empty()) continue;
    if (st.next[i].size() > 1)
      st.kind[i] = revision_kind::split;
    else if (preds[st.next[i].front()] > 1)
      st.kind[i] = revision_kind::merge;
    else
      st.kind[i] = revision_kind::one_to_one;
  }
  return st;
}

// The notes on links that were not used, or used against CASE's placement, and the hint for
// swapped editions.
void link_notes(const resolver& rv, std::vector<std::string>& notes) {
  const std::size_t last = rv.eds.size() - 1;
  std::unordered_set<std::string> resolved_pairs;
  for (const auto& r : rv.recs)
    if (r.state == link_rec::use::resolved) resolved_pairs.insert(r.origin + '\n' + r.destination);
  std::unordered_set<std::string> seen;
  std::size_t swapped = 0;
  for (const auto& r : rv.recs) {
    const std::string pair = r.origin + '\n' + r.destination;
    const std::size_t fo = rv.first_in(r.origin), fd = rv.first_in(r.destination);
    if (r.package == 0 && fo != SIZE_MAX && fo > 0 && (fd == 0 || fd == SIZE_MAX)) ++swapped;
    auto where = [&](const std::string& key, std::size_t e) {
      if (e == SIZE_MAX) return rv.label(key, 0);
      return rv.eds[e]->id_of(rv.idx[e].by_key.at(key)) + " (of " + quoted(rv.eds[e]->name()) + ")";
    };
    const std::string head = "replacedBy " + where(r.origin, fo) + " -> " +
                             where(r.destination, fd) + ", a link of " +
                             quoted(rv.eds[r.package]->name());
    if (r.state == link_rec::use::resolved) {
      if (r.misplaced && seen.insert(pair + "\nm").second)
        notes.push_back(head +
                        ": followed, though it lives in an edition not newer than its origin's "
                        "(CASE puts replacedBy in the newer package)");
      continue;
    }
    if (resolved_pairs.count(pair) || !seen.insert(pair).second) continue;
    std::string why;
    if (r.state == link_rec::use::dead) {
      why = "not used: " + rv.label(r.destination, r.package) +
            " is in no given edition and nothing given replaces it, so " +
            rv.label(r.origin, r.package ? r.package - 1 : 0) +
            " has no successor through it (is an edition missing?)";
    } else if (fo != SIZE_MAX && fd != SIZE_MAX && fo > fd) {
      why = r.package == 0 ? "not used: the old edition holds it and its origin is in a newer "
                             "edition (are the editions swapped?)"
                           : "not used: it looks reversed (its origin is the newer item; CASE: "
                             "origin = the superseded item, destination = its replacement)";
    } else if (fo == SIZE_MAX) {
      why = "not used: " + rv.label(r.origin, 0) +
            " is in no given edition and no followed link leads to it (is an intermediate "
            "edition missing?)";
    } else if (r.package == 0 && rv.eds.size() > 1) {
      why = "not used: it lives in the old edition (CASE puts replacedBy in the newer package)";
    } else {
      why = "not used: " + rv.label(r.origin, fo) +
            " stays in the next edition or is resolved by a newer package's links";
    }
    notes.push_back(head + ": " + why);
  }
  if (swapped > 0 && last > 0)
    notes.insert(notes.begin(),
                 "hint: the old edition " + quoted(rv.eds[0]->name()) + " holds " +
                     std::to_string(swapped) + " replacedBy link" + (swapped == 1 ? "" : "s") +
                     " from items of a newer edition given: are the editions swapped? (the old "
                     "edition comes first: revisions(old, new))");
}

}  // namespace

std::vector<std::string> revision_map::old_ids() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& r : entries_) out.push_back(r.old_id);
  return out;
}

revision_map revisions(const framework& old_edition, const framework& new_edition,
                       const std::vector<const framework*>& intermediate,
                       std::vector<std::string>* notes) {
  resolver rv;
  rv.eds.push_back(&old_edition);
  for (const framework* f : intermediate) {
    if (f == nullptr) throw std::invalid_argument("revisions: an intermediate edition is null");
    rv.eds.push_back(f);
  }
  rv.eds.push_back(&new_edition);

  rv.idx.reserve(rv.eds.size());
  for (const framework* f : rv.eds) rv.idx.push_back(index_edition(*f, rv.uri_to_key));

  // The replacedBy links of every package, as identifier keys (a link repeated in one package
  // counts once).
  rv.out.resize(rv.eds.size());
  for (std::size_t e = 0; e < rv.eds.size(); ++e) {
    for (const auto& a : rv.eds[e]->associations()) {
      if (a.type != replaced_by) continue;
      std::string o = key_of(a.origin, rv.idx[e], rv.uri_to_key);
      std::string d = key_of(a.destination, rv.idx[e], rv.uri_to_key);
      // An end whose URI names no item given (another host, another path): its node's
      // identifier, when that names one.
      if (rv.first_in(o) == SIZE_MAX)
        if (auto i = node_identifier(a, "originNodeURI"); !i.empty() && rv.first_in(i) != SIZE_MAX)
          o = std::move(i);
      if (rv.first_in(d) == SIZE_MAX)
        if (auto i = node_identifier(a, "destinationNodeURI");
            !i.empty() && rv.first_in(i) != SIZE_MAX)
          d = std::move(i);
      auto& ls = rv.out[e][o];
      if (std::any_of(ls.begin(), ls.end(),
                      [&](std::size_t r) { return rv.recs[r].destination == d; }))
        continue;
      ls.push_back(rv.recs.size());
      rv.recs.push_back(link_rec{e, std::move(o), std::move(d)});
    }
  }

  std::vector<problem> cycles;
  std::vector<std::vector<std::string>> cycle_keys;
  // The links of one package (each package whose links a step reads first, once) must not
  // form cycles.
  for (std::size_t e = 1; e < rv.eds.size(); ++e) {
    if (std::find(rv.eds.begin() + 1, rv.eds.begin() + static_cast<std::ptrdiff_t>(e), rv.eds[e]) !=
        rv.eds.begin() + static_cast<std::ptrdiff_t>(e))
      continue;
    std::vector<std::string_view> nodes;
    std::unordered_map<std::string_view, std::size_t> node_of;
    std::vector<std::vector<std::size_t>> out;
    auto node = [&](const std::string& key) {
      auto [it, fresh] = node_of.emplace(std::string_view(key), nodes.size());
      if (fresh) {
        nodes.push_back(key);
        out.emplace_back();
      }
      return it->second;
    };
    for (const auto& r : rv.recs) {
      if (r.package != e) continue;
      const std::size_t o = node(r.origin), d = node(r.destination);
      out[o].push_back(d);
    }
    for (const auto& path : find_cycles(nodes.size(), out)) {
      std::vector<std::string> keys, ids;
      for (std::size_t v : path) {
        keys.emplace_back(nodes[v]);
        ids.push_back(rv.label(std::string(nodes[v]), e - 1));
      }
      ids.push_back(ids.front());
      std::sort(keys.begin(), keys.end());
      cycle_keys.push_back(std::move(keys));
      std::string msg = "replacedBy cycle: ";
      for (std::size_t k = 0; k < ids.size(); ++k) msg += (k ? " -> " : "") + ids[k];
      msg += " (links of " + quoted(rv.eds[e]->name()) + ")";
      cycles.push_back(problem{problem_kind::invalid_value, std::move(ids), std::move(msg)});
    }
  }
  std::vector<step_result> steps;
  steps.reserve(rv.eds.size() - 1);
  for (std::size_t s = 0; s + 1 < rv.eds.size(); ++s)
    steps.push_back(walk_step(rv, s, cycles, cycle_keys));
  if (!cycles.empty()) throw cycle_error(std::move(cycles));

  revision_map map;
  for (const framework* f : rv.eds) map.editions_.push_back(f->name());
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
  auto any_step = [](const revision& r, revision_kind k) {
    return std::find(r.steps.begin(), r.steps.end(), k) != r.steps.end();
  };
  for (auto& r : map.entries_) {
    if (r.new_ids.empty()) {
      r.kind = revision_kind::none;
    } else if (any_step(r, revision_kind::split) || r.new_ids.size() > 1) {
      r.kind = revision_kind::split;
    } else if (std::all_of(r.steps.begin(), r.steps.end(),
                           [](revision_kind k) { return k == revision_kind::same; })) {
      r.kind = revision_kind::same;
    } else if (any_step(r, revision_kind::merge) ||
               reached[new_edition.index_of(r.new_ids.front())] > 1) {
      r.kind = revision_kind::merge;
    } else {
      auto changed = std::count_if(r.steps.begin(), r.steps.end(),
                                   [](revision_kind k) { return k != revision_kind::same; });
      r.kind = changed > 1 ? revision_kind::chain : revision_kind::one_to_one;
    }
  }
  for (std::size_t i = 0; i < n_old; ++i) map.index_.emplace(map.entries_[i].old_id, i);
  const std::size_t last = rv.eds.size() - 1;
  for (std::size_t j = 0; j < n_new; ++j)
    if (reached[j] == 0 && rv.stays(rv.idx[last].key[j], last - 1))
      map.new_items_.push_back(new_edition.id_of(static_cast<index_t>(j)));
  if (notes != nullptr) link_notes(rv, *notes);
  return map;
}

}  // namespace masterymap
