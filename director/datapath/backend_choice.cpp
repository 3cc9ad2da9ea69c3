#include "director/datapath/backend_choice.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "director/ipvs/genl_socket.hpp"

namespace lvsctl::director::datapath {

std::string_view to_string(Backend backend) {
  return backend == Backend::Ipvs ? "ipvs" : "nftables";
}

bool HeldVips::holds(const IpAddress& vip) const {
  if (all) return true;
  for (const auto& v : vips) {
    if (v == vip) return true;
  }
  for (const auto& v : managed) {
    if (v == vip) return false;
  }
  return true;
}

std::optional<config::LbBackend> parse_lb_backend(std::string_view text) {
  if (text == "auto") return config::LbBackend::Auto;
  if (text == "ipvs") return config::LbBackend::Ipvs;
  if (text == "nftables") return config::LbBackend::Nftables;
  return std::nullopt;
}

std::string_view to_string(config::LbBackend backend) {
  switch (backend) {
    case config::LbBackend::Ipvs: return "ipvs";
    case config::LbBackend::Nftables: return "nftables";
    case config::LbBackend::Auto: break;
  }
  return "auto";
}

KernelFacts probe_kernel() {
  KernelFacts facts;
  facts.proc_ip_vs = ::access("/proc/net/ip_vs", F_OK) == 0;
  auto genl = ipvs::GenlSocket::open("IPVS", 1);
  facts.ipvs_genl = static_cast<bool>(genl);
  if (!genl) facts.ipvs_error = genl.error().message;
  return facts;
}

BackendChoice choose_backend(config::LbBackend configured,
                             std::optional<config::LbBackend> command_line,
                             const KernelFacts& kernel) {
  const auto wanted = command_line.value_or(configured);
  const std::string_view source = command_line ? "--lb-backend" : "lb_backend";
  if (wanted == config::LbBackend::Ipvs) {
    return {Backend::Ipvs, fmt::format("{} ipvs", source)};
  }
  if (wanted == config::LbBackend::Nftables) {
    return {Backend::Nftables, fmt::format("{} nftables", source)};
  }
  if (kernel.ipvs_genl) {
    return {Backend::Ipvs,
            fmt::format("{} auto: the kernel has IPVS (generic netlink family IPVS resolves)",
                        source),
            true};
  }
  if (kernel.proc_ip_vs) {
    return {Backend::Ipvs,
            fmt::format("{} auto: the kernel has IPVS (/proc/net/ip_vs exists)", source), true};
  }
  return {Backend::Nftables,
          fmt::format("{} auto: the kernel has no IPVS ({}; no /proc/net/ip_vs): using nftables",
                      source, kernel.ipvs_error.empty() ? "no IPVS family" : kernel.ipvs_error),
          true};
}

}  // namespace lvsctl::director::datapath
