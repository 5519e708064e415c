"""Real ultrasound frames for the bundled sample, labelled only from what their DICOM headers say.

Sources: the ultrasound examples in the pydicom wheel, and the ``pydicom-data`` package when it is
installed. The only scenario a header can honestly answer is ``VRA/anatomy`` ("which organ is
this?"), from the application value of ImageType (value 3) for ultrasound:
EPICARDIAL, TEE and CARDIOLOGY are heart examinations. Every other example is left out:

- ``examples_palette.dcm`` / ``OBXXXX1A.dcm`` say OBSTETRICAL, but the frame shows no fetus (only the
  probe's near field), so "fetal" would be a label the picture does not support;
- ``examples_rgb_color.dcm`` / ``examples_jpeg2k.dcm`` / ``US1_*.dcm`` say SMALL PARTS, which names no
  single organ of the option list;
- ``ExplVR_BigEnd.dcm`` is an 80x60 colour test pattern;
- no header carries a measurement of a CVE quantity (EF, IMT, HC, AC, liver fat); the calibrated
  SequenceOfUltrasoundRegions only gives the pixel spacing, which is recorded in ``notes``.

JPEG-compressed frames are stored as their original JPEG bitstream (no decode and re-encode), other
frames as PNG written by ``images.encode_png``, so the output is the same on every machine.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .images import encode_png

__all__ = ["APPLICATION_ANATOMY", "RealFrame", "real_frames"]

#: Ultrasound ImageType value 3 (the application) -> an option of the VRA/anatomy scenario.
APPLICATION_ANATOMY = {"EPICARDIAL": "heart", "TEE": "heart", "CARDIOLOGY": "heart", "CARDIAC": "heart"}

#: Which files to read, so that the same picture in another transfer syntax is not counted twice.
_WHEEL_FILES = ("examples_ybr_color.dcm",)
_PYDICOM_DATA_FILES = ("color-pl.dcm", "color3d_jpeg_baseline.dcm")


@dataclass(frozen=True)
class RealFrame:
    image: bytes
    anatomy: str
    notes: str


def _wheel_paths() -> list[Path]:
    from pydicom.data import get_testdata_file

    paths = []
    for name in _WHEEL_FILES:
        found = get_testdata_file(name)
        if isinstance(found, str) and os.path.isfile(found):
            paths.append(Path(found))
    return paths


def _pydicom_data_paths() -> list[Path]:
    spec = importlib.util.find_spec("pydicom_data")
    if spec is None or not spec.submodule_search_locations:
        return []
    base = Path(next(iter(spec.submodule_search_locations)))
    return [p for name in _PYDICOM_DATA_FILES for p in base.rglob(name)][: len(_PYDICOM_DATA_FILES)]


def _first_frame(ds: object, path: Path) -> bytes | None:
    import pydicom

    assert isinstance(ds, pydicom.Dataset)
    syntax = ds.file_meta.TransferSyntaxUID
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    if syntax.is_encapsulated:
        if "JPEG Baseline" not in syntax.name:
            return None  # would need an optional decoder; keep the sample reproducible
        from pydicom.encaps import generate_frames

        return next(generate_frames(ds.PixelData, number_of_frames=frames))
    pixels = ds.pixel_array
    if frames > 1:
        pixels = pixels[0]
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        from pydicom.pixels.processing import apply_color_lut

        pixels = apply_color_lut(pixels, ds)
    if pixels.dtype != np.uint8:
        pixels = (pixels >> 8).astype(np.uint8) if pixels.max() > 255 else pixels.astype(np.uint8)
    channels = 1 if pixels.ndim == 2 else int(pixels.shape[2])
    if channels not in (1, 3) or ds.PhotometricInterpretation not in ("RGB", "MONOCHROME2", "PALETTE COLOR"):
        return None
    height, width = int(pixels.shape[0]), int(pixels.shape[1])
    return encode_png(np.ascontiguousarray(pixels).tobytes(), width, height, channels)


def _frame_of(path: Path, source: str) -> RealFrame | None:
    import pydicom

    ds = pydicom.dcmread(path)
    if ds.get("Modality") != "US":
        return None
    image_type = [str(v).upper() for v in ds.get("ImageType", [])]
    anatomy = APPLICATION_ANATOMY.get(image_type[2]) if len(image_type) > 2 else None
    if anatomy is None:
        return None
    image = _first_frame(ds, path)
    if image is None:
        return None
    notes = f"real frame: {source} {path.name}, frame 1; ImageType {'/'.join(image_type[:3])}"
    regions = ds.get("SequenceOfUltrasoundRegions")
    if regions:
        region = regions[0]
        if region.get("PhysicalUnitsXDirection") == 3 and region.get("PhysicalDeltaX"):
            notes += (
                f"; pixel spacing {float(region.PhysicalDeltaX) * 10:.3f} mm (SequenceOfUltrasoundRegions)"
            )
    return RealFrame(image, anatomy, notes)


def real_frames(include_pydicom_data: bool | None = None) -> list[RealFrame]:
    """The usable frames, wheel examples first. ``include_pydicom_data=None`` uses it when installed."""
    sources = [(p, "pydicom test data") for p in _wheel_paths()]
    if include_pydicom_data is None or include_pydicom_data:
        sources += [(p, "pydicom-data") for p in _pydicom_data_paths()]
    frames = []
    for path, source in sources:
        try:
            frame = _frame_of(path, source)
        except Exception:  # noqa: BLE001 - an unreadable example is simply not used
            frame = None
        if frame is not None:
            frames.append(frame)
    return frames
