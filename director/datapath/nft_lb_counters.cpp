#include "director/datapath/nft_lb_counters.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "director/datapath/nft_lb_writer.hpp"
#include "shared/nft/nft_objects.hpp"

namespace lvsctl::director::datapath::nftlb {
namespace {

struct Parsed {
  bool dr = false;
  std::vector<SlotCounter>* out = nullptr;
};

int counter_cb(nftnl_expr* e, void* data) {
  auto* c = static_cast<SlotCounter*>(data);
  const char* name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
  if (name && std::strcmp(name, "counter") == 0) {
    c->packets += nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
    c->bytes += nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES);
  }
  return 0;
}

int element_cb(nftnl_set_elem* e, void* data) {
  auto& p = *static_cast<Parsed*>(data);
  std::uint32_t klen = 0;
  std::uint32_t dlen = 0;
  const auto* k = static_cast<const std::uint8_t*>(nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &klen));
  const auto* d = static_cast<const std::uint8_t*>(nftnl_set_elem_get(e, NFTNL_SET_ELEM_DATA, &dlen));
  if (!k || klen != 16 || !d || dlen != (p.dr ? 6u : 8u)) return 0;
  SlotCounter c;
  auto vip = IpAddress::from_bytes(std::span(k, 4));
  if (!vip) return 0;
  c.key.vip = *vip;
  c.key.protocol = k[4];
  std::uint16_t port = 0;
  std::memcpy(&port, k + 8, 2);
  c.key.port = ntohs(port);
  std::memcpy(&c.slot, k + 12, 4);
  if (p.dr) {
    std::memcpy(c.backend.mac.data(), d, 6);
  } else {
    auto rs = IpAddress::from_bytes(std::span(d, 4));
    if (!rs) return 0;
    c.backend.address = *rs;
    std::memcpy(&port, d + 4, 2);
    c.backend.port = ntohs(port);
  }
  nftnl_set_elem_expr_foreach(e, counter_cb, &c);
  p.out->push_back(c);
  return 0;
}

// Keys per GET request: its element list is one attribute (16-bit length), and every answer
// (one message per element) is queued before we read any.
constexpr std::size_t kKeysPerRequest = 256;
constexpr std::size_t kReceiveBuffer = 4u << 20;

// One GETSETELEM of the backends map: the elements of `keys` (acked), or with no keys the whole
// map (a dump). Either way the kernel answers with the elements and their counters.
Status request_elements(NftSocket& socket, bool dr, std::span<const BackendKeyBytes> keys,
                        Parsed& parsed) {
  const std::string table(kTableName);
  const std::string map(dr ? kDrBackendsMap : kBackendsMap);
  NftnlSet s(nftnl_set_alloc());
  nftnl_set_set_str(s.get(), NFTNL_SET_TABLE, table.c_str());
  nftnl_set_set_str(s.get(), NFTNL_SET_NAME, map.c_str());
  for (const auto& key : keys) {
    nftnl_set_elem* e = nftnl_set_elem_alloc();
    nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key.data(), static_cast<std::uint32_t>(key.size()));
    nftnl_set_elem_add(s.get(), e);
  }
  std::vector<char> buf(std::size_t{8192} + keys.size() * 64);
  const std::uint32_t seq = socket.next_seq();
  nlmsghdr* nlh = nftnl_nlmsg_build_hdr(buf.data(), NFT_MSG_GETSETELEM,
                                        dr ? NFPROTO_NETDEV : NFPROTO_IPV4,
                                        keys.empty() ? NLM_F_DUMP : NLM_F_ACK, seq);
  nftnl_set_elems_nlmsg_build_payload(nlh, s.get());
  return socket.dump(
      nlh, seq,
      [&](const nlmsghdr* m) {
        NftnlSet got(nftnl_set_alloc());
        if (nftnl_set_elems_nlmsg_parse(m, got.get()) < 0) return false;
        nftnl_set_elem_foreach(got.get(), element_cb, &parsed);
        return true;
      },
      "reading the nftables datapath's counters");
}

}  // namespace

Result<std::vector<SlotCounter>> read_slot_counters(NftSocket& socket, bool dr,
                                                    const Table& applied) {
  socket.reserve_receive(kReceiveBuffer);
  std::vector<SlotCounter> out;
  Parsed parsed{dr, &out};
  std::vector<BackendKeyBytes> keys;
  keys.reserve(kKeysPerRequest);
  const auto flush = [&]() -> Status {
    if (keys.empty()) return {};
    auto st = request_elements(socket, dr, keys, parsed);
    keys.clear();
    return st;
  };
  for (const auto& service : applied.services) {
    for (std::uint32_t slot = 0; slot < service.slot_backend.size(); ++slot) {
      keys.push_back(backend_key(service.key, slot));
      if (keys.size() < kKeysPerRequest) continue;
      if (!flush()) return dump_slot_counters(socket, dr);
    }
  }
  if (!flush()) return dump_slot_counters(socket, dr);
  return out;
}

Result<std::vector<SlotCounter>> dump_slot_counters(NftSocket& socket, bool dr) {
  std::vector<SlotCounter> out;
  Parsed parsed{dr, &out};
  if (auto st = request_elements(socket, dr, {}, parsed); !st) return st.error();
  return out;
}

}  // namespace lvsctl::director::datapath::nftlb
