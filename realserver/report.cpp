#include "realserver/report.hpp"

#include <fmt/format.h>

#include "shared/json_writer.hpp"

namespace lvsctl::realserver {

namespace {

const char* status_name(LsbStatus code) {
  switch (code) {
    case LsbStatus::Running: return "running";
    case LsbStatus::Partial: return "partial";
    case LsbStatus::Stopped: return "stopped";
    case LsbStatus::Unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace

std::string render_text(const StatusReport& r) {
  std::string out = "lvs-realsvr: " + r.summary + "\n";
  for (const auto& v : r.vips) {
    out += fmt::format("  vip {:<40} {}\n", v.address.to_string(),
                       v.present ? (v.label.empty() ? "present" : "present (" + v.label + ")")
                                 : "MISSING");
  }
  for (const auto& s : r.sysctls) {
    const char* verdict = s.ok ? "ok" : (r.sysctls_needed ? "WRONG" : "not needed");
    out += fmt::format("  {} = {:<3} {} (DR needs {})\n", s.key,
                       s.value.empty() ? "?" : s.value, verdict, s.wanted);
  }
  return out;
}

std::string render_json(const StatusReport& r) {
  JsonWriter w;
  w.begin_object();
  w.key("status").value(status_name(r.code)).key("code").value(static_cast<int>(r.code));
  w.key("started").value(r.started).key("summary").value(r.summary);
  w.key("vips").begin_array();
  for (const auto& v : r.vips) {
    w.begin_object().key("address").value(v.address.to_string());
    w.key("family").value(v.address.is_v4() ? "ipv4" : "ipv6").key("present").value(v.present);
    w.key("label").value(v.label).end_object();
  }
  w.end_array().key("sysctls_needed").value(r.sysctls_needed).key("sysctls").begin_array();
  for (const auto& s : r.sysctls) {
    w.begin_object().key("key").value(s.key).key("value").value(s.value);
    w.key("wanted").value(s.wanted).key("ok").value(s.ok).end_object();
  }
  w.end_array().end_object();
  return w.str();
}

}  // namespace lvsctl::realserver
