"""Open consoles against a running `textpay serve`: logging in as staff, the stream address
the console page gives its browser, and many streams read by one asyncio loop in a
process of its own (the load of many browsers with the console open; in another
process so the readers never compete with the caller's own timing for its interpreter
lock), each counting the events it heard. The test (tests/production/
test_console_streams.py) and the benchmark (bench/consoles.py) share them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlsplit

from tests.portal.support import csrf_from
from tests.support.processes import ChildServer


def log_in(url: str, email: str, password: str) -> str:
    """Log in through the portal's form; the session cookie ("name=value"). Cookies are
    carried by hand: behind an https PUBLIC_URL they are Secure, and this is plain http."""
    def session_cookie(response: object) -> str:
        return response.headers.get_all("Set-Cookie")[0].split(";", 1)[0]

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None  # the login's redirect carries the new session: read it here

    opener = urllib.request.build_opener(Stay)
    with opener.open(url + "/portal/login") as page:
        token, cookie = csrf_from(page.read().decode()), session_cookie(page)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    request = urllib.request.Request(url + "/portal/login", data=form.encode(),
                                     headers={"Cookie": cookie})
    try:
        opener.open(request)
    except urllib.error.HTTPError as answer:  # the 302 to the queue
        assert answer.code == 302 and answer.headers["Location"].endswith("/portal/queue")
        return session_cookie(answer)
    raise AssertionError("the login did not redirect")


def page_events_url(url: str, cookie: str) -> str:
    """The stream address the console page gives its browser."""
    request = urllib.request.Request(url + "/portal/queue", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as page:
        return re.search(r'data-events-url="([^"]+)"', page.read().decode()).group(1)


def event_server_pid(server: ChildServer) -> int:
    """The event server that `textpay serve` started."""
    return next(pid for pid in server.pids()
                if "bot.cli\0events" in Path(f"/proc/{pid}/cmdline").read_text())


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _read(url: str, cookie: str, counts: list[int], index: int, opened: asyncio.Event,
                total: int) -> None:
    """One stream over a raw connection, counting "event:" lines (cheap: no line parsing)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: {cookie}\r\n"
                 "Accept: text/event-stream\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:40]
    counts[index] = 0
    if all(c >= 0 for c in counts):
        opened.set()
    tail = b""
    try:
        while chunk := await reader.read(65536):
            # Chunked framing may split a line: look across the previous chunk's end.
            seen = tail + chunk
            counts[index] += seen.count(b"\nevent: ") - tail.count(b"\nevent: ")
            tail = seen[-16:]
    finally:
        writer.close()


async def _consoles(url: str, cookie: str, count: int, pipe: Connection) -> None:
    counts = [-1] * count
    opened = asyncio.Event()
    readers = [asyncio.create_task(_read(url, cookie, counts, i, opened, count))
               for i in range(count)]
    await asyncio.wait_for(opened.wait(), 20)
    pipe.send("open")
    loop = asyncio.get_running_loop()
    while (command := await loop.run_in_executor(None, pipe.recv)) != "close":
        if command == "counts":
            pipe.send(list(counts))
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)


def _run(url: str, cookie: str, count: int, pipe: Connection) -> None:
    # These stand for browsers on other machines: on this one they yield to the server.
    os.nice(19)
    asyncio.run(_consoles(url, cookie, count, pipe))


class OpenConsoles:
    """The running readers: `events()` says how many events each stream heard so far."""

    def __init__(self, pipe: Connection) -> None:
        self.pipe = pipe

    def events(self) -> list[int]:
        """Events heard per stream."""
        self.pipe.send("counts")
        return self.pipe.recv()


@contextmanager
def open_consoles(url: str, cookie: str, count: int) -> Iterator[OpenConsoles]:
    """`count` streams of `url` open (with the portal session `cookie`) for the block."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_run, args=(url, cookie, count, theirs), daemon=True)
    process.start()
    try:
        if not ours.poll(30) or ours.recv() != "open":
            raise RuntimeError("the console streams did not open")
        yield OpenConsoles(ours)
    finally:
        ours.send("close")
        process.join(10)
        if process.is_alive():
            process.kill()
