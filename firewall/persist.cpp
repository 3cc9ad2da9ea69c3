#include "firewall/persist.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "firewall/iptables_tool.hpp"
#include "firewall/persist_text.hpp"

namespace lvsctl::firewall {
namespace {

namespace fs = std::filesystem;

fs::path root() {
  const char* r = std::getenv("LVSCTL_FIREWALL_ROOT");
  return r && *r ? fs::path(r) : fs::path("/");
}

fs::path under_root(std::string_view abs) { return root() / fs::path(abs).relative_path(); }

Result<std::optional<std::string>> read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) {
    if (errno == ENOENT || !fs::exists(p)) return std::optional<std::string>{};
    return Error::from_errno(fmt::format("reading {}", p.string()));
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return std::optional<std::string>{ss.str()};
}

// Replaces `p` atomically (temporary file + rename), creating its directory.
Status write_file(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) return Error{fmt::format("creating {}: {}", p.parent_path().string(), ec.message()), ec.value()};
  const fs::path tmp = p.string() + ".lvsctl-tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Error::from_errno(fmt::format("writing {}", tmp.string()));
    f << text;
    if (!f.flush()) return Error::from_errno(fmt::format("writing {}", tmp.string()));
  }
  if (fs::exists(p)) {
    fs::permissions(tmp, fs::status(p).permissions(), ec);
  }
  fs::rename(tmp, p, ec);
  if (ec) return Error{fmt::format("replacing {}: {}", p.string(), ec.message()), ec.value()};
  return {};
}

// Writes `after` if it differs from `before`; a note when it did.
Status update(const fs::path& p, const std::optional<std::string>& before, const std::string& after,
              std::vector<std::string>& notes) {
  if (before && *before == after) return {};
  if (auto st = write_file(p, after); !st) return st;
  notes.push_back(fmt::format("persist: wrote {}", p.string()));
  return {};
}

fs::path iptables_file(AddressFamily v) {
  const bool rhel = fs::exists(under_root("/etc/sysconfig")) && !fs::exists(under_root("/etc/iptables"));
  if (rhel) return under_root(v == AddressFamily::V4 ? "/etc/sysconfig/iptables" : "/etc/sysconfig/ip6tables");
  return under_root(v == AddressFamily::V4 ? "/etc/iptables/rules.v4" : "/etc/iptables/rules.v6");
}

}  // namespace

Result<std::vector<std::string>> persist_nft(const std::vector<ChainReport>& chains) {
  std::vector<std::string> notes;
  const std::string include = render_nft_include(chains);
  if (include.find("\ninsert rule ") == std::string::npos) {
    notes.emplace_back("persist: no nftables chain needs the rule, nothing written");
    return notes;
  }
  const fs::path inc = under_root(kNftIncludePath);
  auto old_inc = read_file(inc);
  if (!old_inc) return old_inc.error();
  if (auto st = update(inc, *old_inc, include, notes); !st) return st.error();
  const fs::path conf = under_root("/etc/nftables.conf");
  auto old_conf = read_file(conf);
  if (!old_conf) return old_conf.error();
  const std::string base = old_conf->value_or("#!/usr/sbin/nft -f\n");
  if (auto st = update(conf, *old_conf, add_nft_include(base, kNftIncludePath), notes); !st) {
    return st.error();
  }
  return notes;
}

Result<std::vector<std::string>> unpersist_nft() {
  std::vector<std::string> notes;
  const fs::path conf = under_root("/etc/nftables.conf");
  auto old_conf = read_file(conf);
  if (!old_conf) return old_conf.error();
  if (*old_conf) {
    if (auto st = update(conf, *old_conf, remove_nft_include(**old_conf, kNftIncludePath), notes);
        !st) {
      return st.error();
    }
  }
  const fs::path inc = under_root(kNftIncludePath);
  std::error_code ec;
  if (fs::remove(inc, ec)) notes.push_back(fmt::format("persist: removed {}", inc.string()));
  return notes;
}

Result<std::vector<std::string>> persist_iptables(IptVariant variant, const Target& target) {
  std::vector<std::string> notes;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (!target.request.wants(v)) continue;
    const fs::path p = iptables_file(v);
    auto old = read_file(p);
    if (!old) return old.error();
    std::string after;
    if (*old) {
      after = update_iptables_file(**old, v, target.request);
    } else {
      // No saved rules yet: save the live table, as `service iptables save` would.
      auto live = IptablesTool(variant, v).save_all();
      if (!live) return live.error();
      after = *live;
    }
    if (auto st = update(p, *old, after, notes); !st) return st.error();
  }
  return notes;
}

Result<std::vector<std::string>> unpersist_iptables(bool ipv6) {
  std::vector<std::string> notes;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (v == AddressFamily::V6 && !ipv6) continue;
    const fs::path p = iptables_file(v);
    auto old = read_file(p);
    if (!old) return old.error();
    if (!*old) continue;
    if (auto st = update(p, *old, strip_iptables_file(**old), notes); !st) return st.error();
  }
  return notes;
}

}  // namespace lvsctl::firewall
