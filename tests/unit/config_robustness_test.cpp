// Mutated configurations never crash the pipeline, and every error still points at a line.
// Deterministic (fixed seed), so a failure reproduces; the fuzz target explores further.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "director/config/load.hpp"
#include "director/example_cluster.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string mutate(std::string text, std::mt19937& rng) {
  static const std::vector<std::string> kTokens = {"{",
                                                   "}",
                                                   "\n",
                                                   " ",
                                                   "#",
                                                   "!",
                                                   "\"",
                                                   "real_server",
                                                   "virtual_server",
                                                   "TCP_CHECK",
                                                   "vrrp_instance",
                                                   "virtual_ipaddress",
                                                   "group",
                                                   "fwmark",
                                                   "999999999999",
                                                   "-1",
                                                   "0.0000001",
                                                   "203.0.113.1-200",
                                                   "2001:db8::1/129",
                                                   "lb_kind",
                                                   "dr",
                                                   "weight",
                                                   "url",
                                                   "include x"};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t pos = rng() % text.size();
    const std::size_t len = 1 + rng() % 40;
    switch (rng() % 4) {
      case 0:
        text.erase(pos, len);
        break;
      case 1:
        text.insert(pos, text.substr(rng() % text.size(), len));
        break;
      case 2:
        text.insert(pos, kTokens[rng() % kTokens.size()]);
        break;
      default:
        text[pos] = static_cast<char>(rng() % 256);
        break;
    }
  }
  return text;
}

TEST(ConfigRobustness, MutatedConfigsNeverCrashAndErrorsHaveLines) {
  std::vector<std::string> seeds = {example_cluster_config(ExampleDirector::Master)};
  for (const char* name : {"seed-master.conf", "seed-backup.conf"}) {
    seeds.push_back(read_file(std::string(LVSCTL_TESTDATA_DIR) + "/configs/" + name));
    ASSERT_FALSE(seeds.back().empty()) << "missing seed tests/data/configs/" << name;
  }
  for (const char* name : {"keepalived.conf.sample", "keepalived.conf.SSL_GET",
                           "keepalived.conf.virtual_server_group", "keepalived.conf.vrrp.sync"}) {
    const std::string text = read_file(std::string("/usr/share/doc/keepalived/samples/") + name);
    // Debian's keepalived package (installed by .ci/install-test-deps) ships these samples.
    ASSERT_FALSE(text.empty()) << "missing /usr/share/doc/keepalived/samples/" << name;
    seeds.push_back(text);
  }
  std::mt19937 rng(20261126);
  std::size_t runs = 0;
  std::size_t with_errors = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = mutate(seeds[static_cast<std::size_t>(i) % seeds.size()], rng);
    conf::MemorySources files;
    const ParsedConfig p = parse_config(text, "m.conf", files);
    ++runs;
    if (conf::has_errors(p.diags)) ++with_errors;
    for (const auto& d : p.diags) {
      ASSERT_GE(d.where.line, 1) << conf::format(d) << "\n--- input ---\n" << text;
      ASSERT_FALSE(d.message.empty());
    }
  }
  EXPECT_EQ(runs, 3000U);
  EXPECT_GT(with_errors, 1000U) << "the mutations should mostly break the configs";
}

}  // namespace
}  // namespace lvsctl::director::config
