#pragma once
// Owning handles for libnftnl objects (adapter-internal).
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include <memory>

namespace lvsctl {

template <typename T, void (*Free)(const T*)>
struct NftnlDeleter {
  void operator()(T* p) const { Free(p); }
};
using NftnlTable = std::unique_ptr<nftnl_table, NftnlDeleter<nftnl_table, nftnl_table_free>>;
using NftnlChain = std::unique_ptr<nftnl_chain, NftnlDeleter<nftnl_chain, nftnl_chain_free>>;
using NftnlRule = std::unique_ptr<nftnl_rule, NftnlDeleter<nftnl_rule, nftnl_rule_free>>;
using NftnlSet = std::unique_ptr<nftnl_set, NftnlDeleter<nftnl_set, nftnl_set_free>>;

}  // namespace lvsctl
