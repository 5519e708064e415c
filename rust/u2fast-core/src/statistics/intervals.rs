//! Small numerical building blocks: a seedable RNG with per-chunk streams, the normal CDF and its
//! inverse, linear quantiles, and scipy's percentile and BCa interval arithmetic (docs/reference-metrics.md 5).

/// xoshiro256++ seeded through SplitMix64. A resampling run is cut into fixed chunks and chunk `c`
/// gets the stream `Rng::for_chunk(seed, c)`, so results do not depend on the thread count.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<u32>,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut st = seed;
        let s = [splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st), splitmix64(&mut st)];
        Rng { s, spare: None }
    }

    /// The independent stream of chunk `chunk` of a run seeded with `seed`.
    pub fn for_chunk(seed: u64, chunk: u64) -> Self {
        let mut st = seed ^ 0x5851_F42D_4C95_7F2D;
        let a = splitmix64(&mut st);
        Rng::new(a ^ chunk.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    #[inline]
    pub fn next_u32(&mut self) -> u32 {
        if let Some(v) = self.spare.take() {
            return v;
        }
        let x = self.next_u64();
        self.spare = Some(x as u32);
        (x >> 32) as u32
    }

    /// Uniform integer in `0..n` (Lemire's multiply-and-reject, unbiased). `n` must be > 0.
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        let mut m = u64::from(self.next_u32()) * u64::from(n);
        if (m as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u32) < threshold {
                m = u64::from(self.next_u32()) * u64::from(n);
            }
        }
        (m >> 32) as u32
    }

    /// Uniform float in [0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

extern "C" {
    fn erfc(x: f64) -> f64;
}

/// The complementary error function (the C library's, which Python and numpy also use).
pub fn erfc_f64(x: f64) -> f64 {
    // SAFETY: `erfc` from the platform libm is a pure function of one double.
    unsafe { erfc(x) }
}

/// Standard normal CDF Φ.
pub fn ndtr(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    0.5 * erfc_f64(-x * std::f64::consts::FRAC_1_SQRT_2)
}

// Acklam's coefficients for the inverse normal CDF.
const A: [f64; 6] = [
    -3.969_683_028_665_376e1,
    2.209_460_984_245_205e2,
    -2.759_285_104_469_687e2,
    1.383_577_518_672_69e2,
    -3.066_479_806_614_716e1,
    2.506_628_277_459_239,
];
const B: [f64; 5] = [
    -5.447_609_879_822_406e1,
    1.615_858_368_580_409e2,
    -1.556_989_798_598_866e2,
    6.680_131_188_771_972e1,
    -1.328_068_155_288_572e1,
];
const C: [f64; 6] = [
    -7.784_894_002_430_293e-3,
    -3.223_964_580_411_365e-1,
    -2.400_758_277_161_838,
    -2.549_732_539_343_734,
    4.374_664_141_464_968,
    2.938_163_982_698_783,
];
const D: [f64; 4] =
    [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];

/// Inverse standard normal CDF Φ⁻¹ (Acklam's rational approximation refined by two Halley steps,
/// accurate to a few ulps); ±∞ at 0 and 1, `NaN` outside [0, 1].
pub fn ndtri(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let low = 0.024_25;
    let mut x = if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // Halley refinement on Φ(x) − p; the tails use the complementary form to keep precision.
    for _ in 0..2 {
        let e = if x < 0.0 {
            0.5 * erfc_f64(-x * std::f64::consts::FRAC_1_SQRT_2) - p
        } else {
            (1.0 - p) - 0.5 * erfc_f64(x * std::f64::consts::FRAC_1_SQRT_2)
        };
        let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

/// The linear (Hyndman-Fan type 7) quantile of sorted data, with the arithmetic of
/// `scipy.stats.quantile` (which scipy.stats.bootstrap uses since 1.15): position
/// `j = ⌊p·n + 1 − p⌋ − 1`, weight `g = (p·n + 1 − p) mod 1`, value `(1 − g)·y[j] + g·y[j+1]`.
/// numpy's `np.quantile` rounds differently (position `(n − 1)·p`, a two-sided lerp), so it can
/// differ from scipy in the last ulp, and on infinite values (scipy: `[1, ∞, ∞]` at 0.975 is ∞).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || p.is_nan() {
        return f64::NAN;
    }
    let n = sorted.len() as f64;
    let jg = p * n + (1.0 - p);
    let jp1 = jg.floor();
    let j = jp1 - 1.0;
    let g = if j < 0.0 { 0.0 } else { jg % 1.0 };
    let last = n - 1.0;
    let (j, jp1) = (j.clamp(0.0, last) as usize, jp1.clamp(0.0, last) as usize);
    (1.0 - g) * sorted[j] + g * sorted[jp1]
}

/// Jackknife acceleration `a` from leave-one-out values, with scipy's arithmetic.
pub fn acceleration(jackknife: &[f64]) -> f64 {
    let n = jackknife.len() as f64;
    let mean = jackknife.iter().sum::<f64>() / n;
    let (mut s2, mut s3) = (0.0, 0.0);
    for &t in jackknife {
        let u = (n - 1.0) * (mean - t);
        s2 += u * u;
        s3 += u * u * u;
    }
    1.0 / 6.0 * (s3 / (n * n * n)) / (s2 / (n * n)).powf(1.5)
}

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub const NAN: Interval = Interval { low: f64::NAN, high: f64::NAN };
}

/// Percentile and BCa intervals (and the standard error) of one bootstrap distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intervals {
    pub percentile: Interval,
    pub bca: Interval,
    /// Sample standard deviation (ddof 1) of the bootstrap values.
    pub standard_error: f64,
}

/// scipy's percentile and BCa intervals from the bootstrap values (consumed: they get sorted),
/// the point estimate and the jackknife acceleration. Any `NaN` among the values gives `NaN`
/// intervals, as scipy does; a constant distribution gives a `NaN` BCa (acceleration 0/0).
pub fn intervals(mut values: Vec<f64>, theta_hat: f64, accel: f64, confidence: f64) -> Intervals {
    let b = values.len();
    if b == 0 || values.iter().any(|v| v.is_nan()) {
        return Intervals { percentile: Interval::NAN, bca: Interval::NAN, standard_error: f64::NAN };
    }
    let mean = values.iter().sum::<f64>() / b as f64;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (b as f64 - 1.0);
    let (below, at_or_below) = values.iter().fold((0usize, 0usize), |(lt, le), &v| {
        (lt + usize::from(v < theta_hat), le + usize::from(v <= theta_hat))
    });
    values.sort_unstable_by(f64::total_cmp);
    let alpha = (1.0 - confidence) / 2.0;
    let percentile =
        Interval { low: quantile_sorted(&values, alpha), high: quantile_sorted(&values, 1.0 - alpha) };
    let z0 = ndtri((below + at_or_below) as f64 / (2 * b) as f64);
    let z_alpha = ndtri(alpha);
    let adjusted = |z: f64| {
        let num = z0 + z;
        ndtr(z0 + num / (1.0 - accel * num))
    };
    let (a1, a2) = (adjusted(z_alpha), adjusted(-z_alpha));
    let bca = if a1.is_nan() || a2.is_nan() {
        Interval::NAN
    } else {
        Interval { low: quantile_sorted(&values, a1), high: quantile_sorted(&values, a2) }
    };
    Intervals { percentile, bca, standard_error: var.sqrt() }
}

/// The intervals of every column of a row-major `(resamples, width)` distribution: column `c`
/// against `estimate[c]` with acceleration `acceleration[c]` (`NaN`: percentile only).
pub fn column_intervals(
    dist: &[f64],
    width: usize,
    estimate: &[f64],
    acceleration: &[f64],
    confidence: f64,
) -> Vec<Intervals> {
    use rayon::prelude::*;
    (0..width)
        .into_par_iter()
        .map(|col| {
            let values: Vec<f64> = dist.iter().skip(col).step_by(width).copied().collect();
            intervals(values, estimate[col], acceleration[col], confidence)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact values are what these tests check
mod tests {
    use super::*;

    #[test]
    fn ndtri_inverts_ndtr() {
        for &p in &[1e-300, 1e-12, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1.0 - 1e-12] {
            let x = ndtri(p);
            assert!((ndtr(x) - p).abs() <= 1e-15 * p.max(1e-3), "p={p} x={x}");
        }
        assert!((ndtri(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!(ndtri(0.5).abs() < 1e-16);
        assert_eq!(ndtri(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn linear_quantile_matches_scipy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        assert!((quantile_sorted(&v, 0.5) - 3.0).abs() < 1e-15);
        assert!((quantile_sorted(&v, 0.25) - 1.75).abs() < 1e-15);
        assert_eq!(quantile_sorted(&v, 1.0), 8.0);
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        // scipy.stats.quantile([1, inf, inf], [0.9, 0.5]) is [inf, nan]: an infinite end of the
        // bootstrap distribution gives an infinite bound, not NaN.
        let inf = [1.0, f64::INFINITY, f64::INFINITY];
        assert_eq!(quantile_sorted(&inf, 0.9), f64::INFINITY);
        assert!(quantile_sorted(&inf, 0.5).is_nan());
    }

    #[test]
    fn below_is_in_range_and_streams_differ() {
        let mut r = Rng::for_chunk(7, 0);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[r.below(3) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
        assert_ne!(Rng::for_chunk(7, 0).next_u64(), Rng::for_chunk(7, 1).next_u64());
        assert_eq!(Rng::for_chunk(7, 3).next_u64(), Rng::for_chunk(7, 3).next_u64());
    }

    #[test]
    fn constant_distribution_has_nan_bca() {
        let iv = intervals(vec![2.0; 100], 2.0, f64::NAN, 0.95);
        assert_eq!(iv.percentile, Interval { low: 2.0, high: 2.0 });
        assert!(iv.bca.low.is_nan());
    }
}
