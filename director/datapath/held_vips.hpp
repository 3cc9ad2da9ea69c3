#pragma once
// Which VIPs this director holds, from the VRRP instances of the configuration and whether
// each is MASTER now. Pure. A VIP of several instances is held when any of them is MASTER.
// Several directors holding different VIPs (one MASTER per instance) need nothing more.
#include <functional>
#include <string>

#include "director/config/model.hpp"
#include "director/datapath/datapath.hpp"

namespace lvsctl::director::datapath {

HeldVips held_vips(const config::Config& config,
                   const std::function<bool(const std::string& instance)>& is_master);

}  // namespace lvsctl::director::datapath
