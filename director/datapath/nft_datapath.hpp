#pragma once
// The nftables datapath: keeps `table ip lvsctl` (NAT services) and `table netdev lvsctl` (DR
// services, only while the configuration has some) equal to the desired table restricted to
// the VIPs this director holds, each change one atomic transaction computed by difference
// against the tables as last applied; a health change edits map elements only. Starts by
// replacing any leftover table of ours, removes both when destroyed (daemon stop), never
// touches other tables. A failed transaction changes nothing (atomic): the tables are rebuilt
// in full on a retry. DR real servers' MACs come from the neighbour table; a missing one is
// resolved (ARP) and looked up again every second until found, then every 10 s.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "director/datapath/datapath.hpp"
#include "director/datapath/nft_lb_table.hpp"
#include "shared/event_loop.hpp"
#include "shared/nft/nft_socket.hpp"

namespace lvsctl::director::datapath {

class NftDatapath final : public Datapath {
 public:
  explicit NftDatapath(EventLoop& loop);
  ~NftDatapath() override;
  NftDatapath(const NftDatapath&) = delete;
  NftDatapath& operator=(const NftDatapath&) = delete;

  std::string apply(const ipvs::Table& desired, const HeldVips& held, bool flush) override;
  // A health change of NAT services: only the services in `changed` are built and planned
  // against the table as applied; the transaction edits their map elements (a service whose
  // slot count must change gets a new chain, as in a whole sync). DR services, a change of the
  // held VIPs, a missing table or a pending retry take the whole sync.
  std::optional<std::string> apply_changed(const std::vector<ipvs::Service>& changed,
                                           const HeldVips& held) override;
  DatapathStatus status() const override;
  ListingSource listing() const override;
  // lvs_timeouts are IPVS's: with nftables connections follow conntrack's own timeouts (not
  // changed); a warning says so.
  void set_timeouts(const ipvs::Timeouts& configured) override;

 private:
  std::string sync();
  std::string refused(const Error& error);  // after a failed transaction
  void schedule_retry();
  void schedule_neighbours(bool soon);
  nftlb::Table build_dr(std::vector<std::string>& notes);

  EventLoop& loop_;
  std::optional<NftSocket> socket_;
  std::string unavailable_reason_;
  ipvs::Table desired_;
  HeldVips held_;
  nftlb::Table applied_;
  nftlb::Table applied_dr_;
  bool table_exists_ = false;     // our NAT table is in the kernel as `applied_` says
  bool dr_table_exists_ = false;  // our DR table is in the kernel as `applied_dr_` says
  std::vector<std::string> notes_;
  std::string failure_;  // the last failed transaction, while a retry is pending
  std::uint64_t applies_ = 0;       // transactions tried
  std::uint64_t apply_errors_ = 0;  // transactions refused
  std::uint64_t messages_ = 0;
  TimerId retry_ = 0;
  TimerId neighbours_ = 0;
};

}  // namespace lvsctl::director::datapath
