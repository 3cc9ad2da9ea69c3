#pragma once
// Kernel parameters under /proc/sys, by their sysctl name ("net.ipv4.conf.all.arp_ignore").
// A thin adapter: read and write one value, errors as values carrying errno. Values under
// /proc/sys/net are per network namespace: the caller's namespace is the one read and written.
// `root` exists so that tests can point the adapter at a directory of their own.
#include <filesystem>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace lvsctl::sysctl {

inline const std::filesystem::path kProcSys = "/proc/sys";

// "net.ipv4.conf.all.arp_ignore" -> root/net/ipv4/conf/all/arp_ignore. An empty key, an empty
// component, "." or ".." components, or a '/' in the key are EINVAL errors naming the key.
Result<std::filesystem::path> path_of(std::string_view key,
                                      const std::filesystem::path& root = kProcSys);

// The value with trailing whitespace removed ("0", "1\t2"). Errors carry errno: ENOENT for an
// unknown key, EACCES for an unreadable one.
Result<std::string> read(std::string_view key, const std::filesystem::path& root = kProcSys);

// Writes `value` followed by a newline in one write(2). Errors carry errno: EACCES/EPERM when
// not root, EINVAL when the kernel rejects the value.
Status write(std::string_view key, std::string_view value,
             const std::filesystem::path& root = kProcSys);

// Per-interface keys (net.FAMILY.conf.IFNAME.NAME) for names with dots ("vrrp.51"), which the
// dotted key cannot spell: root/net/FAMILY/conf/IFNAME/NAME. An IFNAME with '/' or "."/".." is
// EINVAL.
Result<std::string> read_conf(std::string_view family, std::string_view ifname,
                              std::string_view name, const std::filesystem::path& root = kProcSys);
Status write_conf(std::string_view family, std::string_view ifname, std::string_view name,
                  std::string_view value, const std::filesystem::path& root = kProcSys);

}  // namespace lvsctl::sysctl
