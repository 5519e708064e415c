//! Case-browser thumbnails of 8-bit grey and RGB PNGs, decoded, shrunk and JPEG-encoded without
//! the GIL (`report/cases.py` runs them on a thread per core and hands every other image to Pillow).
//!
//! Pillow spends ~0.5 ms of CPU on a 128-px frame (decode, resize, encode and their Python glue);
//! this path is a few times cheaper. The size rule and the resampling are Pillow's own (its
//! `Image.thumbnail` size, its bicubic filter with fixed-point 8-bit coefficients), so the shrunk
//! pixels equal Pillow's wherever Pillow does not pre-reduce (a shrink by less than 4x); beyond
//! that this path convolves the whole image, which is Pillow's result without the shortcut. The
//! JPEG is written by `jpeg.rs`.

// `#[inline(always)]` here marks what must be inlined into `thumbnail_avx2` to be compiled for AVX2
#![allow(clippy::inline_always)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::jpeg;
use crate::png_frame::{self, Pixels};

/// Bits of the fixed-point resampling coefficients (Pillow's `PRECISION_BITS` for 8-bit images).
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// JPEG thumbnail of a PNG (`data` its bytes, or with `base64` their standard base64 text, as a
/// release TSV stores it): longest side at most `side`, aspect kept. None when the image is not an
/// 8-bit grey or RGB PNG, is over `max_pixels`, or cannot be decoded here; the caller then makes
/// the thumbnail with Pillow, which also names what is wrong with a broken image.
#[pyfunction]
#[pyo3(signature = (data, side, quality, max_pixels, base64 = false))]
pub fn png_thumbnail_jpeg(
    py: Python<'_>,
    data: &[u8],
    side: u32,
    quality: u8,
    max_pixels: u64,
    base64: bool,
) -> Option<Py<PyBytes>> {
    let jpeg = py.detach(|| {
        let decoded = if base64 { Some(decode_base64(data)?) } else { None };
        thumbnail(decoded.as_deref().unwrap_or(data), side.max(1), quality.clamp(1, 100), max_pixels)
    })?;
    Some(PyBytes::new(py, &jpeg).unbind())
}

/// Standard base64 (padding optional, nothing else allowed), or None.
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    /// Each character's six bits shifted to its place in a group of four (`SEXTETS[i]` for the
    /// i-th), so a group's 24 bits are four lookups OR-ed; bit 31 marks a character outside base64.
    const SEXTETS: [[u32; 256]; 4] = {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut tables = [[1u32 << 31; 256]; 4];
        let mut place = 0;
        while place < 4 {
            let mut i = 0;
            while i < 64 {
                tables[place][alphabet[i] as usize] = (i as u32) << (18 - 6 * place);
                i += 1;
            }
            place += 1;
        }
        tables
    };
    let group = |chars: &[u8]| -> u32 {
        chars.iter().zip(&SEXTETS).fold(0, |bits, (&c, table)| bits | table[usize::from(c)])
    };
    let body = text.strip_suffix(b"==").or_else(|| text.strip_suffix(b"=")).unwrap_or(text);
    if body.len() % 4 == 1 {
        return None;
    }
    let whole = body.len() / 4;
    let tail = body.len() % 4;
    let mut out = vec![0u8; whole * 3 + tail.saturating_sub(1)];
    let mut invalid = 0u32;
    for (chars, bytes) in body.chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let bits = group(chars);
        invalid |= bits;
        bytes.copy_from_slice(&bits.to_be_bytes()[1..]);
    }
    // a last group of two or three characters gives one or two bytes
    if tail > 0 {
        let bits = group(&body[whole * 4..]);
        invalid |= bits;
        out[whole * 3..].copy_from_slice(&bits.to_be_bytes()[1..tail]);
    }
    (invalid >> 31 == 0).then_some(out)
}

fn thumbnail(data: &[u8], side: u32, quality: u8, max_pixels: u64) -> Option<Vec<u8>> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has just been seen to support AVX2, all that `thumbnail_avx2` requires
        return unsafe { thumbnail_avx2(data, side, quality, max_pixels) };
    }
    thumbnail_inlined(data, side, quality, max_pixels)
}

/// [`thumbnail`] compiled for AVX2 (the resampling sums and the DCT are 8 lanes wide), for CPUs
/// that have it; the extension itself is built for any x86-64.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn thumbnail_avx2(data: &[u8], side: u32, quality: u8, max_pixels: u64) -> Option<Vec<u8>> {
    thumbnail_inlined(data, side, quality, max_pixels)
}

#[inline(always)]
fn thumbnail_inlined(data: &[u8], side: u32, quality: u8, max_pixels: u64) -> Option<Vec<u8>> {
    let image = png_frame::decode(data, max_pixels)?;
    let (width, height) = thumbnail_size(image.width as u32, image.height as u32, side)
        .unwrap_or((image.width as u32, image.height as u32));
    let small = resize(image, width as usize, height as usize);
    Some(jpeg::encode(&small.data, small.width, small.height, small.channels, quality))
}

/// Pillow's `Image.thumbnail((side, side))` size: None when the image already fits, else the side
/// along the longer axis becomes `side` and the other is the rounding (down on a tie) whose aspect
/// ratio is nearest the original's, at least 1.
fn thumbnail_size(width: u32, height: u32, side: u32) -> Option<(u32, u32)> {
    if side >= width && side >= height {
        return None;
    }
    let aspect = f64::from(width) / f64::from(height);
    let s = f64::from(side);
    let nearest = |number: f64, key: &dyn Fn(f64) -> f64| -> u32 {
        let (low, high) = (number.floor(), number.ceil());
        let best = if key(high) < key(low) { high } else { low };
        (best as u32).max(1)
    };
    if 1.0 >= aspect {
        Some((nearest(s * aspect, &|n| (aspect - n / s).abs()), side))
    } else {
        Some((side, nearest(s / aspect, &|n| if n == 0.0 { 0.0 } else { (aspect - s / n).abs() })))
    }
}

/// Pillow's bicubic kernel (a = -0.5).
fn bicubic(x: f64) -> f64 {
    const A: f64 = -0.5;
    let x = x.abs();
    if x < 1.0 {
        ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        (((x - 5.0) * x + 8.0) * x - 4.0) * A
    } else {
        0.0
    }
}

/// Per output position its first input position and `taps` fixed-point weights of the inputs from
/// there: every output reads the same number of inputs (zero weights past its filter's window, the
/// window moved left at the right edge), so the loops over them have one length known to the
/// compiler (see `resize`) and are unrolled and vectorised. Zero weights leave the sums exact.
struct Coefficients {
    taps: usize,
    first: Vec<usize>,
    weights: Vec<i32>,
}

thread_local! {
    /// Coefficients by (input size, output size), made once per thread: a data set's frames share a
    /// few sizes, and making them cost as much as a small frame's vertical pass.
    static COEFFICIENTS: RefCell<HashMap<(usize, usize), Rc<Coefficients>>> = RefCell::new(HashMap::new());
}

fn cached_coefficients(in_size: usize, out_size: usize) -> Rc<Coefficients> {
    COEFFICIENTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 256 {
            cache.clear(); // frames of many sizes: keep the memory bounded
        }
        Rc::clone(
            cache.entry((in_size, out_size)).or_insert_with(|| Rc::new(coefficients(in_size, out_size))),
        )
    })
}

/// Pillow's `precompute_coeffs` and `normalize_coeffs_8bpc`, operation for operation, laid out as
/// [`Coefficients`] with the tap count rounded up to a multiple of 4 where the input is that long.
fn coefficients(in_size: usize, out_size: usize) -> Coefficients {
    let scale = in_size as f64 / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = 2.0 * filterscale;
    let ss = 1.0 / filterscale;
    let windows: Vec<(usize, Vec<i32>)> = (0..out_size)
        .map(|xx| {
            let center = (xx as f64 + 0.5) * scale;
            // C's (int) truncation, as Pillow rounds these bounds
            let xmin = ((center - support + 0.5) as i64).max(0);
            let xmax = ((center + support + 0.5) as i64).min(in_size as i64) - xmin;
            let weights: Vec<f64> =
                (0..xmax).map(|x| bicubic(((x + xmin) as f64 - center + 0.5) * ss)).collect();
            let total: f64 = weights.iter().sum();
            let fixed = weights
                .iter()
                .map(|&w| {
                    let w = if total == 0.0 { w } else { w / total };
                    let scaled = w * f64::from(1u32 << PRECISION_BITS);
                    (if w < 0.0 { -0.5 + scaled } else { 0.5 + scaled }) as i32
                })
                .collect();
            (xmin as usize, fixed)
        })
        .collect();
    let longest = windows.iter().map(|(_, w)| w.len()).max().unwrap_or(0);
    let rounded = longest.div_ceil(4) * 4;
    let taps = if rounded <= in_size { rounded } else { longest };
    let mut first = Vec::with_capacity(out_size);
    let mut weights = vec![0; taps * out_size];
    for ((start, fixed), padded) in windows.iter().zip(weights.chunks_exact_mut(taps.max(1))) {
        let moved = (*start).min(in_size - taps);
        padded[start - moved..start - moved + fixed.len()].copy_from_slice(fixed);
        first.push(moved);
    }
    Coefficients { taps, first, weights }
}

fn clip8(sum: i32) -> u8 {
    if sum >= (1 << PRECISION_BITS << 8) {
        255
    } else if sum <= 0 {
        0
    } else {
        (sum >> PRECISION_BITS) as u8
    }
}

/// `$body` with `$t` bound to the tap count, as a constant for the common counts, so that the
/// inlined pass is compiled once per count with loops of that fixed length.
macro_rules! with_fixed_taps {
    ($taps:expr, |$t:ident| $body:expr) => {
        with_fixed_taps!($taps, [4, 8, 12, 16], |$t| $body)
    };
    ($taps:expr, [$($n:literal),*], |$t:ident| $body:expr) => {
        match $taps {
            $($n => {
                let $t = $n;
                $body
            })*
            $t => $body,
        }
    };
}

/// The horizontal pass over rows of `C`-channel pixels.
#[inline(always)]
fn horizontal<const C: usize>(src: &[u8], dst: &mut [u8], in_width: usize, co: &Coefficients, taps: usize) {
    let width = co.first.len();
    for (src, dst) in src.chunks_exact(in_width * C).zip(dst.chunks_exact_mut(width * C)) {
        for ((&first, weights), pixel) in
            co.first.iter().zip(co.weights.chunks_exact(taps)).zip(dst.chunks_exact_mut(C))
        {
            let window = &src[first * C..][..taps * C];
            let mut sums = [1i32 << (PRECISION_BITS - 1); C];
            for (&w, px) in weights.iter().zip(window.chunks_exact(C)) {
                for (sum, &p) in sums.iter_mut().zip(px) {
                    *sum += i32::from(p) * w;
                }
            }
            for (d, &sum) in pixel.iter_mut().zip(&sums) {
                *d = clip8(sum);
            }
        }
    }
}

/// The vertical pass: each output row from `taps` input rows, their weighted bytes added across the
/// row one input row at a time (sums along a row vectorise; a byte's taps, a row apart, would not).
#[inline(always)]
fn vertical(rows: &[u8], dst: &mut [u8], stride: usize, co: &Coefficients, taps: usize) {
    let mut sums = vec![0i32; stride];
    for (dst, (&first, weights)) in
        dst.chunks_exact_mut(stride).zip(co.first.iter().zip(co.weights.chunks_exact(taps)))
    {
        sums.fill(1 << (PRECISION_BITS - 1));
        for (row, &w) in rows[first * stride..].chunks_exact(stride).zip(weights) {
            for (sum, &p) in sums.iter_mut().zip(row) {
                *sum += i32::from(p) * w;
            }
        }
        for (d, &sum) in dst.iter_mut().zip(&sums) {
            *d = clip8(sum);
        }
    }
}

/// Eight bytes at the start of `bytes`, little-endian.
fn load8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

/// A grey frame of `width` x `height` with rows and columns swapped; tiles of 8 x 8 are swapped
/// as eight words (three rounds of masked swaps), the ragged edges byte by byte.
fn transposed(src: &[u8], width: usize, height: usize) -> Vec<u8> {
    const ROUNDS: [(usize, u32, u64); 3] =
        [(1, 8, 0x00FF_00FF_00FF_00FF), (2, 16, 0x0000_FFFF_0000_FFFF), (4, 32, 0x0000_0000_FFFF_FFFF)];
    let mut out = vec![0u8; width * height];
    let (w8, h8) = (width / 8 * 8, height / 8 * 8);
    for y0 in (0..h8).step_by(8) {
        for x0 in (0..w8).step_by(8) {
            let mut a: [u64; 8] = std::array::from_fn(|i| load8(&src[(y0 + i) * width + x0..]));
            // round (d, bits): rows i and i + d swap their blocks of d bytes that are off the diagonal
            for (d, bits, mask) in ROUNDS {
                for i in (0..8).filter(|i| i & d == 0) {
                    let t = ((a[i] >> bits) ^ a[i + d]) & mask;
                    a[i + d] ^= t;
                    a[i] ^= t << bits;
                }
            }
            for (j, word) in a.iter().enumerate() {
                out[(x0 + j) * height + y0..][..8].copy_from_slice(&word.to_le_bytes());
            }
        }
    }
    for y in 0..height {
        for x in (if y < h8 { w8 } else { 0 })..width {
            out[x * height + y] = src[y * width + x];
        }
    }
    out
}

/// Resample to `width` x `height`: a horizontal pass then a vertical one, each skipped when that
/// side keeps its size (as Pillow does).
#[inline(always)]
fn resize(image: Pixels, width: usize, height: usize) -> Pixels {
    let c = image.channels;
    let mut rows = image.data;
    if width != image.width {
        let co = cached_coefficients(image.width, width);
        let mut out = vec![0u8; width * image.height * c];
        if c == 1 {
            // grey: the columns' pass as a pass over the rows of the transposed frame, whose sums
            // run along the rows 8 or more at a time (a row's own sums could not)
            let columns = transposed(&rows, image.width, image.height);
            let mut shrunk = vec![0u8; width * image.height];
            with_fixed_taps!(co.taps, |taps| vertical(&columns, &mut shrunk, image.height, &co, taps));
            out = transposed(&shrunk, image.height, width);
        } else {
            with_fixed_taps!(co.taps, |taps| horizontal::<3>(&rows, &mut out, image.width, &co, taps));
        }
        rows = out;
    }
    if height != image.height {
        let stride = width * c;
        let co = cached_coefficients(image.height, height);
        let mut out = vec![0u8; stride * height];
        with_fixed_taps!(co.taps, |taps| vertical(&rows, &mut out, stride, &co, taps));
        rows = out;
    }
    Pixels { width, height, channels: c, data: rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnail_size_follows_pillow() {
        // values from PIL.Image.thumbnail((72, 72)) on blank images of these sizes
        assert_eq!(thumbnail_size(128, 128, 72), Some((72, 72)));
        assert_eq!(thumbnail_size(800, 600, 72), Some((72, 54)));
        assert_eq!(thumbnail_size(600, 800, 72), Some((54, 72)));
        assert_eq!(thumbnail_size(1000, 3, 72), Some((72, 1)));
        assert_eq!(thumbnail_size(72, 40, 72), None);
    }

    #[test]
    fn base64_decodes_with_or_without_padding() {
        assert_eq!(decode_base64(b"aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64(b"aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(decode_base64(b"aGVsbG8h"), Some(b"hello!".to_vec()));
        assert_eq!(decode_base64(b"aGV\nsbG8="), None);
        assert_eq!(decode_base64(b"a"), None);
    }

    #[test]
    fn transposed_swaps_rows_and_columns() {
        for (width, height) in [(16, 8), (19, 13), (5, 3), (128, 72)] {
            let src: Vec<u8> = (0..width * height).map(|i| (i * 7 % 251) as u8).collect();
            let out = transposed(&src, width, height);
            for y in 0..height {
                for x in 0..width {
                    assert_eq!(out[x * height + y], src[y * width + x], "{width}x{height} at ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn constant_image_stays_constant() {
        let image = Pixels { width: 100, height: 50, channels: 1, data: vec![77; 5000] };
        let small = resize(image, 40, 20);
        assert!(small.data.iter().all(|&p| p == 77));
    }
}
