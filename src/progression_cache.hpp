// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the slot in which an engine (and the states it evaluates) keeps its lazily compiled
// progression. The engine only creates the slot; progression.cpp fills it.
#ifndef MASTERYMAP_SRC_PROGRESSION_CACHE_HPP
#define MASTERYMAP_SRC_PROGRESSION_CACHE_HPP

#include <memory>
#include <mutex>

namespace masterymap {
class progression;

namespace detail {

struct progression_cache {
  std::once_flag once;
  std::shared_ptr<const progression> value;  // set once, under `once`
};

}  // namespace detail
}  // namespace masterymap

#endif  // MASTERYMAP_SRC_PROGRESSION_CACHE_HPP
