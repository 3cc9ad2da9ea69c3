#include "director/datapath/ipvs_datapath.hpp"

#include <spdlog/spdlog.h>

namespace lvsctl::director::datapath {

IpvsDatapath::~IpvsDatapath() {
  if (!sync_.available()) return;
  if (keep_on_exit_) {
    spdlog::info("IPVS: virtual servers left in the kernel (--dont-release-ipvs)");
    return;
  }
  sync_.release();
}

std::string IpvsDatapath::apply(const ipvs::Table& desired, const HeldVips&, bool flush) {
  return sync_.apply(desired, flush).to_string();
}

std::optional<std::string> IpvsDatapath::apply_changed(const std::vector<ipvs::Service>& changed,
                                                       const HeldVips&) {
  return sync_.apply_changed(changed).to_string();
}

DatapathStatus IpvsDatapath::status() const {
  DatapathStatus s;
  s.backend = Backend::Ipvs;
  s.available = sync_.available();
  s.unavailable_reason = sync_.unavailable_reason();
  s.requests_sent = sync_.requests_sent();
  return s;
}

}  // namespace lvsctl::director::datapath
