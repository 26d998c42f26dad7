// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include "file_util.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <masterymap/error.hpp>
#include <sstream>
#include <system_error>

namespace masterymap::detail {

void throw_file_error(const std::string& path, const char* verb, const char* what) {
  const int err = errno != 0 ? errno : EIO;
  throw file_error(path, std::error_code(err, std::generic_category()),
                   fmt::format("{} {}", verb, what));
}

void open_input(std::ifstream& in, const std::string& path, const char* what) {
  // A directory opens as a stream on Linux and reads as empty: name it for what it is.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    errno = EISDIR;
    throw_file_error(path, "cannot open", what);
  }
  errno = 0;
  in.open(path, std::ios::binary);
  if (!in) throw_file_error(path, "cannot open", what);
}

void open_output(std::ofstream& out, const std::string& path, const char* what) {
  errno = 0;
  out.open(path, std::ios::binary | std::ios::trunc);
  if (!out) throw_file_error(path, "cannot write", what);
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in;
  open_input(in, path, what);
  // Sized once from the file's length, read in place: a data file of hundreds of MB is held
  // once, not twice (a stream buffer and its copy). Streams without a length (a pipe) fall
  // back to reading to the end.
  std::string text;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size >= 0) {
    in.seekg(0, std::ios::beg);
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
    if (in.gcount() != size) throw_file_error(path, "cannot read", what);
  } else {
    in.clear();
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  if (in.bad()) throw_file_error(path, "cannot read", what);
  return text;
}

void write_file(const std::string& path, const std::string& text, const char* what) {
  std::ofstream out;
  open_output(out, path, what);
  errno = 0;
  out << text;
  out.flush();
  if (!out) throw_file_error(path, "cannot write", what);
}

}  // namespace masterymap::detail
