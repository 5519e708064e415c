"""CPU per request of the runner's image path on its own: one stored image read (``pread`` and the
BLAKE3 check of its text, ``ImageRef.stored_blake3``) plus the request body built by each plugin, beside the same body made
the way a plugin without the splice makes it (``msgspec.json.encode(build_body(...))``, through the
``str`` of ``EncodedImage.base64``) and beside the digest check alone (the floor of the read), with
SHA-256 of the same text (the check before BLAKE3) for comparison.

    python benches/bench_image_body.py [--kb 87] [--repeat 2000]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from u2fast.data.images import text_digest
from u2fast.runner.images import encode_image
from u2fast.types import GenerationParams, ImageRef, Prompt, Request


def _stored_ref(folder: Path, kb: int) -> ImageRef:
    """A TSV row holding ``kb`` KB of base64 text, referenced by offset as the loader records it."""
    text = base64.b64encode(os.urandom(kb * 1024 * 3 // 4))
    head = b"index\timg_data\n0\t"
    path = folder / "table.tsv"
    path.write_bytes(head + text + b"\n")
    return ImageRef(sha256=hashlib.sha256(base64.b64decode(text)).hexdigest(), mime="image/png", path=str(path),
                    offset=len(head), length=len(text), base64=True, width=304, height=304,
                    stored_blake3=text_digest(text))  # fmt: skip


def _per_call_us(fn: Callable[[], object], repeat: int, rounds: int = 7) -> float:
    """Median over ``rounds`` of the process CPU per call of ``fn``, in microseconds."""
    fn()
    figures = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            fn()
        figures.append((time.process_time() - start) / repeat * 1e6)
    return statistics.median(figures)


def _adapters() -> dict[str, Any]:
    from u2fast_anthropic.adapter import AnthropicAdapter
    from u2fast_gemini.adapter import GeminiAdapter
    from u2fast_openai.adapter import OpenAIAdapter

    return {
        "openai": OpenAIAdapter("gpt-4.1", "sk-bench"),
        "anthropic": AnthropicAdapter("claude-sonnet-4-5", "sk-bench"),
        "gemini": GeminiAdapter("gemini-2.5-flash", "bench-key"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, default=87, help="KB of base64 text per image")
    parser.add_argument("--repeat", type=int, default=2000, help="calls per timing (7 timings, median)")
    args = parser.parse_args()
    prompt = Prompt(role="", instruction="Which option fits the image?", output_format="A letter.")
    request = Request(key="k" * 32, case_id="c1", dataset_id="d", task="DD", model="m", prompt=prompt, images=(),
                      params=GenerationParams(max_tokens=16))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        ref = _stored_ref(Path(tmp), args.kb)
        assert ref.path is not None
        fd = os.open(ref.path, os.O_RDONLY)
        try:
            floor = _per_call_us(lambda: text_digest(os.pread(fd, ref.length, ref.offset)), args.repeat)
            before = _per_call_us(lambda: hashlib.sha256(os.pread(fd, ref.length, ref.offset)).digest(), args.repeat)
            print(f"{args.kb} KB of stored base64 per request; process CPU per request, median of 7 timings of "
                  f"{args.repeat} calls; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
            print(f"pread + BLAKE3 alone (the floor of the read): {floor:7.1f} us (pread + SHA-256, the check "
                  f"before: {before:.1f} us)")
            print(f"{'plugin':<10} {'spliced body':>13} {'encoded str body':>17}")
            for name, adapter in _adapters().items():
                image = encode_image(ref, None, fd)
                spliced = adapter.build_request(request, (image,)).body
                assert spliced == msgspec.json.encode(adapter.build_body(request, (image,))), name

                def splice(adapter: Any = adapter) -> bytes:
                    return bytes(adapter.build_request(request, (encode_image(ref, None, fd),)).body)

                def whole(adapter: Any = adapter) -> bytes:
                    return msgspec.json.encode(adapter.build_body(request, (encode_image(ref, None, fd),)))

                print(f"{name:<10} {_per_call_us(splice, args.repeat):10.1f} us {_per_call_us(whole, args.repeat):14.1f} us")
        finally:
            os.close(fd)


if __name__ == "__main__":
    main()
