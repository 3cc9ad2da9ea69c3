// libFuzzer target: the director config pipeline through the real on-disk reader. The input is
// written to a main file in a directory that also holds hostile neighbours (a FIFO nobody
// writes, a 10 GB sparse file, a symbolic link to /dev/zero, a directory, a plain include) and
// loaded with load_config_file(), as `director run` and `check-config` load it. Whatever the
// input includes (the seeds name each neighbour, /dev/zero, /proc and whole-disk globs), the load
// must finish, never block, keep memory bounded (-rss_limit_mb) and give every diagnostic a place.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "director/config/load.hpp"

namespace {

// Fixed, so that the seeds can name the neighbours ("include fifo.conf" is relative to main).
const char* const kDir = "/tmp/lvsctl-fuzz-config-file";
std::string main_path;

void make_neighbours() {
  ::mkdir(kDir, 0700);
  const std::string dir(kDir);
  ::mkfifo((dir + "/fifo.conf").c_str(), 0600);
  if (const int fd = ::open((dir + "/huge.conf").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      fd >= 0) {
    if (::ftruncate(fd, 10LL << 30) != 0) std::abort();
    ::close(fd);
  }
  ::symlink("/dev/zero", (dir + "/zero.conf").c_str());
  ::mkdir((dir + "/dir.conf").c_str(), 0700);
  if (FILE* f = std::fopen((dir + "/rs.conf").c_str(), "w")) {
    std::fputs("real_server 10.0.0.2 80 {\n  weight 1\n}\n", f);
    std::fclose(f);
  }
  main_path = dir + "/main-" + std::to_string(::getpid()) + ".conf";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  make_neighbours();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FILE* f = std::fopen(main_path.c_str(), "w");
  if (f == nullptr) std::abort();
  if (size != 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  const auto parsed = lvsctl::director::config::load_config_file(main_path);
  for (const auto& d : parsed.diags) {
    if (d.where.file.empty() || d.message.empty()) std::abort();
    (void)lvsctl::conf::format(d);
  }
  (void)lvsctl::director::config::config_files_changed(parsed.sources);
  return 0;
}
