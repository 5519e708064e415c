"""u2fast.adapters.encoded_image: an image holds its base64 as str or ASCII bytes, and reads the same
either way to a plugin (``base64``, ``data_url``, equality); only ``checked`` bytes skip the scan."""

from __future__ import annotations

import base64
import copy
import os
import pickle

import pytest

from u2fast.adapters.base import EncodedImage

_TEXT = base64.b64encode(os.urandom(300)).decode()


def test_bytes_and_str_give_the_same_image_to_a_plugin() -> None:
    from_str = EncodedImage(mime="image/png", base64=_TEXT, sha256="a" * 64, width=3, height=4)
    from_bytes = EncodedImage(mime="image/png", base64=_TEXT.encode(), sha256="a" * 64, width=3, height=4)
    checked = EncodedImage.checked("image/png", _TEXT.encode(), "a" * 64, 3, 4)
    for image in (from_str, from_bytes, checked):
        assert image.base64 == _TEXT and isinstance(image.base64, str)
        assert image.base64_bytes == _TEXT.encode()
        assert image.base64_length == len(_TEXT)
        assert image.data_url == f"data:image/png;base64,{_TEXT}"
        assert (image.mime, image.sha256, image.width, image.height) == ("image/png", "a" * 64, 3, 4)
    assert from_str == from_bytes == checked and len({from_str, from_bytes, checked}) == 1
    assert from_str != EncodedImage(mime="image/png", base64=_TEXT[:-4], sha256="a" * 64, width=3, height=4)


def test_only_checked_bytes_are_spliced_without_a_scan() -> None:
    assert EncodedImage.checked("image/png", b"QUJD", "0" * 64).spliceable_bytes == b"QUJD"
    assert EncodedImage(mime="image/png", base64=b"QUJD", sha256="0" * 64).spliceable_bytes is None
    assert EncodedImage(mime="image/png", base64="QUJD", sha256="0" * 64).spliceable_bytes is None


def test_an_image_is_immutable_and_survives_pickle_and_copy() -> None:
    image = EncodedImage.checked("image/jpeg", b"QUJD", "0" * 64, 1, 2)
    with pytest.raises(AttributeError, match="immutable"):
        image.mime = "image/png"  # type: ignore[misc]
    for again in (pickle.loads(pickle.dumps(image)), copy.copy(image), copy.deepcopy(image)):
        assert again == image and again.spliceable_bytes == b"QUJD"


def test_its_repr_does_not_print_the_whole_image() -> None:
    text = repr(EncodedImage(mime="image/png", base64=_TEXT, sha256="0" * 64))
    assert _TEXT[:40] not in text and f"<{len(_TEXT)} characters>" in text


def test_a_base64_that_is_not_text_is_refused() -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        EncodedImage(mime="image/png", base64=memoryview(b"QUJD"), sha256="0" * 64)  # type: ignore[arg-type]
