#pragma once
// The iptables tools of one variant (legacy or nft) and IP version: read the filter table with
// *-save, insert and delete rules in INPUT. Adapter: runs the programs, decides nothing.
#include <string>
#include <vector>

#include "firewall/vrrp_request.hpp"
#include "shared/result.hpp"

namespace lvsctl::firewall {

enum class IptVariant { Legacy, Nft };

class IptablesTool {
 public:
  IptablesTool(IptVariant variant, AddressFamily version) : variant_(variant), version_(version) {}

  // "iptables-legacy", "ip6tables-nft", ...
  std::string program() const;
  std::string save_program() const;
  // The backend as users name it: "iptables-legacy" / "iptables-nft" (ip6tables alike).
  std::string name() const;

  // Error (ENOENT) naming the package when the programs are missing.
  Status require() const;

  // `*-save -t filter`.
  Result<std::string> save_filter() const;
  // `*-save` (every table), as `service iptables save` writes it.
  Result<std::string> save_all() const;
  // `-I CHAIN POS args...`, or `-A CHAIN args...` when pos is past the end (append = true).
  Status insert(const std::string& chain, int pos, bool append,
                const std::vector<std::string>& args) const;
  // `-D CHAIN NUMBER`.
  Status remove(const std::string& chain, int number) const;

 private:
  Status run(std::vector<std::string> argv, const char* what) const;
  Result<std::string> save(const std::vector<std::string>& args) const;
  IptVariant variant_;
  AddressFamily version_;
};

}  // namespace lvsctl::firewall
