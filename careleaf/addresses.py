"""Which addresses a link may have: one place decides, for the body and the front matter.

A link goes to another manuscript, or to an address of one of ``LINK_SCHEMES``; and
that address must be well formed, as e-book readers and EPUBCheck (RSC-020) read it:
a web address has a host whose labels are valid (IDNA, via the standard library's
``encodings.idna``) or an IP address, a valid port, and no spaces, control characters
or characters a URL cannot hold; a mail address has a mailbox and a domain; a phone
number only digits, ``+`` and the separators ``-.()``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

from careleaf.characters import refused

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Not in any URL as written (WHATWG URL: forbidden or to be percent-encoded).
_NOT_IN_URL = re.compile(r"[\s<>\"\\^`{|}]")
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_PHONE = re.compile(r"\+?[0-9][0-9().\-]*(;[a-z-]+=[0-9a-z+.\-]+)*", re.IGNORECASE)
_MAILBOX = re.compile(r"[^@\s/?#]+")
_PERCENT = re.compile(r"%(?![0-9a-fA-F]{2})")


def host_fault(host: str) -> str | None:
    """Why ``host`` is no host name or IP address, else None."""
    if not host:
        return "it has no host name"
    if ":" in host:  # urlsplit gives an IPv6 address without its brackets
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"'{host}' is not an IPv6 address"
        return None
    name = host[:-1] if host.endswith(".") and not host.endswith("..") else host
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return f"'{host}' is not a host name (an empty part between dots, or a part too long)"
    labels = ascii_name.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return f"'{host}' is not a host name (only letters, digits and hyphens between dots)"
    if labels[-1].isdigit():
        try:
            ipaddress.IPv4Address(ascii_name)
        except ValueError:
            return f"'{host}' is neither a host name nor an IP address"
    return None


def address_fault(href: str) -> str | None:
    """Why the absolute address ``href`` is malformed, else None (its scheme is not
    checked against ``LINK_SCHEMES`` here)."""
    if any(refused(char) for char in href):
        return "it holds an invisible or control character"
    bad = _NOT_IN_URL.search(href)
    if bad:
        shown = "a space" if bad.group(0).isspace() else f"'{bad.group(0)}'"
        return f"it holds {shown}, which an address cannot hold (write %20 for a space)"
    if _PERCENT.search(href):
        return "it holds a '%' that is not followed by two hexadecimal digits"
    try:
        parts = urlsplit(href)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number)
    except ValueError as exc:
        return f"it cannot be read as an address ({exc})"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not href[len(scheme) + 1 :].startswith("//"):
            return f"a web address starts with '{scheme}://'"
        if parts.username is not None or parts.password is not None:
            return "it holds a user name or password before '@'"
        return host_fault(parts.hostname or "")
    if scheme == "mailto":
        mailbox, _, domain = unquote(parts.path).partition("@")
        if not _MAILBOX.fullmatch(mailbox) or not domain:
            return "a mail address looks like mailto:name@clinic.org"
        return host_fault(domain)
    if scheme == "tel" and not _PHONE.fullmatch(unquote(parts.path).replace(" ", "-")):
        return "a phone number holds only digits, '+', and '-' or '.' between them"
    return None
