#include "realserver/state_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "shared/fd.hpp"

namespace lvsctl::realserver {

Result<std::optional<State>> load_state(const std::filesystem::path& file) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::optional<State>{};
    return Error::from_errno("reading state file " + file.string());
  }
  std::string text;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("reading state file " + file.string());
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  auto state = parse_state(text);
  if (!state) return Error{file.string() + ": " + state.error().message, state.error().code};
  return std::optional<State>(std::move(*state));
}

Status save_state(const std::filesystem::path& file, const State& state) {
  const auto dir = file.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error{"creating state directory " + dir.string() + ": " + ec.message(), ec.value()};
  }
  const std::string tmp = file.string() + ".tmp";
  const std::string what = "writing state file " + file.string();
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) return Error::from_errno(what);
    const std::string text = serialize_state(state);
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::unlink(tmp.c_str());
        return Error::from_errno(what, err);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      return Error::from_errno(what, err);
    }
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Error::from_errno(what, err);
  }
  return {};
}

Status remove_state(const std::filesystem::path& file) {
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    return Error::from_errno("removing state file " + file.string());
  }
  return {};
}

}  // namespace lvsctl::realserver
