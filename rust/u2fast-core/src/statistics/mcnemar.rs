//! McNemar's test as statsmodels' `mcnemar(table, exact, correction)` computes it (docs/reference-metrics.md 7),
//! degenerate tables included: the exact binomial form, and the chi-square form whose continuity
//! correction is not clamped (b = c = 0 gives statistic ∞ and p = 0 with the correction, NaN
//! without it).

use super::intervals::erfc_f64;

/// `ln(n!) − (n + ½)·ln n + n − ln √(2π)`, the error of Stirling's approximation (Loader 2000).
fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
    if n <= 15.0 {
        let ln_fact: f64 = (2..=n as u64).map(|i| (i as f64).ln()).sum();
        return ln_fact - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// `x·ln(x/np) + np − x`, computed without cancellation (Loader 2000).
fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            #[allow(clippy::float_cmp)] // the series stops when a term no longer changes the sum
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        s
    } else {
        x * (x / np).ln() + np - x
    }
}

/// Binomial(n, ½) probability of `x`, accurate to a few ulps (Loader's saddle-point form).
pub fn binom_half_pmf(x: u64, n: u64) -> f64 {
    if x > n {
        return 0.0;
    }
    if x == 0 || x == n {
        return (n as f64 * 0.5f64.ln()).exp();
    }
    let (xf, nf) = (x as f64, n as f64);
    let half = nf * 0.5;
    let lc = stirlerr(nf) - stirlerr(xf) - stirlerr(nf - xf) - bd0(xf, half) - bd0(nf - xf, half);
    let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// Binomial(n, ½) CDF at `k`.
pub fn binom_half_cdf(k: u64, n: u64) -> f64 {
    if k >= n {
        return 1.0;
    }
    if 2 * k >= n {
        return 1.0 - binom_half_cdf(n - k - 1, n);
    }
    // Below the mode the terms shrink going down: walk the ratio recurrence and add small first.
    let mut terms = Vec::with_capacity(64);
    let mut t = binom_half_pmf(k, n);
    let mut i = k;
    loop {
        terms.push(t);
        if i == 0 || t == 0.0 || t < terms[0] * 1e-18 {
            break;
        }
        t *= i as f64 / (n - i + 1) as f64;
        i -= 1;
    }
    terms.iter().rev().sum()
}

/// Cephes' `MAXLOG`, `ln(f64::MAX)`, the underflow guard of its incomplete gamma functions.
const MAXLOG: f64 = 7.097_827_128_933_84e2;
/// lnΓ(½) = ln √π.
const LN_GAMMA_HALF: f64 = 0.572_364_942_924_700_1;

/// Survival function of χ² with one degree of freedom.
pub fn chi2_1_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    // scipy's chi2.sf is Cephes igamc(½, x/2), which returns exactly 0 once the log of its leading
    // factor, ½·ln(x/2) − x/2 − lnΓ(½), is below −MAXLOG (x ≳ 1425); erfc would go on into subnormals.
    let half = x / 2.0;
    if 0.5 * half.ln() - half - LN_GAMMA_HALF < -MAXLOG {
        return 0.0;
    }
    erfc_f64(half.sqrt())
}

/// `(statistic, pvalue)` from the discordant counts `b` (table[0][1]) and `c` (table[1][0]).
pub fn mcnemar(b: f64, c: f64, exact: bool, correction: bool) -> Result<(f64, f64), String> {
    if !(b >= 0.0 && c >= 0.0) || b.is_infinite() || c.is_infinite() {
        return Err(format!("discordant counts must be finite and non-negative, got b={b}, c={c}"));
    }
    if exact {
        // statsmodels checks only that b + c is a whole number (it is the binomial's n); a
        // fractional min(b, c) is then the CDF's argument, which the CDF floors.
        if (b + c).fract() != 0.0 {
            return Err(format!("exact can only be used with integer counts, got b={b}, c={c}"));
        }
        let statistic = b.min(c);
        let p = (2.0 * binom_half_cdf(statistic.floor() as u64, (b + c) as u64)).min(1.0);
        Ok((statistic, p))
    } else {
        let k = if correction { 1.0 } else { 0.0 };
        let statistic = ((b - c).abs() - k).powi(2) / (b + c);
        Ok((statistic, chi2_1_sf(statistic)))
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact values are what these tests check
mod tests {
    use super::*;

    fn exact_cdf(k: u64, n: u64) -> f64 {
        // Σ C(n, i) / 2^n with exact integer binomials (n ≤ 60).
        let mut c = 1u128;
        let mut total = 0u128;
        for i in 0..=k {
            if i > 0 {
                c = c * u128::from(n - i + 1) / u128::from(i);
            }
            total += c;
        }
        total as f64 / 2f64.powi(n as i32)
    }

    #[test]
    fn cdf_matches_exact_sums() {
        for n in [1u64, 2, 7, 20, 33, 60] {
            for k in 0..=n {
                let (a, e) = (binom_half_cdf(k, n), exact_cdf(k, n));
                assert!((a - e).abs() <= 5e-14 * e.max(1e-300), "n={n} k={k}: {a} vs {e}");
            }
        }
    }

    #[test]
    fn degenerate_tables() {
        assert_eq!(mcnemar(0.0, 0.0, true, true).unwrap(), (0.0, 1.0));
        let (s, p) = mcnemar(0.0, 0.0, false, true).unwrap();
        assert!(s.is_infinite() && p == 0.0);
        let (s, p) = mcnemar(0.0, 0.0, false, false).unwrap();
        assert!(s.is_nan() && p.is_nan());
        let (s, p) = mcnemar(1.0, 1.0, false, true).unwrap();
        assert!((s - 0.5).abs() < 1e-15 && (p - 0.479_500_122_186_953_5).abs() < 1e-12);
        assert_eq!(mcnemar(3.0, 4000.0, true, true).unwrap().1, 0.0);
        assert!(mcnemar(1.5, 2.0, true, true).is_err());
        // scipy's chi2.sf(x, 1) is 0 from x ≈ 1424.99 on (Cephes' underflow guard), not subnormal.
        assert_eq!(chi2_1_sf(1424.99), 0.0);
        assert!(chi2_1_sf(1424.989) > 7.8e-312);
        // b + c whole: accepted as statsmodels does, min(b, c) floored inside the CDF.
        assert_eq!(mcnemar(0.5, 0.5, true, true).unwrap(), (0.5, 1.0));
        let (s, p) = mcnemar(1.5, 2.5, true, true).unwrap();
        assert!(s == 1.5 && (p - 0.625).abs() < 1e-15, "{p}");
        assert!(mcnemar(-1.0, 2.0, false, true).is_err());
    }
}
