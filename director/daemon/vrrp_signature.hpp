#pragma once
// A text that changes whenever a vrrp_instance's running behaviour would: reload keeps an
// instance running untouched when its signature is unchanged. Source locations are ignored, so
// moving a block in the file changes nothing.
#include <string>

#include "director/config/model.hpp"

namespace lvsctl::director {

std::string vrrp_signature(const config::Config& config, const config::VrrpInstance& instance);

}  // namespace lvsctl::director
