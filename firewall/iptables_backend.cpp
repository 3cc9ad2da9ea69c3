// The iptables backend's commands (legacy and nft variants, IPv4 and IPv6).
#include <fmt/format.h>

#include <fstream>

#include "firewall/backends.hpp"
#include "firewall/iptables_rules.hpp"
#include "firewall/nft_kernel.hpp"

namespace lvsctl::firewall {
namespace {

Backend backend_of(IptVariant v) {
  return v == IptVariant::Legacy ? Backend::IptablesLegacy : Backend::IptablesNft;
}

// The legacy filter table exists in this namespace (reading it with iptables-legacy-save would
// otherwise create it).
bool legacy_table_exists(AddressFamily v) {
  std::ifstream f(v == AddressFamily::V4 ? "/proc/net/ip_tables_names" : "/proc/net/ip6_tables_names");
  std::string name;
  while (std::getline(f, name)) {
    if (name == "filter") return true;
  }
  return false;
}

// The filter table of one variant and version; an empty table when it does not exist.
Result<IptTable> read_table(const IptablesTool& tool, IptVariant variant, AddressFamily v) {
  if (auto st = tool.require(); !st) return st.error();
  if (variant == IptVariant::Legacy && !legacy_table_exists(v)) return IptTable{};
  auto text = tool.save_filter();
  if (!text) return text.error();
  return parse_iptables_save(*text);
}

ChainReport chain_report(IptVariant variant, AddressFamily v, std::string chain, const char* action) {
  ChainReport r;
  r.backend = backend_of(variant);
  r.family = v == AddressFamily::V4 ? "ip" : "ip6";
  r.table = "filter";
  r.chain = std::move(chain);
  r.action = action;
  return r;
}

std::vector<PathVerdict> judge_all(const IptTable& table, AddressFamily v, const Target& target) {
  std::vector<PathVerdict> out;
  for (const auto& packet : vrrp_packets(target.request, target.ifindex)) {
    if (packet.version != v) continue;
    const IptVerdict verdict = ipt_judge(table, packet);
    PathVerdict pv;
    pv.version = v;
    pv.source = packet.source ? packet.source->to_string() : "any";
    pv.outcome = verdict.outcome;
    pv.rule = verdict.rule_text;
    if (verdict.rule_number) {
      pv.rule_ref = verdict.rule_chain && *verdict.rule_chain != "INPUT"
                        ? fmt::format("rule {} in chain {}", *verdict.rule_number, *verdict.rule_chain)
                        : fmt::format("rule {}", *verdict.rule_number);
    } else {
      pv.rule_ref = "policy";
    }
    pv.ours = verdict.by_our_rule;
    out.push_back(std::move(pv));
  }
  return out;
}

std::string args_text(const std::vector<std::string>& args) {
  return fmt::format("-A INPUT {}", fmt::join(args, " "));
}

}  // namespace

Result<std::vector<ChainReport>> ipt_allow(IptVariant variant, const Target& target,
                                           bool& changed) {
  std::vector<ChainReport> out;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (!target.request.wants(v)) continue;
    const IptablesTool tool(variant, v);
    auto table = read_table(tool, variant, v);
    if (!table) return table.error();
    const IptPlan plan = ipt_plan_allow(*table, v, target.request);
    const char* action = !plan.needed ? "not-needed"
                         : plan.keep  ? "keep"
                         : plan.delete_numbers.empty() ? "insert" : "replace";
    for (int n : plan.delete_numbers) {
      if (auto st = tool.remove("INPUT", n); !st) return st.error();
    }
    int count = static_cast<int>(table->rules_of("INPUT").size() - plan.delete_numbers.size());
    int pos = plan.insert_at;
    for (const auto& args : plan.insert) {
      const bool append = pos > count;
      if (auto st = tool.insert("INPUT", pos, append, args); !st) return st.error();
      ++pos;
      ++count;
    }
    changed = changed || !plan.insert.empty() || !plan.delete_numbers.empty();
    if (!plan.insert.empty() || !plan.delete_numbers.empty()) {
      table = read_table(tool, variant, v);
      if (!table) return table.error();
    }
    if (!table->find_chain("INPUT")) continue;
    ChainReport r = chain_report(variant, v, "INPUT", action);
    if (plan.needed) {
      for (const auto& args : ipt_vrrp_rules(v, target.request)) r.rules.push_back(args_text(args));
    }
    r.verdicts = judge_all(*table, v, target);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ChainReport>> ipt_revoke(IptVariant variant, bool ipv6, bool& changed) {
  std::vector<ChainReport> out;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (v == AddressFamily::V6 && !ipv6) continue;
    const IptablesTool tool(variant, v);
    if (v == AddressFamily::V6 && !tool.require()) continue;
    auto table = read_table(tool, variant, v);
    if (!table) return table.error();
    for (const auto& chain : table->chains) {
      const auto numbers = ipt_plan_revoke(*table, chain.name);
      if (numbers.empty()) continue;
      ChainReport r = chain_report(variant, v, chain.name, "remove");
      for (int n : numbers) {
        for (const IptRule* rule : table->rules_of(chain.name)) {
          if (rule->number == n) r.rules.push_back(rule->text);
        }
        if (auto st = tool.remove(chain.name, n); !st) return st.error();
        changed = true;
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<std::vector<ChainReport>> ipt_status(IptVariant variant, const Target& target) {
  std::vector<ChainReport> out;
  for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
    if (!target.request.wants(v)) continue;
    const IptablesTool tool(variant, v);
    auto table = read_table(tool, variant, v);
    if (!table) return table.error();
    if (!table->find_chain("INPUT")) continue;
    ChainReport r = chain_report(variant, v, "INPUT", "none");
    for (const IptRule* rule : table->rules_of("INPUT")) {
      if (rule->ours) r.rules.push_back(rule->text);
    }
    r.verdicts = judge_all(*table, v, target);
    out.push_back(std::move(r));
  }
  return out;
}

Result<bool> backend_in_use(Backend backend, bool ipv6) {
  if (backend == Backend::IptablesLegacy) {
    for (AddressFamily v : {AddressFamily::V4, AddressFamily::V6}) {
      if (v == AddressFamily::V6 && !ipv6) continue;
      if (!legacy_table_exists(v)) continue;
      const IptablesTool tool(IptVariant::Legacy, v);
      if (!tool.require()) continue;
      auto table = read_table(tool, IptVariant::Legacy, v);
      if (!table) return table.error();
      if (ipt_can_drop(*table, "INPUT") || !table->rules_of("INPUT").empty()) return true;
    }
    return false;
  }
  auto rs = read_nft_ruleset();
  if (!rs) return rs.error();
  for (const auto& chain : rs->chains) {
    if (!is_input_filter(chain)) continue;
    if (chain.id.family == NftFamily::Ip6 && !ipv6) continue;
    const NftTable* t = rs->find_table(chain.id.family, chain.id.table);
    const bool managed = t && t->managed_by_iptables;
    if (backend == Backend::IptablesNft && managed &&
        (chain.policy_drop || !rs->rules_of(chain.id).empty())) {
      return true;
    }
    if (backend == Backend::Nftables && !managed) return true;
  }
  return false;
}

}  // namespace lvsctl::firewall
