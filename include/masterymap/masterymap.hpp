// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Umbrella header: every public header of the library.
#ifndef MASTERYMAP_MASTERYMAP_HPP
#define MASTERYMAP_MASTERYMAP_HPP

#include <masterymap/config.hpp>
#include <masterymap/column.hpp>
#include <masterymap/error.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/csv.hpp>
#include <masterymap/bkt.hpp>
#include <masterymap/scale.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/bkt_source.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/roster.hpp>

#endif  // MASTERYMAP_MASTERYMAP_HPP
