//! A small baseline JPEG encoder for thumbnails: grey, or YCbCr with 4:2:0 chroma, IJG quality
//! scaling of the Annex K tables and Huffman tables fitted to each image (Annex K.2), which is what
//! Pillow writes with `quality=q, optimize=True`. Written here because the thumbnails are tiny
//! (a 72-px frame is 81 blocks): a general encoder's per-image set-up cost more than the blocks.

// `#[inline(always)]` here marks what must be inlined into `thumbnail_avx2` to be compiled for AVX2
#![allow(clippy::inline_always)]

use std::borrow::Cow;

/// Annex K.1 luminance and chrominance quantisation tables, in natural (row-major) order.
const LUMA_Q: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17,
    22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78,
    87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];
/// Position in natural order of the k-th coefficient in zig-zag order.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
    14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39,
    46, 53, 60, 61, 54, 47, 55, 62, 63,
];

type Block = [i16; 64];

/// IJG scaling of a base table for `quality` (1..=100), clamped to baseline's 1..=255.
fn scaled_table(base: &[u16; 64], quality: u8) -> [u16; 64] {
    let q = u32::from(quality.clamp(1, 100));
    let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
    base.map(|v| ((u32::from(v) * scale + 50) / 100).clamp(1, 255) as u16)
}

/// AAN scale factors of the fast DCT below (its output is F(u, v) 8 s(u) s(v)).
const AAN_SCALE: [f64; 8] =
    [1.0, 1.387_039_845, 1.306_562_965, 1.175_875_602, 1.0, 0.785_694_958, 0.541_196_100, 0.275_899_379];

/// Multipliers that turn the fast DCT's output into quantised coefficients: 1 / (8 s(u) s(v) q).
fn reciprocals(table: &[u16; 64]) -> [f32; 64] {
    std::array::from_fn(|i| (1.0 / (f64::from(table[i]) * AAN_SCALE[i / 8] * AAN_SCALE[i % 8] * 8.0)) as f32)
}

/// Eight values handled alike: the DCT below runs on eight rows (or columns) at once, each lane
/// with the very operations of a one-row DCT, so the compiler makes it vector arithmetic.
#[derive(Clone, Copy)]
struct Lanes([f32; 8]);

impl std::ops::Add for Lanes {
    type Output = Lanes;
    fn add(self, o: Lanes) -> Lanes {
        Lanes(std::array::from_fn(|i| self.0[i] + o.0[i]))
    }
}

impl std::ops::Sub for Lanes {
    type Output = Lanes;
    fn sub(self, o: Lanes) -> Lanes {
        Lanes(std::array::from_fn(|i| self.0[i] - o.0[i]))
    }
}

impl std::ops::Mul<f32> for Lanes {
    type Output = Lanes;
    fn mul(self, k: f32) -> Lanes {
        Lanes(self.0.map(|v| v * k))
    }
}

/// The Arai-Agui-Nakajima 8-point forward DCT in place, of each lane, its scale left to the quantiser.
#[inline(always)]
fn aan(d: &mut [Lanes; 8]) {
    let (t0, t7) = (d[0] + d[7], d[0] - d[7]);
    let (t1, t6) = (d[1] + d[6], d[1] - d[6]);
    let (t2, t5) = (d[2] + d[5], d[2] - d[5]);
    let (t3, t4) = (d[3] + d[4], d[3] - d[4]);
    let (t10, t13, t11, t12) = (t0 + t3, t0 - t3, t1 + t2, t1 - t2);
    d[0] = t10 + t11;
    d[4] = t10 - t11;
    let z1 = (t12 + t13) * 0.707_106_77;
    d[2] = t13 + z1;
    d[6] = t13 - z1;
    let (t10, t11, t12) = (t4 + t5, t5 + t6, t6 + t7);
    let z5 = (t10 - t12) * 0.382_683_43;
    let z2 = t10 * 0.541_196_1 + z5;
    let z4 = t12 * 1.306_563 + z5;
    let z3 = t11 * 0.707_106_77;
    let (z11, z13) = (t7 + z3, t7 - z3);
    d[5] = z13 + z2;
    d[3] = z13 - z2;
    d[1] = z11 + z4;
    d[7] = z11 - z4;
}

/// The lanes of `d` swapped with its index: `out[i].0[j] == d[j].0[i]`.
#[inline(always)]
fn transpose(d: &[Lanes; 8]) -> [Lanes; 8] {
    std::array::from_fn(|i| Lanes(std::array::from_fn(|j| d[j].0[i])))
}

/// One component's samples (level-shifted later), padded to whole blocks by repeating edges.
struct Plane<'a> {
    width: usize,
    height: usize,
    samples: Cow<'a, [u8]>,
}

impl Plane<'_> {
    /// Quantised block at block coordinates (bx, by), in natural order.
    #[inline(always)]
    fn block(&self, bx: usize, by: usize, scale: &[f32; 64]) -> Block {
        // samples by column: lane r of columns[c] is row r (edges repeated past the plane)
        let mut columns = [Lanes([0.0; 8]); 8];
        for r in 0..8 {
            let y = (by * 8 + r).min(self.height - 1);
            let line = &self.samples[y * self.width..(y + 1) * self.width];
            if bx * 8 + 8 <= self.width {
                for (column, &v) in columns.iter_mut().zip(&line[bx * 8..bx * 8 + 8]) {
                    column.0[r] = f32::from(v) - 128.0;
                }
            } else {
                for (c, column) in columns.iter_mut().enumerate() {
                    column.0[r] = f32::from(line[(bx * 8 + c).min(self.width - 1)]) - 128.0;
                }
            }
        }
        aan(&mut columns); // every row's DCT: lane r of columns[u] is row r's coefficient u
        let mut rows = transpose(&columns);
        aan(&mut rows); // then every column's: lane u of rows[v] is F(v, u)
        let mut out = [0i16; 64];
        for (v, row) in rows.iter().enumerate() {
            for (u, &f) in row.0.iter().enumerate() {
                // libjpeg's rounding (half away from zero would call libm for each coefficient)
                out[v * 8 + u] = ((f * scale[v * 8 + u] + 16384.5) as i32 - 16384) as i16;
            }
        }
        out
    }
}

#[path = "jpeg_entropy.rs"]
mod entropy;
use entropy::{block_symbols, BitWriter, Table};

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// Baseline JPEG of interleaved 8-bit pixels (`channels` 1: grey, 3: RGB) at `quality`. Inlined
/// so that the thumbnail's AVX2 build (`thumbnail_py.rs`) covers the DCT too.
#[inline(always)]
pub fn encode(pixels: &[u8], width: usize, height: usize, channels: usize, quality: u8) -> Vec<u8> {
    let grey = channels == 1;
    let tables = [scaled_table(&LUMA_Q, quality), scaled_table(&CHROMA_Q, quality)];
    let scales = tables.map(|t| reciprocals(&t));
    let planes = if grey {
        vec![Plane { width, height, samples: pixels.into() }]
    } else {
        ycbcr_420(pixels, width, height)
    };
    // Blocks in scan order with their component; 4:2:0 interleaves 4 Y blocks and one Cb, one Cr per 16x16.
    let mut blocks: Vec<(usize, Block)> = Vec::new();
    if grey {
        for by in 0..height.div_ceil(8) {
            for bx in 0..width.div_ceil(8) {
                blocks.push((0, planes[0].block(bx, by, &scales[0])));
            }
        }
    } else {
        for my in 0..height.div_ceil(16) {
            for mx in 0..width.div_ceil(16) {
                for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                    blocks.push((0, planes[0].block(mx * 2 + dx, my * 2 + dy, &scales[0])));
                }
                blocks.push((1, planes[1].block(mx, my, &scales[1])));
                blocks.push((2, planes[2].block(mx, my, &scales[1])));
            }
        }
    }
    // table index: 0 luma, 1 chroma; counts per (table, DC/AC), and the symbols in scan order
    // (table, is AC, symbol, extra bits, their count) to write once the tables are fitted
    let mut freq = [[[0u32; 256]; 2]; 2];
    let mut symbols: Vec<(u8, u8, u16, u8)> = Vec::with_capacity(blocks.len() * 16);
    let mut dc = [0i32; 3];
    for (comp, block) in &blocks {
        let t = usize::from(*comp > 0);
        block_symbols(block, dc[*comp], |ac, s, extra, n| {
            freq[t][usize::from(ac)][usize::from(s)] += 1;
            symbols.push(((t as u8) << 1 | u8::from(ac), s, extra as u16, n as u8));
        });
        dc[*comp] = i32::from(block[0]);
    }
    let used = if grey { 1 } else { 2 };
    let fitted: Vec<[Table; 2]> =
        (0..used).map(|t| [Table::fit(&freq[t][0]), Table::fit(&freq[t][1])]).collect();

    let mut out = vec![0xFF, 0xD8];
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    for (id, table) in tables.iter().enumerate().take(used) {
        let mut body = vec![id as u8];
        body.extend(ZIGZAG.iter().map(|&p| table[p] as u8));
        segment(&mut out, 0xDB, &body);
    }
    let components: &[(u8, u8, u8)] =
        if grey { &[(1, 0x11, 0)] } else { &[(1, 0x22, 0), (2, 0x11, 1), (3, 0x11, 1)] };
    let mut sof = vec![8];
    sof.extend_from_slice(&(height as u16).to_be_bytes());
    sof.extend_from_slice(&(width as u16).to_be_bytes());
    sof.push(components.len() as u8);
    for &(id, sampling, table) in components {
        sof.extend_from_slice(&[id, sampling, table]);
    }
    segment(&mut out, 0xC0, &sof);
    for (t, pair) in fitted.iter().enumerate() {
        for (class, table) in pair.iter().enumerate() {
            let mut body = vec![((class as u8) << 4) | t as u8];
            body.extend_from_slice(&table.bits);
            body.extend_from_slice(&table.values);
            segment(&mut out, 0xC4, &body);
        }
    }
    let mut sos = vec![components.len() as u8];
    for &(id, _, table) in components {
        sos.extend_from_slice(&[id, (table << 4) | table]);
    }
    sos.extend_from_slice(&[0, 63, 0]);
    segment(&mut out, 0xDA, &sos);

    let mut writer = BitWriter { out, acc: 0, count: 0 };
    for &(which, s, extra, n) in &symbols {
        let table = &fitted[usize::from(which >> 1)][usize::from(which & 1)];
        let size = u32::from(table.size[usize::from(s)]);
        writer.put((u32::from(table.code[usize::from(s)]) << n) | u32::from(extra), size + u32::from(n));
    }
    writer.flush();
    let mut out = writer.out;
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// JFIF Y, Cb and Cr planes of RGB pixels, Cb and Cr averaged over 2x2 pixels.
fn ycbcr_420(pixels: &[u8], width: usize, height: usize) -> Vec<Plane<'static>> {
    let mut y = Vec::with_capacity(width * height);
    let mut cb = vec![0f32; width * height];
    let mut cr = vec![0f32; width * height];
    for (i, p) in pixels.chunks_exact(3).enumerate() {
        let (r, g, b) = (f32::from(p[0]), f32::from(p[1]), f32::from(p[2]));
        y.push((0.299 * r + 0.587 * g + 0.114 * b).round().clamp(0.0, 255.0) as u8);
        cb[i] = -0.168_736 * r - 0.331_264 * g + 0.5 * b + 128.0;
        cr[i] = 0.5 * r - 0.418_688 * g - 0.081_312 * b + 128.0;
    }
    let (cw, ch) = (width.div_ceil(2), height.div_ceil(2));
    let half = |full: &[f32]| -> Vec<u8> {
        let mut out = Vec::with_capacity(cw * ch);
        for cy in 0..ch {
            for cx in 0..cw {
                let (x0, y0) = (cx * 2, cy * 2);
                let (x1, y1) = ((x0 + 1).min(width - 1), (y0 + 1).min(height - 1));
                let sum = full[y0 * width + x0]
                    + full[y0 * width + x1]
                    + full[y1 * width + x0]
                    + full[y1 * width + x1];
                out.push((sum / 4.0).round().clamp(0.0, 255.0) as u8);
            }
        }
        out
    };
    vec![
        Plane { width, height, samples: y.into() },
        Plane { width: cw, height: ch, samples: half(&cb).into() },
        Plane { width: cw, height: ch, samples: half(&cr).into() },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_scaling_is_ijg() {
        // libjpeg's jpeg_quality_scaling: 45 -> 111%, 75 -> 50%
        assert_eq!(scaled_table(&LUMA_Q, 45)[0], 18);
        assert_eq!(scaled_table(&LUMA_Q, 75)[0], 8);
        assert_eq!(scaled_table(&LUMA_Q, 1)[63], 255);
    }

    #[test]
    fn fitted_codes_are_prefix_free_and_short() {
        let mut freq = [0u32; 256];
        for (i, f) in freq.iter_mut().enumerate().take(200) {
            *f = 1 << (i % 20); // skewed enough to need length limiting
        }
        let t = Table::fit(&freq);
        let codes: Vec<(u16, u8)> = (0..200).map(|s| (t.code[s], t.size[s])).collect();
        assert!(codes.iter().all(|&(_, n)| (1..=16).contains(&n)));
        for (i, &(a, na)) in codes.iter().enumerate() {
            for &(b, nb) in &codes[i + 1..] {
                let n = na.min(nb);
                assert_ne!(a >> (na - n), b >> (nb - n), "one code is a prefix of another");
            }
            assert_ne!(u32::from(a), (1u32 << na) - 1, "a code of all ones");
        }
    }
}
