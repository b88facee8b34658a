"""Empty replies (b6-oos-017/020/023/026/027): Rasa opened a connection to the action server, its event loop was busy
for a few seconds before the request was written, and Sanic had already closed the connection as idle (keep-alive
timeout, 5 s by default, counted from the connect). Rasa logged "Cannot write to closing transport", dropped the
action's events and said nothing. The launcher now gives the action server a longer idle timeout
(bot/launcher/stack.py ACTION_SERVER_IDLE_SECONDS); here a connection that stays quiet past Sanic's default is still
served."""

from __future__ import annotations

import socket
import time

import pytest

SANIC_DEFAULT_KEEP_ALIVE = 5.0


@pytest.mark.stack
def test_a_fresh_connection_quiet_for_a_few_seconds_is_still_served(stack) -> None:
    with socket.create_connection(("127.0.0.1", stack.config.actions_port), timeout=30) as connection:
        time.sleep(SANIC_DEFAULT_KEEP_ALIVE + 2.5)  # Rasa busy between connecting and writing its request
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: actions\r\nConnection: close\r\n\r\n")
        answer = connection.recv(200)
    assert answer.startswith(b"HTTP/1.1 200"), f"the action server closed the quiet connection: {answer!r}"
