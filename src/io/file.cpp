// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/io/file.hpp>

#include "../file_util.hpp"

namespace masterymap::io {

std::string read_text_file(const std::string& path, const char* what) {
  return detail::read_file(path, what);
}

void write_text_file(const std::string& path, const std::string& text) {
  detail::write_file(path, text, "file");
}

}  // namespace masterymap::io
