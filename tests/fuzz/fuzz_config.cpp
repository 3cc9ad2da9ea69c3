// libFuzzer target: the whole director config pipeline (statements -> model -> validation) must
// never crash or hang on any text, and every diagnostic must have a place.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "director/config/load.hpp"
#include "shared/conf/source_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  lvsctl::conf::MemorySources files;
  files.add("/etc/keepalived/a.conf", "real_server 10.0.0.2 80 {\n  weight 1\n}\n");
  const auto parsed = lvsctl::director::config::parse_config(
      text, "/etc/keepalived/keepalived.conf", files);
  for (const auto& d : parsed.diags) {
    if (d.where.file.empty() || d.message.empty()) std::abort();
    (void)lvsctl::conf::format(d);
  }
  return 0;
}
