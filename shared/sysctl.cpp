#include "shared/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "shared/fd.hpp"

namespace lvsctl::sysctl {

Result<std::filesystem::path> path_of(std::string_view key, const std::filesystem::path& root) {
  const auto bad = [&](const char* why) {
    return Error{"bad sysctl name '" + std::string(key) + "': " + why, EINVAL};
  };
  if (key.empty()) return bad("empty");
  if (key.find('/') != std::string_view::npos) return bad("contains '/'");
  std::filesystem::path p = root;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    const std::string_view part =
        key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return bad("empty component");
    p /= std::string(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return p;
}

namespace {

Result<std::filesystem::path> conf_path(std::string_view family, std::string_view ifname,
                                        std::string_view name, const std::filesystem::path& root) {
  if (ifname.empty() || ifname == "." || ifname == ".." ||
      ifname.find('/') != std::string_view::npos) {
    return Error{"bad interface name '" + std::string(ifname) + "' for a sysctl", EINVAL};
  }
  auto dir = path_of("net." + std::string(family) + ".conf", root);
  if (!dir) return dir.error();
  auto leaf = path_of(name, std::filesystem::path());
  if (!leaf) return leaf.error();
  return *dir / std::string(ifname) / *leaf;
}

Result<std::string> read_path(const std::filesystem::path& path, std::string_view key);
Status write_path(const std::filesystem::path& path, std::string_view key, std::string_view value);

}  // namespace

Result<std::string> read_conf(std::string_view family, std::string_view ifname,
                              std::string_view name, const std::filesystem::path& root) {
  auto path = conf_path(family, ifname, name, root);
  if (!path) return path.error();
  return read_path(*path, path->string());
}

Status write_conf(std::string_view family, std::string_view ifname, std::string_view name,
                  std::string_view value, const std::filesystem::path& root) {
  auto path = conf_path(family, ifname, name, root);
  if (!path) return path.error();
  return write_path(*path, path->string(), value);
}

Result<std::string> read(std::string_view key, const std::filesystem::path& root) {
  auto path = path_of(key, root);
  if (!path) return path.error();
  return read_path(*path, key);
}

Status write(std::string_view key, std::string_view value, const std::filesystem::path& root) {
  auto path = path_of(key, root);
  if (!path) return path.error();
  return write_path(*path, key, value);
}

namespace {

Result<std::string> read_path(const std::filesystem::path& p, std::string_view key) {
  const auto* path = &p;
  Fd fd(::open(path->c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno("reading sysctl " + std::string(key) + " (" + path->string() + ")");
  std::string out;
  char buf[512];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("reading sysctl " + std::string(key));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

Status write_path(const std::filesystem::path& p, std::string_view key, std::string_view value) {
  const auto* path = &p;
  const std::string what = "writing " + std::string(value) + " to sysctl " + std::string(key);
  Fd fd(::open(path->c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(what);
  const std::string line = std::string(value) + "\n";
  ssize_t n;
  do {
    n = ::write(fd.get(), line.data(), line.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Error::from_errno(what);
  if (static_cast<std::size_t>(n) != line.size()) return Error{what + ": short write", EIO};
  return {};
}

}  // namespace

}  // namespace lvsctl::sysctl
