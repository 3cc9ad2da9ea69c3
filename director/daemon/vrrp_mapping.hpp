#pragma once
// keepalived.conf `vrrp_instance` (+ its vrrp_scripts) -> the state machine's InstanceConfig.
// Pure: the primary address (the interface's first address, or unicast_src_ip) is looked up by
// the caller and passed in.
#include "director/config/model.hpp"
#include "director/vrrp/instance_config.hpp"

namespace lvsctl::director {

vrrp::InstanceConfig vrrp_instance_config(const config::Config& config,
                                          const config::VrrpInstance& instance,
                                          const IpAddress& primary_address);

}  // namespace lvsctl::director
