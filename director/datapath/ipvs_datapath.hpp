#pragma once
// The IPVS datapath: IpvsSync (plan against the last applied table, apply over generic
// netlink) behind the seam. IPVS keeps every service on every director (`held` is not read):
// traffic only reaches the VIP's holder.
#include "director/daemon/ipvs_sync.hpp"
#include "director/datapath/datapath.hpp"

namespace lvsctl::director::datapath {

class IpvsDatapath final : public Datapath {
 public:
  explicit IpvsDatapath(EventLoop& loop) : sync_(loop) {}
  ~IpvsDatapath() override;  // removes our services unless keep_on_exit()
  std::string apply(const ipvs::Table& desired, const HeldVips& held, bool flush) override;
  std::optional<std::string> apply_changed(const std::vector<ipvs::Service>& changed,
                                           const HeldVips& held) override;
  DatapathStatus status() const override;
  void set_timeouts(const ipvs::Timeouts& configured) override { sync_.set_timeouts(configured); }

 private:
  IpvsSync sync_;
  std::uint64_t applies_ = 0;
  std::uint64_t apply_errors_ = 0;
};

}  // namespace lvsctl::director::datapath
