// docs/keepalived-compat.md against the keyword tables: the page cannot drift from what the
// config builder does with keywords it does not implement.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "director/config/keyword_table.hpp"
#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

namespace lvsctl::director::config {
namespace {

struct Row {
  std::vector<std::string> cells;
};

// Table rows of the page (`| a | b |`), cells trimmed and without backquotes; header and
// separator rows left out.
std::vector<Row> table_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| ", 0) != 0 || line.find("---") != std::string::npos) continue;
    Row r;
    std::stringstream cells(line.substr(1));
    std::string cell;
    while (std::getline(cells, cell, '|')) {
      std::string t;
      for (char c : cell) {
        if (c != '`') t += c;
      }
      const auto b = t.find_first_not_of(' ');
      const auto e = t.find_last_not_of(' ');
      r.cells.push_back(b == std::string::npos ? std::string() : t.substr(b, e - b + 1));
    }
    if (!r.cells.empty() && r.cells[0] != "keyword" && r.cells[0] != "block") rows.push_back(r);
  }
  return rows;
}

const std::string kPage = std::string(LVSCTL_SOURCE_DIR) + "/docs/keepalived-compat.md";

TEST(CompatDoc, IgnoredKeywordsAreExactlyThoseOfTheTable) {
  std::set<std::string> documented;
  for (const auto& r : table_rows(kPage)) {
    if (r.cells.size() >= 3 && r.cells[1] == "ignored") documented.insert(r.cells[0]);
  }
  std::set<std::string> built;
  for (const auto& k : ignored_keywords()) built.insert(std::string(k.name));
  ASSERT_FALSE(built.empty());
  EXPECT_EQ(documented, built);
}

TEST(CompatDoc, RefusedKeywordsAreErrorsInTheirBlock) {
  std::size_t refused = 0;
  for (const auto& r : table_rows(kPage)) {
    if (r.cells.size() < 4 || r.cells[2] != "refused") continue;
    ++refused;
    const std::string& block = r.cells[0];
    const std::string& kw = r.cells[1];
    EXPECT_TRUE(ignored_reason(kw).empty()) << kw << " is documented as refused but ignored";
    std::string text;
    if (block == "vrrp_instance") {
      text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    " + kw +
             " x\n    virtual_ipaddress {\n        203.0.113.1\n    }\n}\n";
    } else if (block == "the top level") {
      text = kw + " {\n}\n";
    } else {
      continue;
    }
    conf::MemorySources none;
    const ParsedConfig p = parse_config(text, "c.conf", none);
    bool error = false;
    for (const auto& d : p.diags) {
      error = error || (d.severity == conf::Severity::Error &&
                        d.message.find("not supported yet: " + kw + " ") != std::string::npos);
    }
    EXPECT_TRUE(error) << block << " / " << kw;
  }
  EXPECT_GT(refused, 30U);
}

TEST(CompatDoc, SupportedKeywordsParseInTheirBlock) {
  std::size_t supported = 0;
  const auto errors = [](const std::string& text) {
    conf::MemorySources none;
    const ParsedConfig p = parse_config(text, "c.conf", none);
    std::string out;
    for (const auto& d : p.diags) {
      if (d.severity == conf::Severity::Error) out += d.message + "\n";
    }
    return out;
  };
  for (const auto& r : table_rows(kPage)) {
    if (r.cells.size() < 4 || r.cells[2] != "supported") continue;
    ++supported;
    const std::string& block = r.cells[0];
    const std::string& kw = r.cells[1];
    // A keyword is written as a block (`kw { }`) or as a line (`kw`): one of them must load.
    std::vector<std::string> forms;
    if (block == "vrrp_instance") {
      const std::string head = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    ";
      const std::string tail = "\n    virtual_ipaddress {\n        203.0.113.1\n    }\n}\n";
      forms = {head + kw + " {\n    }" + tail, head + kw + tail, head + kw + " 1" + tail};
    } else if (block == "global_defs") {
      forms = {"global_defs {\n    " + kw + "\n}\n", "global_defs {\n    " + kw + " /tmp/x\n}\n",
               "global_defs {\n    " + kw + " 1\n}\n",
               "global_defs {\n    " + kw + " tcp 1\n}\n"};  // lvs_timeouts
    } else if (block == "the top level") {
      // Named blocks get a name and what they cannot do without.
      if (kw.find("track_file") != std::string::npos) {
        forms = {kw + " T1 {\n    file /tmp/t1\n}\n", kw + " lt-doc\n"};
      } else if (kw == "vrrp_track_process") {
        forms = {kw + " T1 {\n    process t1\n}\n", kw + " lt-doc\n"};
      } else {
        forms = {kw + " {\n}\n", kw + " lt-doc\n"};
      }
    } else {
      continue;
    }
    std::string why;
    bool loads = false;
    for (const auto& text : forms) {
      const auto e = errors(text);
      loads = loads || e.empty();
      why += e;
    }
    EXPECT_TRUE(loads) << block << " / " << kw << ": " << why;
  }
  EXPECT_GE(supported, 9U);
}

}  // namespace
}  // namespace lvsctl::director::config
