"""Case-browser thumbnails: 8-bit, 16-bit and colour images all come out as visible JPEGs."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from u2fast.report.cases import THUMBNAIL_SIDE, thumbnail_data_url
from u2fast.types import Case, ImageRef, LabelTarget


def _case(image: Image.Image, fmt: str = "PNG") -> Case:
    buf = io.BytesIO()
    image.save(buf, format=fmt)
    ref = ImageRef(sha256="0" * 64, mime=f"image/{fmt.lower()}", data=buf.getvalue())
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    return Case(case_id="DD/21/0", dataset_id="21", task="DD", target=target, image=ref)


def _decode(url: str | None) -> np.ndarray:
    assert url is not None and url.startswith("data:image/jpeg;base64,")
    thumb = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert max(thumb.size) <= THUMBNAIL_SIDE
    return np.asarray(thumb, dtype=np.float64)


@pytest.mark.parametrize("dtype", [np.uint16, np.int32, np.float32])
def test_wide_images_are_stretched_not_clipped_white(dtype: type) -> None:
    ramp = np.tile(np.linspace(0, 40000, 300), (200, 1)).astype(dtype)  # dark left, bright right
    pixels = _decode(thumbnail_data_url(_case(Image.fromarray(ramp), "PNG" if dtype is np.uint16 else "TIFF")))
    # the ramp stays a ramp, not one white square
    assert pixels[:, :10].mean() < 30 and pixels[:, -10:].mean() > 225
    assert 100 < pixels.mean() < 155


def test_eight_bit_grey_and_colour_keep_their_values() -> None:
    grey = Image.fromarray(np.full((50, 80), 90, dtype=np.uint8))
    assert abs(_decode(thumbnail_data_url(_case(grey))).mean() - 90) < 3
    colour = Image.fromarray(np.dstack([np.full((50, 80), v, dtype=np.uint8) for v in (200, 40, 10)]))
    rgb = _decode(thumbnail_data_url(_case(colour))).reshape(-1, 3).mean(axis=0)
    assert np.allclose(rgb, (200, 40, 10), atol=6)


def test_unreadable_image_gives_no_thumbnail() -> None:
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    ref = ImageRef(sha256="1" * 64, mime="image/png", data=b"not an image")
    assert thumbnail_data_url(Case("DD/21/1", "21", "DD", target, ref)) is None


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return buf.getvalue()


def _smooth(height: int, width: int, channels: int, seed: int) -> np.ndarray:
    """A frame with structure at several scales, as an ultrasound frame has (not flat, not pure noise)."""
    rng = np.random.default_rng(seed)
    coarse = rng.random((8, 8, channels)) * 255
    up = np.asarray(Image.fromarray(coarse.astype(np.uint8).squeeze()).resize((width, height), Image.Resampling.BICUBIC))
    return np.clip(up.astype(np.int16) + rng.integers(-12, 12, up.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("height", "width", "channels", "side"),
    [(128, 128, 1, 72), (600, 800, 3, 72), (700, 100, 1, 72), (97, 130, 3, 72), (300, 400, 1, 192), (50, 70, 3, 72)],
)
def test_extension_thumbnail_matches_pillows(height: int, width: int, channels: int, side: int) -> None:
    from u2fast._core import png_thumbnail_jpeg
    from u2fast.report.cases import THUMBNAIL_QUALITY, _pillow_thumbnail

    frame = _smooth(height, width, channels, seed=height + width)
    raw = _png(frame)
    ours = png_thumbnail_jpeg(raw, side, THUMBNAIL_QUALITY, 50_000_000)
    assert ours is not None
    mine, pillows = Image.open(io.BytesIO(ours)), Image.open(io.BytesIO(_pillow_thumbnail(raw, side)))
    assert (mine.format, mine.mode, mine.size) == (pillows.format, pillows.mode, pillows.size)
    shrunk = Image.fromarray(frame)
    shrunk.thumbnail((side, side))
    exact = np.asarray(shrunk, dtype=np.float64)

    def error(image: Image.Image) -> float:
        return float(np.abs(np.asarray(image, dtype=np.float64) - exact).mean())

    # as faithful to the exact shrink as Pillow's JPEG (the same size rule and filter; what differs is
    # JPEG rounding, and Pillow's pre-reduction beyond 4x)
    assert error(mine) < 1.1 * error(pillows) + 0.5
    assert 0.85 < len(ours) / len(_pillow_thumbnail(raw, side)) < 1.15


def test_extension_declines_what_it_does_not_read() -> None:
    from u2fast._core import png_thumbnail_jpeg

    grey = _png(np.zeros((100, 100), dtype=np.uint8))
    assert png_thumbnail_jpeg(grey, 72, 45, 100 * 100 - 1) is None  # over the pixel limit
    assert png_thumbnail_jpeg(_png(np.zeros((100, 100), dtype=np.uint16)), 72, 45, 10**8) is None  # 16-bit
    assert png_thumbnail_jpeg(grey[:-20], 72, 45, 10**8) is None  # cut short
    assert png_thumbnail_jpeg(b"GIF89a", 72, 45, 10**8) is None


def test_eight_bit_pngs_are_made_by_the_extension_others_by_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    from u2fast.report import cases

    def refuse(raw: bytes, side: int) -> bytes:
        raise RuntimeError("Pillow was asked")

    monkeypatch.setattr(cases, "_pillow_thumbnail", refuse)
    assert thumbnail_data_url(_case(Image.fromarray(_smooth(90, 120, 3, 1)))) is not None
    wide = Image.fromarray(np.full((40, 40), 3000, dtype=np.uint16))
    assert thumbnail_data_url(_case(wide)) is None


def test_many_thumbnails_on_threads_equal_one_at_a_time_and_name_failures() -> None:
    from u2fast.report.cases import make_thumbnails

    target = LabelTarget(label="benign", options=["benign", "malignant"])
    cases = []
    for i in range(40):
        raw = _png(_smooth(60 + i, 80, 1 + 2 * (i % 2), seed=i)) if i != 7 else b"\x89PNG\r\n\x1a\nbroken"
        ref = ImageRef(sha256=f"{i:064x}", mime="image/png", data=raw)
        cases.append(Case(case_id=f"DD/21/{i}", dataset_id="21", task="DD", target=target, image=ref))
    thumbs, failed = make_thumbnails(cases)
    assert list(failed) == [f"{7:064x}"] and failed[f"{7:064x}"].startswith("DD/21/7: ")
    assert len(thumbs) == 39
    for case in cases[:5]:
        assert thumbs[case.image.sha256] == thumbnail_data_url(case, 192)



def test_a_thumbnail_thread_that_dies_is_reported_naming_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    from u2fast.report import cases as rc

    class Died(BaseException):  # what escapes `except Exception`, as a Rust panic would
        pass

    def die(chunk: object, side: int) -> object:
        raise Died("decoder panicked")

    monkeypatch.setattr(rc, "_thumbnails_or_reasons", die)
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    ref = ImageRef(sha256=f"{1:064x}", mime="image/png", data=_png(_smooth(20, 20, 1, seed=1)))
    case = Case(case_id="DD/21/1", dataset_id="21", task="DD", target=target, image=ref)
    with pytest.raises(RuntimeError, match="case DD/21/1 on failed: Died") as err:
        rc.make_thumbnails([case])
    assert isinstance(err.value.__cause__, Died)

def test_tsv_base64_png_is_checked_then_decoded_by_the_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from u2fast.data.images import sha256_hex, text_digest
    from u2fast.report import cases

    png = _png(_smooth(100, 100, 1, seed=5))
    text = base64.b64encode(png)
    table = tmp_path / "d.tsv"
    head = b"index\timg_data\n0\t"
    table.write_bytes(head + text + b"\n")
    ref = ImageRef(sha256=sha256_hex(png), mime="image/png", path=str(table), offset=len(head), length=len(text),
                   base64=True, stored_blake3=text_digest(text))
    case = Case("DD/21/2", "21", "DD", LabelTarget(label="benign", options=["benign", "malignant"]), ref)
    monkeypatch.setattr(cases, "_pillow_thumbnail", lambda raw, side: (_ for _ in ()).throw(RuntimeError("Pillow")))
    assert thumbnail_data_url(case) is not None
    table.write_bytes(head + text[:-8] + b"AAAAAAAA\n")  # regenerated in place
    thumbs, failed = cases.make_thumbnails([case])
    assert thumbs == {} and "changed since the cases were loaded" in failed[ref.sha256]


def _png_cases(n: int) -> list[Case]:
    target = LabelTarget(label="benign", options=["benign", "malignant"])
    refs = [ImageRef(sha256=f"{i:064x}", mime="image/png", data=_png(_smooth(40, 50, 1, seed=i))) for i in range(n)]
    return [Case(case_id=f"DD/21/{i}", dataset_id="21", task="DD", target=target, image=ref) for i, ref in enumerate(refs)]


def test_thumbnails_started_before_scoring_are_taken_when_they_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from u2fast.report import cases as rc

    cases = _png_cases(30)
    run = SimpleNamespace(records=[SimpleNamespace(case=c) for c in cases])
    early = rc.EarlyThumbnails([run], None)  # type: ignore[list-item]
    assert len(early.made()) == 30
    made_again: list[int] = []
    real = rc._png_thumbnails
    monkeypatch.setattr(rc, "_png_thumbnails", lambda pngs, side: made_again.append(len(pngs)) or real(pngs, side))
    thumbs, failed = rc.make_thumbnails(cases[:20], early)
    assert made_again == [] and failed == {}
    assert thumbs == {c.image.sha256: early.made()[c.image.sha256][0] for c in cases[:20]}
    # 20 images get larger thumbnails than 30 would: those made early do not fit and are made again
    monkeypatch.setattr(rc, "LARGE_THUMBNAILS_UP_TO", 25)
    small = rc.EarlyThumbnails([run], None)  # type: ignore[list-item]
    assert small.side == rc.THUMBNAIL_SIDE
    thumbs, _ = rc.make_thumbnails(cases[:20], small)
    assert made_again == [30, 20] and len(thumbs) == 20


def _png_with_filters(pixels: np.ndarray, chunked: bool) -> bytes:
    """A PNG of 8-bit grey or RGB ``pixels`` whose rows use filters None, Sub, Up, Average and Paeth
    in turn (Pillow's writer picks its own), its data split over several IDAT chunks if ``chunked``."""
    import struct
    import zlib

    height, width = pixels.shape[:2]
    bpp = 1 if pixels.ndim == 2 else 3
    rows = pixels.reshape(height, width * bpp).astype(np.int32)
    raw = bytearray()
    for y, row in enumerate(rows):
        up = rows[y - 1] if y else np.zeros_like(row)
        left = np.concatenate([np.zeros(bpp, np.int32), row[:-bpp]])
        corner = np.concatenate([np.zeros(bpp, np.int32), up[:-bpp]])
        p = left + up - corner
        pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - corner)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, corner))
        kind = y % 5
        predicted = [np.zeros_like(row), left, up, (left + up) // 2, paeth][kind]
        raw += bytes([kind]) + ((row - predicted) % 256).astype(np.uint8).tobytes()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    data = zlib.compress(bytes(raw))
    parts = [data[i : i + 500] for i in range(0, len(data), 500)] if chunked else [data]
    header = struct.pack(">IIBBBBB", width, height, 8, 0 if bpp == 1 else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(chunk(b"IDAT", p) for p in parts) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("channels", "chunked"), [(1, False), (3, True)])
def test_extension_reads_every_png_row_filter(channels: int, chunked: bool) -> None:
    from u2fast._core import png_thumbnail_jpeg

    frame = _smooth(90, 110, channels, seed=channels)
    filtered = _png_with_filters(frame, chunked)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(filtered))), frame)  # Pillow reads it as written
    ours = png_thumbnail_jpeg(filtered, 72, 45, 10**8)
    assert ours is not None and ours == png_thumbnail_jpeg(_png(frame), 72, 45, 10**8)
    broken = bytearray(filtered)
    broken[40] ^= 1  # inside the first IDAT: its CRC no longer matches
    assert png_thumbnail_jpeg(bytes(broken), 72, 45, 10**8) is None


def test_tsv_images_read_through_one_open_file_and_a_missing_file_is_named(tmp_path: Path) -> None:
    from u2fast.data.images import sha256_hex, text_digest
    from u2fast.report.cases import make_thumbnails

    target = LabelTarget(label="benign", options=["benign", "malignant"])
    texts = [base64.b64encode(_png(_smooth(70 + 10 * i, 90, 1, seed=i))) for i in range(3)]
    table = tmp_path / "d.tsv"
    body, cases = b"index\timg_data\n", []
    for i, text in enumerate(texts):
        body += f"{i}\t".encode()
        path = table if i < 2 else tmp_path / "gone.tsv"
        ref = ImageRef(sha256=sha256_hex(base64.b64decode(text)), mime="image/png", path=str(path), offset=len(body),
                       length=len(text), base64=True, stored_blake3=text_digest(text))
        cases.append(Case(f"DD/21/{i}", "21", "DD", target, ref))
        body += text + b"\n"
    table.write_bytes(body)
    thumbs, failed = make_thumbnails(cases)
    assert list(failed) == [cases[2].image.sha256] and "gone.tsv" in failed[cases[2].image.sha256]
    for case, text in zip(cases[:2], texts, strict=False):
        alone = ImageRef(sha256=case.image.sha256, mime="image/png", data=base64.b64decode(text))
        assert thumbs[case.image.sha256] == thumbnail_data_url(Case(case.case_id, "21", "DD", target, alone), 192)
