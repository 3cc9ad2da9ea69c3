#include "director/check/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace lvsctl::director::check {
namespace {

// OpenSSL's queued reason ("error:0A00010B:SSL routines::wrong version number"), or "".
std::string openssl_reason() {
  std::string msg;
  if (unsigned long e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg = buf;
  }
  ERR_clear_error();
  return msg;
}

std::string openssl_error(const char* what) {
  std::string reason = openssl_reason();
  return reason.empty() ? std::string(what) : std::string(what) + ": " + reason;
}

}  // namespace

Result<std::unique_ptr<TlsClientContext>> TlsClientContext::create() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Error{openssl_error("SSL_CTX_new")};
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  // Servers such as `openssl s_server -www` close without close_notify: treat that as EOF.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return std::unique_ptr<TlsClientContext>(new TlsClientContext(ctx));
}

TlsClientContext::~TlsClientContext() { SSL_CTX_free(ctx_); }

Result<TlsSession> TlsSession::attach(const TlsClientContext& context, int fd, const std::string& sni) {
  SSL* ssl = SSL_new(context.get());
  if (ssl == nullptr) return Error{openssl_error("SSL_new")};
  TlsSession session(ssl);
  if (SSL_set_fd(ssl, fd) != 1) return Error{openssl_error("SSL_set_fd")};
  if (!sni.empty() && SSL_set_tlsext_host_name(ssl, sni.c_str()) != 1) {
    return Error{openssl_error("SNI")};
  }
  SSL_set_connect_state(ssl);
  return session;
}

TlsSession::TlsSession(TlsSession&& other) noexcept : ssl_(std::exchange(other.ssl_, nullptr)) {}

TlsSession& TlsSession::operator=(TlsSession&& other) noexcept {
  if (this != &other) {
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = std::exchange(other.ssl_, nullptr);
  }
  return *this;
}

TlsSession::~TlsSession() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

TlsSession::IoResult TlsSession::classify(int rc) {
  IoResult r;
  switch (SSL_get_error(ssl_, rc)) {
    case SSL_ERROR_WANT_READ: r.status = Io::WantRead; break;
    case SSL_ERROR_WANT_WRITE: r.status = Io::WantWrite; break;
    case SSL_ERROR_ZERO_RETURN: r.status = Io::Eof; break;
    case SSL_ERROR_SYSCALL: {
      const int err = errno;
      r.status = Io::Error;
      r.error = openssl_reason();
      if (r.error.empty()) r.error = err != 0 ? std::strerror(err) : "connection closed";
      break;
    }
    default:
      r.status = Io::Error;
      r.error = openssl_reason();
      if (r.error.empty()) r.error = "TLS protocol error";
      break;
  }
  return r;
}

TlsSession::IoResult TlsSession::handshake() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_);
  if (rc == 1) return IoResult{};
  auto r = classify(rc);
  if (r.status == Io::Error || r.status == Io::Eof) {
    r.error = r.status == Io::Eof ? "TLS handshake failed (connection closed)"
                                  : "TLS handshake failed (" + r.error + ")";
    r.status = Io::Error;
  }
  return r;
}

TlsSession::IoResult TlsSession::write(const char* data, std::size_t len) {
  ERR_clear_error();
  std::size_t written = 0;
  const int rc = SSL_write_ex(ssl_, data, len, &written);
  if (rc == 1) return IoResult{Io::Done, written, {}};
  return classify(rc);
}

TlsSession::IoResult TlsSession::read(char* buf, std::size_t len) {
  ERR_clear_error();
  std::size_t got = 0;
  const int rc = SSL_read_ex(ssl_, buf, len, &got);
  if (rc == 1) return IoResult{Io::Done, got, {}};
  return classify(rc);
}

}  // namespace lvsctl::director::check
