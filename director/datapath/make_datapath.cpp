#include "director/datapath/make_datapath.hpp"

#include <spdlog/spdlog.h>

#include "director/datapath/backend_choice.hpp"
#include "director/datapath/ipvs_datapath.hpp"
#include "director/datapath/nft_datapath.hpp"
#include "director/datapath/nft_support.hpp"

namespace lvsctl::director::datapath {
namespace {

// Logs the nftables diagnostics; true when none is an error. `quiet_errors`: as warnings.
bool check_nftables(const config::Config& config, bool errors_as_warnings = false) {
  const auto diags = nftables_diagnostics(config);
  for (const auto& d : diags) {
    if (d.severity == conf::Severity::Error && !errors_as_warnings) {
      spdlog::error("{}", conf::format(d));
    } else {
      spdlog::warn("{}", conf::format(d));
    }
  }
  return !conf::has_errors(diags);
}

}  // namespace

Result<std::unique_ptr<Datapath>> make_datapath(EventLoop& loop, const config::Config& config,
                                                std::optional<config::LbBackend> command_line) {
  const auto choice = choose_backend(config.global.lb_backend, command_line, probe_kernel());
  spdlog::info("Datapath: {} ({})", to_string(choice.backend), choice.reason);
  if (choice.backend == Backend::Ipvs) return std::unique_ptr<Datapath>(new IpvsDatapath(loop));
  if (choice.automatic && conf::has_errors(nftables_diagnostics(config))) {
    // Not asked for by name: keep VRRP and health checks running without a datapath, as on a
    // kernel without IPVS before, and say why.
    check_nftables(config, true);
    spdlog::warn("Datapath: nftables cannot express this configuration (see above); no "
                 "datapath: IPVS is off and VRRP and health checks keep running");
    return std::unique_ptr<Datapath>(new IpvsDatapath(loop));
  }
  if (!check_nftables(config)) {
    return Error{"the configuration uses what the nftables datapath cannot express (see above)"};
  }
  return std::unique_ptr<Datapath>(new NftDatapath(loop));
}

bool accepts(const Datapath& datapath, const config::Config& config) {
  if (datapath.status().backend != Backend::Nftables) return true;
  return check_nftables(config);
}

}  // namespace lvsctl::director::datapath
