#include "director/datapath/nft_lb_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace lvsctl::director::datapath::nftlb {
namespace {

void add_all_elements(const Service& s, std::vector<SlotElement>& out) {
  for (std::uint32_t i = 0; i < s.slot_backend.size(); ++i) {
    out.push_back({s.key, i, s.slot_backend[i]});
  }
}

void add_service(const Service& s, Changes& c) {
  c.add_chains.push_back({s.key, s.pick, s.slots, s.persist});
  c.add_services.push_back(s.key);
  add_all_elements(s, c.add_backends);
}

void remove_service(const Service& s, Changes& c) {
  add_all_elements(s, c.remove_backends);
  c.remove_services.push_back(s.key);
  c.remove_chains.push_back(s.key);
}

std::string_view proto_text(std::uint8_t p) { return p == 17 ? "udp" : "tcp"; }

std::string rule_text(Pick pick, std::uint32_t slots) {
  if (pick == Pick::SourceHash) {
    return fmt::format("meta mark set jhash ip saddr mod {} seed 0x0", slots);
  }
  if (pick == Pick::FlowHash) {
    return fmt::format("meta mark set jhash ip saddr . th sport mod {} seed 0x0", slots);
  }
  return fmt::format("meta mark set numgen inc mod {}", slots);
}

constexpr std::string_view kPersistKey = "ip daddr . meta l4proto . th dport . ip saddr";

std::string chain_text(const Service& s, std::string_view name) {
  std::string out = fmt::format("\tchain {} {{\n", name);
  if (s.persist != 0) {
    out += fmt::format("\t\tmeta mark set {0} map @{1} update @{1} {{ {0} timeout {2}s : meta mark }} "
                       "return\n",
                       kPersistKey, kPersistMap, s.persist);
  }
  out += fmt::format("\t\t{}\n", rule_text(s.pick, s.slots));
  if (s.persist != 0) {
    out += fmt::format("\t\tadd @{} {{ {} timeout {}s : meta mark }}\n", kPersistMap,
                       kPersistKey, s.persist);
  }
  return out + "\t}\n";
}

std::string persist_map_text() {
  return fmt::format(
      "\tmap {} {{\n\t\ttype ipv4_addr . inet_proto . inet_service . ipv4_addr : mark\n"
      "\t\tsize {}\n\t\tflags dynamic,timeout\n\t}}\n",
      kPersistMap, kPersistMapSize);
}

}  // namespace

bool Changes::empty() const {
  return !create_table && remove_ingress.empty() && add_ingress.empty() && remove_backends.empty() && remove_services.empty() &&
         remove_chains.empty() && add_chains.empty() && add_services.empty() &&
         add_backends.empty();
}

std::size_t Changes::element_changes() const {
  return remove_backends.size() + remove_services.size() + add_services.size() +
         add_backends.size();
}

std::string Changes::to_string() const {
  return fmt::format("{}{}{} chains added, {} removed, {} elements changed",
                     dr ? "DR: " : "", create_table ? "table created, " : "",
                     add_chains.size() + add_ingress.size(),
                     remove_chains.size() + remove_ingress.size(), element_changes());
}

Changes plan(const Table& desired, const Table& actual, bool actual_exists, bool dr) {
  Changes c;
  c.dr = dr;
  if (!actual_exists) {
    c.create_table = true;
    for (const auto& s : desired.services) add_service(s, c);
    c.add_ingress = desired.ingress;
    return c;
  }
  for (const auto& i : actual.ingress) {
    if (!std::binary_search(desired.ingress.begin(), desired.ingress.end(), i)) {
      c.remove_ingress.push_back(i);
    }
  }
  for (const auto& i : desired.ingress) {
    if (!std::binary_search(actual.ingress.begin(), actual.ingress.end(), i)) {
      c.add_ingress.push_back(i);
    }
  }
  auto a = actual.services.begin();
  auto d = desired.services.begin();
  while (a != actual.services.end() || d != desired.services.end()) {
    if (d == desired.services.end() || (a != actual.services.end() && a->key < d->key)) {
      remove_service(*a++, c);
    } else if (a == actual.services.end() || d->key < a->key) {
      add_service(*d++, c);
    } else {
      if (!a->same_shape(*d)) {
        // The rule changes: the chain is replaced, in the same transaction.
        remove_service(*a, c);
        add_service(*d, c);
      } else {
        const auto& before = a->slot_backend;
        const auto& after = d->slot_backend;
        for (std::uint32_t i = 0; i < d->slots; ++i) {
          const bool had = i < before.size();
          const bool has = i < after.size();
          if (had && has && before[i] == after[i]) continue;
          if (had) c.remove_backends.push_back({a->key, i, before[i]});
          if (has) c.add_backends.push_back({d->key, i, after[i]});
        }
      }
      ++a;
      ++d;
    }
  }
  return c;
}

std::string render_nft(const Table& table) {
  std::string out = fmt::format("table ip {} {{\n", kTableName);
  out += fmt::format("\tmap {} {{\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n",
                     kServicesMap);
  bool first = true;
  for (const auto& s : table.services) {
    out += fmt::format("{}\t\t\t{} . {} . {} : jump {}", first ? "\t\telements = {\n" : ",\n",
                       s.key.vip.to_string(), proto_text(s.key.protocol), s.key.port,
                       s.key.chain_name());
    first = false;
  }
  if (!first) out += " }\n";
  out += "\t}\n";
  out += fmt::format(
      "\tmap {} {{\n\t\ttype ipv4_addr . inet_proto . inet_service . mark : ipv4_addr . "
      "inet_service\n\t\tcounter\n",
      kBackendsMap);
  first = true;
  for (const auto& s : table.services) {
    for (std::uint32_t i = 0; i < s.slot_backend.size(); ++i) {
      out += fmt::format("{}\t\t\t{} . {} . {} . 0x{:08x} : {} . {}",
                         first ? "\t\telements = {\n" : ",\n", s.key.vip.to_string(),
                         proto_text(s.key.protocol), s.key.port, i,
                         s.slot_backend[i].address.to_string(), s.slot_backend[i].port);
      first = false;
    }
  }
  if (!first) out += " }\n";
  out += "\t}\n";
  out += fmt::format(
      "\tchain {} {{\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
      "\t\tip daddr . meta l4proto . th dport vmap @{}\n"
      "\t\tdnat ip to ip daddr . meta l4proto . th dport . meta mark map @{}\n\t}}\n",
      kPreroutingChain, kServicesMap, kBackendsMap);
  out += persist_map_text();
  for (const auto& s : table.services) out += chain_text(s, s.key.chain_name());
  out += "}\n";
  return out;
}

std::string render_dr_nft(const Table& table) {
  std::string out = fmt::format("table netdev {} {{\n", kTableName);
  out += fmt::format("\tmap {} {{\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n",
                     kDrServicesMap);
  bool first = true;
  for (const auto& s : table.services) {
    out += fmt::format("{}\t\t\t{} . {} . {} : jump {}", first ? "\t\telements = {\n" : ",\n",
                       s.key.vip.to_string(), proto_text(s.key.protocol), s.key.port,
                       s.key.dr_chain_name());
    first = false;
  }
  if (!first) out += " }\n";
  out += "\t}\n";
  out += fmt::format(
      "\tmap {} {{\n\t\ttype ipv4_addr . inet_proto . inet_service . mark : ether_addr\n"
      "\t\tcounter\n",
      kDrBackendsMap);
  first = true;
  for (const auto& s : table.services) {
    for (std::uint32_t i = 0; i < s.slot_backend.size(); ++i) {
      out += fmt::format("{}\t\t\t{} . {} . {} . 0x{:08x} : {}",
                         first ? "\t\telements = {\n" : ",\n", s.key.vip.to_string(),
                         proto_text(s.key.protocol), s.key.port, i,
                         mac_text(s.slot_backend[i].mac));
      first = false;
    }
  }
  if (!first) out += " }\n";
  out += "\t}\n";
  for (const auto& i : table.ingress) {
    out += fmt::format(
        "\tchain {} {{\n\t\ttype filter hook ingress device \"{}\" priority filter; policy "
        "accept;\n"
        "\t\tmeta pkttype host meta protocol ip ip daddr . meta l4proto . th dport vmap @{}\n"
        "\t\tmeta pkttype host meta protocol ip ether daddr set ip daddr . meta l4proto . th "
        "dport . meta mark map @{} ether saddr set {} fwd to \"{}\"\n\t}}\n",
        i.chain_name(), i.ifname, kDrServicesMap, kDrBackendsMap, mac_text(i.mac), i.ifname);
  }
  out += persist_map_text();
  for (const auto& s : table.services) out += chain_text(s, s.key.dr_chain_name());
  out += "}\n";
  return out;
}

}  // namespace lvsctl::director::datapath::nftlb
