#pragma once
// Non-blocking TLS client pieces for SSL_GET (OpenSSL). Like keepalived, the checker does not
// verify the server certificate: it checks health, not identity. Move-only RAII wrappers.
#include <cstddef>
#include <memory>
#include <string>

#include "shared/result.hpp"

struct ssl_st;
struct ssl_ctx_st;

namespace lvsctl::director::check {

class TlsClientContext {
 public:
  static Result<std::unique_ptr<TlsClientContext>> create();
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;
  ssl_ctx_st* get() const { return ctx_; }

 private:
  explicit TlsClientContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

class TlsSession {
 public:
  enum class Io { Done, WantRead, WantWrite, Eof, Error };
  struct IoResult {
    Io status = Io::Done;
    std::size_t bytes = 0;
    std::string error;  // for Io::Error: OpenSSL's reason
  };

  // A client session on connected socket `fd` (not owned); `sni` empty: no server name sent.
  static Result<TlsSession> attach(const TlsClientContext& context, int fd, const std::string& sni);

  TlsSession(TlsSession&& other) noexcept;
  TlsSession& operator=(TlsSession&& other) noexcept;
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;
  ~TlsSession();

  IoResult handshake();
  IoResult write(const char* data, std::size_t len);
  IoResult read(char* buf, std::size_t len);

 private:
  explicit TlsSession(ssl_st* ssl) : ssl_(ssl) {}
  IoResult classify(int rc);
  ssl_st* ssl_ = nullptr;
};

}  // namespace lvsctl::director::check
