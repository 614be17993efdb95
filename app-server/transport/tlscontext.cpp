// The server's SSL_CTX.
#include "tlscontext.h"

#include <QStringList>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

namespace Chat {

void SslFree::operator()(ssl_st *ssl) const
{
    SSL_free(ssl);
}

QString TlsContext::lastError()
{
    QStringList errors;
    while (const unsigned long code = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(code, text, sizeof(text));
        errors.append(QString::fromLatin1(text));
    }
    return errors.isEmpty() ? QStringLiteral("no OpenSSL error") : errors.join(QLatin1String("; "));
}

std::shared_ptr<TlsContext> TlsContext::fromPem(const QByteArray &chainPem,
                                                const QByteArray &keyPem, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why + QStringLiteral(": ") + lastError();
        return nullptr;
    };
    ERR_clear_error();
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (!context)
        return fail(QStringLiteral("cannot create a TLS context"));
    std::shared_ptr<TlsContext> result(new TlsContext(context));
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // Record buffers only while a record is in flight; a write that the kernel
    // could not take is retried with the same bytes from another buffer.
    SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_read_ahead(context, 1);
    // Resumption by tickets (the client keeps the state); no server-side cache.
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);

    BIO *chain = BIO_new_mem_buf(chainPem.constData(), int(chainPem.size()));
    X509 *leaf = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr);
    const bool leafUsed = leaf && SSL_CTX_use_certificate(context, leaf) == 1;
    X509_free(leaf);
    if (!leafUsed) {
        BIO_free(chain);
        return fail(QStringLiteral("no usable certificate"));
    }
    while (X509 *next = PEM_read_bio_X509(chain, nullptr, nullptr, nullptr)) {
        if (SSL_CTX_add0_chain_cert(context, next) != 1)
            X509_free(next);
    }
    BIO_free(chain);
    ERR_clear_error(); // the end of the chain reads as an error

    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    BIO_free(keyBio);
    const bool keyUsed = key && SSL_CTX_use_PrivateKey(context, key) == 1;
    EVP_PKEY_free(key);
    if (!keyUsed)
        return fail(QStringLiteral("no usable private key"));
    if (SSL_CTX_check_private_key(context) != 1)
        return fail(QStringLiteral("the private key does not match the certificate"));
    return result;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

SslHandle TlsContext::accept(int fd) const
{
    SslHandle ssl(SSL_new(m_context));
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1)
        return {};
    SSL_set_accept_state(ssl.get());
    return ssl;
}

} // namespace Chat
