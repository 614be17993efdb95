// chat-server's TLS, on OpenSSL directly: one SSL_CTX for the server, one SSL
// per connection on its socket descriptor.
//
// Why not QSslSocket: it keeps a QTcpSocket, its engine and notifiers, read and
// write buffers, the TLS layer's plain and encrypted buffers, and OpenSSL's own
// record buffers for the life of the connection (77 KiB for an idle wss://
// connection, docs/benchmarks.md), and it hides its SSL object. Here an idle
// connection is its SSL object with the record buffers released
// (SSL_MODE_RELEASE_BUFFERS) and no other buffer.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

struct ssl_st;
struct ssl_ctx_st;

namespace Chat {

struct SslFree
{
    void operator()(ssl_st *ssl) const;
};
using SslHandle = std::unique_ptr<ssl_st, SslFree>;

class TlsContext
{
public:
    // From PEM: the certificate chain (leaf first) and its private key (EC or RSA).
    // TLS 1.2 or later, no renegotiation, stateless session tickets only.
    static std::shared_ptr<TlsContext> fromPem(const QByteArray &chainPem, const QByteArray &keyPem,
                                               QString *error);
    ~TlsContext();
    Q_DISABLE_COPY_MOVE(TlsContext)

    // A server-side SSL on the descriptor (not owned), or null.
    SslHandle accept(int fd) const;

    // OpenSSL's error queue as one line (and cleared).
    static QString lastError();

private:
    explicit TlsContext(ssl_ctx_st *context) : m_context(context) { }
    ssl_ctx_st *m_context;
};

} // namespace Chat
