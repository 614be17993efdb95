// V1Codec: every server event, encoded by the server's v1 codec, framed, and
// decoded by the clients' decoder (shared/servermessages), comes back the same.
// The two sides share the message types, so this is the whole contract of v1.
#include "servermessages.h"
#include "v1codec.h"
#include "wireframe.h"

#include <QTest>

using namespace Chat;

class tst_V1Codec : public QObject
{
    Q_OBJECT
private slots:
    void framesOneTextMessage();
    void roundTrips();
    void decodesRequests();
    void joinedIsWhatQJsonWrites();
    void presenceRoundTrips();
};

namespace {
ServerMessage::Event roundTrip(const ServerEvent &event)
{
    const QByteArray frame = V1Codec::instance().encode(event);
    return ServerMessage::decode(WireFrame::payloadOf(frame));
}

ChatMessage message(qint64 id)
{
    return {QStringLiteral("general"), id,
            QStringLiteral("Aminah"),  QStringLiteral("hi \u00e9 %1").arg(id),
            1764590400000 + id,        QStringLiteral("c%1").arg(id)};
}
} // namespace

void tst_V1Codec::framesOneTextMessage()
{
    const QByteArray frame = V1Codec::instance().encode(message(1));
    QCOMPARE(quint8(frame.at(0)), quint8(0x81)); // FIN + text
    QCOMPARE(WireFrame::payloadOf(frame), encode(message(1).toJson()));
    QCOMPARE(V1Codec::instance().encoding(), V1Codec::Encoding);
}

void tst_V1Codec::roundTrips()
{
    ProtocolLimits limits;
    limits.ratePerSecond = 7;
    const auto welcome = std::get<ServerMessage::Welcome>(roundTrip(
        Event::Welcome {limits, QStringLiteral("token"), QStringLiteral("office"),
                        QJsonObject {{QStringLiteral("registration"), QStringLiteral("invite")},
                                     {QStringLiteral("guests"), true}}}));
    QCOMPARE(welcome.auth, QStringLiteral("token"));
    QCOMPARE(welcome.accounts.value(QLatin1String("registration")).toString(),
             QStringLiteral("invite"));
    QCOMPARE(welcome.accounts.value(QLatin1String("guests")).toBool(), true);
    QCOMPARE(welcome.server, QStringLiteral("office"));
    QCOMPARE(welcome.limits.ratePerSecond, 7.0);

    const auto identified = std::get<ServerMessage::Identified>(
        roundTrip(Event::Identified {QStringLiteral("Aminah"),
                                     QStringLiteral("s3cret"),
                                     {QStringLiteral("general"), QStringLiteral("dm-ab12")}}));
    QCOMPARE(identified.username, QStringLiteral("Aminah"));
    QCOMPARE(identified.session, QStringLiteral("s3cret"));
    QCOMPARE(identified.rooms,
             (QStringList {QStringLiteral("general"), QStringLiteral("dm-ab12")}));

    const Event::Joined joinedIn {QStringLiteral("general"),
                                  {QStringLiteral("Aminah"), QStringLiteral("Ben")},
                                  {message(1), message(2)},
                                  true,
                                  true};
    const auto joined = std::get<ServerMessage::Joined>(roundTrip(joinedIn));
    QCOMPARE(joined.room, joinedIn.room);
    QCOMPARE(joined.users, joinedIn.users);
    QCOMPARE(joined.history, joinedIn.history);
    QCOMPARE(joined.more, true);
    QCOMPARE(joined.reset, true);

    QCOMPARE(std::get<ChatMessage>(roundTrip(message(42))), message(42));

    for (bool in : {true, false}) {
        const auto member = std::get<ServerMessage::Member>(
            roundTrip(Event::Member {in, QStringLiteral("general"), QStringLiteral("Ben"), 3}));
        QCOMPARE(member.joined, in);
        QCOMPARE(member.username, QStringLiteral("Ben"));
        QCOMPARE(member.usersInRoom, 3);
    }

    const auto typing = std::get<ServerMessage::Typing>(
        roundTrip(Event::Typing {QStringLiteral("general"), QStringLiteral("Ben"), false}));
    QCOMPARE(typing.active, false);

    const auto history = std::get<ServerMessage::History>(
        roundTrip(Event::History {QStringLiteral("general"), {message(5)}, false}));
    QCOMPARE(history.messages, QList<ChatMessage> {message(5)});
    QCOMPARE(history.more, false);

    const auto rooms = std::get<ServerMessage::Rooms>(roundTrip(Event::RoomList {
        {{QStringLiteral("general"), 2, QStringLiteral("Lunch at noon"), false, {}},
         {QStringLiteral("dm-ab12"),
          0,
          {},
          true,
          {QStringLiteral("Aminah"), QStringLiteral("Bob")}}}}));
    QCOMPARE(rooms.rooms.size(), 2);
    QCOMPARE(rooms.rooms.at(0).name, QStringLiteral("general"));
    QCOMPARE(rooms.rooms.at(0).usersInRoom, 2);
    QCOMPARE(rooms.rooms.at(0).topic, QStringLiteral("Lunch at noon"));
    QCOMPARE(rooms.rooms.at(0).isPrivate, false);
    QCOMPARE(rooms.rooms.at(1).isPrivate, true);
    QCOMPARE(rooms.rooms.at(1).with,
             (QStringList {QStringLiteral("Aminah"), QStringLiteral("Bob")}));

    const auto error = std::get<ServerMessage::Error>(roundTrip(ProtocolError {
        ErrorCode::RateLimited, QStringLiteral("Slow down."), QStringLiteral("c9")}));
    QCOMPARE(error.code, QStringLiteral("rate-limited"));
    QCOMPARE(error.ref, QStringLiteral("c9"));
}

void tst_V1Codec::decodesRequests()
{
    const DecodeResult ok = V1Codec::instance().decode(
        R"({"type":"chat","room":"general","text":"hi","clientId":"c1"})", ProtocolLimits {});
    QCOMPARE(std::get<Request>(ok).type, RequestType::Chat);
    const DecodeResult bad
        = V1Codec::instance().decode(R"({"type":"history","limit":1e300})", ProtocolLimits {});
    QVERIFY(std::holds_alternative<ProtocolError>(bad));
}

void tst_V1Codec::joinedIsWhatQJsonWrites()
{
    // The joined reply writes its users without QJsonArray: byte for byte what
    // QJsonDocument writes, for every character a name or a room may hold and
    // for those it may not.
    QStringList users {QStringLiteral("Aminah"), QStringLiteral("\"quoted\""),
                       QStringLiteral("back\\slash"), QStringLiteral("\u00e9\u4e2d\U0001f600"),
                       QStringLiteral("users\":[]")};
    for (char16_t c = 0; c < 0x20; ++c)
        users.append(QStringLiteral("c") + QChar(c));
    users.append(QStringLiteral("\u007f\u2028"));
    for (const QStringList &list : {users, QStringList {}, QStringList {QStringLiteral("x")}}) {
        const Event::Joined e {QStringLiteral("r\"users\":[]"), list, {message(1)}, false, false};
        QCOMPARE(WireFrame::payloadOf(V1Codec::instance().encode(e)),
                 encode(Reply::joined(e.room, e.users, e.history, e.more, e.reset)));
        QCOMPARE(std::get<ServerMessage::Joined>(roundTrip(e)).users, list);
    }
}

void tst_V1Codec::presenceRoundTrips()
{
    const Event::Presence in {QStringLiteral("general"),
                              {QStringLiteral("Ben"), QStringLiteral("Cik")},
                              {QStringLiteral("Dan")},
                              4};
    const auto out = std::get<ServerMessage::Presence>(roundTrip(in));
    QCOMPARE(out.room, in.room);
    QCOMPARE(out.joined, in.joined);
    QCOMPARE(out.left, in.left);
    QCOMPARE(out.usersInRoom, 4);
}

QTEST_GUILESS_MAIN(tst_V1Codec)
#include "tst_v1codec.moc"
