#pragma once
// `lvsctl lab up|status|failover|down`: the seed's cluster in network namespaces on this
// machine, built with lvsctl's own roles (see topology.hpp for the shape). Nothing outside the
// lab's namespaces is changed: every address, route, sysctl and nftables rule is set inside
// them, by `ip -n` / `ip netns exec`.
#include <chrono>
#include <functional>
#include <string>

#include "lab/progress.hpp"
#include "lab/state_dir.hpp"
#include "lab/topology.hpp"
#include "shared/result.hpp"

namespace lvsctl::lab {

class Lab {
 public:
  Lab(std::string state_dir, const Progress& progress);

  // Removes leftovers, then builds the lab and waits until d1 is MASTER, d2 BACKUP and the
  // client gets answers from both real servers on every port.
  Status up();
  // Stops every process the lab started (by pid from the state dir, then whatever still runs in
  // a lab namespace), deletes the lab's namespaces and the state dir. Safe to run again.
  Status down();
  // Prints each part's state; error when something is missing.
  Status status();

  struct FailoverResult {
    std::string killed;      // the director killed ("d1")
    std::string took_over;   // the one that became MASTER
    double master_after = 0;   // s from kill -9 until took_over reported MASTER
    double serving_after = 0;  // s until the client's packets went to took_over and were answered
    unsigned requests = 0;
    unsigned failed = 0;
  };
  // kill -9 of the MASTER director; measures until the other serves. With `restart`, starts the
  // killed director again afterwards (it is a BACKUP until its Master_Down timer or preemption).
  Result<FailoverResult> failover(bool restart);

  // The pieces the demo uses.
  Status run_in(const std::string& short_ns, std::vector<std::string> argv,
                const std::string& log, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  Result<int> code_in(const std::string& short_ns, std::vector<std::string> argv,
                      const std::string& log, std::chrono::milliseconds timeout);
  Status start_service(const RealServer& rs, unsigned short port);
  Status stop_service(const RealServer& rs, unsigned short port);
  // Waits until `pred` holds (polled every 100 ms) or `timeout`; false on timeout.
  static bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
  const StateDir& state() const { return dir_; }
  const std::string& program() const { return self_; }
  // The output of `ip ARGS...` (run in the root namespace with -n), or an error.
  Result<std::string> ip_output(std::vector<std::string> args);
  // The MAC of `ifname` in namespace `short_ns`; the client's neighbour entry for `address`.
  std::string interface_mac(const std::string& short_ns, const std::string& ifname);
  std::string client_mac_for(const std::string& address);
  // The datapath line the first director logged ("nftables (auto: ...)"), or "".
  std::string datapath_line() const;

 private:
  Status build_namespaces();
  Status start_director(const Director& d);
  Status ip(std::vector<std::string> args);
  Status link(const std::string& short_ns, const std::string& ifname, const std::string& bridge,
              const std::string& address);

  StateDir dir_;
  const Progress& progress_;
  std::string self_;
};

const Director* find_director(std::string_view name);

}  // namespace lvsctl::lab
