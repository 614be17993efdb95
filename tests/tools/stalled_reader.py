#!/usr/bin/env python3
"""A WebSocket client that joins a room and then never reads again.

Its receive buffer is made small before connecting, so the server's unsent
bytes pile up on the server side quickly. Usage: stalled_reader.py PORT ROOM NAME
Prints "joined" once in the room, then sleeps until killed.
"""
import base64
import json
import os
import socket
import struct
import sys
import time


def frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    if len(payload) < 126:
        head += bytes([0x80 | len(payload)])
    else:
        head += bytes([0x80 | 126]) + struct.pack('>H', len(payload))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def main():
    port, room, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(('127.0.0.1', port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f'GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n'
               f'Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
    data = b''
    while b'\r\n\r\n' not in data:
        data += s.recv(4096)
    s.sendall(frame(json.dumps({'type': 'hello', 'username': name})))
    s.sendall(frame(json.dumps({'type': 'join', 'room': room})))
    while b'"joined"' not in data:
        data += s.recv(4096)
    print('joined', flush=True)
    time.sleep(3600)


if __name__ == '__main__':
    main()
