#include "director/config/model.hpp"

#include <fmt/format.h>

namespace lvsctl::director::config {

std::string scheduler_flag_name(std::string_view scheduler, unsigned bit) {
  if ((scheduler == "sh" || scheduler == "mh") && bit < 2) {
    return std::string(scheduler) + (bit == 0 ? "-fallback" : "-port");
  }
  return "flag-" + std::to_string(bit + 1);
}

std::string VirtualServer::display_name() const {
  switch (kind) {
    case VirtualServerKind::Fwmark:
      return fmt::format("fwmark {}", fwmark);
    case VirtualServerKind::Group:
      return fmt::format("group {}", group);
    case VirtualServerKind::Address:
      break;
  }
  if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), port);
  return fmt::format("{}:{}", address.to_string(), port);
}

const char* to_string(VrrpState s) { return s == VrrpState::Master ? "MASTER" : "BACKUP"; }

const char* to_string(AuthType a) {
  switch (a) {
    case AuthType::Pass:
      return "PASS";
    case AuthType::Ah:
      return "AH";
    case AuthType::None:
      break;
  }
  return "NONE";
}

const char* to_string(ForwardingMethod m) {
  switch (m) {
    case ForwardingMethod::Dr:
      return "DR";
    case ForwardingMethod::Tun:
      return "TUN";
    case ForwardingMethod::Nat:
      break;
  }
  return "NAT";
}

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::Udp:
      return "UDP";
    case Protocol::Sctp:
      return "SCTP";
    case Protocol::Tcp:
      break;
  }
  return "TCP";
}

}  // namespace lvsctl::director::config
