// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Umbrella header: every public header of the library.
#ifndef MASTERYMAP_MASTERYMAP_HPP
#define MASTERYMAP_MASTERYMAP_HPP

#include <masterymap/bkt.hpp>
#include <masterymap/bkt_source.hpp>
#include <masterymap/cohort.hpp>
#include <masterymap/column.hpp>
#include <masterymap/config.hpp>
#include <masterymap/encoding.hpp>
#include <masterymap/engine.hpp>
#include <masterymap/error.hpp>
#include <masterymap/evidence.hpp>
#include <masterymap/framework.hpp>
#include <masterymap/frontier_block.hpp>
#include <masterymap/io/case.hpp>
#include <masterymap/io/csv.hpp>
#include <masterymap/io/dot.hpp>
#include <masterymap/io/file.hpp>
#include <masterymap/migrate.hpp>
#include <masterymap/pacing.hpp>
#include <masterymap/policy.hpp>
#include <masterymap/progress.hpp>
#include <masterymap/progression.hpp>
#include <masterymap/roster.hpp>
#include <masterymap/scale.hpp>

#endif  // MASTERYMAP_MASTERYMAP_HPP
