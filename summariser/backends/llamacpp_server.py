"""llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`) on this machine's loopback
address, for the served-model tests and the benchmark: started with the settings the `llamacpp`
backend uses, waited for, and always stopped.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigError
from .llamacpp import INSTALL_HINT, LAST_N_TOKENS


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str, api_key: str | None) -> bool:
    request = urllib.request.Request(f"{url}/models", headers={"Authorization": f"Bearer {api_key}"} if api_key else {})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(json.loads(response.read()).get("data"))
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextmanager
def llama_server(
    gguf: Path,
    alias: str,
    n_ctx: int = 8192,
    threads: int | None = None,
    api_key: str | None = None,
    start_timeout_s: float = 120.0,
) -> Iterator[str]:
    """Serve `gguf` as model `alias`; yields the base URL (`http://127.0.0.1:PORT/v1`)."""
    try:
        import llama_cpp.server  # noqa: F401 - only to fail early with the install hint
    except ImportError:
        raise ConfigError(INSTALL_HINT.replace("llama-cpp-python==", "llama-cpp-python[server]==")) from None
    port = free_port()
    threads = threads or os.cpu_count() or 1
    args = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", alias,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
        "--n_threads", str(threads), "--n_threads_batch", str(threads),
        # As the llamacpp backend: logits of the last token only, the same repetition-penalty window.
        "--logits_all", "false", "--last_n_tokens_size", str(LAST_N_TOKENS), "--verbose", "false",
    ]
    env = dict(os.environ)
    if api_key:
        env["API_KEY"] = api_key  # pydantic-settings reads it; kept off the command line (ps shows that)
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, text=True)
    url = f"http://127.0.0.1:{port}/v1"

    def tail() -> str:
        log.seek(0)
        return log.read()[-2000:]

    try:
        deadline = time.monotonic() + start_timeout_s
        while not _ready(url, api_key):
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server did not answer on {url} within {start_timeout_s:g} s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
