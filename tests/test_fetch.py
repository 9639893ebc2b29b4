"""`brief run https://...`: fetching within bounds, against a server on 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from summariser.errors import DocumentError
from summariser.fetch import fetch, is_url
from summariser.load import Document, LoadFailure, iter_documents, load_url

from . import makers as m


class Handler(BaseHTTPRequestHandler):
    """Routes: pages and files, redirect chains, oversized and slow answers, errors."""

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def send(self, body: bytes, mime: str, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", mime)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        try:
            self.route(self.path)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first, as some tests mean it to
            pass

    def route(self, path: str) -> None:
        if path == "/article":  # no suffix: the type comes from the bytes
            self.send(m.html_page(), "text/html; charset=utf-8")
        elif path == "/files/report":
            self.send(m.pdf_report(2), "application/octet-stream")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.redirect(f"/hop/{left - 1}" if left > 0 else "/article")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/big":
            self.send(b"x" * 50_000, "text/plain")
        elif path == "/big-unannounced":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"word " * 200)
        elif path == "/slow":
            time.sleep(3)
            self.send(b"late", "text/plain")
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_url_is_briefed_like_a_saved_page(server: str):
    [doc] = list(iter_documents([f"{server}/article"]))
    assert isinstance(doc, Document) and doc.name == f"{server}/article"
    assert m.PARAGRAPHS[0] in doc.text and "cookies" not in doc.text
    assert doc.meta["url"] == doc.meta["source"] == f"{server}/article"
    assert (doc.meta["title"], doc.meta["author"], doc.meta["date"]) == (m.TITLE, m.AUTHOR, "2024-03-04")


def test_a_pdf_url_is_sniffed_from_its_bytes(server: str):
    [doc] = load_url(f"{server}/files/report")
    assert isinstance(doc, Document) and doc.meta["format"] == "pdf" and len(doc.meta["pages"]) == 2


def test_redirects_are_followed_up_to_a_limit(server: str):
    [doc] = load_url(f"{server}/hop/3")
    assert isinstance(doc, Document) and doc.meta["url"] == f"{server}/article"
    [fail] = load_url(f"{server}/hop/9")
    assert isinstance(fail, LoadFailure) and "more than 5 redirects" in fail.reason


@pytest.mark.parametrize(
    "path, max_bytes, says",
    [
        ("/to-file", 10_000_000, "not http(s)"),
        ("/big", 10_000, "0.0477 MiB, over the 0.00954 MiB limit"),
        ("/big-unannounced", 10_000, "download stopped"),
        ("/missing", 10_000_000, "HTTP 404"),
    ],
)
def test_bad_answers_are_one_line_failures(server: str, path: str, max_bytes: int, says: str):
    [fail] = load_url(f"{server}{path}", max_bytes=max_bytes)
    assert isinstance(fail, LoadFailure) and fail.name == f"{server}{path}"
    assert says in fail.reason and "\n" not in fail.reason


def test_a_server_that_does_not_answer_times_out(server: str):
    started = time.perf_counter()
    with pytest.raises(DocumentError, match="no answer from 127.0.0.1 within"):
        fetch(f"{server}/slow", 1000, timeout=0.5)
    assert time.perf_counter() - started < 2.5


def test_offline_is_a_clear_error_not_a_hang():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [fail] = list(iter_documents([f"http://127.0.0.1:{port}/report"]))
    assert isinstance(fail, LoadFailure) and "cannot connect to 127.0.0.1 (offline" in fail.reason


def test_only_http_and_https_are_fetched():
    [fail] = list(iter_documents(["ftp://127.0.0.1/report.pdf"]))
    assert isinstance(fail, LoadFailure) and "only http:// and https://" in fail.reason
    assert is_url("https://example.org/a") and is_url("file:///etc/passwd")
    assert not is_url("reports/a.pdf") and not is_url("C:\\reports\\a.pdf") and not is_url("-")
