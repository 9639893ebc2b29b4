"""Parse untrusted files in a child process, with a time and a memory bound per document.

Parsers of untrusted input can take quadratic time (html.parser nests unclosed ``<td>`` and ``<p>``
tags, so 8,000 cells took 45 s and 16,000 more than 400 s), balloon (a decompression bomb) or crash.
`ParseGuard.load` runs whatever loader `load.load_documents` dispatches to in a long-lived child process:
a file that takes longer than the bound, or needs more memory than the cap, is stopped and becomes
a one-line `DocumentError`, and a fresh child takes the next file. The child is started once per
batch, so a well-formed file costs one round trip through a pipe.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from .errors import DocumentError
from .load import DEFAULT_MAX_BYTES, Document, LoadFailure

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 4096
_HEADER = struct.Struct("!Q")
_START_TIMEOUT_S = 60.0  # a loaded machine can take a while to start Python


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    """Exactly `n` bytes from `fd`; `TimeoutError` after `deadline`, `EOFError` if the writer is gone."""
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _write_frame(fd: int, obj: object) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    data = _HEADER.pack(len(payload)) + payload
    while data:
        data = data[os.write(fd, data):]


def _read_frame(fd: int, deadline: float | None) -> object:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exact(fd, size, None))  # noqa: S301 - our own child, over a private pipe


class ParseGuard:
    """Loads files through `load.load_documents` in a child process, bounded in time and memory."""

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int | None = DEFAULT_MEMORY_MB,
                 max_chars: int = DEFAULT_MAX_BYTES) -> None:
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.max_chars = max_chars
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        package_parent = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "summariser.parse_guard", str(self.memory_mb or 0), str(self.max_chars)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
            )
        except OSError as exc:
            raise DocumentError(f"cannot start the parser process ({exc.strerror})") from None
        assert proc.stdout is not None
        try:
            _read_frame(proc.stdout.fileno(), time.monotonic() + _START_TIMEOUT_S)  # "ready"
        except (TimeoutError, EOFError, pickle.UnpicklingError):
            proc.kill()
            proc.wait()
            raise DocumentError("the parser process did not start") from None
        self._proc = proc
        return proc

    def _stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
            self._proc = None

    def load(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document | LoadFailure]:
        """`load.load_documents(path, max_bytes)` in the child (a file may hold several documents: a mail
        and its attachments, an mbox); raises `DocumentError` on any failure or overrun of the file."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            _write_frame(proc.stdin.fileno(), (str(path), max_bytes))
            kind, value = cast(tuple[str, Any], _read_frame(proc.stdout.fileno(), time.monotonic() + self.timeout_s))
        except TimeoutError:
            self._stop()
            raise DocumentError(f"{path.name}: parsing took longer than {self.timeout_s:g} s and was stopped "
                                f"(a malformed or hostile file?)") from None
        except (EOFError, BrokenPipeError, pickle.UnpicklingError):
            code = proc.poll()
            self._stop()
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise DocumentError(f"{path.name}: the parser crashed on this file ({how})") from None
        if kind == "ok":
            return cast("list[Document | LoadFailure]", value)
        raise DocumentError(str(value))

    def close(self) -> None:
        """Stop the child process."""
        self._stop()

    def __enter__(self) -> ParseGuard:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:  # a generator dropped half-way must not leave a child behind
        try:
            self._stop()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def _child(memory_mb: int, max_chars: int) -> None:
    """The child's loop: one request (path, max_bytes) in, one ("ok", Document) or ("error", reason) out."""
    if memory_mb:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    out = os.dup(1)
    os.dup2(2, 1)  # a loader that prints must not corrupt the replies
    from .load import Document, load_documents

    _write_frame(out, ("ready", None))
    while True:
        try:
            path, max_bytes = cast(tuple[str, int], _read_frame(0, None))
        except EOFError:
            return
        try:
            docs = load_documents(Path(path), max_bytes)
            size = sum(len(d.text) for d in docs if isinstance(d, Document))
            if size > max_chars:
                raise DocumentError(f"{Path(path).name}: the text is {size / 1e6:.0f} million characters after "
                                    f"extraction, over the {max_chars / 1e6:.0f} million limit")
            reply: tuple[str, object] = ("ok", docs)
        except DocumentError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            reply = ("error", f"{Path(path).name}: parsing needed more than {memory_mb} MiB of memory and was stopped")
        except RecursionError:
            reply = ("error", f"{Path(path).name}: nested too deeply to parse")
        except Exception as exc:  # noqa: BLE001 - loaders parse untrusted input
            reply = ("error", f"{Path(path).name}: cannot parse ({exc.__class__.__name__}: {exc})")
        _write_frame(out, reply)


if __name__ == "__main__":
    try:
        _child(int(sys.argv[1]), int(sys.argv[2]))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        pass
