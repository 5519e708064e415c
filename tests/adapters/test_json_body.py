"""u2fast.adapters.json_body: answers decoded without raising, and request bodies with the data URLs
spliced in are the bytes msgspec writes."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from typing import Any

import msgspec
import pytest

from u2fast.adapters.base import EncodedImage
from u2fast.adapters.json_body import (
    IMAGE_BASE64,
    IMAGE_BASE64_URLSAFE,
    IMAGE_URL,
    decode_json_object,
    encode_json_with_images,
    json_or_none,
)
from u2fast.testing import ChatCompletionsAdapter
from u2fast.types import ApiError, GenerationParams, Prompt, Request


def _image(b64: str, mime: str = "image/png") -> EncodedImage:
    return EncodedImage(mime=mime, base64=b64, sha256="0" * 64, width=8, height=8)


def _body(urls: list[Any], text: str = "which option?") -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "image_url", "image_url": {"url": u}} for u in urls]
    content.append({"type": "text", "text": text})
    return {"model": "m", "messages": [{"role": "user", "content": content}], "max_tokens": 16}


# Real base64 of several lengths (padding included), and texts that are not base64: each must come
# out exactly as msgspec encodes the data URL, escapes included.
_B64 = [base64.b64encode(os.urandom(n)).decode() for n in (1, 2, 3, 57, 65536)]
_ODD = ["", "ab\ncd", 'a"b', "a\\b", "caf\u00e9", "\x00", "\x1f", "\x7f", "a\tb", "!#$", "\u2028", "ab==\r\n"]


@pytest.mark.parametrize("b64", _B64 + _ODD)
@pytest.mark.parametrize("mime", ["image/png", 'image/"odd"', "image/\u00e9"])
def test_spliced_body_is_byte_identical_to_encoding_the_data_urls(b64: str, mime: str) -> None:
    images = [_image(b64, mime), _image(_B64[0])]
    expected = msgspec.json.encode(_body([i.data_url for i in images]))
    assert encode_json_with_images(_body([IMAGE_URL, IMAGE_URL]), images) == expected


@pytest.mark.parametrize("b64", _B64 + [t for t in _ODD if t.isascii()])
def test_bytes_and_checked_bytes_splice_the_same_as_the_text(b64: str) -> None:
    given = [_image(b64), EncodedImage(mime="image/png", base64=b64.encode(), sha256="0" * 64, width=8, height=8)]
    if b64 in _B64:  # only text known to be base64 is marked checked
        given.append(EncodedImage.checked("image/png", b64.encode(), "0" * 64, 8, 8))
    expected = msgspec.json.encode(_body([_image(b64).data_url]))
    for image in given:
        assert encode_json_with_images(_body([IMAGE_URL]), [image]) == expected


def test_checked_bytes_are_spliced_as_given_without_a_scan() -> None:
    # the contract of EncodedImage.checked: its bytes are not scanned again, so a quote put there
    # by mistake goes out as it is (where an unchecked image's quote is escaped)
    odd = b'QU"JD'
    checked = encode_json_with_images(_body([IMAGE_URL]), [EncodedImage.checked("image/png", odd, "0" * 64)])
    assert b'base64,QU"JD"' in checked
    unchecked = encode_json_with_images(_body([IMAGE_URL]), [_image(odd.decode())])
    assert unchecked == msgspec.json.encode(_body(['data:image/png;base64,QU"JD']))


@pytest.mark.parametrize("b64", _B64 + _ODD)
def test_base64_slots_splice_the_plain_and_url_safe_text(b64: str) -> None:
    urlsafe = b64.replace("+", "-").replace("/", "_")
    forms = [_image(b64)]
    if b64 in _B64:
        forms.append(EncodedImage.checked("image/png", b64.encode(), "0" * 64, 8, 8))
    for image in forms:
        body = {"a": [IMAGE_BASE64, "\x01\x02", {"b": IMAGE_BASE64_URLSAFE}, IMAGE_URL], "z": 1}
        expected = msgspec.json.encode({"a": [b64, "\x01\x02", {"b": urlsafe}, image.data_url], "z": 1})
        assert encode_json_with_images(body, [image, image, image]) == expected


def test_a_nul_character_in_the_text_is_not_mistaken_for_an_image_slot() -> None:
    images = [_image(_B64[2])]
    text = "before\x00after \\u0000"
    expected = msgspec.json.encode(_body([images[0].data_url], text))
    assert encode_json_with_images(_body([IMAGE_URL], text), images) == expected


def test_a_body_without_images_is_encoded_as_it_is() -> None:
    assert encode_json_with_images(_body([]), []) == msgspec.json.encode(_body([]))


@pytest.mark.parametrize(("slots", "given"), [(2, 1), (1, 2), (1, 0), (0, 1)])
def test_slots_and_images_must_match(slots: int, given: int) -> None:
    with pytest.raises(ValueError, match="image"):
        encode_json_with_images(_body([IMAGE_URL] * slots), [_image(_B64[1])] * given)


def _request(model: str, params: GenerationParams) -> Request:
    prompt = Prompt(role="", instruction="which?", output_format="A letter.")
    return Request(key="k" * 32, case_id="c1", dataset_id="d", task="DD", model=model, prompt=prompt, images=(),
                   params=params)  # fmt: skip


def test_the_testing_adapter_sends_the_data_urls_in_order() -> None:
    images = (_image(_B64[1]), _image(_B64[3], "image/jpeg"))
    request = _request("fakeopenai:fake-model", GenerationParams(max_tokens=8))
    doc = msgspec.json.decode(ChatCompletionsAdapter("http://127.0.0.1:9").build_request(request, images).body)
    urls = [p["image_url"]["url"] for p in doc["messages"][0]["content"] if p["type"] == "image_url"]
    assert urls == [i.data_url for i in images]


@pytest.mark.parametrize("extra_body", [{}, {"top_k": 20}, {"messages": [{"role": "user", "content": "x"}]}])
def test_the_openai_plugin_body_is_the_encoded_build_body(extra_body: dict[str, Any]) -> None:
    openai = pytest.importorskip("u2fast_openai.adapter")
    adapter = openai.OpenAIAdapter("gpt-4.1", "sk-x", detail="high", extra_body=extra_body)
    images = (_image(_B64[4]), _image('a"b'))
    request = _request("openai:gpt-4.1", GenerationParams(max_tokens=8, seed=3))
    expected = msgspec.json.encode(adapter.build_body(request, images))
    assert adapter.build_request(request, images).body == expected


def test_decode_json_object_returns_the_object() -> None:
    assert decode_json_object(200, b'{"choices": [], "n": 1}') == {"choices": [], "n": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>bad gateway</html>", "response is not JSON: "),
        (b"", "response is not JSON: "),
        (b'{"unterminated": ', "response is not JSON: "),
        (b"[1, 2]", "response is not a JSON object"),
        (b'"text"', "response is not a JSON object"),
        (b"null", "response is not a JSON object"),
    ],
)
def test_decode_json_object_turns_a_bad_body_into_malformed_response(body: bytes, message: str) -> None:
    error = decode_json_object(203, body)
    assert isinstance(error, ApiError)
    assert error.kind == "malformed_response"
    assert error.status == 203
    assert error.message.startswith(message)
    assert len(error.message) > len("response is not JSON: ") or message.endswith("object")


def test_importing_the_adapter_helpers_does_not_import_an_http_client() -> None:
    code = "import sys, u2fast.adapters; print('aiohttp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("body", "doc"), [(b'{"error": {"code": 429}}', {"error": {"code": 429}}), (b"<html>502</html>", None), (b"", None)]
)
def test_json_or_none_reads_an_error_body_or_gives_none(body: bytes, doc: object) -> None:
    assert json_or_none(body) == doc
