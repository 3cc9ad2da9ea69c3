#include "director/config/values.hpp"

#include <charconv>
#include <limits>
#include <string>

namespace lvsctl::director::config {

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_signed(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<Duration> parse_timer(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;  // "3."
  if (frac.size() > 6) return std::nullopt;
  std::uint64_t seconds = 0;
  if (!whole.empty()) {
    auto s = parse_unsigned(whole);
    // Keep far from overflow: keepalived timers are well below 2^32 seconds.
    if (!s || *s > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
    seconds = *s;
  }
  std::uint64_t micros = 0;
  if (!frac.empty()) {
    auto f = parse_unsigned(frac);
    if (!f) return std::nullopt;
    micros = *f;
    for (std::size_t i = frac.size(); i < 6; ++i) micros *= 10;
  }
  return Duration(static_cast<std::int64_t>(seconds * 1'000'000 + micros));
}

std::string_view shell_operator(std::string_view command) {
  std::size_t start = command.find_first_not_of(' ');
  if (start == std::string_view::npos) return {};
  std::string_view first = command.substr(start, command.find(' ', start) - start);
  if (const std::size_t slash = first.rfind('/'); slash != std::string_view::npos) {
    first.remove_prefix(slash + 1);
  }
  static constexpr std::string_view kShells[] = {"sh", "bash", "dash", "ksh", "zsh", "ash"};
  for (auto sh : kShells) {
    if (first == sh) return {};
  }
  static constexpr std::string_view kOperators[] = {"&&", "||", "$(", ">", "<", "|", ";", "`"};
  std::size_t best = std::string_view::npos;
  std::string_view found;
  for (auto op : kOperators) {
    const std::size_t at = command.find(op);
    if (at < best) {
      best = at;
      found = op;
    }
  }
  if (found.empty() && command.ends_with('&')) return "&";
  return found;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<bool> parse_bool(std::string_view text) {
  for (auto t : {"on", "true", "yes"}) {
    if (iequals(text, t)) return true;
  }
  for (auto f : {"off", "false", "no"}) {
    if (iequals(text, f)) return false;
  }
  return std::nullopt;
}

std::string duration_seconds(Duration d) {
  const auto us = d.count();
  std::string out = std::to_string(us / 1'000'000);
  auto frac = us % 1'000'000;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 6 - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string format_duration(Duration d) { return duration_seconds(d) + "s"; }

}  // namespace lvsctl::director::config
