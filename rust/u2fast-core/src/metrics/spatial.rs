//! Coordinate answers (issue 14): a predicted box or point against the ground truth.
//!
//! Everything is in normalized image coordinates (0..1 on each axis); distances are divided by
//! the image diagonal in pixels, so a case needs its image size (`width`, `height`; 0 means
//! unknown, and then both axes count alike). `NaN` marks a value that is undefined for a case
//! (no ground truth to compare, or no coordinate in the answer), and such cases are left out of
//! that metric's mean by the caller.

/// An intersection over union at or above this counts as a hit.
pub const HIT_IOU: f64 = 0.5;
/// PCK thresholds, as shares of the image diagonal.
pub const PCK_THRESHOLDS: [f64; 2] = [0.05, 0.1];

/// Per-case scores of a predicted box `[x1, y1, x2, y2]` against a true box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxScores {
    pub iou: f64,
    /// 1.0 when `iou >= HIT_IOU`.
    pub hit: f64,
    /// 1.0 when the predicted box's centre lies inside the true box (edges included).
    pub centre_in_box: f64,
    /// Distance between the two centres over the image diagonal.
    pub centre_distance: f64,
}

fn scale(width: f64, height: f64) -> (f64, f64) {
    if width > 0.0 && height > 0.0 {
        (width, height)
    } else {
        (1.0, 1.0)
    }
}

/// Distance between two normalized points over the image diagonal.
pub fn normalized_distance(a: [f64; 2], b: [f64; 2], width: f64, height: f64) -> f64 {
    let (w, h) = scale(width, height);
    let (dx, dy) = ((a[0] - b[0]) * w, (a[1] - b[1]) * h);
    (dx * dx + dy * dy).sqrt() / (w * w + h * h).sqrt()
}

/// Intersection over union of two boxes; 0 when they do not overlap or a box has no area.
pub fn iou(a: [f64; 4], b: [f64; 4]) -> f64 {
    let iw = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = iw * ih;
    let area = |r: [f64; 4]| (r[2] - r[0]).max(0.0) * (r[3] - r[1]).max(0.0);
    let union = area(a) + area(b) - inter;
    if union > 0.0 {
        inter / union
    } else {
        0.0
    }
}

/// All box scores of one case.
pub fn box_scores(pred: [f64; 4], truth: [f64; 4], width: f64, height: f64) -> BoxScores {
    let overlap = iou(pred, truth);
    let centre = [f64::midpoint(pred[0], pred[2]), f64::midpoint(pred[1], pred[3])];
    let inside =
        centre[0] >= truth[0] && centre[0] <= truth[2] && centre[1] >= truth[1] && centre[1] <= truth[3];
    let truth_centre = [f64::midpoint(truth[0], truth[2]), f64::midpoint(truth[1], truth[3])];
    BoxScores {
        iou: overlap,
        hit: f64::from(u8::from(overlap >= HIT_IOU)),
        centre_in_box: f64::from(u8::from(inside)),
        centre_distance: normalized_distance(centre, truth_centre, width, height),
    }
}

/// Per-case scores of a predicted point: `(normalized distance, PCK@0.05, PCK@0.1)`.
pub fn point_scores(pred: [f64; 2], truth: [f64; 2], width: f64, height: f64) -> (f64, f64, f64) {
    let d = normalized_distance(pred, truth, width, height);
    (d, f64::from(u8::from(d <= PCK_THRESHOLDS[0])), f64::from(u8::from(d <= PCK_THRESHOLDS[1])))
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // exact values are what these tests check
mod tests {
    use super::*;

    #[test]
    fn iou_of_known_boxes() {
        assert!((iou([0.0, 0.0, 0.5, 0.5], [0.25, 0.25, 0.75, 0.75]) - 0.0625 / 0.4375).abs() < 1e-15);
        assert_eq!(iou([0.0, 0.0, 0.1, 0.1], [0.2, 0.2, 0.3, 0.3]), 0.0);
        assert_eq!(iou([0.1, 0.1, 0.1, 0.3], [0.1, 0.1, 0.1, 0.3]), 0.0); // no area
        assert!((iou([0.1, 0.2, 0.4, 0.6], [0.1, 0.2, 0.4, 0.6]) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn box_scores_of_a_shifted_box() {
        let s = box_scores([0.15, 0.15, 0.35, 0.35], [0.1, 0.1, 0.3, 0.3], 200.0, 100.0);
        assert!((s.iou - 0.0225 / 0.0575).abs() < 1e-12);
        assert_eq!((s.hit, s.centre_in_box), (0.0, 1.0));
        let expect = (10.0f64 * 10.0 + 5.0 * 5.0).sqrt() / (200.0f64 * 200.0 + 100.0 * 100.0).sqrt();
        assert!((s.centre_distance - expect).abs() < 1e-15);
    }

    #[test]
    fn pck_uses_the_diagonal() {
        let (d, p05, p10) = point_scores([0.5, 0.5], [0.5, 0.57], 100.0, 100.0);
        assert!((d - 7.0 / 20000f64.sqrt()).abs() < 1e-12);
        assert_eq!((p05, p10), (1.0, 1.0));
        let (_, p05, p10) = point_scores([0.5, 0.5], [0.5, 0.6], 100.0, 100.0);
        assert_eq!((p05, p10), (0.0, 1.0));
    }
}
