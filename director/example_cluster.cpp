#include "director/example_cluster.hpp"

#include <fmt/format.h>

namespace lvsctl::director {
namespace {

constexpr const char* kHead =
    R"(! keepalived.conf of the lvsctl example cluster (design.md), director {router}
global_defs {{
    router_id {router}
}}

vrrp_instance VI_EXAMPLE {{
    state {state}
    interface eth0
    virtual_router_id 100
    priority {priority}
    advert_int 1
    authentication {{
        auth_type PASS
        auth_pass 12345
    }}
    virtual_ipaddress {{
        203.0.113.100
    }}
}}
)";

constexpr const char* kService = R"(
virtual_server 203.0.113.100 {port} {{
    delay_loop 6
    lvs_sched rr
    lvs_method DR
    persistence_timeout 50
    protocol TCP

    real_server 203.0.113.101 {port} {{
        weight 1
        TCP_CHECK {{
            connect_timeout 10
            retry 3
            delay_before_retry 3
            connect_port {port}
        }}
    }}
    real_server 203.0.113.102 {port} {{
        weight 1
        TCP_CHECK {{
            connect_timeout 10
            retry 3
            delay_before_retry 3
            connect_port {port}
        }}
    }}
}}
)";

}  // namespace

std::string example_cluster_config(ExampleDirector which) {
  const bool master = which == ExampleDirector::Master;
  std::string text = fmt::format(
      fmt::runtime(kHead), fmt::arg("router", master ? "LVS_113_104" : "LVS_113_105"),
      fmt::arg("state", master ? "MASTER" : "BACKUP"), fmt::arg("priority", master ? 100 : 50));
  for (int port : {10010, 10020, 10030})
    text += fmt::format(fmt::runtime(kService), fmt::arg("port", port));
  return text;
}

}  // namespace lvsctl::director
