//! TER, translation edit rate (Snover et al. 2006), as sacreBLEU 2.6.0 `TER` computes it.
//!
//! Per pair: the fewest word edits (insertions, deletions, substitutions, and shifts of a run of
//! words, each shift one edit) turning the hypothesis into a reference. Like Tercom, the shifts are
//! found greedily (the shift that lowers the edit distance most, applied, repeated while one helps),
//! and the edit distance is computed only in a band around the length-scaled diagonal. Every limit,
//! tie-break and quirk here is sacreBLEU's, since its numbers are the ones people compare with:
//! runs of at most 10 words, at most 50 positions apart, a band of ±25 cells (wider when lengths
//! differ a lot), and the search stopping for good after 1,000 shift candidates of one pair.
//!
//! With several references the statistics are the fewest edits over the references and the
//! *average* reference length; the corpus score is the summed edits over the summed lengths.
//! References pass through the Tercom normalizer twice, hypotheses once, as in sacreBLEU.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::metrics::tercom_tokenize::tercom_words;
pub use crate::metrics::tercom_tokenize::TercomOptions;

const MAX_SHIFT_SIZE: usize = 10;
const MAX_SHIFT_DIST: usize = 50;
const BEAM_WIDTH: usize = 25;
const MAX_SHIFT_CANDIDATES: usize = 1000;
/// Cells outside the band; sums with it never win a strict comparison against it.
const INF: i32 = 1 << 30;

/// The step that reached a cell of the edit-distance table (hypothesis rows, reference columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Outside,
    Match,
    Substitute,
    /// Consumes a hypothesis word only (a word the reference lacks).
    HypWord,
    /// Consumes a reference word only (a word the hypothesis lacks).
    RefWord,
}

/// The columns computed in each row: a band around `floor(i · n_ref / n_hyp)`.
struct Band {
    ratio: f64,
    width: i64,
    n_hyp: usize,
    n_ref: usize,
}

impl Band {
    fn new(n_hyp: usize, n_ref: usize) -> Self {
        let ratio = if n_hyp == 0 { 1.0 } else { n_ref as f64 / n_hyp as f64 };
        // Very unequal lengths would leave consecutive rows' bands without overlap.
        let width = if (BEAM_WIDTH as f64) < ratio / 2.0 {
            (ratio / 2.0 + BEAM_WIDTH as f64).ceil() as i64
        } else {
            BEAM_WIDTH as i64
        };
        Self { ratio, width, n_hyp, n_ref }
    }

    fn columns(&self, row: usize) -> std::ops::Range<usize> {
        let diag = (row as f64 * self.ratio).floor() as i64;
        let lo = (diag - self.width).max(0) as usize;
        // The last row is complete, so that the corner cell is always reached.
        let hi = if row == self.n_hyp {
            self.n_ref + 1
        } else {
            (diag + self.width).min(self.n_ref as i64 + 1) as usize
        };
        lo..hi
    }

    /// Row `row` (1-based hypothesis position, its word `word`) from the row above.
    fn fill_row(
        &self,
        row: usize,
        word: u32,
        refw: &[u32],
        prev: &[i32],
        cur: &mut [i32],
        mut steps: Option<&mut [Step]>,
    ) {
        cur.fill(INF);
        if let Some(s) = steps.as_deref_mut() {
            s.fill(Step::Outside);
        }
        for j in self.columns(row) {
            let (cost, step) = if j == 0 {
                (prev[0] + 1, Step::HypWord)
            } else {
                let diagonal = if word == refw[j - 1] {
                    (prev[j - 1], Step::Match)
                } else {
                    (prev[j - 1] + 1, Step::Substitute)
                };
                // Ties keep the first: match/substitution, then the hypothesis word, then the reference word.
                let mut best = (INF, Step::Outside);
                for option in [diagonal, (prev[j] + 1, Step::HypWord), (cur[j - 1] + 1, Step::RefWord)] {
                    if option.0 < best.0 {
                        best = option;
                    }
                }
                best
            };
            cur[j] = cost;
            if let Some(s) = steps.as_deref_mut() {
                s[j] = step;
            }
        }
    }
}

/// The full table of one hypothesis against the reference, with the step of every cell.
struct Table {
    width: usize,
    cost: Vec<i32>,
    step: Vec<Step>,
}

impl Table {
    fn build(hyp: &[u32], refw: &[u32], band: &Band) -> Self {
        let width = refw.len() + 1;
        let mut cost = vec![INF; (hyp.len() + 1) * width];
        let mut step = vec![Step::Outside; (hyp.len() + 1) * width];
        for j in 0..width {
            cost[j] = j as i32;
            step[j] = Step::RefWord;
        }
        for i in 1..=hyp.len() {
            let (above, rest) = cost.split_at_mut(i * width);
            band.fill_row(
                i,
                hyp[i - 1],
                refw,
                &above[(i - 1) * width..],
                &mut rest[..width],
                Some(&mut step[i * width..(i + 1) * width]),
            );
        }
        Self { width, cost, step }
    }

    fn row(&self, i: usize) -> &[i32] {
        &self.cost[i * self.width..(i + 1) * self.width]
    }

    fn distance(&self) -> i32 {
        self.cost[self.cost.len() - 1]
    }

    /// The steps of the best path, first to last.
    fn path(&self) -> Vec<Step> {
        let (mut i, mut j) = (self.cost.len() / self.width - 1, self.width - 1);
        let mut path = Vec::with_capacity(i + j);
        while i > 0 || j > 0 {
            let step = self.step[i * self.width + j];
            match step {
                Step::Match | Step::Substitute => (i, j) = (i - 1, j - 1),
                Step::HypWord => i -= 1,
                Step::RefWord => j -= 1,
                Step::Outside => unreachable!("TER path left the band at ({i}, {j})"),
            }
            path.push(step);
        }
        path.reverse();
        path
    }
}

/// Where each reference word sits in the hypothesis, and which words of each side are errors
/// (as prefix sums, to count errors in a run at once).
struct Alignment {
    hyp_of_ref: Vec<i64>,
    hyp_errors: Vec<u32>,
    ref_errors: Vec<u32>,
}

impl Alignment {
    fn new(path: &[Step]) -> Self {
        let (mut h, mut hyp_errors, mut ref_errors, mut hyp_of_ref) =
            (-1i64, vec![0u32], vec![0u32], Vec::new());
        let push = |v: &mut Vec<u32>, e: u32| v.push(v[v.len() - 1] + e);
        for &step in path {
            match step {
                Step::Match | Step::Substitute => {
                    let e = u32::from(step == Step::Substitute);
                    h += 1;
                    hyp_of_ref.push(h);
                    push(&mut hyp_errors, e);
                    push(&mut ref_errors, e);
                }
                Step::HypWord => {
                    h += 1;
                    push(&mut hyp_errors, 1);
                }
                Step::RefWord => {
                    // A missing reference word aligns with the hypothesis word before it (-1 at the start).
                    hyp_of_ref.push(h);
                    push(&mut ref_errors, 1);
                }
                Step::Outside => unreachable!("path steps are inside the band"),
            }
        }
        Self { hyp_of_ref, hyp_errors, ref_errors }
    }
}

/// `words` with the run `start..start + len` moved before position `target` (sacreBLEU's
/// `_perform_shift`, including its move past the next `len` words when `target` falls inside the run).
fn shift_into(words: &[u32], start: usize, len: usize, target: usize, out: &mut Vec<u32>) {
    out.clear();
    let run = &words[start..start + len];
    if target < start {
        out.extend_from_slice(&words[..target]);
        out.extend_from_slice(run);
        out.extend_from_slice(&words[target..start]);
        out.extend_from_slice(&words[start + len..]);
    } else {
        let cut = if target > start + len { target } else { (target + len).min(words.len()) };
        out.extend_from_slice(&words[..start]);
        out.extend_from_slice(&words[start + len..cut]);
        out.extend_from_slice(run);
        out.extend_from_slice(&words[cut..]);
    }
}

/// Edit distance of `words`, whose first `same` words equal those `table` was built for.
fn distance_after(
    words: &[u32],
    refw: &[u32],
    band: &Band,
    table: &Table,
    same: usize,
    rows: &mut [Vec<i32>; 2],
) -> i32 {
    rows[0].copy_from_slice(table.row(same));
    for i in same + 1..=words.len() {
        let [prev, cur] = rows;
        band.fill_row(i, words[i - 1], refw, prev, cur, None);
        rows.swap(0, 1);
    }
    rows[0][refw.len()]
}

/// How a shift ranks: gain, run length, then (negated) run start and target; larger is better.
type Rank = (i32, usize, i64, i64);

/// The best shift of `words` (its gain and the shifted words), Tercom's ranking: largest gain, then
/// longest run, then earliest run, then earliest target. `checked` counts candidates across calls.
fn best_shift(
    words: &[u32],
    refw: &[u32],
    band: &Band,
    table: &Table,
    checked: &mut usize,
) -> Option<(i32, Vec<u32>)> {
    let (n, m) = (words.len(), refw.len());
    let before = table.distance();
    let al = Alignment::new(&table.path());
    let mut best: Option<(Rank, Vec<u32>)> = None;
    let mut shifted = Vec::with_capacity(n);
    let mut rows = [vec![INF; m + 1], vec![INF; m + 1]];
    for start in 0..n {
        for ref_start in 0..m {
            if start.abs_diff(ref_start) > MAX_SHIFT_DIST {
                continue;
            }
            let mut len = 0;
            while len < MAX_SHIFT_SIZE && words[start + len] == refw[ref_start + len] {
                len += 1;
                // Only runs wrong on both sides, not already aligned inside themselves, are moved.
                let aligned = al.hyp_of_ref[ref_start];
                let movable = al.hyp_errors[start + len] > al.hyp_errors[start]
                    && al.ref_errors[ref_start + len] > al.ref_errors[ref_start]
                    && !(start as i64 <= aligned && aligned < (start + len) as i64);
                if movable {
                    let mut last_target = -1i64;
                    // Targets: before the hypothesis word aligned to each reference word from the
                    // one before the run to the run's last (the very start for position -1).
                    for r in ref_start as i64 - 1..(ref_start + len) as i64 {
                        let target = if r < 0 { 0 } else { al.hyp_of_ref[r as usize] + 1 };
                        if target == last_target {
                            continue;
                        }
                        last_target = target;
                        shift_into(words, start, len, target as usize, &mut shifted);
                        let same = start.min(target as usize);
                        let gain = before - distance_after(&shifted, refw, band, table, same, &mut rows);
                        *checked += 1;
                        let key = (gain, len, -(start as i64), -target);
                        if best.as_ref().is_none_or(|(k, _)| key > *k) {
                            best = Some((key, shifted.clone()));
                        }
                    }
                    if *checked >= MAX_SHIFT_CANDIDATES {
                        return best.map(|(k, w)| (k.0, w));
                    }
                }
                if start + len == n || ref_start + len == m {
                    break;
                }
            }
        }
    }
    best.map(|(k, w)| (k.0, w))
}

/// Fewest edits (shifts included) turning `hyp` into `refw`, both as word ids.
pub fn pair_edits(hyp: &[u32], refw: &[u32]) -> usize {
    if refw.is_empty() {
        return hyp.len();
    }
    let band = Band::new(hyp.len(), refw.len());
    let (mut words, mut shifts, mut checked) = (hyp.to_vec(), 0usize, 0usize);
    loop {
        let table = Table::build(&words, refw, &band);
        let found = best_shift(&words, refw, &band, &table, &mut checked);
        // Past the candidate limit even a found shift is left unapplied, as in sacreBLEU.
        match found {
            Some((gain, shifted)) if gain > 0 && checked < MAX_SHIFT_CANDIDATES => {
                shifts += 1;
                words = shifted;
            }
            _ => return shifts + table.distance() as usize,
        }
    }
}

fn ids(words: Vec<String>, vocab: &mut FxHashMap<String, u32>) -> Vec<u32> {
    words
        .into_iter()
        .map(|w| {
            let next = vocab.len() as u32;
            *vocab.entry(w).or_insert(next)
        })
        .collect()
}

/// Statistics of every pair, row-major `(n, 2)`: `[fewest edits over the references, average
/// reference length]`. Text is already lowercased where wanted; `refs[i]` are the references of
/// `hyps[i]` (at least one).
pub fn ter_stats<S: AsRef<str> + Sync>(hyps: &[S], refs: &[Vec<S>], o: TercomOptions) -> Vec<f64> {
    assert_eq!(hyps.len(), refs.len(), "one reference list per hypothesis");
    let mut out = vec![0.0; 2 * hyps.len()];
    out.par_chunks_mut(2).zip(hyps.par_iter().zip(refs.par_iter())).for_each(|(row, (h, rs))| {
        assert!(!rs.is_empty(), "every hypothesis needs a reference");
        let mut vocab = FxHashMap::default();
        let hyp = ids(tercom_words(h.as_ref(), o), &mut vocab);
        let (mut fewest, mut total_len) = (usize::MAX, 0usize);
        for r in rs {
            // sacreBLEU normalizes a reference twice (once when caching references, once when reading
            // its words); the Western rules are not idempotent ("a's." → "a's ." → "a 's ."), so the count differs.
            let refw = ids(tercom_words(&tercom_words(r.as_ref(), o).join(" "), o), &mut vocab);
            fewest = fewest.min(pair_edits(&hyp, &refw));
            total_len += refw.len();
        }
        row[0] = fewest as f64;
        row[1] = total_len as f64 / rs.len() as f64;
    });
    out
}

/// TER (0-100) of edits over reference length: 100 with an empty reference and some edit, 0 when both are empty.
pub fn ter_score(edits: f64, ref_len: f64) -> f64 {
    100.0
        * if ref_len > 0.0 {
            edits / ref_len
        } else if edits > 0.0 {
            1.0
        } else {
            0.0
        }
}

/// Corpus TER of `ter_stats` rows; lengths summed in order, as sacreBLEU does, for the same rounding.
pub fn corpus_ter_score(stats: &[f64]) -> (f64, f64, f64) {
    let (edits, len) = stats.chunks_exact(2).fold((0.0, 0.0), |(e, l), row| (e + row[0], l + row[1]));
    (ter_score(edits, len), edits, len)
}

#[cfg(test)]
#[path = "ter_tests.rs"]
mod tests;
