"""Fetch a document from an http(s) URL, within bounds: time, size, redirects.

`brief run https://...` reads the page (or PDF, Word file...) the URL serves, then parses it like a
file, its type sniffed from the bytes. Every way this can fail is one clear line: no network, a
server that does not answer, too many redirects, a file over the size cap, an HTTP error.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import __version__
from .errors import DocumentError
from .sizes import mib

TIMEOUT_SECONDS = 20.0  # for the connection and between two reads, and twice that for the whole transfer
MAX_REDIRECTS = 5
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Fetched:
    """What a URL served."""

    url: str  # after redirects
    data: bytes
    mime: str | None


def is_url(spec: str) -> bool:
    """Whether a command-line spec names a URL (any scheme) rather than a path."""
    return bool(_SCHEME.match(spec))


def fetch(url: str, max_bytes: int, timeout: float = TIMEOUT_SECONDS, max_redirects: int = MAX_REDIRECTS) -> Fetched:
    """The body of `url`; `DocumentError` with one line saying why when it cannot be had."""
    import httpx

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise DocumentError(f"{url}: only http:// and https:// URLs can be read (not {parts.scheme}://)")
    if not parts.hostname:
        raise DocumentError(f"{url}: no host name in this URL")
    host = parts.hostname
    deadline = time.monotonic() + 2 * timeout
    headers = {"User-Agent": f"summariser/{__version__}", "Accept": "*/*"}
    try:
        with httpx.Client(follow_redirects=True, max_redirects=max_redirects, timeout=timeout, headers=headers) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise DocumentError(f"{url}: the server answered HTTP {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise DocumentError(f"{url}: {mib(int(declared))}, over the {mib(max_bytes)} limit")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise DocumentError(f"{url}: over the {mib(max_bytes)} limit (download stopped)")
                    if time.monotonic() > deadline:
                        raise DocumentError(f"{url}: download took over {2 * timeout:.0f} s (stopped)")
                    chunks.append(chunk)
                mime = response.headers.get("content-type")
                return Fetched(str(response.url), b"".join(chunks), mime)
    except httpx.TooManyRedirects:
        raise DocumentError(f"{url}: more than {max_redirects} redirects") from None
    except httpx.UnsupportedProtocol:
        raise DocumentError(f"{url}: redirected to a URL that is not http(s)") from None
    except httpx.TimeoutException:
        raise DocumentError(f"{url}: no answer from {host} within {timeout:.0f} s") from None
    except httpx.ConnectError:
        raise DocumentError(f"{url}: cannot connect to {host} (offline, or no such server?)") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise DocumentError(f"{url}: download failed ({exc.__class__.__name__})") from None


