#include "shared/cli_error.hpp"

#include <fmt/format.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "shared/json_writer.hpp"

namespace lvsctl::cli {

bool is_privilege_error(const Error& e) { return e.code == EPERM || e.code == EACCES; }

std::string error_json(std::string_view command, std::string_view message, int exit_code) {
  JsonWriter w;
  w.begin_object().key("error").begin_object();
  w.key("command").value(command).key("message").value(message).key("exit_code").value(exit_code);
  w.end_object().end_object();
  return w.str();
}

int report_error(std::string_view command, std::string_view message, int exit_code, bool json) {
  if (json) {
    std::fputs(error_json(command, message, exit_code).c_str(), stdout);
    std::fflush(stdout);
  } else {
    fmt::print(stderr, "lvsctl {}: {}\n", command, message);
  }
  return exit_code;
}

bool argv_wants_json(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

std::string command_words(int argc, const char* const* argv) {
  std::string out;
  int words = 0;
  for (int i = 1; i < argc && words < 2; ++i) {
    const std::string_view a = argv[i];
    if (a == "--log-level" || a == "--log-target") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    if (words++ > 0) out += ' ';
    out += a;
  }
  return out.empty() ? std::string("lvsctl") : out;
}

bool has_net_admin() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return ::geteuid() == 0;
  return (data[CAP_NET_ADMIN / 32].effective & (1U << (CAP_NET_ADMIN % 32))) != 0;
}

}  // namespace lvsctl::cli
