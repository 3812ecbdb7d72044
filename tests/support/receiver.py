"""A webhook receiver on a local port: records what it is sent and answers as told."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    url: str
    got: list[Received] = field(default_factory=list)
    # the status to answer the n-th request (0-based) with; 200 when it returns None
    answer: Callable[[int], int | None] = lambda n: None
    # called before answering (a receiver that hangs)
    before: Callable[[int], None] = lambda n: None
    # what it answers (a receiver that tells too much)
    body: bytes = b"ok"

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.got]


@contextmanager
def receiver() -> Iterator[Receiver]:
    lock = threading.Lock()
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            rec = box[0]
            with lock:
                n = sum(1 for _ in rec.got) + len(pending)
                pending.append(n)
            rec.before(n)
            status = rec.answer(n) or 200
            with lock:
                rec.got.append(Received(dict(self.headers.items()), body, status))
                pending.remove(n)
            self.send_response(status)
            self.send_header("content-length", str(len(rec.body)))
            self.end_headers()
            self.wfile.write(rec.body)

        def log_message(self, *args: object) -> None:
            pass

    pending: list[int] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.append(Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
