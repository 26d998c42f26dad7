// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#ifndef MASTERYMAP_IO_FILE_HPP
#define MASTERYMAP_IO_FILE_HPP

#include <masterymap/config.hpp>
#include <string>

namespace masterymap::io {

/// Reads a whole file. \throws masterymap::file_error if it cannot be read, its message naming
/// the file as `what` ("cannot open policy file 'p.json': No such file or directory").
[[nodiscard]] MASTERYMAP_API std::string read_text_file(const std::string& path,
                                                        const char* what = "file");
/// Replaces a file's content with `text` atomically: written to a temporary file in the same
/// folder, flushed to disk, then renamed over `path`, so a crash leaves the old file or the
/// new one, never a mix. \throws masterymap::file_error if it cannot be written.
MASTERYMAP_API void write_text_file(const std::string& path, const std::string& text);

}  // namespace masterymap::io

#endif  // MASTERYMAP_IO_FILE_HPP
