// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: whole-file reads and writes for every reader and writer of the library, so that all
// of them fail with the same masterymap::file_error.
#ifndef MASTERYMAP_SRC_FILE_UTIL_HPP
#define MASTERYMAP_SRC_FILE_UTIL_HPP

#include <fstream>
#include <string>

namespace masterymap::detail {

/// Throws file_error for `path` with the current `errno` (EIO when errno is 0, as after a
/// stream failure that set none). `what` names the file's role ("evidence CSV").
[[noreturn]] void throw_file_error(const std::string& path, const char* verb, const char* what);

/// Opens `in` on `path` (binary) or throws file_error("cannot open <what>").
void open_input(std::ifstream& in, const std::string& path, const char* what);
/// Opens `out` on `path` (binary, truncating) or throws file_error("cannot write <what>").
void open_output(std::ofstream& out, const std::string& path, const char* what);

/// The whole file as bytes. \throws file_error when it cannot be opened or read.
std::string read_file(const std::string& path, const char* what);
/// Replaces the file's content. \throws file_error when it cannot be opened or written.
void write_file(const std::string& path, const std::string& text, const char* what);

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_FILE_UTIL_HPP
