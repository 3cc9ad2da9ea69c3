#include "director/datapath/ipvs_datapath.hpp"

#include <spdlog/spdlog.h>

namespace lvsctl::director::datapath {

IpvsDatapath::~IpvsDatapath() {
  if (!sync_.available()) return;
  sync_.restore_timeouts();  // as keepalived at stop, --dont-release-ipvs or not
  if (keep_on_exit_) {
    spdlog::info("IPVS: virtual servers left in the kernel (--dont-release-ipvs)");
    return;
  }
  sync_.release();
}

std::string IpvsDatapath::apply(const ipvs::Table& desired, const HeldVips&, bool flush) {
  const auto outcome = sync_.apply(desired, flush);
  ++applies_;
  if (!outcome.ok) ++apply_errors_;
  return outcome.to_string();
}

std::optional<std::string> IpvsDatapath::apply_changed(const std::vector<ipvs::Service>& changed,
                                                       const HeldVips&) {
  const auto outcome = sync_.apply_changed(changed);
  ++applies_;
  if (!outcome.ok) ++apply_errors_;
  return outcome.to_string();
}

DatapathStatus IpvsDatapath::status() const {
  DatapathStatus s;
  s.backend = Backend::Ipvs;
  s.available = sync_.available();
  s.unavailable_reason = sync_.unavailable_reason();
  s.requests_sent = sync_.requests_sent();
  s.applies = applies_;
  s.apply_errors = apply_errors_;
  return s;
}

}  // namespace lvsctl::director::datapath
