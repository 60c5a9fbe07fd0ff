"""Decoding: the bytes of a file of unknown encoding into text, or NotText for binary data."""
from __future__ import annotations

import re
import unicodedata

from .rows import counted

BINARY_SHARE = 0.05                   # a text with more control/unassigned characters than this is binary


class NotText(ValueError):
    """Bytes that are not text in any encoding: binary, or undecodable."""


def _text_like(text: str) -> bool:
    """Few control, unassigned, private-use or replacement characters: text, not decoded binary."""
    if not text:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
                                                     and ch not in "\t\n\r\f\v"))
    return bad <= BINARY_SHARE * len(text)


def _plausible(text: str) -> float:
    """Share of characters that Chinese reports are written in: ideographs, CJK and general
    punctuation, full-width forms, printable ASCII and whitespace."""
    ok = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r" or "\u4e00" <= ch <= "\u9fff"
             or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or "\u2010" <= ch <= "\u206f"
             or "\u3400" <= ch <= "\u4dbf" or ch in "\ufeff\u00b7\u00d7\u00b0\ufffd")
    return ok / len(text) if text else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM (it has NUL bytes: the high bytes of ASCII): the byte order
    whose decoding reads as Chinese text."""
    if len(data) % 2:
        return None
    best, score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if (p := _plausible(text)) > score:
            best, score = text, p
    return best if score >= CHINESE_SHARE else None


CHINESE_SHARE = 0.9


def _chinese(data: bytes) -> str | None:
    """The bytes read in a Chinese encoding (GB18030, a superset of GBK and GB2312, or Big5),
    when one reads them as Chinese text; charset detection chooses between the two."""
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    candidates = [str(best)] if best is not None else []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(enc))
        except UnicodeDecodeError:
            pass
    return next((t for t in candidates if _plausible(t) >= CHINESE_SHARE), None)


DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


STRAY = re.compile(r"[\udc80-\udcff]+")   # bytes that are no UTF-8, as surrogateescape keeps them
STRAY_SHARE = 0.02                       # UTF-8 with more stray bytes than this is another encoding


def _stray(run: bytes) -> str:
    return f"{counted(len(run), 'byte')} that {'is' if len(run) == 1 else 'are'} not UTF-8"


def decode_utf8(data: bytes, notes: list) -> str:
    """UTF-8 in which some runs of bytes are not UTF-8: a run that reads as Chinese in GB18030 (a phrase
    pasted from another file) is read so, any other becomes U+FFFD; each is noted as (line, reason)."""
    text = data.decode("utf-8", "surrogateescape")
    parts, line, last = [], 1, 0
    for m in STRAY.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        run = m.group().encode("utf-8", "surrogateescape")
        try:
            recovered = run.decode("gb18030")
            if _plausible(recovered) < CHINESE_SHARE:
                raise UnicodeDecodeError("gb18030", run, 0, len(run), "not Chinese")
            notes.append((line, f"{_stray(run)}, read as GB18030: {recovered}"))
        except UnicodeDecodeError:
            recovered = "\ufffd"
            notes.append((line, f"{_stray(run)} (replaced by U+FFFD)"))
        parts.append((m.start(), m.end(), recovered))
    out, pos = [], 0
    for start, end, recovered in parts:
        out += [text[pos:start], recovered]
        pos = end
    return "".join(out + [text[pos:]])


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few stray bytes (and with some multi-byte characters, so not another encoding)."""
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(len(m.group()) for m in STRAY.finditer(text))
    return 0 < stray <= STRAY_SHARE * len(data) and len(text) - stray < len(data) - stray


def decode(data: bytes, notes: list | None = None) -> str:
    """Decode bytes of unknown encoding: BOMs, UTF-8, a charset an HTML page declares, then
    charset detection (GBK, GB18030, Big5, UTF-16 …). Raises NotText for binary data.

    UTF-8 with a few stray bytes is read as UTF-8; `notes` gets (line, reason) for each run of them.
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise NotText("not text in the encoding its byte order mark names") from None
            if not _text_like(text):
                raise NotText("binary file")
            return text
    text = None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            try:
                text = data.decode("utf-8")     # a stray NUL in text; _text_like judges
            except UnicodeDecodeError:
                raise NotText("binary file") from None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if _mostly_utf8(data):
                text = decode_utf8(data, notes if notes is not None else [])
    if text is None and (m := DECLARED_CHARSET.search(data[:4096])):
        try:
            text = data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    if text is None:
        from charset_normalizer import from_bytes
        # UTF-16/32 with NUL bytes was read above; a guess of it for bytes without NUL is noise
        best = next((m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))), None)
        text = str(best) if best is not None else None
    if text is None or _plausible(text) < CHINESE_SHARE:
        # Short or unusual Chinese text is often taken for Korean, Japanese or Cyrillic, and GBK
        # bytes can be valid UTF-8 (一 is D2 BB, Cyrillic һ): the Chinese encodings come first when
        # they read it as Chinese; UTF-16 without BOM and without ASCII has no NUL byte (万 is 07 4E).
        text = _chinese(data) or _utf16_without_bom(data) or text
    if text is None:
        raise NotText("binary file, or text in no known encoding")
    if not _text_like(text):
        raise NotText("binary file")
    return text
