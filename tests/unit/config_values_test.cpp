// Value types and readers of the config model: prefixes, timers, suggestions, JSON writer.
#include <gtest/gtest.h>

#include "director/config/ip_prefix.hpp"
#include "director/config/keyword_table.hpp"
#include "director/config/values.hpp"
#include "shared/json_writer.hpp"

namespace lvsctl::director::config {
namespace {

TEST(ConfigValues, Prefixes) {
  EXPECT_EQ(IpPrefix::parse("203.0.113.1")->length, 32);
  EXPECT_EQ(IpPrefix::parse("2001:db8::1")->length, 128);
  EXPECT_EQ(IpPrefix::parse("203.0.113.1/24")->to_string(), "203.0.113.1/24");
  EXPECT_FALSE(IpPrefix::parse("203.0.113.1/33"));
  EXPECT_FALSE(IpPrefix::parse("203.0.113.1/"));
  EXPECT_FALSE(IpPrefix::parse("203.0.113.1/x"));
  EXPECT_TRUE(IpPrefix::parse("2001:db8::/64"));
}

TEST(ConfigValues, Timers) {
  EXPECT_EQ(parse_timer("3"), Duration(3'000'000));
  EXPECT_EQ(parse_timer("0.5"), Duration(500'000));
  EXPECT_EQ(parse_timer("2.71828"), Duration(2'718'280));
  EXPECT_EQ(parse_timer(".25"), Duration(250'000));
  EXPECT_EQ(parse_timer("0.000001"), Duration(1));
  for (const char* bad : {"", "-1", "1.", "1.2.3", "1e3", "0.0000001", "abc", "3s"}) {
    EXPECT_FALSE(parse_timer(bad)) << bad;
  }
  EXPECT_EQ(duration_seconds(Duration(1'500'000)), "1.5");
  EXPECT_EQ(duration_seconds(Duration(3'000'000)), "3");
  EXPECT_EQ(duration_seconds(Duration(10'000)), "0.01");
}

TEST(ConfigValues, IntegersAndBooleans) {
  EXPECT_EQ(parse_unsigned("42"), 42U);
  EXPECT_FALSE(parse_unsigned("-1"));
  EXPECT_FALSE(parse_unsigned("+1"));
  EXPECT_FALSE(parse_unsigned("1x"));
  EXPECT_FALSE(parse_unsigned("99999999999999999999999"));
  EXPECT_EQ(parse_signed("-253"), -253);
  EXPECT_EQ(parse_signed("+5"), 5);
  EXPECT_EQ(parse_bool("Yes"), true);
  EXPECT_EQ(parse_bool("off"), false);
  EXPECT_FALSE(parse_bool("maybe"));
}

TEST(ConfigValues, Suggestions) {
  EXPECT_EQ(edit_distance("real_servr", "real_server"), 1U);
  EXPECT_EQ(edit_distance("auth_tpye", "auth_type"), 1U);  // a transposition
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  std::vector<std::string_view> known = {"real_server", "weight", "lvs_sched", "protocol"};
  EXPECT_EQ(nearest_keyword("real_servr", known), "real_server");
  EXPECT_EQ(nearest_keyword("protocl", known), "protocol");
  EXPECT_EQ(nearest_keyword("xyz", known), "");
  EXPECT_EQ(nearest_keyword("completely_different", known), "");
}

TEST(JsonWriter, NestedDocumentWithEscapes) {
  JsonWriter w;
  w.begin_object();
  w.key("name").value("a \"quoted\"\\ line\n\x01");
  w.key("list").begin_array().value(1).value(true).null().raw_number("0.25").end_array();
  w.key("empty").begin_object().end_object();
  w.key("none").begin_array().end_array();
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\n"
            "  \"name\": \"a \\\"quoted\\\"\\\\ line\\n\\u0001\",\n"
            "  \"list\": [\n"
            "    1,\n"
            "    true,\n"
            "    null,\n"
            "    0.25\n"
            "  ],\n"
            "  \"empty\": {},\n"
            "  \"none\": []\n"
            "}\n");
}

}  // namespace
}  // namespace lvsctl::director::config
