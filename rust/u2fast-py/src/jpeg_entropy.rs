//! The JPEG encoder's entropy coding: coefficient categories, the block's symbols after DC
//! prediction, Huffman tables fitted to the counted symbols (Annex K.2) and the byte-stuffing bit
//! writer.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Block, ZIGZAG};

/// Bits needed for a coefficient's magnitude (its JPEG category).
pub(super) fn category(v: i32) -> u32 {
    32 - v.unsigned_abs().leading_zeros()
}

/// A DC and an AC Huffman table fitted to the symbols counted for them.
pub(super) struct Table {
    pub(super) bits: [u8; 16],
    pub(super) values: Vec<u8>,
    pub(super) code: [u16; 256],
    pub(super) size: [u8; 256],
}

impl Table {
    /// Annex K.2 code lengths (limited to 16 bits, one code point kept free), canonical codes.
    pub(super) fn fit(freq: &[u32; 256]) -> Table {
        let mut f: Vec<u64> = freq.iter().map(|&v| u64::from(v)).collect();
        f.push(1); // the reserved symbol 256: no real code is all ones
        let mut codesize = [0usize; 257];
        let mut others = [usize::MAX; 257];
        // the two least frequent, the larger symbol first on ties (libjpeg's choice), from a heap
        let mut heap: BinaryHeap<(Reverse<u64>, usize)> =
            (0..257).filter(|&i| f[i] > 0).map(|i| (Reverse(f[i]), i)).collect();
        while heap.len() >= 2 {
            let (_, c1) = heap.pop().unwrap_or_default();
            let (_, c2) = heap.pop().unwrap_or_default();
            f[c1] += f[c2];
            f[c2] = 0;
            heap.push((Reverse(f[c1]), c1));
            let mut c = c1;
            codesize[c] += 1;
            while others[c] != usize::MAX {
                c = others[c];
                codesize[c] += 1;
            }
            others[c] = c2;
            let mut c = c2;
            codesize[c] += 1;
            while others[c] != usize::MAX {
                c = others[c];
                codesize[c] += 1;
            }
        }
        let mut bits = [0u32; 33];
        for &s in &codesize {
            if s > 0 {
                bits[s.min(32)] += 1;
            }
        }
        for i in (17..=32).rev() {
            while bits[i] > 0 {
                let mut j = i - 2;
                while bits[j] == 0 {
                    j -= 1;
                }
                bits[i] -= 2;
                bits[i - 1] += 1;
                bits[j + 1] += 2;
                bits[j] -= 1;
            }
        }
        let mut longest = 16;
        while bits[longest] == 0 {
            longest -= 1;
        }
        bits[longest] -= 1; // drop the reserved symbol's code
        // symbols by code length, then by value
        let mut coded: Vec<usize> = (0..256).filter(|&s| codesize[s] > 0).collect();
        coded.sort_by_key(|&s| codesize[s]);
        let values: Vec<u8> = coded.iter().map(|&s| s as u8).collect();
        let mut table = Table { bits: [0; 16], values, code: [0; 256], size: [0; 256] };
        for (i, b) in table.bits.iter_mut().enumerate() {
            *b = bits[i + 1] as u8;
        }
        let (mut code, mut k) = (0u16, 0usize);
        for len in 1..=16u8 {
            for _ in 0..table.bits[usize::from(len) - 1] {
                let s = usize::from(table.values[k]);
                table.code[s] = code;
                table.size[s] = len;
                code += 1;
                k += 1;
            }
            code <<= 1;
        }
        table
    }
}

/// Entropy-coded data with 0xFF bytes stuffed.
pub(super) struct BitWriter {
    pub(super) out: Vec<u8>,
    pub(super) acc: u64,
    pub(super) count: u32,
}

impl BitWriter {
    /// Append the low `size` bits of `code` (at most 32 at a time: a code and its magnitude bits).
    pub(super) fn put(&mut self, code: u32, size: u32) {
        self.acc = (self.acc << size) | (u64::from(code) & ((1u64 << size) - 1));
        self.count += size;
        while self.count >= 8 {
            self.count -= 8;
            let byte = (self.acc >> self.count) as u8;
            self.out.push(byte);
            if byte == 0xFF {
                self.out.push(0);
            }
        }
    }

    pub(super) fn flush(&mut self) {
        if self.count > 0 {
            let pad = 8 - self.count;
            self.put((1 << pad) - 1, pad);
        }
    }
}

/// Symbols of one block after DC prediction: (is AC, symbol, extra bits, their count).
#[inline(always)]
pub(super) fn block_symbols(block: &Block, previous_dc: i32, mut emit: impl FnMut(bool, u8, u32, u32)) {
    let diff = i32::from(block[0]) - previous_dc;
    let n = category(diff);
    emit(false, n as u8, (if diff < 0 { diff - 1 } else { diff }) as u32 & ((1 << n) - 1), n);
    let zigzag: [i16; 64] = ZIGZAG.map(|p| block[p]);
    // the AC positions that are not zero, as bits: runs of zeros are the gaps between them
    let nonzero = zigzag.iter().enumerate().skip(1).fold(0u64, |m, (k, &v)| m | (u64::from(v != 0) << k));
    let (mut rest, mut last) = (nonzero, 0);
    while rest != 0 {
        let k = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let mut run = k - last - 1;
        while run >= 16 {
            emit(true, 0xF0, 0, 0);
            run -= 16;
        }
        let v = i32::from(zigzag[k]);
        let n = category(v);
        emit(true, ((run as u8) << 4) | n as u8, (if v < 0 { v - 1 } else { v }) as u32 & ((1 << n) - 1), n);
        last = k;
    }
    if last < 63 {
        emit(true, 0x00, 0, 0);
    }
}
