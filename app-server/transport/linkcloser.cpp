// Closing a Link that has no owner.
#include "linkcloser.h"

#include <QObject>
#include <QTimer>

namespace Chat {

namespace {
class LinkCloser final : public QObject, private LinkListener
{
public:
    LinkCloser(std::unique_ptr<Link> link, QObject *owner) : QObject(owner), m_link(std::move(link))
    {
        m_link->setListener(this);
        QTimer::singleShot(2000, this, [this] { m_link->abort(); });
    }
    void close(int code, const QString &reason)
    {
        m_link->close(code, reason);
        m_link->flush();
    }

private:
    void onLinkText(const QByteArray &) override { }
    void onLinkBinary(const QByteArray &) override { }
    void onLinkPong() override { }
    void onLinkClosing() override { }
    void onLinkDisconnected(int) override { deleteLater(); }

    std::unique_ptr<Link> m_link;
};
} // namespace

void closeAndForget(std::unique_ptr<Link> link, int code, const QString &reason, QObject *owner)
{
    if (link)
        (new LinkCloser(std::move(link), owner))->close(code, reason);
}

} // namespace Chat
