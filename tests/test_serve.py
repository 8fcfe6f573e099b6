"""``careleaf serve``, started as a user starts it (its own process), on a free port.

What it promises: an edit is on the page within 3 seconds; a problem is shown on the
page (and in the terminal) at its file and line; it listens on this computer only and
serves nothing outside the output folder; Ctrl-C stops it with exit code 0, leaving
no staging folder or temporary file behind.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, TODAY
from library_maker import make_library, manuscript

SECOND_ARTICLE = manuscript(
    "Hand washing",
    "## Why it matters\n\nClean hands stop germs from spreading to other people.\n",
    summary="When and how to wash your hands.",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    project: Path
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.address + path, timeout=5) as answer:
            return str(answer.read().decode("utf-8"))

    def status(self) -> dict[str, object]:
        return dict(json.loads(self.get("_careleaf/status")))

    def wait_for(self, test: object, seconds: float, what: str) -> float:
        """Poll ``test`` until it is true; the seconds it took (fails after ``seconds``)."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            assert callable(test)
            if test():
                return time.monotonic() - started
            assert self.process.poll() is None, "".join(self.err)
            time.sleep(0.05)
        raise AssertionError(f"{what} not seen within {seconds} s; stderr: {''.join(self.err)}")


def _read(stream: object, into: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.append(line)


def start(project: Path, *extra: str) -> Served:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "publish.py"), "serve", "--port", str(port), *TODAY, *extra],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    served = Served(process, port, project)
    for stream, into in ((process.stdout, served.out), (process.stderr, served.err)):
        threading.Thread(target=_read, args=(stream, into), daemon=True).start()
    served.wait_for(lambda: any("previewing" in line for line in served.out), 60, "the address")
    served.wait_for(lambda: served.status()["generation"] == 1, 60, "the first build")
    return served


def stop(served: Served) -> int:
    served.process.send_signal(signal.SIGINT)
    return served.process.wait(timeout=60)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = make_library(
        tmp_path_factory.mktemp("serve") / "clinic",
        {"colds.md": manuscript(), "hand-washing.md": SECOND_ARTICLE},
    )
    served = start(project)
    yield served
    if served.process.poll() is None:
        stop(served)


def test_an_edit_is_on_the_page_within_3_seconds(preview: Served) -> None:
    assert "Most people get better in a week" in preview.get("html/colds.html")
    text = manuscript().replace("in a week", "in about ten days, often sooner")
    (preview.project / "manuscripts" / "colds.md").write_text(text, encoding="utf-8")
    took = preview.wait_for(
        lambda: "in about ten days, often sooner" in preview.get("html/colds.html"),
        3.0,
        "the edited text",
    )
    print(f"\nserve: the edit was on the page after {took:.2f} s")
    assert not (preview.project / "output" / "leaflets").exists()  # made on request only


def test_a_problem_is_shown_on_the_page_at_its_file_and_line(preview: Served) -> None:
    broken = manuscript().replace("## What you can do", "#### What you can do")
    (preview.project / "manuscripts" / "colds.md").write_text(broken, encoding="utf-8")
    line = broken.split("\n").index("#### What you can do") + 1
    preview.wait_for(lambda: "H401" in preview.get("html/colds.html"), 5.0, "the problem")
    page = preview.get("html/hand-washing.html")  # every page of the preview says so
    alert = page[page.index('role="alert"') : page.index("</div>", page.index('role="alert"'))]
    assert f"<code>manuscripts/colds.md</code>, line {line}: error H401:" in alert
    assert "nothing was written" in alert
    assert "Most people get better" in preview.get("html/colds.html")  # the last good page
    preview.wait_for(
        lambda: any(f"manuscripts/colds.md:{line}: error H401" in e for e in preview.err),
        3.0,
        "the problem in the terminal",
    )
    (preview.project / "manuscripts" / "colds.md").write_text(manuscript(), encoding="utf-8")
    preview.wait_for(lambda: "H401" not in preview.get("html/colds.html"), 5.0, "the mended page")


def _listening(port: int) -> list[str]:
    """The local addresses a socket listens on for ``port`` (Linux's /proc/net tables)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                found.append(address)
    return found


def _other_addresses() -> list[str]:
    """This computer's addresses that are not loopback (none on a machine without a network)."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def test_it_listens_on_this_computer_only(preview: Served) -> None:
    assert _listening(preview.port) == ["0100007F"]  # 127.0.0.1, and nothing else
    for address in _other_addresses():
        with pytest.raises(OSError), socket.create_connection((address, preview.port), 2):
            pass
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    connection.request("GET", "/html/index.html", headers={"Host": "evil.example"})
    assert connection.getresponse().status == 421  # a look-alike name (DNS rebinding)
    connection.close()


def test_it_serves_nothing_outside_the_output_folder(preview: Served, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    output = preview.project / "output"
    (output / "html" / "link.txt").symlink_to(secret)
    for path in (
        "/../careleaf.toml",
        "/%2e%2e/careleaf.toml",
        "/html/..%2f..%2fcareleaf.toml",
        "/html/%2e%2e/%2e%2e/manuscripts/colds.md",
        "/.careleaf/state.json",
        "/html/link.txt",
        "//etc/passwd",
        "/html/..\\..\\careleaf.toml",
    ):
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
        connection.request("GET", path)
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        assert answer.status == 404, path
        assert b"not for the web" not in body and b"[clinic]" not in body
    assert preview.get("report.html").startswith("<!DOCTYPE html>")  # the output's own files


def test_the_button_makes_the_leaflets_and_the_e_book(preview: Served) -> None:
    request = urllib.request.Request(
        preview.address + "_careleaf/build",
        method="POST",
        headers={"Origin": preview.address.rstrip("/"), "Referer": preview.address + "html/"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:  # follows the 303 back
        assert answer.status == 200
    leaflet = preview.project / "output" / "leaflets" / "colds.pdf"
    preview.wait_for(leaflet.is_file, 120, "the leaflet")
    preview.wait_for(
        lambda: "Leaflet to print, PDF, " in preview.get("html/colds.html"), 10, "the download"
    )
    forged = urllib.request.Request(
        preview.address + "_careleaf/build", method="POST", headers={"Origin": "http://x.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)
    assert refused.value.code == 403


def test_ctrl_c_stops_it_cleanly(preview: Served) -> None:
    (preview.project / "manuscripts" / "colds.md").write_text(
        manuscript().replace("a week", "seven days"), encoding="utf-8"
    )
    time.sleep(0.2)  # a build is starting or under way
    assert stop(preview) == 0
    assert any("preview stopped" in line for line in preview.out)
    output = preview.project / "output"
    assert not (output / ".careleaf" / "staging").exists()
    leftovers = [p for p in output.rglob("*") if p.suffix in (".tmp", ".new")]
    assert leftovers == []
    assert "Traceback" not in "".join(preview.err)


def test_another_address_is_used_only_when_asked_and_with_a_warning(tmp_path: Path) -> None:
    project = make_library(tmp_path / "clinic", {"colds.md": manuscript()})
    served = start(project, "--host", "0.0.0.0")
    try:
        assert _listening(served.port) == ["00000000"]
        assert any("--host 0.0.0.0 lets other computers" in line for line in served.err)
    finally:
        assert stop(served) == 0
