// Message row painting and sizing.
#include "messagedelegate.h"

#include "messagemodel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QTextDocument>

namespace Chat {

namespace {
constexpr int Pad = 6;
constexpr int Gap = 2;

const QRegularExpression &urlPattern()
{
    static const QRegularExpression re(QStringLiteral(R"((https?://[^\s<>"]+[^\s<>".,;:!?)\]]))"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

QColor senderColor(const QString &name)
{
    // A stable colour per name, dark enough to read on white.
    const int hue = int(qHash(name.toCaseFolded()) % 360);
    return QColor::fromHsl(hue, 140, 80);
}

QString dayLabel(const QDate &day)
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return MessageDelegate::tr("Today");
    if (day == today.addDays(-1))
        return MessageDelegate::tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

QFont boldFont(const QFont &base)
{
    QFont f = base;
    f.setBold(true);
    return f;
}

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    return f;
}

std::unique_ptr<QTextDocument> richText(const QString &text, const QFont &font, int width)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->setDefaultFont(font);
    doc->setDocumentMargin(0);
    doc->setHtml(MessageDelegate::linkify(text));
    doc->setTextWidth(width);
    return doc;
}
} // namespace

struct MessageDelegate::Geometry
{
    int dayHeight = 0;
    QRect headerRect; // sender, time, status
    QRect textRect;
    int height = 0;
};

MessageDelegate::MessageDelegate(QObject *parent) : QStyledItemDelegate(parent) { }

MessageDelegate::~MessageDelegate() = default;

bool MessageDelegate::hasLink(const QString &text)
{
    return text.contains(QLatin1String("://")) && urlPattern().match(text).hasMatch();
}

QString MessageDelegate::linkify(const QString &plainText)
{
    // Everything is escaped first: what a user typed is text, never markup.
    QString out;
    qsizetype last = 0;
    auto it = urlPattern().globalMatch(plainText);
    while (it.hasNext()) {
        const auto match = it.next();
        out += plainText.mid(last, match.capturedStart() - last).toHtmlEscaped();
        const QString url = match.captured(1);
        out += QStringLiteral("<a href=\"%1\">%2</a>")
                   .arg(url.toHtmlEscaped(), url.toHtmlEscaped());
        last = match.capturedEnd();
    }
    out += plainText.mid(last).toHtmlEscaped();
    out.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return QStringLiteral("<span style=\"white-space: pre-wrap\">") + out
        + QStringLiteral("</span>");
}

MessageDelegate::Geometry MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                  const QModelIndex &index) const
{
    Geometry g;
    const QFont &font = option.font;
    const QFontMetrics fm(font);
    const int width = std::max(50, option.rect.width() - 2 * Pad);
    int y = option.rect.top();
    if (index.data(MessageModel::DayStartRole).toBool()) {
        g.dayHeight = QFontMetrics(smallFont(font)).height() + 2 * Pad;
        y += g.dayHeight;
    }
    const auto kind = index.data(MessageModel::KindRole).value<MessageModel::Kind>();
    const QString text = index.data(MessageModel::TextRole).toString();
    if (kind == MessageModel::Kind::Notice) {
        const QFontMetrics small(smallFont(font));
        g.textRect = QRect(option.rect.left() + Pad, y + Gap, width, small.height());
        g.height = g.textRect.bottom() + Gap + 1 - option.rect.top();
        return g;
    }
    g.headerRect = QRect(option.rect.left() + Pad, y + Pad / 2, width,
                         QFontMetrics(boldFont(font)).height());
    int textHeight = 0;
    if (hasLink(text))
        textHeight = int(std::ceil(richText(text, font, width)->size().height()));
    else
        textHeight = fm.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, text).height();
    g.textRect
        = QRect(option.rect.left() + Pad, g.headerRect.bottom() + 1 + Gap, width, textHeight);
    g.height = g.textRect.bottom() + Pad / 2 + 1 - option.rect.top();
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (const auto *view = qobject_cast<const QWidget *>(option.widget))
        opt.rect = QRect(0, 0, view->width() - 20, 0);
    opt.rect.moveTopLeft({0, 0});
    return {opt.rect.width(), layout(opt, index).height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const Geometry g = layout(option, index);
    const QPalette &pal = option.palette;
    painter->save();
    painter->setClipRect(option.rect);

    if (g.dayHeight > 0) {
        const QRect day(option.rect.left(), option.rect.top(), option.rect.width(), g.dayHeight);
        const QString label = dayLabel(index.data(MessageModel::TimestampRole).toDateTime().date());
        painter->setFont(boldFont(smallFont(option.font)));
        const int labelWidth = painter->fontMetrics().horizontalAdvance(label) + 2 * Pad;
        painter->setPen(pal.color(QPalette::Mid));
        const int midY = day.center().y();
        painter->drawLine(day.left() + Pad, midY, day.center().x() - labelWidth / 2, midY);
        painter->drawLine(day.center().x() + labelWidth / 2, midY, day.right() - Pad, midY);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(day, Qt::AlignCenter, label);
    }

    const auto kind = index.data(MessageModel::KindRole).value<MessageModel::Kind>();
    const QString text = index.data(MessageModel::TextRole).toString();
    const QDateTime time = index.data(MessageModel::TimestampRole).toDateTime();
    const QString clock = QLocale().toString(time.time(), QLocale::ShortFormat);

    if (kind == MessageModel::Kind::Notice) {
        QFont f = smallFont(option.font);
        f.setItalic(true);
        painter->setFont(f);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        painter->drawText(g.textRect, Qt::AlignLeft | Qt::AlignVCenter,
                          QStringLiteral("%1 · %2").arg(text, clock));
        painter->restore();
        return;
    }

    const QRect body(option.rect.left(), g.headerRect.top() - Pad / 2, option.rect.width(),
                     option.rect.bottom() - g.headerRect.top() + Pad / 2 + 1);
    if (m_searchHit.isValid() && index == m_searchHit) {
        QColor hit = pal.color(QPalette::Highlight);
        hit.setAlpha(60);
        painter->fillRect(body, hit);
        painter->fillRect(QRect(body.left(), body.top(), 3, body.height()),
                          pal.color(QPalette::Highlight));
    } else if (index.data(MessageModel::MentionRole).toBool())
        painter->fillRect(body, QColor(255, 243, 205));
    else if (option.state & QStyle::State_MouseOver)
        painter->fillRect(body, pal.color(QPalette::AlternateBase));

    const QString sender = index.data(MessageModel::SenderRole).toString();
    const auto status = index.data(MessageModel::StatusRole).value<MessageModel::Status>();
    painter->setFont(boldFont(option.font));
    painter->setPen(senderColor(sender));
    painter->drawText(g.headerRect, Qt::AlignLeft | Qt::AlignVCenter, sender);
    const int senderWidth = painter->fontMetrics().horizontalAdvance(sender);
    painter->setFont(smallFont(option.font));
    QString meta = clock;
    QColor metaColor = pal.color(QPalette::PlaceholderText);
    if (status == MessageModel::Status::Pending)
        meta += QStringLiteral(" · ") + tr("sending…");
    else if (status == MessageModel::Status::Failed) {
        meta += QStringLiteral(" · ") + tr("not sent");
        metaColor = QColor(176, 0, 32);
    }
    painter->setPen(metaColor);
    painter->drawText(g.headerRect.adjusted(senderWidth + Pad, 0, 0, 0),
                      Qt::AlignLeft | Qt::AlignVCenter, meta);

    QColor textColor = pal.color(QPalette::Text);
    if (status != MessageModel::Status::Confirmed)
        textColor = pal.color(QPalette::PlaceholderText);
    if (hasLink(text)) {
        auto doc = richText(text, option.font, g.textRect.width());
        QAbstractTextDocumentLayout::PaintContext ctx;
        ctx.palette = pal;
        ctx.palette.setColor(QPalette::Text, textColor);
        painter->translate(g.textRect.topLeft());
        doc->documentLayout()->draw(painter, ctx);
    } else {
        painter->setFont(option.font);
        painter->setPen(textColor);
        painter->drawText(g.textRect, Qt::TextWordWrap, text);
    }
    painter->restore();
}

QString MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                const QPoint &pos) const
{
    const QString text = index.data(MessageModel::TextRole).toString();
    if (index.data(MessageModel::KindRole).value<MessageModel::Kind>()
            != MessageModel::Kind::Message
        || !hasLink(text))
        return {};
    const Geometry g = layout(option, index);
    if (!g.textRect.contains(pos))
        return {};
    auto doc = richText(text, option.font, g.textRect.width());
    return doc->documentLayout()->anchorAt(pos - g.textRect.topLeft());
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            const QString link = linkAt(option, index, mouse->position().toPoint());
            if (!link.isEmpty()) {
                emit linkActivated(link);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace Chat
