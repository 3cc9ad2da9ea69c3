#include "realserver/state.hpp"

#include <cerrno>

namespace lvsctl::realserver {

const SavedSysctl* State::saved(std::string_view key) const {
  for (const auto& s : saved_sysctls) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

const HeldVip* State::held(const IpAddress& address) const {
  for (const auto& v : vips) {
    if (v.address == address) return &v;
  }
  return nullptr;
}

std::vector<IpAddress> State::vip_addresses() const {
  std::vector<IpAddress> out;
  for (const auto& v : vips) out.push_back(v.address);
  return out;
}

std::string serialize_state(const State& state) {
  std::string out =
      "# lvsctl realserver state: written by `lvsctl realserver start`, read by stop and status.\n"
      "lvsctl-realserver-state " + std::to_string(kStateFormat) + "\n";
  for (const auto& s : state.saved_sysctls) out += "sysctl " + s.key + " " + s.value + "\n";
  for (const auto& v : state.vips) {
    out += "vip " + v.address.to_string() + " " + (v.label.empty() ? "-" : v.label) + " " +
           (v.added ? "added" : "found") + "\n";
  }
  return out;
}

namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

Result<State> parse_state(std::string_view text) {
  State state;
  bool have_format = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    const auto bad = [&](const std::string& why) {
      return Error{"state line " + std::to_string(line_no) + ": " + why, EINVAL};
    };
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto f = fields_of(line);
    if (f.empty()) continue;
    if (!have_format) {
      if (f.size() != 2 || f[0] != "lvsctl-realserver-state") {
        return bad("expected 'lvsctl-realserver-state " + std::to_string(kStateFormat) + "'");
      }
      if (f[1] != std::to_string(kStateFormat)) {
        return bad("unsupported state format '" + std::string(f[1]) + "'");
      }
      have_format = true;
      continue;
    }
    if (f[0] == "sysctl") {
      if (f.size() != 3) return bad("expected 'sysctl KEY VALUE'");
      if (state.saved(f[1]) != nullptr) return bad("sysctl " + std::string(f[1]) + " twice");
      state.saved_sysctls.push_back({std::string(f[1]), std::string(f[2])});
    } else if (f[0] == "vip") {
      if (f.size() != 4) return bad("expected 'vip ADDRESS LABEL added|found'");
      const auto addr = IpAddress::parse(f[1]);
      if (!addr) return bad("'" + std::string(f[1]) + "' is not an address");
      if (state.held(*addr) != nullptr) return bad("vip " + addr->to_string() + " twice");
      if (f[3] != "added" && f[3] != "found") {
        return bad("expected 'added' or 'found', not '" + std::string(f[3]) + "'");
      }
      state.vips.push_back({*addr, f[2] == "-" ? std::string() : std::string(f[2]), f[3] == "added"});
    } else {
      return bad("unknown record '" + std::string(f[0]) + "'");
    }
  }
  if (!have_format) return Error{"state: empty (no 'lvsctl-realserver-state' line)", EINVAL};
  return state;
}

}  // namespace lvsctl::realserver
