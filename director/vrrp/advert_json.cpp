#include "director/vrrp/advert_json.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>

#include "shared/json_writer.hpp"

namespace lvsctl::director::vrrp {
namespace {

std::string utc_text(std::chrono::system_clock::time_point t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const auto secs = static_cast<std::time_t>(us / 1'000'000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", fmt::gmtime(secs), us % 1'000'000);
}

JsonWriter begin(const WireContext& where, std::string_view event) {
  JsonWriter w(true);
  w.begin_object();
  w.key("time").value(utc_text(where.time));
  w.key("interface").value(where.interface);
  w.key("direction").value(where.outgoing ? "out" : "in");
  w.key("event").value(event);
  return w;
}

std::string envelope(const std::optional<IpAddress>& a) { return a ? a->to_string() : ""; }

}  // namespace

std::string advert_json(const WireContext& where, const Advert& a) {
  JsonWriter w = begin(where, "advert");
  w.key("source").value(envelope(a.source));
  w.key("destination").value(envelope(a.destination));
  w.key("version").value(unsigned{a.version});
  w.key("vrid").value(unsigned{a.vrid});
  w.key("priority").value(unsigned{a.priority});
  w.key("interval_s").raw_number(fmt::format("{}.{:02}", a.interval_cs / 100, a.interval_cs % 100));
  if (a.version == 2) {
    w.key("auth").value(to_string(a.auth_type));
    if (a.auth_type == AuthType::pass) w.key("auth_pass").value(pass_text(a));
  }
  w.key("addresses").begin_array();
  for (const auto& address : a.addresses) w.value(address.to_string());
  w.end_array();
  w.end_object();
  return w.str();
}

std::string rejection_json(const WireContext& where, const Rejection& r) {
  JsonWriter w = begin(where, "rejected");
  w.key("reason").value(to_string(r.reason));
  w.key("detail").value(r.text());
  w.end_object();
  return w.str();
}

std::string conflict_json(const WireContext& where, const MasterConflict& c) {
  JsonWriter w = begin(where, "two_masters");
  w.key("vrid").value(unsigned{c.vrid});
  w.key("version").value(unsigned{c.version});
  w.key("first").value(c.first.to_string());
  w.key("first_priority").value(unsigned{c.first_priority});
  w.key("second").value(c.second.to_string());
  w.key("second_priority").value(unsigned{c.second_priority});
  w.end_object();
  return w.str();
}

}  // namespace lvsctl::director::vrrp
