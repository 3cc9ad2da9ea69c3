#include "firewall/cli.hpp"

#include <memory>

#include "firewall/commands.hpp"
#include "shared/cli_checks.hpp"

namespace lvsctl::firewall {
namespace {

void add_backend(CLI::App& cmd, Options& o) {
  cmd.add_option("--backend", o.backend,
                 "auto (what this host uses; says which), nftables, iptables (legacy if in use, "
                 "else nft), iptables-legacy or iptables-nft")
      ->check(CLI::IsMember({"auto", "nftables", "iptables", "iptables-legacy", "iptables-nft"}))
      ->capture_default_str();
}

void add_match(CLI::App& cmd, Options& o) {
  cmd.add_option("-i,--interface", o.interface, "only VRRP arriving on this interface")
      ->check(cli_checks::non_empty());
  cmd.add_option("--peer", o.peers, "only VRRP from this director address (repeatable)")
      ->type_size(1)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_flag("--ipv6", o.ipv6, "also IPv6 VRRP (next header 112); with only IPv6 peers, only IPv6");
}

}  // namespace

void add_commands(CLI::App& app, int& exit_code) {
  auto* role = app.add_subcommand(
      "firewall", "director firewall: accept VRRP (IP protocol 112) so both directors hear "
                  "each other (nftables, iptables-legacy, iptables-nft)");
  role->require_subcommand(1);
  auto opts = std::make_shared<Options>();

  auto* allow = role->add_subcommand(
      "allow-vrrp", "accept VRRP on input: our rule on top of every input chain that can drop "
                    "(iptables: before the first DROP/REJECT); idempotent");
  add_match(*allow, *opts);
  add_backend(*allow, *opts);
  allow->add_flag("--persist", opts->persist,
                  "also write it where the firewall is restored at boot (/etc/nftables.conf "
                  "include, /etc/iptables/rules.v4, /etc/sysconfig/iptables)");
  allow->add_flag("--json", opts->json, "print the result as one JSON object");
  allow->callback([opts, &exit_code] { exit_code = run_allow(*opts); });

  auto* revoke = role->add_subcommand(
      "revoke-vrrp", "remove exactly the rules allow-vrrp added (tagged lvsctl:vrrp)");
  add_backend(*revoke, *opts);
  revoke->add_flag("--persist", opts->persist, "also remove them from the boot-time files");
  revoke->add_flag("--json", opts->json, "print the result as one JSON object");
  revoke->callback([opts, &exit_code] { exit_code = run_revoke(*opts); });

  auto* status = role->add_subcommand(
      "status", "for each input chain: is VRRP from the peers accepted, and by which rule; "
                "exit 0 accepted everywhere, 3 dropped or unknown somewhere");
  add_match(*status, *opts);
  add_backend(*status, *opts);
  status->add_flag("--json", opts->json, "print the status as one JSON object");
  status->callback([opts, &exit_code] { exit_code = run_status(*opts); });
}

}  // namespace lvsctl::firewall
