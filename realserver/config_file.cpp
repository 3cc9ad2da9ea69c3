#include "realserver/config_file.hpp"

#include <cerrno>
#include <string>

namespace lvsctl::realserver {

namespace {

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

Result<std::vector<VipSpec>> parse_realserver_conf(std::string_view text,
                                                   std::string_view filename) {
  std::vector<VipSpec> specs;
  std::string errors;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    const auto words = words_of(line);
    if (words.empty()) continue;
    const std::string where = std::string(filename) + ":" + std::to_string(line_no);
    const auto fail = [&](const std::string& msg) {
      if (!errors.empty()) errors += "\n";
      errors += where + ": " + msg;
    };
    if (words[0] != "vip") {
      fail("unknown keyword '" + std::string(words[0]) + "' (expected 'vip ADDRESS')");
      continue;
    }
    if (words.size() == 1) {
      fail("'vip' needs at least one address");
      continue;
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
      specs.push_back(VipSpec{std::string(words[i]), where, false});
    }
  }
  if (!errors.empty()) return Error{errors, EINVAL};
  return specs;
}

}  // namespace lvsctl::realserver
