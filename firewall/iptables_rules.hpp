#pragma once
// The iptables backend's pure core: parse `iptables-save -t filter` output into values, decide
// where our VRRP accept rule goes (before the first rule that can drop or reject), which of our
// rules to delete, what the INPUT chain does with a VRRP advert, and the argument vectors of our
// rules. Nothing here runs a program.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firewall/nft_verdict.hpp"  // VrrpPacket, Outcome
#include "firewall/vrrp_request.hpp"

namespace lvsctl::firewall {

struct IptRule {
  std::string chain;
  int number = 0;                  // 1-based position in its chain (as iptables -D/-I count)
  std::vector<std::string> args;   // tokens after "-A CHAIN", quotes removed
  std::string target;              // value of -j (or -g), empty if none
  bool ours = false;               // has -m comment --comment lvsctl:vrrp
  std::string text;                // the line as saved, for reports
};

struct IptChain {
  std::string name;
  std::optional<std::string> policy;  // builtin chains only: ACCEPT or DROP
};

struct IptTable {  // one table ("filter") of iptables-save output
  std::vector<IptChain> chains;
  std::vector<IptRule> rules;  // in save order

  const IptChain* find_chain(std::string_view name) const;
  std::vector<const IptRule*> rules_of(std::string_view chain) const;
};

// Parses the *filter section of iptables-save output (other tables are ignored). An error names
// the offending line.
Result<IptTable> parse_iptables_save(std::string_view text);

// True when `chain` can drop: policy DROP, a DROP/REJECT target, or a jump to a chain that can.
bool ipt_can_drop(const IptTable& table, std::string_view chain);

// Our rules' argument vectors (after "-I INPUT N"), one per peer of version `v`:
//   [-i IF] -p 112 [-s PEER] -m comment --comment lvsctl:vrrp -j ACCEPT
std::vector<std::vector<std::string>> ipt_vrrp_rules(AddressFamily v, const VrrpRequest& request);

struct IptPlan {
  bool needed = false;                 // INPUT can drop
  bool keep = false;                   // our rules already in place and identical
  std::vector<int> delete_numbers;     // our rules, highest number first
  int insert_at = 1;                   // position (after the deletes) for the first new rule
  std::vector<std::vector<std::string>> insert;  // rules to insert, in order
};

// allow-vrrp on INPUT: insert before the first rule that can drop or reject; if none, after the
// last rule (just before the DROP policy).
IptPlan ipt_plan_allow(const IptTable& table, AddressFamily v, const VrrpRequest& request);

// revoke-vrrp: numbers of our rules in `chain`, highest first.
std::vector<int> ipt_plan_revoke(const IptTable& table, std::string_view chain);

struct IptVerdict {
  Outcome outcome = Outcome::Unknown;
  std::optional<std::string> rule_chain;
  std::optional<int> rule_number;  // none = policy
  std::string rule_text;
  bool by_our_rule = false;
};

// What INPUT does with `packet`, following jumps to user chains.
IptVerdict ipt_judge(const IptTable& table, const VrrpPacket& packet);

// Splits one iptables-save line into tokens, honouring double quotes and backslash escapes.
std::vector<std::string> split_save_line(std::string_view line);

}  // namespace lvsctl::firewall
