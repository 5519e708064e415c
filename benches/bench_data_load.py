"""Loading speed of the release layout at full benchmark scale (7,241 cases), beside the kit's way.

    python benches/bench_data_load.py                 # generate 7,241 phantom cases in a temp folder
    python benches/bench_data_load.py --dir DIR       # time an existing folder (e.g. a real release copy)
    python benches/bench_data_load.py --cases 2000    # smaller

Printed: time to generate the sample, u2fast's load time (every image base64-decoded, hashed and checked
by PIL, images left in the files) and peak traced memory; then, when pandas is installed, the official kit's
shape measured in the same run on the same files: pandas ``read_csv`` of each TSV, then every image
decoded with PIL and re-encoded to JPEG (``image_base_0302.py`` does that for each row), and the ratio.
"""

from __future__ import annotations

import argparse
import base64
import io
import tempfile
import time
import tracemalloc
from pathlib import Path


def _u2fast_load(root: Path) -> tuple[float, int, float]:
    """Seconds and case count of an untraced load, then the peak traced memory of a second load."""
    from u2fast.data import LoadOptions, load

    start = time.perf_counter()
    result = load(str(root), LoadOptions())
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # traced separately: tracing slows Python code several times over
    load(str(root), LoadOptions())
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return elapsed, len(result.cases), peak


def _kit_shape(root: Path) -> tuple[float, int] | None:
    try:
        import pandas as pd
    except ImportError:
        return None
    from PIL import Image

    start = time.perf_counter()
    rows = 0
    for table in sorted(root.rglob("*.tsv")):
        frame = pd.read_csv(table, sep="\t")
        for text in frame["img_data"]:
            with Image.open(io.BytesIO(base64.b64decode(text))) as im:
                im.convert("RGB").save(io.BytesIO(), format="JPEG")
            rows += 1
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, help="an existing dataset folder to time")
    parser.add_argument("--cases", type=int, default=7241)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir
        if root is None:
            from u2fast.data import write_sample

            root = Path(tmp) / "sample"
            start = time.perf_counter()
            write_sample(root, args.cases, seed=0, include_pydicom_data=False)
            print(f"generate {args.cases} cases: {time.perf_counter() - start:.1f} s")
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
        print(f"dataset: {root} ({size:.0f} MB)")
        elapsed, n, peak = _u2fast_load(root)
        print(
            f"u2fast load: {n} cases in {elapsed:.2f} s ({n / elapsed:,.0f} cases/s), peak traced memory {peak:.0f} MB"
        )
        kit = _kit_shape(root)
        if kit is None:
            print("kit shape: skipped (pandas not installed)")
        else:
            kit_s, rows = kit
            print(
                f"kit shape (pandas + PIL JPEG re-encode): {rows} rows in {kit_s:.2f} s; ratio {kit_s / elapsed:.1f}x"
            )


if __name__ == "__main__":
    main()
