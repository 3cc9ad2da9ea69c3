#pragma once
// A minimal reader of classic pcap files (Ethernet link type, either byte order), for golden tests
// against captured packets. Test-only; throws on malformed files.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace lvsctl::test {

struct PcapFrame {
  uint32_t seconds = 0;
  uint32_t micros = 0;
  std::vector<uint8_t> bytes;  // the Ethernet frame as captured

  uint16_t ethertype() const { return static_cast<uint16_t>((bytes.at(12) << 8) | bytes.at(13)); }
  std::span<const uint8_t> payload() const { return std::span(bytes).subspan(14); }
};

inline std::vector<PcapFrame> read_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  const std::vector<uint8_t> f((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
  if (f.size() < 24) throw std::runtime_error(path + ": too short for a pcap header");
  const uint32_t magic = static_cast<uint32_t>(f[0] | f[1] << 8 | f[2] << 16) | uint32_t{f[3]}
                                                                                    << 24;
  bool little;
  if (magic == 0xa1b2c3d4u) {
    little = true;
  } else if (magic == 0xd4c3b2a1u) {
    little = false;
  } else {
    throw std::runtime_error(path + ": not a microsecond pcap file");
  }
  auto u32 = [&](std::size_t at) -> uint32_t {
    if (at + 4 > f.size()) throw std::runtime_error(path + ": truncated");
    return little ? (uint32_t{f[at]} | uint32_t{f[at + 1]} << 8 | uint32_t{f[at + 2]} << 16 |
                     uint32_t{f[at + 3]} << 24)
                  : (uint32_t{f[at + 3]} | uint32_t{f[at + 2]} << 8 | uint32_t{f[at + 1]} << 16 |
                     uint32_t{f[at]} << 24);
  };
  if (u32(20) != 1) throw std::runtime_error(path + ": link type is not Ethernet");
  std::vector<PcapFrame> frames;
  std::size_t at = 24;
  while (at < f.size()) {
    PcapFrame fr;
    fr.seconds = u32(at);
    fr.micros = u32(at + 4);
    const uint32_t caplen = u32(at + 8);
    at += 16;
    if (at + caplen > f.size()) throw std::runtime_error(path + ": truncated record");
    fr.bytes.assign(f.begin() + static_cast<std::ptrdiff_t>(at),
                    f.begin() + static_cast<std::ptrdiff_t>(at + caplen));
    at += caplen;
    frames.push_back(std::move(fr));
  }
  return frames;
}

}  // namespace lvsctl::test
