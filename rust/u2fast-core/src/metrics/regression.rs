//! Error statistics on min-max normalized values (the CVE task).

/// Summary of normalized errors `e_i = (y_i - lo)/(hi - lo) - (p_i - lo)/(hi - lo)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorSummary {
    pub n: usize,
    pub rmse: f64,
    pub mae: f64,
    /// Population standard deviation of the signed errors (numpy `std`, ddof = 0).
    pub std: f64,
    /// Percent of cases with `|e| <= tolerance`.
    pub within_tolerance: f64,
}

/// Normalize a value with a fixed clinical range. Not clipped: the official scorer does not clip,
/// so an answer outside the range can push the RMSE above 1.
pub fn normalize(value: f64, low: f64, high: f64) -> f64 {
    (value - low) / (high - low)
}

/// Summarize normalized signed errors; every field is `NaN` (and `n` 0) for no errors.
pub fn summarize_errors(errors: &[f64], tolerance: f64) -> ErrorSummary {
    let n = errors.len();
    if n == 0 {
        return ErrorSummary { n, rmse: f64::NAN, mae: f64::NAN, std: f64::NAN, within_tolerance: f64::NAN };
    }
    let nf = n as f64;
    let mean = errors.iter().sum::<f64>() / nf;
    let mse = errors.iter().map(|e| e * e).sum::<f64>() / nf;
    let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / nf;
    let var = errors.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / nf;
    let within = errors.iter().filter(|e| e.abs() <= tolerance).count() as f64 / nf * 100.0;
    ErrorSummary { n, rmse: mse.sqrt(), mae, std: var.sqrt(), within_tolerance: within }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_errors() {
        let s = summarize_errors(&[0.1, -0.3, 0.0, 0.2], 0.1);
        assert_eq!(s.n, 4);
        assert!((s.rmse - (0.14f64 / 4.0).sqrt()).abs() < 1e-15);
        assert!((s.mae - 0.15).abs() < 1e-15);
        assert!((s.within_tolerance - 50.0).abs() < 1e-12);
    }

    #[test]
    fn empty_is_nan() {
        assert!(summarize_errors(&[], 0.1).rmse.is_nan());
    }

    #[test]
    fn normalize_is_unclipped() {
        assert!((normalize(85.0, 10.0, 75.0) - 75.0 / 65.0).abs() < 1e-15);
    }
}
