#pragma once
// Chooses and builds the datapath for `director run`: the wish (global_defs lb_backend or
// --lb-backend) against the kernel (KernelFacts), logged once with the reason. With nftables
// chosen, a configuration nftables cannot express is refused (every reason logged with
// file:line:col) and the daemon does not start.
#include <memory>
#include <optional>

#include "director/config/model.hpp"
#include "director/datapath/datapath.hpp"
#include "shared/event_loop.hpp"
#include "shared/result.hpp"

namespace lvsctl::director::datapath {

Result<std::unique_ptr<Datapath>> make_datapath(EventLoop& loop, const config::Config& config,
                                                std::optional<config::LbBackend> command_line);

// For a reload: the errors nftables reports for `config` are logged; false when there are
// any (the reload is rejected). Always true for IPVS.
bool accepts(const Datapath& datapath, const config::Config& config);

}  // namespace lvsctl::director::datapath
