"""u2fast.runner.images: --max-side decodes a large JPEG at a reduced scale (memory, not time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

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
