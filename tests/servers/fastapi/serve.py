"""Serves app.py on a free loopback port for the tests.

Prints the port on the first line of stdout, then serves until stdin
closes: the test process holds stdin, so the server ends with it.

With `--document`, prints the OpenAPI document the app publishes instead
(what tests/fixtures/fastapi.json holds).
"""

import json
import os
import socket
import sys
import threading

import uvicorn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from app import app  # noqa: E402


def main() -> None:
    if sys.argv[1:] == ["--document"]:
        print(json.dumps(app.openapi(), indent=4, ensure_ascii=False))
        return
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
