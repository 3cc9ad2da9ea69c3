#include "firewall/iptables_tool.hpp"

#include <fmt/format.h>

#include <cerrno>

#include "shared/run_program.hpp"

namespace lvsctl::firewall {

std::string IptablesTool::program() const {
  return fmt::format("{}-{}", version_ == AddressFamily::V4 ? "iptables" : "ip6tables",
                     variant_ == IptVariant::Legacy ? "legacy" : "nft");
}

std::string IptablesTool::save_program() const {
  return fmt::format("{}-{}-save", version_ == AddressFamily::V4 ? "iptables" : "ip6tables",
                     variant_ == IptVariant::Legacy ? "legacy" : "nft");
}

std::string IptablesTool::name() const { return program(); }

Status IptablesTool::require() const {
  for (const auto& p : {program(), save_program()}) {
    if (!find_admin_program(p)) {
      return Error{fmt::format("backend {} is missing: {} not found (install the iptables package)",
                               name(), p),
                   ENOENT};
    }
  }
  return {};
}

Status IptablesTool::run(std::vector<std::string> argv, const char* what) const {
  auto out = run_program(argv);
  if (!out) return out.error();
  if (out->exit_code != 0) {
    std::string msg = out->err.empty() ? out->out : out->err;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    const bool perm = msg.find("Permission denied") != std::string::npos ||
                      msg.find("must be root") != std::string::npos;
    return Error{fmt::format("{} with {} failed{}: {}", what, argv[0],
                             perm ? " (permission denied: needs root or CAP_NET_ADMIN)" : "", msg),
                 perm ? EPERM : 0};
  }
  return {};
}

Result<std::string> IptablesTool::save_filter() const { return save({"-t", "filter"}); }

Result<std::string> IptablesTool::save_all() const { return save({}); }

Result<std::string> IptablesTool::save(const std::vector<std::string>& args) const {
  if (auto st = require(); !st) return st.error();
  std::vector<std::string> argv{save_program()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto out = run_program(argv);
  if (!out) return out.error();
  if (out->exit_code != 0) {
    const bool perm = out->err.find("Permission denied") != std::string::npos ||
                      out->err.find("must be root") != std::string::npos;
    return Error{fmt::format("reading the rules with {} failed{}: {}", save_program(),
                             perm ? " (permission denied: needs root or CAP_NET_ADMIN)" : "",
                             out->err),
                 perm ? EPERM : 0};
  }
  return out->out;
}

Status IptablesTool::insert(const std::string& chain, int pos, bool append,
                            const std::vector<std::string>& args) const {
  std::vector<std::string> argv{program(), "-w"};
  if (append) {
    argv.insert(argv.end(), {"-A", chain});
  } else {
    argv.insert(argv.end(), {"-I", chain, std::to_string(pos)});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, "inserting the VRRP rule");
}

Status IptablesTool::remove(const std::string& chain, int number) const {
  return run({program(), "-w", "-D", chain, std::to_string(number)}, "deleting the VRRP rule");
}

}  // namespace lvsctl::firewall
