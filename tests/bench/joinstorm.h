// chat-bench's join storm: a room of N filling as fast as N clients can join.
#pragma once

#include <cstdint>
#include <string>

namespace bench {

struct JoinStorm
{
    int joined = 0; // connections that joined
    int current = 0; // ... and saw the room's final count, N
    double seconds = 0; // from the first connect until every one saw N
    int64_t frames = 0; // text frames the N clients received meanwhile
    int64_t bytes = 0;
};

// Opens `clients` connections into `room`, at most `parallel` handshakes at a
// time, and waits until each has been told that the room holds all of them
// (usersInRoom == clients, in a user-joined or a presence frame), or the
// deadline. `batched`: identify as our clients do (hello with batchPresence);
// otherwise with the documents' join. Closes them all before returning.
JoinStorm fillRoom(int port, int clients, bool batched, const std::string &room, int parallel,
                   int64_t deadlineNs);

} // namespace bench
