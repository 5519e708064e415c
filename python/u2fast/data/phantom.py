"""A deterministic ultrasound-like phantom: speckle in a sector-shaped field of view, with drawn structures.

The picture is built from a Scene (tissue brightness plus blobs, bands and lines) so that every
ground-truth fact is known exactly: a blob's pixel mask gives its box, a band's thickness in pixels
times the stated pixel spacing gives a thickness in mm. Speckle is a smoothed complex Gaussian
field's magnitude (Rayleigh-like, spatially correlated as real speckle is); lesions may cast an
acoustic shadow (or posterior enhancement) along the beam, away from the probe at the top.
Only numpy is used, and every random draw comes from the caller's Generator.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["APEX", "HALF_ANGLE", "Band", "Blob", "Scene", "blob_mask", "fov_mask", "in_fov", "render", "warm_speckle"]

#: The probe sits above the image: beams fan out from APEX (normalized x, y) within +-HALF_ANGLE.
APEX = (0.5, -0.12)
HALF_ANGLE = 0.72  # radians, about 41 degrees
_R_MIN, _R_MAX = 0.16, 1.12

Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Blob:
    """An ellipse-like structure; ``roughness`` 0 is a smooth oval, 1 an irregular, spiculated outline."""

    cx: float
    cy: float
    rx: float
    ry: float
    level: float
    angle: float = 0.0
    roughness: float = 0.0
    shadow: float = 0.0
    enhancement: float = 0.0
    rim: float = 0.0
    phases: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Band:
    """A horizontal layer between rows ``top`` and ``top + thickness`` (pixels), e.g. a vessel wall."""

    top: int
    thickness: int
    level: float


@dataclass(frozen=True)
class Scene:
    tissue: float = 0.5
    blobs: tuple[Blob, ...] = ()
    bands: tuple[Band, ...] = ()
    #: Bright vertical lines from a row downwards (lung B-lines): (x, top_row, level).
    vlines: tuple[tuple[float, int, float], ...] = ()
    size: int = 128


@functools.lru_cache(maxsize=8)
def _centres(size: int) -> Floats:
    """Normalized pixel-centre coordinates along one axis."""
    coords = (np.arange(size, dtype=np.float64) + 0.5) / size
    coords.setflags(write=False)
    return coords


@functools.lru_cache(maxsize=8)
def _geometry(size: int) -> tuple[Floats, Floats, Floats, Floats, Mask]:
    """Pixel-centre coordinates, their polar coordinates about the probe, and the field of view."""
    coords = _centres(size)
    y, x = np.meshgrid(coords, coords, indexing="ij")
    dx, dy = x - APEX[0], y - APEX[1]
    r, theta = np.hypot(dx, dy), np.arctan2(dx, dy)
    fov = (np.abs(theta) < HALF_ANGLE) & (r > _R_MIN) & (r < _R_MAX)
    for array in (x, y, r, theta, fov):
        array.setflags(write=False)
    return x, y, r, theta, fov


def fov_mask(size: int) -> Mask:
    return _geometry(size)[4].copy()


def in_fov(cx: float, cy: float, radius: float = 0.0) -> bool:
    """Whether a disc of ``radius`` around (cx, cy) lies inside the field of view."""
    r = math.hypot(cx - APEX[0], cy - APEX[1])
    theta = math.atan2(cx - APEX[0], cy - APEX[1])
    margin = math.asin(min(1.0, radius / r)) if r > radius else math.pi
    inside = abs(theta) + margin < HALF_ANGLE and r - radius > _R_MIN and r + radius < _R_MAX
    return inside and radius <= cx <= 1 - radius and radius <= cy <= 1 - radius


def blob_mask(blob: Blob, size: int) -> Mask:
    mask: Mask = np.zeros((size, size), dtype=bool)
    # Only the window that can hold the blob is evaluated (rough edges reach 1.33 radii).
    reach = 1.4 * max(blob.rx, blob.ry)
    r0, r1 = max(0, int((blob.cy - reach) * size)), min(size, int((blob.cy + reach) * size) + 2)
    c0, c1 = max(0, int((blob.cx - reach) * size)), min(size, int((blob.cx + reach) * size) + 2)
    if r0 >= r1 or c0 >= c1:
        return mask
    # x varies along columns only and y along rows only, so the rotated coordinates are sums of a
    # row term and a column term: the same floating-point operations per pixel as on full grids,
    # at a third of the array work (this was most of the cost of a generated sample).
    coords = _centres(size)
    dx, dy = coords[c0:c1] - blob.cx, coords[r0:r1] - blob.cy
    cos_a, sin_a = math.cos(blob.angle), math.sin(blob.angle)
    u = (dx * cos_a)[None, :] + (dy * sin_a)[:, None]
    u /= blob.rx
    v = (-dx * sin_a)[None, :] + (dy * cos_a)[:, None]
    v /= blob.ry
    # Squared radius rather than np.hypot, which costs forty times an add here (scalar libm).
    rho2 = u * u
    rho2 += v * v
    if not blob.roughness:
        mask[r0:r1, c0:c1] = rho2 < 1.0
        return mask
    # The rough edge stays within 1 +- 0.33 roughness: the angle terms are needed on that ring only.
    window = rho2 < (1.0 - 0.34 * blob.roughness) ** 2
    ring = ~window & (rho2 < (1.0 + 0.34 * blob.roughness) ** 2)
    phi = np.arctan2(v[ring], u[ring])
    p1, p2, p3 = blob.phases
    edge = 1.0 + blob.roughness * (
        0.16 * np.sin(5 * phi + p1) + 0.10 * np.sin(9 * phi + p2) + 0.07 * np.sin(13 * phi + p3)
    )
    window[ring] = np.sqrt(rho2[ring]) < edge
    mask[r0:r1, c0:c1] = window
    return mask


def _blur(field_: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """Separable binomial [1 4 6 4 1]/16 smoothing with reflected edges."""
    out = field_
    for axis in (0, 1):
        n = out.shape[axis]
        padded = np.pad(out, [(2, 2) if a == axis else (0, 0) for a in (0, 1)], mode="reflect")
        if axis == 0:
            out = (
                padded[0:n]
                + padded[4 : n + 4]
                + 4 * (padded[1 : n + 1] + padded[3 : n + 3])
                + 6 * padded[2 : n + 2]
            ) / 16
        else:
            out = (
                padded[:, 0:n]
                + padded[:, 4 : n + 4]
                + 4 * (padded[:, 1 : n + 1] + padded[:, 3 : n + 3])
                + 6 * padded[:, 2 : n + 2]
            ) / 16
    return out


@functools.lru_cache(maxsize=8)
def _shading(size: int) -> tuple[Floats, Floats, Floats]:
    """What every image of one size shares: the texture's sin/cos of 6 pi r, and the depth gain
    (brightness falling with depth, times the 8-bit scale) that is zero outside the field of view."""
    r, fov = _geometry(size)[2], _geometry(size)[4]
    gain = np.where(fov, np.exp(-0.35 * (r - _R_MIN)) * 150.0, 0.0)
    arrays = (np.sin(6 * math.pi * r), np.cos(6 * math.pi * r), gain)
    for array in arrays:
        array.setflags(write=False)
    return arrays


#: Speckle comes from a few large fields made once per image size; each image takes a window of one.
_SPECKLE_FIELDS = 8


@functools.lru_cache(maxsize=4)
def _speckle_bank(size: int) -> tuple[Floats, ...]:
    """Smoothed complex Gaussian magnitudes of twice the image size, from a fixed generator.

    Blurring a fresh field per image was most of the cost of a generated sample (7,241 images);
    windows of a few shared fields look the same and keep every image a function of its own draws.
    """
    rng = np.random.default_rng([0x5EC1E, size])
    fields = []
    for _ in range(_SPECKLE_FIELDS):
        noise = rng.standard_normal((2 * size, 2 * size)) + 1j * rng.standard_normal((2 * size, 2 * size))
        field_ = np.abs(_blur(_blur(noise)))
        field_.setflags(write=False)
        fields.append(field_)
    return tuple(fields)


def warm_speckle(size: int) -> None:
    """Make the speckle fields of ``size`` now (a parent process does, before forking workers)."""
    _speckle_bank(size)


def _speckle(size: int, rng: np.random.Generator) -> Floats:
    """A ``size`` x ``size`` speckle window with mean 1, placed and oriented by ``rng``."""
    index, top, left, turns = (int(v) for v in rng.integers(0, (_SPECKLE_FIELDS, size, size, 4)))
    window = np.rot90(_speckle_bank(size)[index][top : top + size, left : left + size], turns)
    out: Floats = window / window.mean()
    return out


def render(scene: Scene, rng: np.random.Generator) -> tuple[NDArray[np.uint8], list[Mask]]:
    """The 8-bit gray image of ``scene`` and the pixel mask of each blob (in scene order)."""
    size = scene.size
    r, theta = _geometry(size)[2:4]
    sin_r, cos_r, gain = _shading(size)
    # Gentle layered texture so that tissue is not flat: 1 + 0.08 sin(6 pi r + phase), by the angle sum.
    phase = 2 * math.pi * rng.uniform(0, 1)
    echo = sin_r * (0.08 * scene.tissue * math.cos(phase))
    echo += cos_r * (0.08 * scene.tissue * math.sin(phase))
    echo += scene.tissue
    for band in scene.bands:
        echo[band.top : band.top + band.thickness, :] = band.level
    for px, top, level in scene.vlines:
        col = min(size - 1, max(0, int(px * size)))
        echo[top:, max(0, col - 1) : col + 1] = level
    masks: list[Mask] = []
    for blob in scene.blobs:
        mask = blob_mask(blob, size)
        masks.append(mask)
        if blob.rim > 0:
            grown = blob_mask(
                Blob(
                    blob.cx,
                    blob.cy,
                    blob.rx * 1.18,
                    blob.ry * 1.18,
                    blob.level,
                    blob.angle,
                    blob.roughness,
                    phases=blob.phases,
                ),
                size,
            )
            # The blob lies inside its grown outline, so rim-then-blob paints the ring alone.
            np.copyto(echo, blob.rim, where=grown)
        np.copyto(echo, blob.level, where=mask)
        if blob.shadow > 0 or blob.enhancement > 0:
            rb = math.hypot(blob.cx - APEX[0], blob.cy - APEX[1])
            tb = math.atan2(blob.cx - APEX[0], blob.cy - APEX[1])
            half = 0.8 * max(blob.rx, blob.ry) / rb
            behind = (r > rb) & (np.abs(theta - tb) < half) & ~mask
            np.multiply(echo, 1.0 - blob.shadow + blob.enhancement, out=echo, where=behind)
    image = echo
    image *= _speckle(size, rng)
    image *= gain
    np.rint(image, out=image)
    np.maximum(image, 0.0, out=image)  # np.clip's result, without its Python-level wrapper
    np.minimum(image, 255.0, out=image)
    pixels: NDArray[np.uint8] = image.astype(np.uint8)
    return pixels, masks
