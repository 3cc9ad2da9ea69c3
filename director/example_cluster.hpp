#pragma once
// The example cluster of design.md as an embedded keepalived.conf, on documentation addresses:
// VIP 203.0.113.100 (VRID 100, advert_int 1, auth PASS 12345) on eth0, held by director
// 203.0.113.104 (MASTER, priority 100) or 203.0.113.105 (BACKUP, priority 50); three DR services
// 10010/10020/10030 (rr, persistence_timeout 50) on real servers 203.0.113.101 and .102, each
// checked by TCP_CHECK (connect_timeout 10, retry 3, delay_before_retry 3).
#include <string>

namespace lvsctl::director {

enum class ExampleDirector { Master, Backup };

// The configuration text for one of the two directors.
std::string example_cluster_config(ExampleDirector which = ExampleDirector::Master);

// The file name diagnostics and summaries use for the embedded text.
inline constexpr const char* kExampleClusterFile = "<example-cluster>/keepalived.conf";

}  // namespace lvsctl::director
