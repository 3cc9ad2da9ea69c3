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
  std::string out = fmt::format("{{\"status\":\"{}\",\"code\":{},\"started\":{},\"summary\":{},",
                                status_name(r.code), static_cast<int>(r.code), r.started,
                                JsonWriter::escape(r.summary));
  out += "\"vips\":[";
  for (std::size_t i = 0; i < r.vips.size(); ++i) {
    const auto& v = r.vips[i];
    out += fmt::format("{}{{\"address\":{},\"family\":\"{}\",\"present\":{},\"label\":{}}}",
                       i == 0 ? "" : ",", JsonWriter::escape(v.address.to_string()),
                       v.address.is_v4() ? "ipv4" : "ipv6", v.present, JsonWriter::escape(v.label));
  }
  out += fmt::format("],\"sysctls_needed\":{},\"sysctls\":[", r.sysctls_needed);
  for (std::size_t i = 0; i < r.sysctls.size(); ++i) {
    const auto& s = r.sysctls[i];
    out += fmt::format("{}{{\"key\":{},\"value\":{},\"wanted\":{},\"ok\":{}}}", i == 0 ? "" : ",",
                       JsonWriter::escape(s.key), JsonWriter::escape(s.value), JsonWriter::escape(s.wanted), s.ok);
  }
  return out + "]}\n";
}

}  // namespace lvsctl::realserver
