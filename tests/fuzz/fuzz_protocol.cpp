// libFuzzer target: the protocol decoder and the validation rules, with every
// byte sequence a client could send. Built by scripts/fuzz.sh (clang, ASan, UBSan).
#include "fuzzcheck.h"
#include "protocol.h"
#include "requests.h"
#include "validation.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const ProtocolLimits limits;
    const DecodeResult result = decodeRequest(bytes, limits);
    if (const auto *request = std::get_if<Request>(&result)) {
        // What decodes must satisfy the rules the server relies on.
        if (!request->username.isEmpty())
            require(Validation::usernameProblem(request->username, limits).isEmpty());
        if (!request->room.isEmpty())
            require(Validation::roomProblem(request->room, limits).isEmpty());
        if (request->type == RequestType::Chat) {
            require(Validation::textProblem(request->text, limits).isEmpty());
            // Re-encoding a decoded chat gives the same request back.
            const DecodeResult again = decodeRequest(
                encode(Requests::chat(request->room.isEmpty() ? QStringLiteral("r") : request->room,
                                      request->text, request->clientId)),
                limits);
            const auto *same = std::get_if<Request>(&again);
            require(same && same->text == request->text && same->clientId == request->clientId);
        }
        if (request->since)
            require(*request->since >= 0);
        // A page of history is at most historyPageMax; the audit log at most 500.
        require(request->limit >= 0
                && request->limit
                    <= (request->type == RequestType::Audit ? 500 : limits.historyPageMax));
        for (const QString &name : request->usernames)
            require(Validation::usernameProblem(name, limits).isEmpty());
        require(request->usernames.size() <= 7);
        if (request->type == RequestType::Mute)
            require(request->minutes && *request->minutes >= 1 && *request->minutes <= 7 * 24 * 60);
        if (request->type == RequestType::Ban)
            require(request->minutes && *request->minutes >= 1
                    && *request->minutes <= 366LL * 24 * 60);
        if (request->type == RequestType::DeleteMessage)
            require(request->messageId && *request->messageId >= 1);
        if (request->type == RequestType::SetRole)
            require(request->role == QLatin1String("member")
                    || request->role == QLatin1String("moderator")
                    || request->role == QLatin1String("admin"));
        if (request->type == RequestType::Login || request->type == RequestType::Register)
            require(!request->password.isEmpty() && request->password.size() <= 256);
    } else {
        const ProtocolError &error = std::get<ProtocolError>(result);
        require(!errorCodeName(error.code).isEmpty() && !error.message.isEmpty());
    }
    const QString text = QString::fromUtf8(bytes);
    Validation::usernameProblem(text, limits);
    Validation::roomProblem(text, limits);
    Validation::textProblem(text, limits);
    ChatMessage::fromJson(QJsonDocument::fromJson(bytes).object());
    return 0;
}
