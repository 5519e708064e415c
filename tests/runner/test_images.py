"""u2fast.runner.images: base64 kept in a table is sent as stored; resizes and large images are
prepared in worker threads; --max-side decodes a large JPEG at a reduced scale (memory, not time)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import msgspec
import pytest
from PIL import Image
from runner_support import MODEL, image_ref, make_requests

from u2fast.adapters.base import EncodedImage, Price, Reply
from u2fast.adapters.encoded_image import StoredImage
from u2fast.data import images as data_images
from u2fast.data.images import ImageChanged
from u2fast.runner import ModelRun, run_models
from u2fast.runner import images as runner_images
from u2fast.runner.images import ImageEncoder, encode_image
from u2fast.testing import ChatCompletionsAdapter, FakeProvider
from u2fast.types import ImageRef, Request

_CHILD = """
import hashlib, resource, sys
from u2fast.runner.images import encode_image
from u2fast.types import ImageRef
data = open(sys.argv[1], "rb").read()
ref = ImageRef(sha256=hashlib.sha256(data).hexdigest(), mime="image/jpeg", data=data)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
encoded = encode_image(ref, max_side=512)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(encoded.width, encoded.height, (after - before) * 1024)
"""


def test_a_42_megapixel_jpeg_is_shrunk_without_decoding_it_at_full_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (7000, 6000), (90, 120, 30)).save(path, quality=80)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    width, height, growth = map(int, out.stdout.split())
    assert (width, height) == (512, 439)
    # a full decode holds 7000 x 6000 x 3 = 126 MB; at 1/8 scale it is under 2 MB
    assert growth < 48 << 20, f"peak memory grew by {growth / 2**20:.0f} MiB"


# --------------------------------------------------------------------------- images kept as base64 text


def _noncanonical(data: bytes) -> bytes:
    """Valid base64 of ``data`` that re-encoding would not give back: the unused low bits of the
    last character before the padding are set (decoders ignore them)."""
    text = bytearray(base64.b64encode(data))
    assert text.endswith(b"="), "pick data whose length is not a multiple of 3"
    last = len(text.rstrip(b"=")) - 1
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    text[last] = alphabet[alphabet.index(text[last]) | 1]
    assert base64.b64decode(bytes(text), validate=True) == data and bytes(text) != base64.b64encode(data)
    return bytes(text)


def _png(size: int, seed: int = 0) -> bytes:
    while True:  # a PNG whose length leaves base64 padding
        out = io.BytesIO()
        Image.new("RGB", (size, size), (seed % 256, 40, 90)).save(out, "PNG")
        if len(out.getvalue()) % 3:
            return out.getvalue()
        seed += 1


def _stored(tmp_path: Path, text: bytes, data: bytes, width: int, height: int) -> ImageRef:
    """A ref to ``text`` kept in a table file between other cells, as a release TSV keeps it."""
    path = tmp_path / "table.tsv"
    head = b"index\timg_data\n1\t"
    path.write_bytes(head + text + b"\tmore\n")
    return ImageRef(sha256=hashlib.sha256(data).hexdigest(), mime="image/png", path=str(path), offset=len(head),
                    length=len(text), base64=True, width=width, height=height,
                    stored_blake3=data_images.text_digest(text))


def _change_in_place(ref: ImageRef, data: bytes) -> None:
    """Rewrite the first characters of ``ref``'s stored text in its table (the data regenerated in place)."""
    assert ref.path is not None
    table = Path(ref.path).read_bytes()
    Path(ref.path).write_bytes(table.replace(b"\t" + base64.b64encode(data)[:4], b"\tAAAA", 1))


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> bytes:
        raise AssertionError("the image was decoded or re-encoded")

    monkeypatch.setattr(data_images.base64, "b64decode", refuse)
    monkeypatch.setattr(runner_images, "_b64", refuse)


def test_base64_kept_in_a_table_is_sent_as_stored_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _png(16)
    text = _noncanonical(data)
    ref = _stored(tmp_path, text, data, 16, 16)
    with monkeypatch.context() as patched:
        _no_decoding(patched)
        encoded = encode_image(ref)
        encoder = ImageEncoder()
        assert encoder.acquire((ref,))[0].base64 == text.decode()
        encoder.close()
    assert encoded.base64 == text.decode() and encoded.sha256 == ref.sha256
    assert (encoded.width, encoded.height, encoded.mime) == (16, 16, "image/png")


def test_only_stored_text_with_a_recorded_hash_is_spliced_without_a_scan(tmp_path: Path) -> None:
    # the stored hash proves the text is the one the loader validated strictly; an older ref was
    # checked through a lenient decode, so the body encoder still scans its text
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    assert encode_image(ref).spliceable_bytes == base64.b64encode(data)
    old = msgspec.structs.replace(ref, stored_blake3=None)
    assert encode_image(old).spliceable_bytes is None and encode_image(old) == encode_image(ref)
    in_memory = image_ref(data)
    assert encode_image(in_memory).spliceable_bytes == base64.b64encode(data)  # our own encoder's output


def test_line_wrapped_base64_is_sent_without_its_line_breaks(tmp_path: Path) -> None:
    data = _png(16)
    clean = base64.b64encode(data)
    wrapped = b"\r\n".join(clean[i : i + 76] for i in range(0, len(clean), 76))
    assert encode_image(_stored(tmp_path, wrapped, data, 16, 16)).base64 == clean.decode()


def test_base64_changed_in_place_is_refused_before_it_is_sent(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    _change_in_place(ref, data)
    with pytest.raises(ImageChanged, match="changed since the cases were loaded"):
        encode_image(ref)


def test_a_stored_sha256_recorded_by_an_older_u2fast_is_still_checked(tmp_path: Path) -> None:
    # cases.jsonl written before BLAKE3 carry SHA-256 of the text: resumed and reported, their
    # images are still sent as stored, and refused once changed in place
    data = _png(16)
    text = base64.b64encode(data)
    ref = msgspec.structs.replace(_stored(tmp_path, text, data, 16, 16), stored_blake3=None,
                                  stored_sha256=hashlib.sha256(text).hexdigest())
    assert ref.stored_digest == hashlib.sha256(text).hexdigest()
    assert encode_image(ref).spliceable_bytes == text
    assert data_images.read_image_bytes(ref) == data
    _change_in_place(ref, data)
    with pytest.raises(ImageChanged, match="changed since the cases were loaded"):
        encode_image(ref)
    with pytest.raises(ImageChanged, match=f"recorded {ref.stored_sha256[:12]}"):
        data_images.read_image_bytes(ref)


def test_the_stored_text_digest_is_blake3() -> None:
    blake3 = pytest.importorskip("blake3")  # the reference implementation (test-only dependency)
    for text in (b"", b"abc", base64.b64encode(_png(16)), bytes(range(256)) * 5000):
        assert data_images.text_digest(text) == blake3.blake3(text).hexdigest()


def test_max_side_still_resizes_base64_kept_in_a_table(tmp_path: Path) -> None:
    data = _png(64)
    ref = _stored(tmp_path, base64.b64encode(data), data, 64, 64)
    assert encode_image(ref, max_side=64).base64 == base64.b64encode(data).decode()  # fits: as stored
    small = encode_image(ref, max_side=16)
    assert Image.open(io.BytesIO(base64.b64decode(small.base64))).size == (16, 16)


def test_the_server_receives_the_stored_text_byte_for_byte(tmp_path: Path) -> None:
    data = _png(16)
    text = _noncanonical(data)
    ref = _stored(tmp_path, text, data, 16, 16)

    async def go() -> list[str]:
        async with FakeProvider() as fake:
            requests = make_requests(1, images=[ref])
            await run_models([ModelRun(MODEL, ChatCompletionsAdapter(fake.url), requests)], tmp_path / "run")
            return [b64 for r in fake.received() for _, b64 in r.images]

    assert asyncio.run(go()) == [text.decode()]


def test_an_image_one_request_wants_is_read_when_its_body_is_built_and_not_held(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    encoder = ImageEncoder()
    encoder.plan((ref,))
    image = asyncio.run(encoder.acquire_async((ref,), stored=True))[0]
    assert isinstance(image, StoredImage) and image == encode_image(ref)
    assert image.spliceable_bytes == base64.b64encode(data) and image.base64_length == len(base64.b64encode(data))
    _change_in_place(ref, data)
    with pytest.raises(ImageChanged):  # each use reads the file again and checks it
        image.spliceable_bytes  # noqa: B018
    encoder.close()


def test_an_image_two_requests_want_is_read_once_and_shared(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    encoder = ImageEncoder()
    encoder.plan((ref, ref))
    first, second = asyncio.run(encoder.acquire_async((ref, ref), stored=True))
    assert not isinstance(first, StoredImage) and first is second and encoder.encoded == 1
    encoder.close()


def test_a_stored_image_changed_in_place_stops_the_run_before_anything_is_sent(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    _change_in_place(ref, data)

    async def go() -> int:
        async with FakeProvider() as fake:
            run_ = ModelRun(MODEL, ChatCompletionsAdapter(fake.url), make_requests(1, images=[ref]))
            with pytest.raises(ImageChanged, match="changed since the cases were loaded"):
                await run_models([run_], tmp_path / "run")
            return len(fake.received())

    assert asyncio.run(go()) == 0


def test_a_stored_image_that_cannot_be_read_fails_its_request_without_sending_it(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    assert ref.path is not None
    Path(ref.path).unlink()

    async def go() -> tuple[object, int]:
        async with FakeProvider() as fake:
            run_ = ModelRun(MODEL, ChatCompletionsAdapter(fake.url), make_requests(1, images=[ref]))
            outcome = await run_models([run_], tmp_path / "run")
            return outcome, len(fake.received())

    outcome, sent = asyncio.run(go())
    assert sent == 0
    (record,) = outcome.completions.values()  # type: ignore[attr-defined]
    assert record.error.kind == "bad_request" and record.error.message.startswith("image: ")
    assert "cannot read image" in record.error.message and record.attempt == 1
    assert outcome.stats[MODEL].failed == 1  # type: ignore[attr-defined]



class _EstimateReadsTheImage(ChatCompletionsAdapter):
    """An adapter whose token estimate reads the image text (allowed by the adapter contract)."""

    def estimate_tokens(self, request: Request, images: Sequence[EncodedImage]) -> int:
        return sum(len(i.base64) for i in images) // 4


def test_a_stored_image_an_estimate_cannot_read_fails_its_request_without_sending_it(tmp_path: Path) -> None:
    data = _png(16)
    ref = _stored(tmp_path, base64.b64encode(data), data, 16, 16)
    assert ref.path is not None

    async def go() -> tuple[object, int]:
        async with FakeProvider() as fake:
            adapter = _EstimateReadsTheImage(fake.url)
            requests = make_requests(1, images=[ref])
            run_ = ModelRun(MODEL, adapter, requests, price=Price(input=1.0, output=1.0))  # a price: estimated
            Path(str(ref.path)).unlink()  # gone after the cases were loaded: the estimate's read fails
            outcome = await run_models([run_], tmp_path / "run", max_cost=10.0)
            return outcome, len(fake.received())

    outcome, sent = asyncio.run(go())
    assert sent == 0
    (record,) = outcome.completions.values()  # type: ignore[attr-defined]
    assert record.error.kind == "bad_request" and "cannot read image" in record.error.message
    assert outcome.stats[MODEL].failed == 1  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- heavy images off the event loop


def test_a_resize_runs_in_a_worker_thread_while_the_event_loop_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The resize waits until a heartbeat task on the loop has ticked: on the loop's own thread it
    could never see a tick (the wait would time out and the test fail)."""
    ticked = threading.Event()
    seen: dict[str, object] = {}
    shrink = runner_images._shrink

    def slow_shrink(data: bytes, mime: str, max_side: int) -> tuple[bytes, str, int, int]:
        seen["thread"] = threading.current_thread().name
        seen["ticked"] = ticked.wait(timeout=60)
        return shrink(data, mime, max_side)

    monkeypatch.setattr(runner_images, "_shrink", slow_shrink)
    big = image_ref(_png(512))
    adapter_seen: list[tuple[int, int]] = []

    class Sizes:
        name = "sizes"

        async def generate(self, request: Request, images: Sequence[EncodedImage]) -> Reply:
            adapter_seen.append((images[0].width, images[0].height))
            return Reply(text="A")

    async def go() -> int:
        ticks = 0
        done = asyncio.Event()

        async def heartbeat() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                if ticks >= 3:
                    ticked.set()
                await asyncio.sleep(0)

        beat = asyncio.create_task(heartbeat())
        run = ModelRun("sizes:x", Sizes(), make_requests(1, "sizes:x", images=[big]))
        await run_models([run], tmp_path / "run", max_side=64)
        done.set()
        await beat
        return ticks

    assert asyncio.run(go()) >= 3
    assert seen == {"thread": seen["thread"], "ticked": True}
    assert str(seen["thread"]).startswith("u2fast-image")
    assert adapter_seen == [(64, 64)]


def test_requests_waiting_for_one_heavy_image_share_its_preparation(tmp_path: Path) -> None:
    ref = image_ref(_png(256))
    encoder = ImageEncoder(max_side=32)
    encoder.plan([ref, ref, ref])

    async def go() -> list[EncodedImage]:
        got = await asyncio.gather(*(encoder.acquire_async((ref,)) for _ in range(3)))
        return [g[0] for g in got]

    images = asyncio.run(go())
    encoder.close()
    assert encoder.encoded == 1 and len({id(i) for i in images}) == 1
    assert (images[0].width, images[0].height) == (32, 32)
