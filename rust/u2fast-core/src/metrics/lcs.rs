//! Longest common subsequences over interned token ids: a bit-parallel length (Hyyrö 2004,
//! O(m·n/64)) for ROUGE-L, and the full table with rouge-score's backtrack for ROUGE-Lsum.

/// Reusable buffers for [`lcs_length`].
#[derive(Default)]
pub struct BitLcs {
    masks: Vec<u64>,
    v: Vec<u64>,
}

impl BitLcs {
    /// LCS length of `a` and `b`; token ids must be below `vocab`.
    pub fn lcs_length(&mut self, a: &[u32], b: &[u32], vocab: usize) -> usize {
        if a.is_empty() || b.is_empty() {
            return 0;
        }
        let words = a.len().div_ceil(64);
        self.masks.clear();
        self.masks.resize(vocab * words, 0);
        for (i, &t) in a.iter().enumerate() {
            self.masks[t as usize * words + i / 64] |= 1u64 << (i % 64);
        }
        self.v.clear();
        self.v.resize(words, u64::MAX);
        for &t in b {
            let pm = &self.masks[t as usize * words..t as usize * words + words];
            let mut carry = 0u64;
            for (v, &m) in self.v.iter_mut().zip(pm) {
                let u = *v & m;
                let (s1, c1) = v.overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(carry);
                carry = u64::from(c1 || c2);
                *v = s2 | (*v & !m);
            }
        }
        let full = a.len() / 64;
        let mut zeros: usize = self.v[..full].iter().map(|w| w.count_zeros() as usize).sum();
        let rest = a.len() % 64;
        if rest > 0 {
            let mask = (1u64 << rest) - 1;
            zeros += (!self.v[full] & mask).count_ones() as usize;
        }
        zeros
    }
}

/// Bit-parallel LCS tables for ROUGE-Lsum: the columns of Hyyrö's bit vectors are kept, so any
/// cell of the LCS table can be read back (`T(i, j)` = zero bits of column `j` below row `i`) and
/// rouge-score's backtrack runs on them without filling an m×n table.
#[derive(Default)]
pub struct BitTrace {
    masks: Vec<u64>,
    cols: Vec<u64>,
    words: usize,
}

impl BitTrace {
    /// Prepare the match masks of reference sentence `r` (ids below `vocab`).
    pub fn set_reference(&mut self, r: &[u32], vocab: usize) {
        self.words = r.len().div_ceil(64).max(1);
        self.masks.clear();
        self.masks.resize(vocab * self.words, 0);
        for (i, &t) in r.iter().enumerate() {
            self.masks[t as usize * self.words + i / 64] |= 1u64 << (i % 64);
        }
    }

    /// `T(i, j)` from column `j`: the number of zero bits among the low `i` bits.
    #[inline]
    fn cell(&self, i: usize, j: usize) -> usize {
        if self.words == 1 {
            let low = if i == 64 { u64::MAX } else { (1u64 << i) - 1 };
            return i - (self.cols[j] & low).count_ones() as usize;
        }
        let col = &self.cols[j * self.words..(j + 1) * self.words];
        let full = i / 64;
        let mut ones: usize = col[..full].iter().map(|w| w.count_ones() as usize).sum();
        let rest = i % 64;
        if rest > 0 {
            ones += (col[full] & ((1u64 << rest) - 1)).count_ones() as usize;
        }
        i - ones
    }

    /// Same result as [`mark_lcs_indices`] for the reference given to `set_reference`.
    pub fn mark(&mut self, r: &[u32], c: &[u32], hit: &mut [bool]) {
        let (m, n, w) = (r.len(), c.len(), self.words);
        if m == 0 || n == 0 {
            return;
        }
        self.cols.clear();
        self.cols.resize((n + 1) * w, u64::MAX);
        let mut any_match = 0u64;
        for (j, &t) in c.iter().enumerate() {
            let pm = &self.masks[t as usize * w..(t as usize + 1) * w];
            any_match |= pm.iter().fold(0, |a, &b| a | b);
            let (prev, next) = self.cols.split_at_mut((j + 1) * w);
            let prev = &prev[j * w..];
            let mut carry = 0u64;
            for k in 0..w {
                let v = prev[k];
                let u = v & pm[k];
                let (s1, c1) = v.overflowing_add(u);
                let (s2, c2) = s1.overflowing_add(carry);
                carry = u64::from(c1 || c2);
                next[k] = s2 | (v & !pm[k]);
            }
        }
        if any_match == 0 {
            return; // no common token: the LCS is empty
        }
        backtrack(r, c, hit, |i, j| self.cell(i, j));
    }
}

/// rouge-score's trace back from the bottom-right corner of an LCS table (`cell(i, j)`: the LCS
/// length of `r[..i]` and `c[..j]`): on a mismatch it moves left only when the left cell is
/// strictly greater than the upper one. Marks the indices of `r` on the path in `hit`.
#[inline]
fn backtrack(r: &[u32], c: &[u32], hit: &mut [bool], cell: impl Fn(usize, usize) -> usize) {
    let (mut i, mut j) = (r.len(), c.len());
    while i > 0 && j > 0 {
        if r[i - 1] == c[j - 1] {
            hit[i - 1] = true;
            i -= 1;
            j -= 1;
        } else if cell(i, j - 1) > cell(i - 1, j) {
            j -= 1;
        } else {
            i -= 1;
        }
    }
}

/// rouge-score's `lcs_ind`: the indices into `r` of one LCS of `r` and `c`, traced back from the
/// bottom-right corner; on a mismatch it moves left only when the left cell is strictly greater
/// than the upper one. `table` is a reusable buffer. Marks the indices in `hit`.
pub fn mark_lcs_indices(r: &[u32], c: &[u32], table: &mut Vec<u32>, hit: &mut [bool]) {
    let (m, n) = (r.len(), c.len());
    if m == 0 || n == 0 {
        return;
    }
    let w = n + 1;
    table.clear();
    table.resize((m + 1) * w, 0);
    for i in 1..=m {
        for j in 1..=n {
            table[i * w + j] = if r[i - 1] == c[j - 1] {
                table[(i - 1) * w + j - 1] + 1
            } else {
                table[(i - 1) * w + j].max(table[i * w + j - 1])
            };
        }
    }
    backtrack(r, c, hit, |i, j| table[i * w + j] as usize);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dp(a: &[u32], b: &[u32]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                t[i][j] =
                    if a[i - 1] == b[j - 1] { t[i - 1][j - 1] + 1 } else { t[i - 1][j].max(t[i][j - 1]) };
            }
        }
        t[a.len()][b.len()]
    }

    #[test]
    fn bit_parallel_equals_dynamic_programming() {
        let mut next = crate::metrics::test_draws(12345);
        let mut lcs = BitLcs::default();
        for len in [0usize, 1, 5, 63, 64, 65, 130, 200] {
            let a: Vec<u32> = (0..len).map(|_| next(6)).collect();
            let b: Vec<u32> = (0..len / 2 + 3).map(|_| next(6)).collect();
            assert_eq!(lcs.lcs_length(&a, &b, 6), dp(&a, &b), "len {len}");
            assert_eq!(lcs.lcs_length(&b, &a, 6), dp(&a, &b), "len {len}");
        }
    }

    #[test]
    fn bit_trace_marks_the_same_indices_as_the_table() {
        let mut next = crate::metrics::test_draws(99);
        let mut trace = BitTrace::default();
        for round in 0..400 {
            let vocab = 2 + (round % 7) as u64;
            let r: Vec<u32> = (0..next(140) as usize).map(|_| next(vocab)).collect();
            let c: Vec<u32> = (0..next(90) as usize).map(|_| next(vocab)).collect();
            let mut a = vec![false; r.len()];
            let mut b = vec![false; r.len()];
            mark_lcs_indices(&r, &c, &mut Vec::new(), &mut a);
            trace.set_reference(&r, vocab as usize);
            trace.mark(&r, &c, &mut b);
            assert_eq!(a, b, "round {round}");
        }
    }

    #[test]
    fn backtrack_prefers_up_on_ties() {
        // r = a b, c = b a: the LCS has length 1; on the tie at (2,2) the trace moves up and keeps "a".
        let mut hit = [false; 2];
        mark_lcs_indices(&[0, 1], &[1, 0], &mut Vec::new(), &mut hit);
        assert_eq!(hit, [true, false]);
    }
}
