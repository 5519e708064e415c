//! Agreement between a measurement and its reference in native units: error summaries,
//! Bland–Altman limits of agreement, ICC(3,1) and Lin's concordance correlation coefficient.
//!
//! Differences are `measured − reference`, so a positive bias means the measurement reads high.
//! Everything undefined (too few cases, zero variance) is `NaN`.

use super::distributions::{f_ppf, f_sf, t_ppf};
use super::intervals::Interval;

/// Mean absolute error, root mean square error and mean signed error (bias) of `measured − reference`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Errors {
    pub n: usize,
    pub mae: f64,
    pub rmse: f64,
    pub bias: f64,
}

pub fn errors(measured: &[f64], reference: &[f64]) -> Errors {
    let n = measured.len();
    if n == 0 {
        return Errors { n, mae: f64::NAN, rmse: f64::NAN, bias: f64::NAN };
    }
    let (mut abs, mut sq, mut sum) = (0.0, 0.0, 0.0);
    for (m, r) in measured.iter().zip(reference) {
        let d = m - r;
        abs += d.abs();
        sq += d * d;
        sum += d;
    }
    let nf = n as f64;
    Errors { n, mae: abs / nf, rmse: (sq / nf).sqrt(), bias: sum / nf }
}

/// Bland–Altman analysis (Bland & Altman 1986): bias, the limits `bias ± agreement · sd` and the
/// `confidence` intervals of all three from Student's t with n − 1 degrees of freedom, using
/// `se(bias) = sd / √n` and `se(limit) ≈ sd · √(3 / n)` (Bland & Altman 1999, section 4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlandAltman {
    pub n: usize,
    pub bias: f64,
    /// Sample standard deviation (ddof 1) of the differences.
    pub sd: f64,
    pub lower: f64,
    pub upper: f64,
    pub bias_ci: Interval,
    pub lower_ci: Interval,
    pub upper_ci: Interval,
}

pub fn bland_altman(measured: &[f64], reference: &[f64], agreement: f64, confidence: f64) -> BlandAltman {
    let n = measured.len();
    let diffs: Vec<f64> = measured.iter().zip(reference).map(|(m, r)| m - r).collect();
    let nf = n as f64;
    let bias = if n == 0 { f64::NAN } else { diffs.iter().sum::<f64>() / nf };
    let sd = if n < 2 {
        f64::NAN
    } else {
        (diffs.iter().map(|d| (d - bias) * (d - bias)).sum::<f64>() / (nf - 1.0)).sqrt()
    };
    let (lower, upper) = (bias - agreement * sd, bias + agreement * sd);
    let t = if n < 2 { f64::NAN } else { t_ppf(0.5 + confidence / 2.0, nf - 1.0) };
    let around = |centre: f64, se: f64| Interval { low: centre - t * se, high: centre + t * se };
    let se_bias = sd / nf.sqrt();
    let se_limit = sd * (3.0 / nf).sqrt();
    BlandAltman {
        n,
        bias,
        sd,
        lower,
        upper,
        bias_ci: around(bias, se_bias),
        lower_ci: around(lower, se_limit),
        upper_ci: around(upper, se_limit),
    }
}

/// ICC(3,1) (Shrout & Fleiss 1979; `McGraw` & Wong 1996, "C,1"): two-way mixed effects,
/// consistency, single rater, of two raters (measurement and reference) on `n` targets, with its
/// F test and F-based confidence interval, as pingouin's `intraclass_corr` computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Icc {
    pub icc: f64,
    pub f: f64,
    pub df1: f64,
    pub df2: f64,
    pub pvalue: f64,
    pub ci: Interval,
}

pub fn icc3(measured: &[f64], reference: &[f64], confidence: f64) -> Icc {
    let n = measured.len();
    let k = 2.0;
    let nf = n as f64;
    let (df1, df2) = (nf - 1.0, (nf - 1.0) * (k - 1.0));
    if n < 2 {
        return Icc { icc: f64::NAN, f: f64::NAN, df1, df2, pvalue: f64::NAN, ci: Interval::NAN };
    }
    let mean_m = measured.iter().sum::<f64>() / nf;
    let mean_r = reference.iter().sum::<f64>() / nf;
    let grand = f64::midpoint(mean_m, mean_r);
    let (mut ss_rows, mut ss_total) = (0.0, 0.0);
    for (&m, &r) in measured.iter().zip(reference) {
        let row = f64::midpoint(m, r);
        ss_rows += k * (row - grand) * (row - grand);
        ss_total += (m - grand) * (m - grand) + (r - grand) * (r - grand);
    }
    let ss_cols = nf * ((mean_m - grand).powi(2) + (mean_r - grand).powi(2));
    let ss_err = ss_total - ss_rows - ss_cols;
    let (msr, mse) = (ss_rows / df1, ss_err / df2);
    let icc = (msr - mse) / (msr + (k - 1.0) * mse);
    let f = msr / mse;
    let pvalue = f_sf(f, df1, df2);
    let q = 0.5 + confidence / 2.0;
    let fl = f / f_ppf(q, df1, df2);
    let fu = f * f_ppf(q, df2, df1);
    let ci = Interval { low: (fl - 1.0) / (fl + k - 1.0), high: (fu - 1.0) / (fu + k - 1.0) };
    Icc { icc, f, df1, df2, pvalue, ci }
}

/// Lin's concordance correlation coefficient (Lin 1989) with population (1/n) moments:
/// `2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²)`.
pub fn ccc(measured: &[f64], reference: &[f64]) -> f64 {
    let n = measured.len();
    if n == 0 {
        return f64::NAN;
    }
    let nf = n as f64;
    let mx = measured.iter().sum::<f64>() / nf;
    let my = reference.iter().sum::<f64>() / nf;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (&x, &y) in measured.iter().zip(reference) {
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
        sxy += (x - mx) * (y - my);
    }
    let denom = sxx / nf + syy / nf + (mx - my) * (mx - my);
    if denom == 0.0 {
        return f64::NAN;
    }
    2.0 * (sxy / nf) / denom
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_of_shifted_measurements() {
        let r = [1.0, 2.0, 3.0, 4.0];
        let m = [1.5, 2.5, 3.5, 4.5];
        let e = errors(&m, &r);
        assert!((e.bias - 0.5).abs() < 1e-15 && (e.mae - 0.5).abs() < 1e-15 && (e.rmse - 0.5).abs() < 1e-15);
        let ba = bland_altman(&m, &r, 1.96, 0.95);
        assert!(ba.sd.abs() < 1e-15 && (ba.upper - 0.5).abs() < 1e-15);
        // a constant shift: perfect consistency (ICC 3) but not perfect concordance
        assert!((icc3(&m, &r, 0.95).icc - 1.0).abs() < 1e-12);
        assert!(ccc(&m, &r) < 1.0);
        assert!(ccc(&[2.0, 2.0], &[2.0, 2.0]).is_nan());
        assert!(icc3(&[2.0, 2.0], &[2.0, 2.0], 0.95).icc.is_nan());
    }
}
