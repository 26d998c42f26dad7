// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include "object_lock.hpp"

#include <pybind11/pybind11.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace masterymap::python {
namespace {

// Roster.add takes two of these locks per event (about a microsecond in all), so the common
// case, nobody else using the objects, is kept to a few dozen instructions: a spin lock on the
// table, a short search, and per-thread bookkeeping in fixed arrays (no allocation, and a
// thread_local without a constructor costs no initialisation check).

// The table's own lock: held for a few dozen instructions at a time, so a spin lock (one atomic
// exchange when free) rather than a mutex.
class spin_lock {
 public:
  void lock() noexcept {
    while (held_.exchange(true, std::memory_order_acquire))
      while (held_.load(std::memory_order_relaxed)) std::this_thread::yield();
  }
  bool try_lock() noexcept { return !held_.exchange(true, std::memory_order_acquire); }
  void unlock() noexcept { held_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> held_{false};
};
using table_guard = std::unique_lock<spin_lock>;

// The state of one object in use.
struct entry {
  const void* object;
  int readers = 0;
  int waiting_writers = 0;
  bool writing = false;
  [[nodiscard]] bool idle() const { return readers == 0 && waiting_writers == 0 && !writing; }
};

// Every object in use (a handful at a time: a vector is searched faster than a map is probed).
struct lock_table {
  spin_lock m;
  std::condition_variable_any changed;
  int sleepers = 0;  // threads waiting on `changed`: nobody to wake when 0 (the common case)
  std::vector<entry> entries;

  entry* find(const void* o) {
    for (auto& e : entries)
      if (e.object == o) return &e;
    return nullptr;
  }
  entry& get(const void* o) {
    if (entry* e = find(o)) return *e;
    return entries.emplace_back(entry{o});
  }
  // Removes `e` when nothing holds or awaits it any more.
  void drop_if_idle(entry* e) {
    if (e == nullptr || !e->idle()) return;
    *e = entries.back();
    entries.pop_back();
  }
  // Lets go of `lk` and wakes the waiting threads, if any.
  void release(table_guard& lk) {
    const bool wake = sleepers > 0;
    lk.unlock();
    if (wake) changed.notify_all();
  }
};

// Never destroyed: objects may be released during exit. Made when the module loads, so that
// no call pays for a check of a function-local static.
lock_table& the_table = *new lock_table;
lock_table& table() { return the_table; }

// What the calling thread holds: the objects it reads (with nesting depth) and changes. A
// method of the package holds one or two objects, and nested calls add one each: eight of each
// kind is far more than any chain of calls needs.
constexpr int max_held = 8;
struct held_read {
  const void* object;
  int depth;
};
struct thread_holds {
  held_read reading[max_held];
  const void* writing[max_held];
  int n_reading;
  int n_writing;
  int callback_depth;
};
thread_local thread_holds holds;  // zero-initialised, no constructor

held_read* read_by(thread_holds& me, const void* o) {
  for (int i = 0; i < me.n_reading; ++i)
    if (me.reading[i].object == o) return &me.reading[i];
  return nullptr;
}
bool written_by(const thread_holds& me, const void* o) {
  for (int i = 0; i < me.n_writing; ++i)
    if (me.writing[i] == o) return true;
  return false;
}
void forget_read(thread_holds& me, const void* o) {
  held_read* h = read_by(me, o);
  if (h && --h->depth == 0) *h = me.reading[--me.n_reading];
}
void forget_write(thread_holds& me, const void* o) {
  for (int i = 0; i < me.n_writing; ++i)
    if (me.writing[i] == o) {
      me.writing[i] = me.writing[--me.n_writing];
      return;
    }
}

[[noreturn]] void refuse(const char* type, const char* why) {
  throw std::runtime_error(std::string(type) + " " + why);
}

// A probabilities callback runs on the workers of a call that may hold the very lock it would
// wait for: it must not wait.
[[noreturn]] void refuse_in_callback(const char* type) {
  refuse(type,
         "is in use by another call while this probabilities callback runs: a callback cannot "
         "wait for it (the call that runs the callback may be the one holding it)");
}

// The checks before a thread takes `object` (they raise where waiting could never end).
void check_read(const thread_holds& me, const void* object, const char* type) {
  if (written_by(me, object))
    refuse(type, "is being changed by this thread and cannot be read until the change returns");
  if (me.n_reading == max_held) refuse(type, "is read by too many nested calls");
}
void check_write(thread_holds& me, const void* object, const char* type) {
  if (read_by(me, object)) refuse(type, "cannot be changed by a thread that is reading it");
  if (written_by(me, object)) refuse(type, "is already being changed by this thread");
  if (me.n_writing == max_held) refuse(type, "is changed by too many nested calls");
}

// Waits under `lk` until `ready()`, with the GIL released if this thread holds it, then calls
// `claim()` (still under the table's lock, so nothing comes in between) and takes the GIL back
// after letting go of the table: no thread ever waits for the GIL while holding the table.
template <typename Ready, typename Claim>
void wait_then_claim(const thread_holds& me, table_guard& lk, const char* type, Ready ready,
                     Claim claim) {
  lock_table& t = table();
  if (ready()) {
    claim();
    return;
  }
  if (me.callback_depth > 0) refuse_in_callback(type);
  const bool gil = PyGILState_Check() != 0;
  PyThreadState* saved = nullptr;
  if (gil) {
    lk.unlock();
    saved = PyEval_SaveThread();
    lk.lock();
  }
  ++t.sleepers;
  t.changed.wait(lk, ready);
  --t.sleepers;
  claim();
  if (gil) {
    lk.unlock();
    PyEval_RestoreThread(saved);
    lk.lock();
  }
}

// Takes `object` for reading under `lk` (waiting if need be). The caller has checked it.
void take_read(thread_holds& me, table_guard& lk, const void* object, const char* type) {
  lock_table& t = table();
  if (held_read* h = read_by(me, object)) {  // nested: never waits
    ++t.get(object).readers;
    ++h->depth;
    return;
  }
  // A change waiting goes first: a stream of reads cannot starve it.
  wait_then_claim(
      me, lk, type,
      [&] {
        const entry* e = t.find(object);
        return e == nullptr || (!e->writing && e->waiting_writers == 0);
      },
      [&] { ++t.get(object).readers; });
  me.reading[me.n_reading++] = {object, 1};
}

// Takes `object` for a change under `lk` (waiting if need be). The caller has checked it.
void take_write(thread_holds& me, table_guard& lk, const void* object, const char* type) {
  lock_table& t = table();
  entry* e = t.find(object);
  if (e == nullptr) {
    t.entries.push_back(entry{object, 0, 0, true});
  } else {
    const auto ready = [&] {
      const entry* x = t.find(object);
      return x == nullptr || (!x->writing && x->readers == 0);
    };
    if (ready()) {
      e->writing = true;
    } else {
      if (me.callback_depth > 0) refuse_in_callback(type);
      ++e->waiting_writers;  // seen by new readers, which then wait
      wait_then_claim(me, lk, type, ready, [&] {
        entry& x = t.get(object);
        --x.waiting_writers;
        x.writing = true;
      });
    }
  }
  me.writing[me.n_writing++] = object;
}

void give_read(thread_holds& me, const void* object) {
  entry* e = table().find(object);
  if (e) --e->readers;
  table().drop_if_idle(e);
  forget_read(me, object);
}
void give_write(thread_holds& me, const void* object) {
  entry* e = table().find(object);
  if (e) e->writing = false;
  table().drop_if_idle(e);
  forget_write(me, object);
}

}  // namespace

template <bool Write>
object_lock<Write>::object_lock(const void* object, const char* type) : object_(object) {
  thread_holds& me = holds;
  if constexpr (Write)
    check_write(me, object, type);
  else
    check_read(me, object, type);
  table_guard lk(table().m);
  if constexpr (Write)
    take_write(me, lk, object, type);
  else
    take_read(me, lk, object, type);
}

template <bool Write>
object_lock<Write>::~object_lock() {
  table_guard lk(table().m);
  if constexpr (Write)
    give_write(holds, object_);
  else
    give_read(holds, object_);
  table().release(lk);
}

template class object_lock<false>;
template class object_lock<true>;

lock_set::lock_set(std::initializer_list<use> uses) {
  for (const use& u : uses) {
    if (u.object == nullptr) continue;  // an optional object that is absent
    if (n_ == max_uses) throw std::logic_error("lock_set: too many objects");
    // Insertion in address order: two sets never hold one object each and wait for the other's.
    int k = n_++;
    for (; k > 0 && std::less<>()(u.object, uses_[k - 1].object); --k) uses_[k] = uses_[k - 1];
    uses_[k] = u;
  }
  thread_holds& me = holds;
  for (int k = 0; k < n_; ++k) {
    if (uses_[k].write)
      check_write(me, uses_[k].object, uses_[k].type);
    else
      check_read(me, uses_[k].object, uses_[k].type);
    if (k > 0 && uses_[k - 1].object == uses_[k].object)
      refuse(uses_[k].type, "cannot be read and changed by the same call");
  }
  table_guard lk(table().m);
  int k = 0;
  try {
    for (; k < n_; ++k) {
      if (uses_[k].write)
        take_write(me, lk, uses_[k].object, uses_[k].type);
      else
        take_read(me, lk, uses_[k].object, uses_[k].type);
    }
  } catch (...) {
    while (k-- > 0)
      uses_[k].write ? give_write(me, uses_[k].object) : give_read(me, uses_[k].object);
    table().release(lk);
    throw;
  }
}

lock_set::~lock_set() {
  thread_holds& me = holds;
  table_guard lk(table().m);
  for (int k = n_; k-- > 0;)
    uses_[k].write ? give_write(me, uses_[k].object) : give_read(me, uses_[k].object);
  table().release(lk);
}

in_callback::in_callback() noexcept { ++holds.callback_depth; }
in_callback::~in_callback() { --holds.callback_depth; }

namespace {
std::mutex owned_mutex;
std::unordered_map<const void*, const char*>& owned() {
  static std::unordered_map<const void*, const char*> m;
  return m;
}
}  // namespace

bool mark_owned(const void* object, const char* how_to_change) {
  const std::lock_guard<std::mutex> g(owned_mutex);
  return owned().emplace(object, how_to_change).second;
}

void unmark_owned(const void* object) {
  const std::lock_guard<std::mutex> g(owned_mutex);
  owned().erase(object);
}

void refuse_owned(const void* object, const char* method) {
  const char* how = nullptr;
  {
    const std::lock_guard<std::mutex> g(owned_mutex);
    const auto it = owned().find(object);
    if (it == owned().end()) return;
    how = it->second;
  }
  throw std::invalid_argument(std::string(method) + ": " + how);
}

}  // namespace masterymap::python
