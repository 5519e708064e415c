//! Many comparisons at once: Holm and Benjamini–Hochberg adjusted p-values, Cochran's Q with I²
//! across data sets, and the minimal detectable difference of a paired design.

use super::distributions::chi2_sf;
use super::intervals::ndtri;

/// Holm's step-down adjusted p-values (Holm 1979), as statsmodels' `multipletests(method="holm")`:
/// sorted ascending, `p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j))`. `NaN` inputs stay `NaN` and
/// do not count in `m`.
pub fn holm(pvalues: &[f64]) -> Vec<f64> {
    let (order, m) = sorted_defined(pvalues);
    let mut out = vec![f64::NAN; pvalues.len()];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * pvalues[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg adjusted p-values (Benjamini & Hochberg 1995), as statsmodels'
/// `multipletests(method="fdr_bh")`: `p̃_(i) = min_{j ≥ i} min(1, m·p_(j) / j)`.
pub fn benjamini_hochberg(pvalues: &[f64]) -> Vec<f64> {
    let (order, m) = sorted_defined(pvalues);
    let mut out = vec![f64::NAN; pvalues.len()];
    let mut running: f64 = 1.0;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(m as f64 * pvalues[i] / (rank + 1) as f64).min(1.0);
        out[i] = running;
    }
    out
}

fn sorted_defined(pvalues: &[f64]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..pvalues.len()).filter(|&i| !pvalues[i].is_nan()).collect();
    // stable, like numpy's mergesort in statsmodels: ties keep their input order
    order.sort_by(|&a, &b| pvalues[a].total_cmp(&pvalues[b]));
    let m = order.len();
    (order, m)
}

/// Cochran's Q test of heterogeneity (Cochran 1954) with Higgins & Thompson's I² (2002), from
/// per-group estimates and their variances (inverse-variance weights).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heterogeneity {
    /// Groups with a finite estimate and a positive finite variance.
    pub k: usize,
    pub q: f64,
    pub df: f64,
    pub pvalue: f64,
    /// `(Q − df) / Q` as a fraction, 0 when `Q ≤ df` (Higgins & Thompson's truncation).
    pub i_squared: f64,
    /// The inverse-variance weighted (fixed-effect) mean.
    pub pooled: f64,
}

pub fn cochran_q(estimates: &[f64], variances: &[f64]) -> Heterogeneity {
    let pairs: Vec<(f64, f64)> = estimates
        .iter()
        .zip(variances)
        .filter(|(e, v)| e.is_finite() && v.is_finite() && **v > 0.0)
        .map(|(&e, &v)| (e, 1.0 / v))
        .collect();
    let k = pairs.len();
    if k < 2 {
        let nan = f64::NAN;
        return Heterogeneity { k, q: nan, df: nan, pvalue: nan, i_squared: nan, pooled: nan };
    }
    let wsum: f64 = pairs.iter().map(|p| p.1).sum();
    let pooled = pairs.iter().map(|(e, w)| e * w).sum::<f64>() / wsum;
    let q: f64 = pairs.iter().map(|(e, w)| w * (e - pooled) * (e - pooled)).sum();
    let df = (k - 1) as f64;
    let i_squared = if q > df { (q - df) / q } else { 0.0 };
    Heterogeneity { k, q, df, pvalue: chi2_sf(q, df), i_squared, pooled }
}

/// Minimal detectable difference of a paired design (normal approximation): the true mean paired
/// difference a two-sided test at level `alpha` detects with probability `power`,
/// `(z_{1−α/2} + z_{power}) · sd(d) / √n` with `sd` the sample (ddof 1) standard deviation of
/// the observed per-case differences. `NaN` for fewer than two cases.
pub fn minimal_detectable_difference(differences: &[f64], alpha: f64, power: f64) -> f64 {
    let n = differences.len();
    if n < 2 {
        return f64::NAN;
    }
    let nf = n as f64;
    let mean = differences.iter().sum::<f64>() / nf;
    let sd = (differences.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (nf - 1.0)).sqrt();
    (ndtri(1.0 - alpha / 2.0) + ndtri(power)) * sd / nf.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments_of_a_known_vector() {
        let p = [0.01, 0.04, 0.03, f64::NAN, 0.2];
        let h = holm(&p);
        // sorted 0.01, 0.03, 0.04, 0.2 with m = 4: 0.04, 0.09, 0.09, 0.2
        assert!((h[0] - 0.04).abs() < 1e-15 && (h[2] - 0.09).abs() < 1e-15 && (h[1] - 0.09).abs() < 1e-15);
        assert!(h[3].is_nan() && (h[4] - 0.2).abs() < 1e-15);
        let b = benjamini_hochberg(&p);
        // 0.01·4/1, 0.03·4/2, 0.04·4/3, 0.2 → 0.04, 0.0533, 0.0533, 0.2
        assert!((b[0] - 0.04).abs() < 1e-15 && (b[1] - 0.16 / 3.0).abs() < 1e-15);
    }

    #[test]
    #[allow(clippy::float_cmp)]
    fn homogeneous_groups_have_zero_i_squared() {
        let h = cochran_q(&[0.5, 0.5, 0.5], &[0.01, 0.02, 0.03]);
        assert!(h.q.abs() < 1e-15 && h.i_squared == 0.0 && (h.pvalue - 1.0).abs() < 1e-15);
        let h = cochran_q(&[0.2, 0.8], &[0.01, 0.01]);
        assert!((h.q - 18.0).abs() < 1e-12 && (h.i_squared - 17.0 / 18.0).abs() < 1e-12);
    }
}
