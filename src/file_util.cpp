// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include "file_util.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

// xxHash compiled in from its header (XXH_INLINE_ALL): no library to link, for us or for
// the users of an installed static libmasterymap.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <masterymap/error.hpp>
#include <new>
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

namespace {

// Inflates gzip members one after another (gzip -c a b > ab is one valid file, as gunzip and
// Python's gzip read it).
std::string gunzip(const std::string& packed, const std::string& path, const char* what) {
  auto fail = [&](const std::string& why) {
    throw parse_error(fmt::format("{} '{}': corrupt gzip data ({})", what, path, why), 0, 0);
  };
  std::string out;
  // The last member's ISIZE (the size mod 2^32) sizes the output once for the usual one-member
  // file below 4 GiB.
  if (packed.size() >= 18) {
    std::uint32_t isize = 0;
    for (int k = 3; k >= 0; --k)
      isize = (isize << 8) | static_cast<unsigned char>(packed[packed.size() - 4 + k]);
    // Capped: a damaged trailer must not reserve gigabytes (deflate expands at most ~1032x).
    out.reserve(std::min<std::size_t>(isize, packed.size() * 1032));
  }
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) fail("zlib cannot start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  std::size_t in_left = packed.size();
  constexpr std::size_t step = std::size_t{1} << 30;  // avail_in is 32-bit
  int rc = Z_OK;
  for (;;) {
    if (z.avail_in == 0 && in_left > 0) {
      z.avail_in = static_cast<uInt>(std::min(in_left, step));
      in_left -= z.avail_in;
    }
    if (out.size() == out.capacity()) out.reserve(std::max<std::size_t>(out.size() * 2, 1 << 16));
    const std::size_t before = out.size();
    // At most 1 MiB more at a time: resize() zero-fills what it adds.
    const std::size_t room = std::min<std::size_t>(out.capacity() - before, std::size_t{1} << 20);
    out.resize(before + room);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(room);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(before + (room - z.avail_out));
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0 && in_left == 0) break;
      // Another member follows (or padding zeros, which gzip accepts at the end).
      bool zeros = in_left == 0;
      for (uInt k = 0; zeros && k < z.avail_in; ++k) zeros = z.next_in[k] == 0;
      if (zeros) break;
      inflateReset(&z);
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_left == 0) {
      inflateEnd(&z);
      fail("truncated");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string msg = z.msg != nullptr ? z.msg : "inflate failed";
      inflateEnd(&z);
      fail(msg);
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace

std::string read_data_file(const std::string& path, const char* what) {
  std::string bytes = read_file(path, what);
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b)
    return gunzip(bytes, path, what);
  return bytes;
}

namespace {
std::int64_t mtime_ns(const struct stat& st) noexcept {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}
}  // namespace

positioned_file::positioned_file(const std::string& path) noexcept : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return;
  }
  fd_ = fd;
  size_ = static_cast<std::uint64_t>(st.st_size);
  mtime_ns_ = mtime_ns(st);
}

positioned_file::~positioned_file() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t positioned_file::read_at(std::uint64_t offset, char* out, std::size_t n) const {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_file_error(path_, "cannot read", "file");
    }
    if (got == 0) break;  // the end of the file
    done += static_cast<std::size_t>(got);
  }
  return done;
}

bool positioned_file::changed() const noexcept {
  struct stat st {};
  return ::fstat(fd_, &st) != 0 || static_cast<std::uint64_t>(st.st_size) != size_ ||
         mtime_ns(st) != mtime_ns_;
}

checksum::checksum() : state_(XXH3_createState()) {
  if (state_ == nullptr) throw std::bad_alloc();
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}

checksum::~checksum() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void checksum::update(const void* data, std::size_t size) noexcept {
  (void)XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, size);
}

std::uint64_t checksum::digest() const noexcept {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state_));
}

std::uint64_t checksum_of(const void* data, std::size_t size) noexcept {
  return XXH3_64bits(data, size);
}

void write_file(const std::string& path, std::string_view text, const char* what) {
  atomic_file out(path, what);
  out.write(text.data(), text.size());
  out.commit();
}

// --- atomic_file -----------------------------------------------------------------------------

namespace {
std::atomic<unsigned> temp_counter{0};
constexpr std::size_t buffer_size = std::size_t{1} << 20;
}  // namespace

atomic_file::atomic_file(const std::string& path, const char* what)
    : path_(path), target_(path), what_(what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Through a symbolic link to its file: renaming over the link would replace the link.
  if (fs::is_symlink(path, ec)) {
    const fs::path resolved = fs::weakly_canonical(path, ec);
    if (!ec) target_ = resolved.string();
  }
  const fs::path target(target_);
  const std::string name = target.filename().string();
  const fs::path folder = target.parent_path();
  struct stat old {};
  const bool exists = ::stat(target_.c_str(), &old) == 0;
  if (exists && S_ISDIR(old.st_mode)) {
    errno = EISDIR;
    fail();
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    // Hidden, next to the target (rename is atomic only within one file system), and unique
    // per process and call, so concurrent saves to one path never share a temporary file.
    temp_ = (folder / fmt::format(".{}.tmp-{}-{}", name, ::getpid(), temp_counter++)).string();
    errno = 0;
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0 || errno != EEXIST) break;
  }
  if (fd_ < 0) fail();
  if (exists) (void)::fchmod(fd_, old.st_mode & 07777);
  buffer_.resize(buffer_size);
}

atomic_file::~atomic_file() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
}

void atomic_file::fail() {
  const int err = errno != 0 ? errno : EIO;
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
    fd_ = -1;
  }
  throw file_error(path_, std::error_code(err, std::generic_category()),
                   fmt::format("cannot write {}", what_));
}

void atomic_file::write_all(const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, std::min<std::size_t>(n, std::size_t{1} << 30));
    if (w < 0) {
      if (errno == EINTR) continue;
      fail();
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void atomic_file::drain() {
  write_all(buffer_.data(), used_);
  used_ = 0;
}

void atomic_file::write(const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  if (used_ + size <= buffer_.size()) {
    std::memcpy(buffer_.data() + used_, p, size);
    used_ += size;
    return;
  }
  drain();
  if (size >= buffer_.size()) {
    write_all(p, size);  // large arrays go straight to the file
  } else {
    std::memcpy(buffer_.data(), p, size);
    used_ = size;
  }
}

void atomic_file::commit() {
  drain();
  errno = 0;
  if (::fsync(fd_) != 0) fail();
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temp_.c_str());
    const int err = errno != 0 ? errno : EIO;
    throw file_error(path_, std::error_code(err, std::generic_category()),
                     fmt::format("cannot write {}", what_));
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    throw file_error(path_, std::error_code(err, std::generic_category()),
                     fmt::format("cannot write {}", what_));
  }
  // The rename itself reaches the disk only with the folder's entry: sync the folder too (a
  // file system that cannot sync folders says so with EINVAL; the file is written all the same).
  const std::string folder = std::filesystem::path(target_).parent_path().string();
  const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
}

}  // namespace masterymap::detail
