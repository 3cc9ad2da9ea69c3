#pragma once
// JsonWriter: a minimal streaming JSON writer (objects, arrays, strings, numbers, booleans,
// null) with two-space indentation. Commas and string escaping are handled; the caller keeps
// begin/end calls balanced (checked in debug builds only by the resulting text).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lvsctl {

class JsonWriter {
 public:
  JsonWriter() = default;
  // compact: the whole document on one line (`director watch --json`: one object per line).
  explicit JsonWriter(bool compact) : compact_(compact) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Inside an object: the member name; the next value call is its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(unsigned n) { return value(static_cast<std::uint64_t>(n)); }
  // A number written exactly as given (e.g. "0.25"); the caller guarantees JSON number syntax.
  JsonWriter& raw_number(std::string_view digits);
  JsonWriter& null();

  // The document so far (complete once every begin has its end); ends with a newline.
  std::string str() const { return out_ + "\n"; }

  static std::string escape(std::string_view s);

 private:
  void before_value();
  void newline();

  std::string out_;
  struct Level {
    bool array = false;
    bool empty = true;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
  bool compact_ = false;
};

}  // namespace lvsctl
