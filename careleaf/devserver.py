"""The preview's web server (``careleaf serve``): the output folder over HTTP, on this
computer only.

It serves files of the output folder and nothing else: a path is decoded, any part
that starts with a dot (``..``, ``.careleaf``) is refused, and what it names must
resolve to a file inside the folder (a link out of it is refused too). It answers only
requests addressed to this computer by name (the ``Host``), so that a web page
elsewhere cannot reach it through a look-alike name (DNS rebinding), and takes a
build request (a form's POST) only from its own pages. Each HTML page it sends gets
the preview's bar after ``<body>``: when it was built, the problems of the last build
(an alert listing file, line and message), a button that makes the leaflets and the
e-book, and a small script that reloads the page when it is built again (server-sent
events). The files on disk never hold any of it.
"""

from __future__ import annotations

import json
import mimetypes
import re
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from careleaf.serve import Preview

STATIC = Path(__file__).parent / "preview"
ASSETS = {  # what the server itself serves, under /_careleaf/
    "/_careleaf/live.js": ("live.js", "text/javascript; charset=utf-8"),
    "/_careleaf/preview.css": ("preview.css", "text/css; charset=utf-8"),
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
}
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def resolve(root: Path, url_path: str) -> Path | None:
    """The file of the output folder ``url_path`` names; None for anything else."""
    parts = [part for part in unquote(url_path).split("/") if part]
    if any(p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = root.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_file() and real.is_relative_to(root.resolve()) else None


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a page's open event stream never keeps the program alive

    def __init__(self, address: tuple[str, int], preview: Preview, any_host: bool) -> None:
        self.preview = preview
        self.any_host = any_host  # --host given: answer whatever name the request uses
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that went away (a closed tab, a reload, Ctrl-C) is no error to show;
        anything else is shown as the standard library does."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return None  # the terminal shows builds and problems, not every request

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        name = name.strip("[]").lower()
        if self.server.any_host or name in LOOPBACK:
            return True
        self._send(HTTPStatus.MISDIRECTED_REQUEST, b"careleaf serve answers on 127.0.0.1 only\n")
        return False

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        path = urlsplit(self.path).path
        if path == "/":
            self._redirect("/html/index.html")
        elif path == "/_careleaf/events":
            self._events()
        elif path == "/_careleaf/status":
            data = json.dumps(self.server.preview.status()).encode()
            self._send(HTTPStatus.OK, data, "application/json")
        elif path in ASSETS:
            name, kind = ASSETS[path]
            self._send(HTTPStatus.OK, (STATIC / name).read_bytes(), kind)
        else:
            self._file(path)

    def do_POST(self) -> None:
        if not self._host_allowed():
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != self.headers.get("Host"):
            self._send(HTTPStatus.FORBIDDEN, b"only the preview's own pages can ask for a build\n")
            return
        if urlsplit(self.path).path != "/_careleaf/build":
            self._send(HTTPStatus.NOT_FOUND, b"not found\n")
            return
        self.server.preview.request("full")
        back = urlsplit(self.headers.get("Referer") or "").path or "/"
        self._redirect(back if back.startswith("/") and not back.startswith("//") else "/")

    def _file(self, path: str) -> None:
        root = self.server.preview.root
        found = resolve(root, path)
        if found is None:
            first = self.server.preview.status()["generation"] == 0
            soon = " yet: the first build is under way, reload in a moment" if first else ""
            message = f"careleaf serve: no such page in the output{soon}\n"
            self._send(HTTPStatus.NOT_FOUND, message.encode())
            return
        data = found.read_bytes()
        kind = TYPES.get(found.suffix) or mimetypes.guess_type(found.name)[0]
        if found.suffix == ".html":
            data = self._with_bar(data)
        self._send(HTTPStatus.OK, data, kind or "application/octet-stream")

    def _with_bar(self, page: bytes) -> bytes:
        body = _BODY.search(page)
        if body is None:
            return page
        bar = preview_bar(self.server.preview.status()).encode("utf-8")
        return page[: body.end()] + bar + page[body.end() :]

    def _events(self) -> None:
        """Server-sent events: 'building' when a build starts, 'built' (with the build's
        number) when one has finished, a comment now and then to keep the line open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview, seen, building = self.server.preview, -1, ""
        try:
            while not preview.stopping:
                state = preview.status()
                if state["building"] and state["building"] != building:
                    self._event("building", f"Updating the {state['building']}…")
                building = state["building"]
                if state["generation"] != seen:
                    seen = state["generation"]
                    self._event("built", str(seen))
                elif not preview.wait(seen, building, 15.0):
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
        self.close_connection = True

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()

    def _redirect(self, where: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, data: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)


def preview_bar(state: dict[str, object]) -> str:
    """The bar the preview puts above a page: the last build, its problems, a button."""
    problems = state["problems"]
    assert isinstance(problems, list)
    items = "".join(
        f'<li class="{escape(str(p["severity"]))}"><code>{escape(str(p["path"]))}</code>, '
        f"line {p['line']}: {escape(str(p['severity']))} {escape(str(p['code']))}: "
        f"{escape(str(p['message']))}"
        + (f" ({escape(str(p['hint']))})" if p.get("hint") else "")
        + "</li>"
        for p in problems
        if isinstance(p, dict)
    )
    heading = escape(str(state["summary"]))
    alert = f"<p>{heading}</p><ul>{items}</ul>" if items else ""
    stale = int(str(state["stale"]))
    files = f"{stale} file{'s' * (stale != 1)} of the leaflets and the e-book are out of date. "
    return (
        f'\n<div class="careleaf-preview" lang="en" dir="ltr" '
        f'data-generation="{state["generation"]}">\n'
        '<link rel="stylesheet" href="/_careleaf/preview.css">\n'
        f'<p class="careleaf-preview-status">{escape(str(state["when"]))}</p>\n'
        '<p><a href="/report.html">Build report</a></p>\n'
        '<form method="post" action="/_careleaf/build">'
        f"{files if stale else ''}"
        '<button type="submit">Make the leaflets and the e-book now</button></form>\n'
        f'<div class="careleaf-preview-problems" role="alert">{alert}</div>\n'
        '<script src="/_careleaf/live.js" defer></script>\n</div>\n'
    )
