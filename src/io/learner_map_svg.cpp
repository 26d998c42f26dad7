// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Graphviz layout and SVG rendering through libgvc (linked privately; MASTERYMAP_HAVE_GVC).
#include <fmt/format.h>

#include <cstring>
#include <map>
#include <masterymap/io/learner_map.hpp>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef MASTERYMAP_HAVE_GVC
#include <dlfcn.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#endif

// Graphviz leaks a little on every layout (its own allocations, never ours): under
// LeakSanitizer its allocations are not tracked, so a sanitizer build reports our leaks only.
#if defined(__SANITIZE_ADDRESS__)
#define MASTERYMAP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MASTERYMAP_LSAN 1
#endif
#endif
#if defined(MASTERYMAP_LSAN) && defined(MASTERYMAP_HAVE_GVC)
#include <sanitizer/lsan_interface.h>
#endif

namespace masterymap::io {

#ifdef MASTERYMAP_HAVE_GVC
namespace {

std::mutex& graphviz_mutex() {
  static std::mutex m;
  return m;
}

// Graphviz's messages of the current call (under graphviz_mutex), instead of stderr.
std::string& graphviz_messages() {
  static std::string m;
  return m;
}

int collect_message(char* text) {
  if (text) graphviz_messages() += text;
  return 0;
}

/// Ignores the allocations of the current thread while alive (sanitizer builds only).
struct untracked {
#if defined(MASTERYMAP_LSAN)
  untracked() { __lsan_disable(); }
  ~untracked() { __lsan_enable(); }
  untracked(const untracked&) = delete;
  untracked& operator=(const untracked&) = delete;
#endif
};

/// Adds a Graphviz plugin library from its shared object; false when it cannot be loaded.
bool add_plugin(GVC_t* gvc, const char* file, const char* symbol) {
#ifdef MASTERYMAP_GVC_PLUGIN_DIR
  const std::string path = std::string(MASTERYMAP_GVC_PLUGIN_DIR) + "/" + file;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return false;
  auto* library = static_cast<gvplugin_library_t*>(dlsym(handle, symbol));
  if (!library) return false;
  gvAddLibrary(gvc, library);
  return true;
#else
  (void)gvc;
  (void)file;
  (void)symbol;
  return false;
#endif
}

/// The one Graphviz context, kept for the life of the process. It loads only the core
/// renderers (SVG) and the layouts, not the Pango/Cairo text layout: text widths are then
/// Graphviz's own estimates from built-in font metrics, so the SVG does not depend on the fonts
/// a machine has (and no font library runs threads of its own). When those plugins cannot be
/// loaded, Graphviz's configured plugins.
GVC_t* context() {
  static GVC_t* gvc = [] {
    agseterrf(&collect_message);
    agseterr(AGWARN);
    static lt_symlist_t no_builtins[] = {{nullptr, nullptr}};
    GVC_t* g = gvContextPlugins(no_builtins, 0);
    if (g && add_plugin(g, "libgvplugin_core.so.6", "gvplugin_core_LTX_library") &&
        add_plugin(g, "libgvplugin_dot_layout.so.6", "gvplugin_dot_layout_LTX_library")) {
      (void)add_plugin(g, "libgvplugin_neato_layout.so.6", "gvplugin_neato_layout_LTX_library");
      return g;
    }
    if (g) gvFreeContext(g);
    return gvContext();
  }();
  return gvc;
}

// Object ids in order of creation. Graphviz's default id discipline makes a named object's id
// the address of its interned name, and orders subgraphs by id, so the clusters' order (and
// with it the SVG's bytes, even the layout) would follow the heap. Here a name gets the next
// even id the first time it is seen, and anonymous objects the next odd one.
struct id_state {
  std::map<std::string, IDTYPE, std::less<>> ids;
  std::vector<std::unique_ptr<char[]>> names;  // names[k]: the name of id 2 * (k + 1)
  IDTYPE anonymous = 1;
};

void* id_open(Agraph_t*, Agdisc_t*) { return new id_state(); }

long id_map(void* state, int, char* str, IDTYPE* id, int create) {
  auto* st = static_cast<id_state*>(state);
  if (!str) {
    *id = st->anonymous;
    st->anonymous += 2;
    return 1;
  }
  const auto it = st->ids.find(std::string_view(str));
  if (it != st->ids.end()) {
    *id = it->second;
    return 1;
  }
  if (!create) return 0;
  const std::size_t n = std::strlen(str);
  auto copy = std::make_unique<char[]>(n + 1);
  std::memcpy(copy.get(), str, n + 1);
  st->names.push_back(std::move(copy));
  *id = static_cast<IDTYPE>(2 * st->names.size());
  st->ids.emplace(std::string(str, n), *id);
  return 1;
}

long id_alloc(void*, int, IDTYPE) { return 0; }
void id_free(void*, int, IDTYPE) {}

char* id_print(void* state, int, IDTYPE id) {
  auto* st = static_cast<id_state*>(state);
  if (id == 0 || id % 2 != 0 || id / 2 > st->names.size()) return nullptr;
  return st->names[static_cast<std::size_t>(id / 2 - 1)].get();
}

void id_close(void* state) { delete static_cast<id_state*>(state); }
void id_register(void*, int, void*) {}

Agiddisc_t ordered_ids = {&id_open,  &id_map,   &id_alloc,   &id_free,
                          &id_print, &id_close, &id_register};

// Reading DOT text from memory, a line a call (as Graphviz's agmemread).
struct text_reader {
  const std::string* text;
  std::size_t at = 0;
};

int read_text(void* chan, char* buf, int size) {
  auto* r = static_cast<text_reader*>(chan);
  if (size <= 1 || r->at >= r->text->size()) return 0;
  const std::size_t room = static_cast<std::size_t>(size - 1);
  std::size_t end = r->text->find('\n', r->at);
  end = end == std::string::npos ? r->text->size() : end + 1;
  const std::size_t n = std::min(end - r->at, room);
  std::memcpy(buf, r->text->data() + r->at, n);
  buf[n] = '\0';
  r->at += n;
  return static_cast<int>(n);
}
int write_text(void*, const char*) { return 0; }
int flush_text(void*) { return 0; }

Agiodisc_t text_io = {&read_text, &write_text, &flush_text};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool have_graphviz() noexcept { return true; }

std::string render_svg(std::string_view dot, std::string_view layout) {
  const std::lock_guard<std::mutex> lock(graphviz_mutex());
  [[maybe_unused]] const untracked quiet;
  GVC_t* gvc = context();
  if (!gvc) throw std::runtime_error("render_svg: Graphviz could not create a context");
  graphviz_messages().clear();
  const std::string text(dot);
  text_reader reader{&text};
  Agdisc_t disc{&AgMemDisc, &ordered_ids, &text_io};
  Agraph_t* g = agread(&reader, &disc);
  if (!g) {
    const std::string msg = trimmed(graphviz_messages());
    agreseterrors();
    throw std::invalid_argument(fmt::format("render_svg: Graphviz cannot read the DOT text: {}",
                                            msg.empty() ? std::string("syntax error") : msg));
  }
  const std::string engine(layout);
  if (gvLayout(gvc, g, engine.c_str()) != 0) {
    agclose(g);
    const std::string msg = trimmed(graphviz_messages());
    throw std::invalid_argument(fmt::format("render_svg: Graphviz layout '{}' failed{}{}", layout,
                                            msg.empty() ? "" : ": ", msg));
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int rc = gvRenderData(gvc, g, "svg", &data, &length);
  std::string out;
  if (rc == 0 && data) out.assign(data, length);
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc, g);
  agclose(g);
  if (rc != 0) throw std::runtime_error("render_svg: Graphviz could not render SVG");
  return out;
}

#else

bool have_graphviz() noexcept { return false; }

std::string render_svg(std::string_view, std::string_view) {
  throw std::runtime_error(
      "render_svg: masterymap was built without Graphviz (install libgraphviz-dev and "
      "reconfigure); to_dot gives the DOT text for `dot -Tsvg`");
}

#endif

}  // namespace masterymap::io
