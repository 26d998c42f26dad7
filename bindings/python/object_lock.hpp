// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: readers/writer locks of the bound objects that calls change with the GIL released
// (Roster, EvidenceLog, LearnerState), so that Python threads may share them.
//
// Roster.ingest and Roster.add, EvidenceLog.extend and read_csv change their object in C++
// with the GIL released, so other Python threads run meanwhile. Every bound method of those
// classes therefore holds its object's lock: a change waits until no other call uses the object,
// and a call waits while a change runs. Any number of calls may read at once. Waiting releases
// the GIL. A reader whose thread already reads the object (a method of the package calling
// another) never waits, so nested reads cannot deadlock; otherwise a waiting change goes before
// new readers, so a stream of reads cannot starve an ingest.
//
// The locks live in one table keyed by the object's address, with an entry only while the object
// is in use: the bound types carry no extra state. Where waiting could never end, the call
// raises RuntimeError instead: a change of an object that the same thread is reading (or
// changing), and any wait inside a `probabilities` callback (it runs while the engine's or the
// roster's call holds the lock its worker threads would need).
#ifndef MASTERYMAP_PYTHON_OBJECT_LOCK_HPP
#define MASTERYMAP_PYTHON_OBJECT_LOCK_HPP

#include <initializer_list>

namespace masterymap::python {

/// Holds `object` while it lives: for reading (`Write` false: other readers may hold it too) or
/// for a change (`Write` true: no other reader or writer). Call with or without the GIL.
template <bool Write>
class object_lock {
 public:
  /// \throws std::runtime_error where waiting could never end (see above).
  object_lock(const void* object, const char* type);
  ~object_lock();
  object_lock(const object_lock&) = delete;
  object_lock& operator=(const object_lock&) = delete;

 private:
  const void* object_;
};
using read_lock = object_lock<false>;
using write_lock = object_lock<true>;

/// Several objects held at once (a roster change: the roster and its own log for writing, the
/// batch's log for reading), taken in address order, so that two calls holding one object each
/// never wait for each other's; under one pass over the lock table when all are free (Roster.add
/// takes about a microsecond: two separate locks would cost a tenth of it).
class lock_set {
 public:
  struct use {
    const void* object = nullptr;
    const char* type = "";
    bool write = false;
  };
  /// At most three objects; a null object is left out. \throws std::runtime_error where waiting
  /// could never end (see above), or when the same object is to be read and changed.
  explicit lock_set(std::initializer_list<use> uses);
  ~lock_set();
  lock_set(const lock_set&) = delete;
  lock_set& operator=(const lock_set&) = delete;

 private:
  static constexpr int max_uses = 3;
  use uses_[max_uses];
  int n_ = 0;
};

/// Marks the calling thread as running a Python `probabilities` callback while it lives: a lock
/// that is not free at once then raises instead of waiting.
class in_callback {
 public:
  in_callback() noexcept;
  ~in_callback();
  in_callback(const in_callback&) = delete;
  in_callback& operator=(const in_callback&) = delete;
};

/// Objects that Python may read but changes only through their owner: a Roster's own log
/// (`Roster.log`: an EvidenceLog method changing it would leave the roster's tables stale).
/// Marked when first handed out (returns whether it was not marked yet), unmarked when the owner
/// is collected. Thread-safe.
bool mark_owned(const void* object, const char* how_to_change);
void unmark_owned(const void* object);
/// \throws std::invalid_argument naming `method` and saying how to change `object` instead,
/// when `object` is marked.
void refuse_owned(const void* object, const char* method);

}  // namespace masterymap::python

#endif  // MASTERYMAP_PYTHON_OBJECT_LOCK_HPP
