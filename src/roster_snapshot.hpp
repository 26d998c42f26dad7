// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: the roster snapshot's format constants, shared by its writer (roster_snapshot.cpp)
// and its reader (roster_restore.cpp).
#ifndef MASTERYMAP_SRC_ROSTER_SNAPSHOT_HPP
#define MASTERYMAP_SRC_ROSTER_SNAPSHOT_HPP

#include <cstdint>

namespace masterymap::detail::snapshot {

// Version 2 adds the checksum (XXH3-64) of everything before it after the end marker; version 1
// (no checksum) is still read.
// Version 3: the policy has infer_prerequisites and the tables hold inferred statuses; a roster
// of version 1 or 2 is re-evaluated on load (its tables were computed without inference).
// Version 4: the same layout; a placement's score is the level it places at (it was the
// competency's level), so the learners with placement rows of a version-3 roster are
// re-evaluated on load.
// Version 5: version 4 and, before the end marker, the log's retractions (two string lists:
// the sources retracted, and by what); written only by a roster with retractions (one without
// writes version 4, as before, so older readers still load it).
// Version 6: the tables as the roster holds them, so a restore streams them into place instead
// of rebuilding them cell by cell: per learner its count of stored cells (uint32), every
// learner's inferred bits (ceil(C / 64) uint64 words each), then the stored cells of every
// learner in learner order, 16 bytes each exactly as in memory (roster_cell: score, competency,
// status, rating, attainment, reserved); then the retractions (always: two string lists, maybe
// empty). Versions 4 and 5 stored each non-default cell as an 18-byte (l * C + c, status,
// score, rating), an inferred-only competency included (most of a CCSS roster's cells).
// Version 7: version 6 followed by the log's timestamp texts (the original text of each
// statement's timestamp: write_timestamps); written only by a roster whose log has any (one
// without writes version 6, so a version-6 reader still loads it). The cell-list format (4, 5)
// cannot hold them: saving one with timestamp texts there is refused.
inline constexpr std::uint32_t snapshot_version = 7;
inline constexpr std::uint32_t with_timestamps = 7;
inline constexpr std::uint32_t tables_version = 6;     // the tables as in memory (6 and 7)
inline constexpr std::uint32_t cell_list_version = 5;  // the newest of the cell-list format
inline constexpr std::uint32_t with_retractions = 5;
inline constexpr std::uint32_t without_retractions = 4;
inline constexpr std::uint32_t oldest_version = 1;
inline constexpr char snapshot_magic[8] = {'M', 'M', 'R', 'O', 'S', 'T', 'E', 'R'};
inline constexpr char snapshot_end[8] = {'M', 'M', 'R', 'S', 'T', 'E', 'N', 'D'};
inline constexpr const char* snapshot_what = "roster snapshot";
inline constexpr const char* checksum_failure = "corrupt: checksum mismatch";

// Large arrays are written and read in slices, each checksummed while it is still in the cache
// and passed to the meter (progress, Ctrl-C).
inline constexpr std::uint64_t slice = std::uint64_t{1} << 18;

}  // namespace masterymap::detail::snapshot

#endif  // MASTERYMAP_SRC_ROSTER_SNAPSHOT_HPP
