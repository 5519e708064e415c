"""An image ready for the wire: its original bytes base64-encoded once, shared by every model.

The runner holds the base64 as ASCII ``bytes`` (as read from a release TSV, or as the encoder
wrote it) and body encoders splice those bytes into a request as they are
(``json_body.encode_json_with_images``): no ``str`` is made of 87 KB per request only to be turned
back into bytes. ``base64`` (a ``str``) stays what plugins read; when the image holds bytes it is
made on each read, so a plugin that needs speed reads ``base64_bytes`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["EncodedImage", "StoredImage"]


class EncodedImage:
    """An image ready for the wire: ``mime``, the ``base64`` text, the image's ``sha256``, its size.

    Built as before, ``EncodedImage(mime=..., base64=..., sha256=..., width=..., height=...)``, with
    ``base64`` a ``str`` or ASCII ``bytes``; immutable, compared and hashed by value.
    ``EncodedImage.checked`` is for bytes known to hold base64 characters alone.
    """

    __slots__ = ("_checked", "_text", "height", "mime", "sha256", "width")

    mime: str
    sha256: str
    width: int
    height: int
    _text: str | bytes
    _checked: bool

    def __init__(self, mime: str, base64: str | bytes, sha256: str, width: int = 0, height: int = 0) -> None:
        if not isinstance(base64, (str, bytes)):
            raise TypeError(f"EncodedImage.base64 must be str or bytes, not {type(base64).__name__}")
        setter = object.__setattr__
        setter(self, "mime", mime)
        setter(self, "_text", base64)
        setter(self, "sha256", sha256)
        setter(self, "width", width)
        setter(self, "height", height)
        setter(self, "_checked", False)

    @classmethod
    def checked(cls, mime: str, base64: bytes, sha256: str, width: int = 0, height: int = 0) -> EncodedImage:
        """An image whose ``base64`` bytes are known to be base64 characters alone (an encoder's
        output, or stored text whose hash matched the text the loader validated): body encoders
        splice them without scanning them again."""
        image = cls(mime, base64, sha256, width, height)
        object.__setattr__(image, "_checked", True)
        return image

    @property
    def base64(self) -> str:
        """The base64 text (made from the bytes on each read when the image holds bytes)."""
        text = self._text
        return text if isinstance(text, str) else text.decode("ascii")

    @property
    def base64_bytes(self) -> bytes:
        """The base64 text as ASCII bytes, without a copy when the image holds bytes.
        UnicodeEncodeError when the text is not ASCII (then it is not base64)."""
        text = self._text
        return text if isinstance(text, bytes) else text.encode("ascii")

    @property
    def base64_length(self) -> int:
        """Characters of the base64 text, without making it."""
        return len(self._text)

    @property
    def spliceable_bytes(self) -> bytes | None:
        """The base64 bytes when known to need no JSON escaping (``checked``), else None."""
        text = self._text
        return text if self._checked and isinstance(text, bytes) else None

    @property
    def data_url(self) -> str:
        return f"data:{self.mime};base64,{self.base64}"

    def _key(self) -> tuple[str, bytes | str, str, int, int]:
        text = self._text
        if isinstance(text, str) and text.isascii():
            text = text.encode("ascii")  # the same image whichever form it was given in
        return (self.mime, text, self.sha256, self.width, self.height)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EncodedImage):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"EncodedImage is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"EncodedImage is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy: __setattr__ refuses slot state
        return (_restore, (self.mime, self._text, self.sha256, self.width, self.height, self._checked))

    def __repr__(self) -> str:
        return (
            f"EncodedImage(mime={self.mime!r}, base64=<{self.base64_length} characters>, sha256={self.sha256!r}, "
            f"width={self.width}, height={self.height})"
        )


class StoredImage(EncodedImage):
    """An image whose checked base64 text is read from its file whenever it is used, and not held.

    The runner makes one for a request that alone wants an image kept as base64 text in a release
    TSV: the text is read (its hash checked) while the request body is built and is dropped with the
    spliced copy made, so nothing of the image is held while the request is in flight (at C = 512
    that is 512 x 87 KB of memory fresh from the kernel, whose page faults cost more than the read).
    ``read()`` returns the text as ASCII bytes known to be base64 characters alone, or raises the
    reader's error (``u2fast.errors.DataError``; ``ImageChanged`` when the bytes are not the ones
    loaded); every accessor of the text calls it, so each use reads and checks again.
    """

    __slots__ = ("_length", "_read")

    _read: Callable[[], bytes]
    _length: int

    def __init__(
        self, mime: str, sha256: str, width: int, height: int, length: int, read: Callable[[], bytes]
    ) -> None:
        super().__init__(mime, b"", sha256, width, height)
        object.__setattr__(self, "_read", read)
        object.__setattr__(self, "_length", length)

    def read(self) -> bytes:
        return self._read()

    @property
    def base64(self) -> str:
        return self._read().decode("ascii")

    @property
    def base64_bytes(self) -> bytes:
        return self._read()

    @property
    def base64_length(self) -> int:
        """The stored text's length (without reading it): at least the characters of ``base64``, which
        drops the line breaks of MIME-style base64."""
        return self._length

    @property
    def spliceable_bytes(self) -> bytes | None:
        return self._read()

    def _key(self) -> tuple[str, bytes | str, str, int, int]:
        return (self.mime, self._read(), self.sha256, self.width, self.height)

    def __reduce__(self) -> tuple[Any, ...]:  # a copy holds the text: a reader does not pickle
        return (_restore, (self.mime, self._read(), self.sha256, self.width, self.height, True))


def _restore(mime: str, text: str | bytes, sha256: str, width: int, height: int, checked: bool) -> EncodedImage:
    if checked and isinstance(text, bytes):
        return EncodedImage.checked(mime, text, sha256, width, height)
    return EncodedImage(mime, text, sha256, width, height)
