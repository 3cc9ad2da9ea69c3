// init.d/lvs-realsvr headers as chkconfig and insserv read them, the systemd unit's essentials
// and the defaults file's shape (plain NAME="value" lines that sh and systemd both read).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

const std::string kScript = std::string(LVSCTL_SOURCE_DIR) + "/init.d/lvs-realsvr";

// chkconfig (leveldb.c, readServiceInfo): "# chkconfig: LEVELS START STOP" read with
// sscanf("%15s %d %d"), LEVELS "-" or digits; "# description:" continued by a trailing '\'.
struct ChkconfigInfo {
  std::string levels;
  int start = -1;
  int stop = -1;
  std::string description;
};

ChkconfigInfo parse_chkconfig(const std::vector<std::string>& lines) {
  ChkconfigInfo info;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.rfind("# chkconfig:", 0) == 0) {
      std::istringstream in(l.substr(12));
      in >> info.levels >> info.start >> info.stop;
      if (!in) info.start = info.stop = -1;
    } else if (l.rfind("# description:", 0) == 0) {
      std::string text = l.substr(14);
      while (!text.empty() && text.back() == '\\' && i + 1 < lines.size()) {
        text.pop_back();
        std::string next = lines[++i];
        if (next.rfind('#', 0) == 0) next.erase(0, 1);
        text += next;
      }
      info.description = text;
    }
  }
  return info;
}

// insserv / LSB 3.1 ("Comment Conventions for Init Scripts"): the block between
// "### BEGIN INIT INFO" and "### END INIT INFO"; "# Keyword: value"; a continuation line is '#'
// followed by a tab or at least two spaces.
std::map<std::string, std::string> parse_lsb(const std::vector<std::string>& lines, bool* ok) {
  std::map<std::string, std::string> fields;
  bool in_block = false;
  bool ended = false;
  std::string last;
  *ok = true;
  static const std::regex field(R"(^# ([A-Za-z][A-Za-z0-9-]*):\s*(.*)$)");
  for (const auto& l : lines) {
    if (l == "### BEGIN INIT INFO") {
      in_block = true;
      continue;
    }
    if (l == "### END INIT INFO") {
      ended = in_block;
      break;
    }
    if (!in_block) continue;
    std::smatch m;
    if (std::regex_match(l, m, field)) {
      last = m[1];
      if (fields.count(last)) *ok = false;  // a keyword twice
      fields[last] = m[2];
    } else if ((l.rfind("#\t", 0) == 0 || l.rfind("#  ", 0) == 0) && !last.empty()) {
      fields[last] += " " + l.substr(l.find_first_not_of("# \t"));
    } else {
      *ok = false;  // not a comment line the parser understands
    }
  }
  if (!ended) *ok = false;
  return fields;
}

std::set<char> levels_of(const std::string& lsb_list) {
  std::set<char> out;
  for (char c : lsb_list) {
    if (c != ' ') out.insert(c);
  }
  return out;
}

TEST(RealsvrInitScriptHeaders, ChkconfigLineAndDescription) {
  const auto info = parse_chkconfig(lines_of(kScript));
  EXPECT_EQ(info.levels, "2345");
  EXPECT_GT(info.start, 10) << "must start after the network (S10network on RHEL)";
  EXPECT_LT(info.start, 85) << "must start before haproxy (S85)";
  EXPECT_GE(info.stop, 0);
  EXPECT_LE(info.stop, 99);
  EXPECT_EQ(info.start + info.stop, 100) << "the usual chkconfig convention: stop in reverse";
  EXPECT_NE(info.description.find("arp_ignore=1"), std::string::npos) << info.description;
  EXPECT_NE(info.description.find("restoring them on stop"), std::string::npos)
      << "continuation line not joined: " << info.description;
}

TEST(RealsvrInitScriptHeaders, LsbBlockAsInsservReadsIt) {
  bool ok = false;
  const auto f = parse_lsb(lines_of(kScript), &ok);
  EXPECT_TRUE(ok) << "LSB block malformed";
  EXPECT_EQ(f.at("Provides"), "lvs-realsvr");
  for (const char* key : {"Required-Start", "Required-Stop", "Default-Start", "Default-Stop",
                          "Short-Description", "Description"}) {
    EXPECT_TRUE(f.count(key)) << key;
  }
  EXPECT_NE(f.at("Required-Start").find("$network"), std::string::npos);
  EXPECT_NE(f.at("Required-Start").find("$local_fs"), std::string::npos);
  EXPECT_NE(f.at("Description").find("LVS-DR/TUN"), std::string::npos)
      << "continuation lines not joined: " << f.at("Description");
  // Default-Start agrees with chkconfig, Default-Stop is the rest of 0-6.
  const auto info = parse_chkconfig(lines_of(kScript));
  EXPECT_EQ(levels_of(f.at("Default-Start")), std::set<char>(info.levels.begin(), info.levels.end()));
  EXPECT_EQ(levels_of(f.at("Default-Stop")), (std::set<char>{'0', '1', '6'}));
}

TEST(RealsvrInitScriptHeaders, ScriptIsPosixShAndOverridable) {
  const auto lines = lines_of(kScript);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "#!/bin/sh");
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("LVSCTL=${LVSCTL:-/usr/sbin/lvsctl}"), std::string::npos);
  EXPECT_NE(all.find("${LVS_REALSVR_DEFAULTS:-/etc/sysconfig/lvs-realsvr /etc/default/lvs-realsvr}"),
            std::string::npos);
  for (const char* action : {"start)", "stop)", "restart)", "force-reload)", "status)"}) {
    EXPECT_NE(all.find(action), std::string::npos) << action;
  }
}

TEST(RealsvrSystemdUnit, OneshotThatStaysActive) {
  std::map<std::string, std::vector<std::string>> keys;  // "Section.Key" -> values
  std::string section;
  for (const auto& l : lines_of(std::string(LVSCTL_SOURCE_DIR) + "/init.d/lvs-realsvr.service")) {
    if (l.empty() || l[0] == '#') continue;
    if (l[0] == '[') {
      section = l.substr(1, l.find(']') - 1);
      continue;
    }
    const auto eq = l.find('=');
    ASSERT_NE(eq, std::string::npos) << l;
    keys[section + "." + l.substr(0, eq)].push_back(l.substr(eq + 1));
  }
  EXPECT_EQ(keys["Service.Type"], std::vector<std::string>{"oneshot"});
  EXPECT_EQ(keys["Service.RemainAfterExit"], std::vector<std::string>{"yes"});
  ASSERT_EQ(keys["Service.ExecStart"].size(), 1u);
  EXPECT_EQ(keys["Service.ExecStart"][0].rfind("/usr/sbin/lvsctl ", 0), 0u);
  EXPECT_NE(keys["Service.ExecStart"][0].find("realserver start"), std::string::npos);
  ASSERT_EQ(keys["Service.ExecStop"].size(), 1u);
  EXPECT_NE(keys["Service.ExecStop"][0].find("realserver stop"), std::string::npos);
  EXPECT_EQ(keys["Service.EnvironmentFile"],
            (std::vector<std::string>{"-/etc/default/lvs-realsvr", "-/etc/sysconfig/lvs-realsvr"}));
  EXPECT_EQ(keys["Install.WantedBy"], std::vector<std::string>{"multi-user.target"});
}

TEST(RealsvrDefaultsFile, PlainAssignmentsOfKnownSettings) {
  const std::set<std::string> known = {"VIPS", "CONFIG_FILE", "DIRECTOR_CONFIG", "STATE_DIR",
                                       "LVSCTL_OPTS"};
  static const std::regex assignment(R"re(^#?([A-Z_]+)="[^"$`\\]*"$)re");
  std::set<std::string> seen;
  for (const auto& l : lines_of(std::string(LVSCTL_SOURCE_DIR) + "/init.d/lvs-realsvr.default")) {
    std::smatch m;
    if (std::regex_match(l, m, assignment)) {
      EXPECT_TRUE(known.count(m[1])) << "unknown setting: " << l;
      if (l[0] != '#') seen.insert(m[1]);
      continue;
    }
    EXPECT_TRUE(l.empty() || l[0] == '#') << "not a plain NAME=\"value\" line: " << l;
  }
  EXPECT_EQ(seen, known);
}

}  // namespace
