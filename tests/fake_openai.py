"""A scripted OpenAI-compatible server on 127.0.0.1 for the openai backend's tests.

It serves `/v1/models`, `/v1/chat/completions` and `/v1/completions`, records every request, and can
be told to fail (a status per request), to answer slowly, or to want an API key. It only listens on
the loopback address and is shut down by the test that starts it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    body: dict[str, Any]
    authorization: str
    started: float


@dataclass
class FakeServer:
    """The script: what the server serves and how it fails."""

    models: list[str] = field(default_factory=lambda: ["served-model"])
    key: str | None = None  # the API key it wants, if any
    failures: list[int] = field(default_factory=list)  # statuses for the next completion requests
    retry_after: str | None = None  # Retry-After header sent with failures
    delay: float = 0.0  # seconds before each completion answer
    answer: Callable[[dict[str, Any]], str] = lambda body: "A plain answer."
    seen: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def completions(self) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("completions")]

    def start(self) -> FakeServer:
        script = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if script.key is None or self.headers.get("Authorization") == f"Bearer {script.key}":
                    return True
                self._send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
                return False

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                script.seen.append(Seen(self.path, {}, self.headers.get("Authorization", ""), time.monotonic()))
                if not self._authorised():
                    return
                if self.path.rstrip("/") == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in script.models]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with script._lock:
                    script.seen.append(Seen(self.path, body, self.headers.get("Authorization", ""), time.monotonic()))
                    status = script.failures.pop(0) if script.failures else 200
                    script.in_flight += 1
                    script.max_in_flight = max(script.max_in_flight, script.in_flight)
                try:
                    if not self._authorised():
                        return
                    if status != 200:
                        headers = {"Retry-After": script.retry_after} if script.retry_after else {}
                        self._send(status, {"error": {"message": f"scripted failure {status}"}}, headers)
                        return
                    if body.get("model") not in script.models:
                        self._send(404, {"error": {"message": f"model {body.get('model')} not found"}})
                        return
                    time.sleep(script.delay)
                    text = script.answer(body)
                    if self.path.endswith("/chat/completions"):
                        choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                        kind = "chat.completion"
                    else:
                        choice = {"index": 0, "text": text, "finish_reason": "stop"}
                        kind = "text_completion"
                    self._send(200, {"id": "x", "object": kind, "created": 0, "model": body["model"],
                                     "choices": [choice]})
                finally:
                    with script._lock:
                        script.in_flight -= 1

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
