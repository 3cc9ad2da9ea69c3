#pragma once
// SharedList<T>: an immutable list held by reference count, so a snapshot that carries thousands
// of entries (the real servers of DaemonSnapshot) is copied, handed to a worker thread and kept
// by a cache in O(1); two lists are `same()` when they are the one object, which is how a
// renderer knows its earlier output for that list still holds. Reads as a const vector. Pure.
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace lvsctl::director {

template <typename T>
class SharedList {
 public:
  SharedList() = default;
  explicit SharedList(std::vector<T> items)
      : items_(std::make_shared<const std::vector<T>>(std::move(items))) {}

  const std::vector<T>& items() const { return items_ ? *items_ : empty_list(); }
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }
  std::size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  const T& operator[](std::size_t i) const { return items()[i]; }

  // The same object (not merely equal values): what a cache keyed by a list compares.
  bool same(const SharedList& other) const { return items_ == other.items_; }

  // A changed copy (builders and tests): the list is replaced, never changed in place, so every
  // holder of the old one keeps what it had.
  template <typename Change>
  void change(Change&& how) {
    std::vector<T> copy = items();
    std::forward<Change>(how)(copy);
    *this = SharedList(std::move(copy));
  }

 private:
  static const std::vector<T>& empty_list() {
    static const std::vector<T> none;
    return none;
  }
  std::shared_ptr<const std::vector<T>> items_;
};

}  // namespace lvsctl::director
