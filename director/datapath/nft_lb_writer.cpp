#include "director/datapath/nft_lb_writer.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "shared/nft/nft_batch.hpp"
#include "shared/nft/nft_objects.hpp"

namespace lvsctl::director::datapath::nftlb {
namespace {

// nft's datatype ids (shown by `nft list`); a concatenation packs them 6 bits apart.
constexpr std::uint32_t kTypeIpv4 = 7, kTypeProto = 12, kTypeService = 13, kTypeMark = 19,
                        kTypeEther = 9;
// Which table a message is for: `table ip lvsctl` (NAT) or `table netdev lvsctl` (DR).
thread_local std::uint16_t t_family = NFPROTO_IPV4;
struct FamilyScope {
  explicit FamilyScope(std::uint16_t family) : saved(t_family) { t_family = family; }
  ~FamilyScope() { t_family = saved; }
  FamilyScope(const FamilyScope&) = delete;
  FamilyScope& operator=(const FamilyScope&) = delete;
  std::uint16_t saved;
};
constexpr std::uint32_t concat(std::uint32_t a, std::uint32_t b) { return (a << 6) | b; }
constexpr std::uint32_t kServicesSetId = 1, kBackendsSetId = 2, kPersistSetId = 3;
// A message's element list is one netlink attribute, whose length is 16 bits: stay well under.
constexpr std::size_t kElementsPerMessage = 256;

const std::string kTable(kTableName);

using ServiceBytes = std::array<std::uint8_t, 12>;  // addr . proto(+3) . port(+2)
using EndpointBytes = std::array<std::uint8_t, 8>;  // addr . port(+2)

ServiceBytes service_bytes(const ServiceKey& k) {
  ServiceBytes b{};
  std::memcpy(b.data(), k.vip.bytes().data(), 4);
  b[4] = k.protocol;
  const std::uint16_t port = htons(k.port);
  std::memcpy(b.data() + 8, &port, 2);
  return b;
}

}  // namespace

BackendKeyBytes backend_key(const ServiceKey& k, std::uint32_t slot) {
  BackendKeyBytes b{};
  const auto s = service_bytes(k);
  std::memcpy(b.data(), s.data(), s.size());
  std::memcpy(b.data() + 12, &slot, 4);  // meta mark: host order in the register
  return b;
}

namespace {

EndpointBytes endpoint_bytes(const Endpoint& e) {
  EndpointBytes b{};
  std::memcpy(b.data(), e.address.bytes().data(), 4);
  const std::uint16_t port = htons(e.port);
  std::memcpy(b.data() + 4, &port, 2);
  return b;
}

NftnlSet set_named(std::string_view name) {
  NftnlSet s(nftnl_set_alloc());
  nftnl_set_set_u32(s.get(), NFTNL_SET_FAMILY, t_family);
  nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, kTable.c_str());
  nftnl_set_set_str(s.get(), NFTNL_SET_NAME, std::string(name).c_str());
  return s;
}

void add_table_message(NftBatch& batch, std::uint16_t type, std::uint16_t flags) {
  NftnlTable t(nftnl_table_alloc());
  nftnl_table_set_u32(t.get(), NFTNL_TABLE_FAMILY, t_family);
  nftnl_table_set_str(t.get(), NFTNL_TABLE_NAME, kTable.c_str());
  nftnl_table_nlmsg_build_payload(batch.add(type, t_family, flags), t.get());
  batch.commit();
}

void add_chain(NftBatch& batch, const std::string& name, bool hook,
               const std::string& device = {}) {
  NftnlChain c(nftnl_chain_alloc());
  nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_FAMILY, t_family);
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TABLE, kTable.c_str());
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_NAME, name.c_str());
  if (!device.empty()) {  // netdev ingress on `device`, priority filter
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_HOOKNUM, NF_NETDEV_INGRESS);
    nftnl_chain_set_s32(c.get(), NFTNL_CHAIN_PRIO, 0);
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TYPE, "filter");
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_DEV, device.c_str());
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_POLICY, NF_ACCEPT);
  } else if (hook) {
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_HOOKNUM, NF_INET_PRE_ROUTING);
    nftnl_chain_set_s32(c.get(), NFTNL_CHAIN_PRIO, -100);  // dstnat
    nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TYPE, "nat");
    nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_POLICY, NF_ACCEPT);
  }
  nftnl_chain_nlmsg_build_payload(batch.add(NFT_MSG_NEWCHAIN, t_family, NLM_F_CREATE), c.get());
  batch.commit();
}

void delete_chain(NftBatch& batch, const std::string& name) {
  NftnlChain c(nftnl_chain_alloc());
  nftnl_chain_set_u32(c.get(), NFTNL_CHAIN_FAMILY, t_family);
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_TABLE, kTable.c_str());
  nftnl_chain_set_str(c.get(), NFTNL_CHAIN_NAME, name.c_str());
  nftnl_chain_nlmsg_build_payload(batch.add(NFT_MSG_DELCHAIN, t_family, 0), c.get());
  batch.commit();
}

nftnl_expr* payload(std::uint32_t base, std::uint32_t offset, std::uint32_t len,
                    std::uint32_t dreg) {
  nftnl_expr* e = nftnl_expr_alloc("payload");
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
  return e;
}

nftnl_expr* meta_load(std::uint32_t key, std::uint32_t dreg) {
  nftnl_expr* e = nftnl_expr_alloc("meta");
  nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
  nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
  return e;
}

nftnl_expr* lookup(std::string_view set, std::uint32_t set_id, std::uint32_t dreg) {
  nftnl_expr* e = nftnl_expr_alloc("lookup");
  nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
  nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, dreg);
  nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, std::string(set).c_str());
  nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
  return e;
}

// ip daddr . meta l4proto . th dport into reg 1, reg32 01, reg32 02.
void load_service_key(nftnl_rule* r) {
  nftnl_rule_add_expr(r, payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG_1));
  nftnl_rule_add_expr(r, meta_load(NFT_META_L4PROTO, NFT_REG32_01));
  nftnl_rule_add_expr(r, payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG32_02));
}

NftnlRule rule_in(const std::string& chain) {
  NftnlRule r(nftnl_rule_alloc());
  nftnl_rule_set_u32(r.get(), NFTNL_RULE_FAMILY, t_family);
  nftnl_rule_set_str(r.get(), NFTNL_RULE_TABLE, kTable.c_str());
  nftnl_rule_set_str(r.get(), NFTNL_RULE_CHAIN, chain.c_str());
  return r;
}

void add_rule(NftBatch& batch, const NftnlRule& r) {
  nftnl_rule_nlmsg_build_payload(
      batch.add(NFT_MSG_NEWRULE, t_family, NLM_F_CREATE | NLM_F_APPEND), r.get());
  batch.commit();
}

// map persist { type ipv4_addr . inet_proto . inet_service . ipv4_addr : mark; flags dynamic,
// timeout; size ... }: persistence_timeout's client -> slot, filled by the packet path.
void add_persist_map(NftBatch& batch) {
  auto persist = set_named(kPersistMap);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_ID, kPersistSetId);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_FLAGS, NFT_SET_MAP | NFT_SET_TIMEOUT | NFT_SET_EVAL);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_KEY_TYPE,
                    concat(concat(concat(kTypeIpv4, kTypeProto), kTypeService), kTypeIpv4));
  nftnl_set_set_u32(persist.get(), NFTNL_SET_KEY_LEN, 16);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_DATA_TYPE, kTypeMark);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_DATA_LEN, 4);
  nftnl_set_set_u32(persist.get(), NFTNL_SET_DESC_SIZE, kPersistMapSize);
  nftnl_set_nlmsg_build_payload(batch.add(NFT_MSG_NEWSET, t_family, NLM_F_CREATE), persist.get());
  batch.commit();
}

// add + delete + add: replaces a leftover table of ours (a crash) without failing when there is
// none, in the same transaction.
void replace_table(NftBatch& batch) {
  add_table_message(batch, NFT_MSG_NEWTABLE, NLM_F_CREATE);
  add_table_message(batch, NFT_MSG_DELTABLE, 0);
  add_table_message(batch, NFT_MSG_NEWTABLE, NLM_F_CREATE);
}

// ip daddr . meta l4proto . th dport : verdict (a jump to the service's chain).
void add_services_map(NftBatch& batch, std::string_view name) {
  auto services = set_named(name);
  nftnl_set_set_u32(services.get(), NFTNL_SET_ID, kServicesSetId);
  nftnl_set_set_u32(services.get(), NFTNL_SET_FLAGS, NFT_SET_MAP);
  nftnl_set_set_u32(services.get(), NFTNL_SET_KEY_TYPE,
                    concat(concat(kTypeIpv4, kTypeProto), kTypeService));
  nftnl_set_set_u32(services.get(), NFTNL_SET_KEY_LEN, 12);
  nftnl_set_set_u32(services.get(), NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
  nftnl_set_set_u32(services.get(), NFTNL_SET_DATA_LEN, 0);
  nftnl_set_nlmsg_build_payload(batch.add(NFT_MSG_NEWSET, t_family, NLM_F_CREATE),
                                services.get());
  batch.commit();
}

// ip daddr . meta l4proto . th dport . mark : the real server (`data_type`, `data_len` bytes: an
// address and port for NAT, a MAC for DR), with a counter per element (status).
void add_backends_map(NftBatch& batch, std::string_view name, std::uint32_t data_type,
                      std::uint32_t data_len) {
  auto backends = set_named(name);
  nftnl_set_set_u32(backends.get(), NFTNL_SET_ID, kBackendsSetId);
  nftnl_set_set_u32(backends.get(), NFTNL_SET_FLAGS, NFT_SET_MAP);
  nftnl_set_set_u32(backends.get(), NFTNL_SET_KEY_TYPE,
                    concat(concat(concat(kTypeIpv4, kTypeProto), kTypeService), kTypeMark));
  nftnl_set_set_u32(backends.get(), NFTNL_SET_KEY_LEN, 16);
  nftnl_set_set_u32(backends.get(), NFTNL_SET_DATA_TYPE, data_type);
  nftnl_set_set_u32(backends.get(), NFTNL_SET_DATA_LEN, data_len);
  nftnl_set_add_expr(backends.get(), nftnl_expr_alloc("counter"));
  nftnl_set_nlmsg_build_payload(batch.add(NFT_MSG_NEWSET, t_family, NLM_F_CREATE),
                                backends.get());
  batch.commit();
}

void create_table(NftBatch& batch) {
  replace_table(batch);
  add_services_map(batch, kServicesMap);
  add_backends_map(batch, kBackendsMap, concat(kTypeIpv4, kTypeService), 8);
  add_persist_map(batch);
  const std::string prerouting(kPreroutingChain);
  add_chain(batch, prerouting, true);
  {
    auto r = rule_in(prerouting);  // ip daddr . meta l4proto . th dport vmap @services
    load_service_key(r.get());
    nftnl_rule_add_expr(r.get(), lookup(kServicesMap, kServicesSetId, NFT_REG_VERDICT));
    add_rule(batch, r);
  }
  {
    auto r = rule_in(prerouting);  // dnat ip to ... . meta mark map @backends
    load_service_key(r.get());
    nftnl_rule_add_expr(r.get(), meta_load(NFT_META_MARK, NFT_REG32_03));
    nftnl_rule_add_expr(r.get(), lookup(kBackendsMap, kBackendsSetId, NFT_REG_1));
    nftnl_expr* nat = nftnl_expr_alloc("nat");
    nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT);
    nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
    nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
    nftnl_expr_set_u32(nat, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG32_01);
    nftnl_rule_add_expr(r.get(), nat);
    add_rule(batch, r);
  }
}

nftnl_expr* cmp_eq(const void* data, std::uint32_t len) {
  nftnl_expr* cmp = nftnl_expr_alloc("cmp");
  nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
  nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
  nftnl_expr_set(cmp, NFTNL_EXPR_CMP_DATA, data, len);
  return cmp;
}

// meta pkttype host meta protocol ip: frames sent to this director's MAC only (a bridge floods
// frames for other hosts, e.g. the other director's, to us too), IPv4 (the payload of ip daddr
// needs it at netdev).
void match_host_ipv4(nftnl_rule* r) {
  nftnl_rule_add_expr(r, meta_load(NFT_META_PKTTYPE, NFT_REG_1));
  const std::uint8_t host = 0;  // PACKET_HOST
  nftnl_rule_add_expr(r, cmp_eq(&host, 1));
  nftnl_rule_add_expr(r, meta_load(NFT_META_PROTOCOL, NFT_REG_1));
  const std::uint16_t ip = htons(0x0800);
  nftnl_rule_add_expr(r, cmp_eq(&ip, sizeof ip));
}

nftnl_expr* immediate(std::uint32_t dreg, const void* data, std::uint32_t len) {
  nftnl_expr* e = nftnl_expr_alloc("immediate");
  nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, dreg);
  nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
  return e;
}

nftnl_expr* payload_write(std::uint32_t offset, std::uint32_t len, std::uint32_t sreg) {
  nftnl_expr* e = nftnl_expr_alloc("payload");
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_LL_HEADER);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
  nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, sreg);
  return e;
}

void create_dr_table(NftBatch& batch) {
  replace_table(batch);
  add_services_map(batch, kDrServicesMap);
  add_backends_map(batch, kDrBackendsMap, kTypeEther, 6);
  add_persist_map(batch);
}

// The ingress chain of one interface (see nft_lb_table.hpp).
void add_ingress_chain(NftBatch& batch, const Ingress& in) {
  const std::string name = in.chain_name();
  add_chain(batch, name, false, in.ifname);
  {
    auto r = rule_in(name);  // meta protocol ip ip daddr . meta l4proto . th dport vmap @...
    match_host_ipv4(r.get());
    load_service_key(r.get());
    nftnl_rule_add_expr(r.get(), lookup(kDrServicesMap, kServicesSetId, NFT_REG_VERDICT));
    add_rule(batch, r);
  }
  auto r = rule_in(name);
  match_host_ipv4(r.get());
  load_service_key(r.get());
  nftnl_rule_add_expr(r.get(), meta_load(NFT_META_MARK, NFT_REG32_03));
  nftnl_rule_add_expr(r.get(), lookup(kDrBackendsMap, kBackendsSetId, NFT_REG_2));
  nftnl_rule_add_expr(r.get(), payload_write(0, 6, NFT_REG_2));  // ether daddr
  nftnl_rule_add_expr(r.get(), immediate(NFT_REG_3, in.mac.data(), 6));
  nftnl_rule_add_expr(r.get(), payload_write(6, 6, NFT_REG_3));  // ether saddr
  const auto ifindex = static_cast<std::uint32_t>(in.ifindex);
  nftnl_rule_add_expr(r.get(), immediate(NFT_REG_1, &ifindex, 4));
  nftnl_expr* fwd = nftnl_expr_alloc("fwd");
  nftnl_expr_set_u32(fwd, NFTNL_EXPR_FWD_SREG_DEV, NFT_REG_1);
  nftnl_rule_add_expr(r.get(), fwd);
  add_rule(batch, r);
}

// ip daddr . meta l4proto . th dport . ip saddr into reg 1 (words 0-3).
void load_persist_key(nftnl_rule* r) {
  load_service_key(r);
  nftnl_rule_add_expr(r, payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG32_03));
}

nftnl_expr* dynset(std::uint32_t op, std::uint32_t seconds) {
  nftnl_expr* e = nftnl_expr_alloc("dynset");
  nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
  nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_DATA, NFT_REG_2);
  nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, op);
  nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, std::uint64_t{seconds} * 1000);
  nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, std::string(kPersistMap).c_str());
  nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SET_ID, kPersistSetId);
  return e;
}

void set_mark_from(nftnl_rule* r, std::uint32_t sreg) {
  nftnl_expr* set_mark = nftnl_expr_alloc("meta");
  nftnl_expr_set_u32(set_mark, NFTNL_EXPR_META_KEY, NFT_META_MARK);
  nftnl_expr_set_u32(set_mark, NFTNL_EXPR_META_SREG, sreg);
  nftnl_rule_add_expr(r, set_mark);
}

void add_service_chain(NftBatch& batch, const ServiceChain& sc, bool dr) {
  const std::string name = dr ? sc.key.dr_chain_name() : sc.key.chain_name();
  add_chain(batch, name, false);
  if (sc.persist != 0) {
    // meta mark set KEY map @persist update @persist { KEY timeout T : meta mark } return
    auto p = rule_in(name);
    load_persist_key(p.get());
    nftnl_rule_add_expr(p.get(), lookup(kPersistMap, kPersistSetId, NFT_REG_2));
    set_mark_from(p.get(), NFT_REG_2);
    nftnl_rule_add_expr(p.get(), dynset(NFT_DYNSET_OP_UPDATE, sc.persist));
    nftnl_expr* ret = nftnl_expr_alloc("immediate");
    nftnl_expr_set_u32(ret, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
    nftnl_expr_set_u32(ret, NFTNL_EXPR_IMM_VERDICT, static_cast<std::uint32_t>(NFT_RETURN));
    nftnl_rule_add_expr(p.get(), ret);
    add_rule(batch, p);
  }
  auto r = rule_in(name);
  if (sc.pick == Pick::SourceHash || sc.pick == Pick::FlowHash) {
    // meta mark set jhash ip saddr [. th sport] mod S seed 0x0
    nftnl_rule_add_expr(r.get(), payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1));
    if (sc.pick == Pick::FlowHash) {
      nftnl_rule_add_expr(r.get(), payload(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, NFT_REG32_01));
    }
    nftnl_expr* h = nftnl_expr_alloc("hash");
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_SREG, NFT_REG_1);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_DREG, NFT_REG_1);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_LEN, sc.pick == Pick::FlowHash ? 8 : 4);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_MODULUS, sc.slots);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_SEED, 0);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_OFFSET, 0);
    nftnl_expr_set_u32(h, NFTNL_EXPR_HASH_TYPE, NFT_HASH_JENKINS);
    nftnl_rule_add_expr(r.get(), h);
  } else {  // meta mark set numgen inc mod S
    nftnl_expr* g = nftnl_expr_alloc("numgen");
    nftnl_expr_set_u32(g, NFTNL_EXPR_NG_DREG, NFT_REG_1);
    nftnl_expr_set_u32(g, NFTNL_EXPR_NG_MODULUS, sc.slots);
    nftnl_expr_set_u32(g, NFTNL_EXPR_NG_TYPE, NFT_NG_INCREMENTAL);
    nftnl_expr_set_u32(g, NFTNL_EXPR_NG_OFFSET, 0);
    nftnl_rule_add_expr(r.get(), g);
  }
  set_mark_from(r.get(), NFT_REG_1);
  add_rule(batch, r);
  if (sc.persist != 0) {  // add @persist { KEY timeout T : meta mark }
    auto a = rule_in(name);
    load_persist_key(a.get());
    nftnl_rule_add_expr(a.get(), meta_load(NFT_META_MARK, NFT_REG_2));
    nftnl_rule_add_expr(a.get(), dynset(NFT_DYNSET_OP_ADD, sc.persist));
    add_rule(batch, a);
  }
}

// Elements in messages of kElementsPerMessage; `fill` adds element i to the set.
template <typename Fill>
void element_messages(NftBatch& batch, std::string_view set, std::uint16_t type,
                      std::size_t count, std::size_t element_size, const Fill& fill) {
  for (std::size_t start = 0; start < count; start += kElementsPerMessage) {
    auto s = set_named(set);
    const std::size_t end = std::min(count, start + kElementsPerMessage);
    for (std::size_t i = start; i < end; ++i) nftnl_set_elem_add(s.get(), fill(i));
    nftnl_set_elems_nlmsg_build_payload(
        batch.add(type, t_family, type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
                  (end - start) * element_size + 1024),
        s.get());
    batch.commit();
  }
}

nftnl_set_elem* backend_element(const SlotElement& el, bool with_data) {
  nftnl_set_elem* e = nftnl_set_elem_alloc();
  const auto key = backend_key(el.key, el.slot);
  nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key.data(), key.size());
  if (with_data && t_family == NFPROTO_NETDEV) {  // DR: the real server's MAC
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, el.backend.mac.data(), 6);
  } else if (with_data) {
    const auto data = endpoint_bytes(el.backend);
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, data.data(), data.size());
  }
  return e;
}

nftnl_set_elem* service_element(const ServiceKey& k, bool with_data) {
  nftnl_set_elem* e = nftnl_set_elem_alloc();
  const auto key = service_bytes(k);
  nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key.data(), key.size());
  if (with_data) {
    nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT, static_cast<std::uint32_t>(NFT_JUMP));
    const std::string chain = t_family == NFPROTO_NETDEV ? k.dr_chain_name() : k.chain_name();
    nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_CHAIN, chain.c_str());
  }
  return e;
}

}  // namespace

void add_changes(NftBatch& batch, const Changes& c) {
  FamilyScope family(c.dr ? NFPROTO_NETDEV : NFPROTO_IPV4);
  const std::string_view backends = c.dr ? kDrBackendsMap : kBackendsMap;
  const std::string_view services = c.dr ? kDrServicesMap : kServicesMap;
  if (c.create_table) {
    if (c.dr) {
      create_dr_table(batch);
    } else {
      create_table(batch);
    }
  }
  for (const auto& in : c.remove_ingress) delete_chain(batch, in.chain_name());
  element_messages(batch, backends, NFT_MSG_DELSETELEM, c.remove_backends.size(), 64,
                   [&](std::size_t i) { return backend_element(c.remove_backends[i], false); });
  element_messages(batch, services, NFT_MSG_DELSETELEM, c.remove_services.size(), 64,
                   [&](std::size_t i) { return service_element(c.remove_services[i], false); });
  for (const auto& k : c.remove_chains) {
    delete_chain(batch, c.dr ? k.dr_chain_name() : k.chain_name());
  }
  for (const auto& sc : c.add_chains) add_service_chain(batch, sc, c.dr);
  element_messages(batch, services, NFT_MSG_NEWSETELEM, c.add_services.size(), 128,
                   [&](std::size_t i) { return service_element(c.add_services[i], true); });
  element_messages(batch, backends, NFT_MSG_NEWSETELEM, c.add_backends.size(), 96,
                   [&](std::size_t i) { return backend_element(c.add_backends[i], true); });
  for (const auto& in : c.add_ingress) add_ingress_chain(batch, in);
}

Result<std::size_t> write_changes(NftSocket& socket, const Changes& c) {
  return write_changes(socket, std::vector<const Changes*>{&c});
}

Result<std::size_t> write_changes(NftSocket& socket, const std::vector<const Changes*>& all) {
  NftBatch batch;
  bool any = false;
  for (const Changes* c : all) {
    if (c->empty()) continue;
    add_changes(batch, *c);
    any = true;
  }
  if (!any) return std::size_t{0};
  batch.finish();
  if (auto st = socket.send_batch(batch.data(), batch.size()); !st) return st.error();
  return batch.messages();
}

Status delete_table(NftSocket& socket, bool dr) {
  FamilyScope family(dr ? NFPROTO_NETDEV : NFPROTO_IPV4);
  NftBatch batch;
  add_table_message(batch, NFT_MSG_NEWTABLE, NLM_F_CREATE);
  add_table_message(batch, NFT_MSG_DELTABLE, 0);
  batch.finish();
  return socket.send_batch(batch.data(), batch.size());
}

}  // namespace lvsctl::director::datapath::nftlb
