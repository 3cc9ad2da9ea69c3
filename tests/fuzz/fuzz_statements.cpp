// libFuzzer target: parse_statements() must never crash, hang or leave a word or diagnostic
// without a place, whatever the text. The input is the main file; it can include itself (a loop),
// a file that leaves a block open, one that closes a block it did not open and includes the main
// file again, and globs matching them. (The included files are fixed and small: a second copy of
// the input would make the work quadratic in the input size, which tells nothing new.)
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "shared/conf/source_files.hpp"
#include "shared/conf/statement.hpp"

namespace {

using lvsctl::conf::Diagnostics;
using lvsctl::conf::Location;
using lvsctl::conf::Statement;

void check(const Location& where) {
  if (where.file.empty() || where.line < 1 || where.column < 1) std::abort();
}

void check(const std::vector<Statement>& statements, int depth) {
  if (depth > 200) std::abort();
  for (const Statement& s : statements) {
    check(s.keyword.where);
    for (const auto& arg : s.args) check(arg.where);
    if (!s.has_block && !s.block.empty()) std::abort();
    check(s.block, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lvsctl::conf::MemorySources files;
  files.add("/etc/keepalived/keepalived.conf", text);
  files.add("/etc/keepalived/conf.d/a.conf", "virtual_server 10.0.0.1 80 {\n  lb_algo rr\n");
  files.add("/etc/keepalived/conf.d/b.conf", "include ../keepalived.conf\n}\n");
  files.add("/etc/keepalived/a.conf", "a 1 {\n b \"c\" }\n");

  Diagnostics diags;
  const std::vector<Statement> statements =
      lvsctl::conf::parse_statements(text, "/etc/keepalived/keepalived.conf", files, diags);
  check(statements, 0);
  for (const auto& d : diags) {
    check(d.where);
    if (d.message.empty()) std::abort();
    (void)lvsctl::conf::format(d);
  }
  return 0;
}
