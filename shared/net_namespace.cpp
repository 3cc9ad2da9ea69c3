#include "shared/net_namespace.hpp"

#include <fcntl.h>
#include <sched.h>

#include <fmt/format.h>

namespace lvsctl {

std::string net_namespace_path(std::string_view name) {
  return fmt::format("/run/netns/{}", name);
}

std::string net_namespace_name_problem(std::string_view name) {
  if (name.empty()) return "a namespace name cannot be empty";
  if (name == "." || name == "..") return fmt::format("'{}' is not a namespace name", name);
  if (name.find('/') != std::string_view::npos) {
    return fmt::format("'{}' is not a namespace name: it holds a '/' (a name under /run/netns)",
                       name);
  }
  if (name.find('\0') != std::string_view::npos) return "a namespace name cannot hold a NUL";
  return {};
}

Result<Fd> open_net_namespace(std::string_view name) {
  if (auto problem = net_namespace_name_problem(name); !problem.empty()) {
    return Error{problem, EINVAL};
  }
  const std::string path = net_namespace_path(name);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return Error::from_errno(fmt::format("cannot open network namespace {}", path));
  return fd;
}

Status enter_net_namespace(std::string_view name) {
  auto fd = open_net_namespace(name);
  if (!fd) return fd.error();
  if (::setns(fd->get(), CLONE_NEWNET) != 0) {
    return Error::from_errno(
        fmt::format("cannot enter network namespace {}", net_namespace_path(name)));
  }
  return {};
}

}  // namespace lvsctl
