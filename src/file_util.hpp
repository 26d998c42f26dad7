// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// Private: whole-file reads and atomic writes for every reader and writer of the library, so
// that all of them fail with the same masterymap::file_error.
#ifndef MASTERYMAP_SRC_FILE_UTIL_HPP
#define MASTERYMAP_SRC_FILE_UTIL_HPP

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace masterymap::detail {

/// Throws file_error for `path` with the current `errno` (EIO when errno is 0, as after a
/// stream failure that set none). `what` names the file's role ("evidence CSV").
[[noreturn]] void throw_file_error(const std::string& path, const char* verb, const char* what);

/// Opens `in` on `path` (binary) or throws file_error("cannot open <what>").
void open_input(std::ifstream& in, const std::string& path, const char* what);

/// The whole file as bytes. \throws file_error when it cannot be opened or read.
std::string read_file(const std::string& path, const char* what);
/// The whole file as bytes, a gzip-compressed file (by its magic number, whatever its name)
/// decompressed; the text readers read their files with it.
/// \throws file_error when it cannot be opened or read; parse_error for a corrupt or truncated
///         gzip stream.
std::string read_data_file(const std::string& path, const char* what);
/// A file's bytes mapped read-only (mmap): a reader of a large file parses them in place (the
/// pages come in as they are first read, by whichever thread reads them). Reading the file instead
/// copies every byte into fresh memory, whose page faults cost as much as the copy (a 140 MB xAPI
/// file: 170 ms read, 25 ms mapped; measured). The mapping is private and read-only; a file changed
/// while mapped is the caller's risk, as with any reader.
class mapped_file {
 public:
  /// Maps `path`. Empty (`!*this`) when it cannot be mapped: not a regular file, empty, or
  /// mmap failed; the caller then reads it with read_data_file, which gives the error.
  explicit mapped_file(const std::string& path) noexcept;
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file();
  explicit operator bool() const noexcept { return data_ != nullptr; }
  /// The file's bytes.
  [[nodiscard]] std::string_view bytes() const noexcept { return {data_, size_}; }
  /// Bytes readable from bytes().data(): the size rounded up to whole pages (the rest of the
  /// last page reads as zeros, POSIX mmap). Parsers that read past a value's end (simdjson's
  /// padding) check against it.
  [[nodiscard]] std::size_t readable() const noexcept { return mapped_; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0, mapped_ = 0;
};

/// Replaces the file's content atomically (see atomic_file).
/// \throws file_error when it cannot be written; `path` is then unchanged.
void write_file(const std::string& path, std::string_view text, const char* what);

/// The checksum of the files the library writes (roster snapshots, saved models): XXH3-64 of
/// xxHash, fed piece by piece. Not zlib's CRC-32: XXH3 checksums a 167 MB snapshot about three
/// times as fast on the same machine (measured), which keeps the load's added cost small.
class checksum {
 public:
  checksum();
  checksum(const checksum&) = delete;
  checksum& operator=(const checksum&) = delete;
  ~checksum();
  void update(const void* data, std::size_t size) noexcept;
  [[nodiscard]] std::uint64_t digest() const noexcept;

 private:
  void* state_;  // an XXH3_state_t, kept out of this header
};

/// The checksum of `size` bytes at once.
[[nodiscard]] std::uint64_t checksum_of(const void* data, std::size_t size) noexcept;

/// A file written atomically. The bytes go to a new temporary file in the target's folder;
/// commit() flushes them to disk (fsync), renames the temporary file over the target and syncs
/// the folder, so a crash at any moment leaves the previous file or the complete new one, never
/// a mix. Without commit() (an exception, a failed write) the temporary file is removed and the
/// target is untouched. A target that is a symbolic link is written through (the link stays);
/// an existing target's permissions are kept.
class atomic_file {
 public:
  /// \throws file_error("cannot write <what>") naming `path` when the temporary file cannot be
  ///         created (e.g. the folder does not exist).
  atomic_file(const std::string& path, const char* what);
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  ~atomic_file();
  /// Appends bytes (buffered). \throws file_error naming the target.
  void write(const void* data, std::size_t size);
  /// Makes the file the target's content. \throws file_error naming the target.
  void commit();

 private:
  void drain();
  void write_all(const char* p, std::size_t n);
  [[noreturn]] void fail();
  std::string path_;    // what errors name: the caller's path
  std::string target_;  // the file replaced (a symbolic link's target)
  std::string temp_;
  const char* what_;
  int fd_ = -1;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

}  // namespace masterymap::detail

#endif  // MASTERYMAP_SRC_FILE_UTIL_HPP
