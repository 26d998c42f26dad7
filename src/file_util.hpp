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
/// A regular file read at offsets (pread), by several threads at once: a reader of a large file
/// reads each part into its own buffer, in parallel, never holding the whole file.
class positioned_file {
 public:
  /// Opens `path`. Empty (`!*this`) when it cannot be opened or is not a regular file; the
  /// caller then reads it with read_data_file, which gives the error.
  explicit positioned_file(const std::string& path) noexcept;
  positioned_file(const positioned_file&) = delete;
  positioned_file& operator=(const positioned_file&) = delete;
  ~positioned_file();
  explicit operator bool() const noexcept { return fd_ >= 0; }
  /// The size in bytes when it was opened.
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  /// Reads up to `n` bytes at `offset` into `out`: the number read, fewer only at the end of
  /// the file. \throws file_error("cannot read <path>") on a read error.
  std::size_t read_at(std::uint64_t offset, char* out, std::size_t n) const;
  /// Whether the file's size or modification time differ from when it was opened (it was
  /// written or truncated meanwhile).
  [[nodiscard]] bool changed() const noexcept;

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::int64_t mtime_ns_ = 0;
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
