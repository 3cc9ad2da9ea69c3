#pragma once
// The nftables datapath: keeps `table ip lvsctl` equal to the desired table (NAT services, rr /
// wrr / sh), each change one atomic transaction computed by difference against the table as
// last applied; a health change edits map elements only. Starts by replacing any leftover
// table of ours, removes the table when destroyed (daemon stop), never touches other tables.
// A failed transaction changes nothing (atomic): the table is rebuilt in full on a retry.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "director/datapath/datapath.hpp"
#include "director/datapath/nft_lb_plan.hpp"
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
  // Only the services in `changed` are built and planned against the table as applied; the
  // transaction edits their map elements (a service whose slot count must change gets a new
  // chain, as in a whole sync).
  std::optional<std::string> apply_changed(const std::vector<ipvs::Service>& changed,
                                           const HeldVips& held) override;
  DatapathStatus status() const override;

 private:
  std::string sync();
  // One transaction of `changes` (planned in `plan_time`); on success `applied_` becomes what
  // `commit` makes of it.
  std::string write(const nftlb::Changes& changes, std::chrono::duration<double> plan_time,
                    std::size_t services, const std::function<void()>& commit);
  void schedule_retry();

  EventLoop& loop_;
  std::optional<NftSocket> socket_;
  std::string unavailable_reason_;
  ipvs::Table desired_;
  HeldVips held_;
  nftlb::Table applied_;
  std::uint64_t applies_ = 0;       // transactions tried
  std::uint64_t apply_errors_ = 0;  // transactions refused
  bool table_exists_ = false;  // our table is in the kernel as `applied_` says
  std::uint64_t messages_ = 0;
  TimerId retry_ = 0;
};

}  // namespace lvsctl::director::datapath
