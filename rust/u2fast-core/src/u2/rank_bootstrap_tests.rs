//! Tests of `rank_bootstrap.rs` (a file of their own so the module stays readable).

use super::*;
use crate::u2::test_fixtures::Run;

/// The resampling as first written (one index list per data set, every model summed from it
/// through `DatasetSums::add_case`): the packed version must give the same resamples bit for bit.
fn reference_distribution(
    dataset_index: &[i32],
    datasets: &Datasets<'_>,
    models: &ModelCases<'_>,
    design: Design,
) -> Vec<f64> {
    let Design { missing_cve_is_perfect, two_stage, n_resamples, seed } = design;
    let (m, nd) = (models.n_models, datasets.task.len());
    let Layout { views, counted, by_dataset, members } = Layout::new(dataset_index, datasets, models);
    let all: Vec<usize> = (0..nd).filter(|&d| !by_dataset[d].is_empty()).collect();
    bootstrap::resample_rows(n_resamples, m, seed ^ SEED_SALT, |rng, rows| {
        let mut metric = vec![0.0; nd];
        for row in rows.chunks_mut(m) {
            let chosen: Vec<usize> = if two_stage {
                let mut out = Vec::new();
                redraw_datasets(&members, rng, &mut out);
                out
            } else {
                all.clone()
            };
            let drawn: Vec<(usize, Vec<u32>)> = chosen
                .iter()
                .map(|&d| {
                    let src = &by_dataset[d];
                    let len = src.len() as u32;
                    (d, (0..len).map(|_| src[rng.below(len) as usize]).collect())
                })
                .collect();
            for (j, slot) in row.iter_mut().enumerate() {
                *slot = if two_stage {
                    let slots = drawn
                        .iter()
                        .map(|(d, idx)| (*d, dataset_metric(&views[j], counted[j], idx, datasets.task[*d])));
                    u2_two_stage(slots, datasets, missing_cve_is_perfect)
                } else {
                    u2_of(&views[j], counted[j], &drawn, datasets, missing_cve_is_perfect, &mut metric)
                };
            }
        }
    })
}

#[test]
fn packed_resampling_equals_the_reference_bit_for_bit() {
    // every task, several data sets per task, a data set out of U2, cases that do not count
    let task = [0, 0, 1, 2, 3, 4, 4, 5, 5, 6, 7, 7];
    let n = 600;
    let run =
        Run::new(&task, (0..n).map(|i| ((i * 7 + i / 13) % task.len()) as i32).collect()).out_of_u2(8);
    let (idx, ds) = (run.cases().dataset_index, run.datasets());
    let m = 4;
    let mut rng = Rng::new(11);
    let correct: Vec<f64> = (0..m * n).map(|_| f64::from(rng.below(2))).collect();
    let error: Vec<f64> = (0..m * n).map(|_| rng.uniform() - 0.5).collect();
    let bleu: Vec<i64> = (0..m * n * 10).map(|_| i64::from(rng.below(9))).collect();
    let counted: Vec<bool> = (0..m * n).map(|_| rng.below(10) != 0).collect();
    let models = ModelCases { n_models: m, correct: &correct, error: &error, bleu: &bleu, counted: &counted };
    for two_stage in [false, true] {
        for missing_cve_is_perfect in [false, true] {
            let design = Design { missing_cve_is_perfect, two_stage, n_resamples: 300, seed: 5 };
            let (_, packed) = joint_distribution(idx, &ds, &models, design);
            let reference = reference_distribution(idx, &ds, &models, design);
            assert_eq!(packed.len(), reference.len());
            for (a, b) in packed.iter().zip(&reference) {
                assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{a} != {b}");
            }
        }
    }
}

#[test]
fn a_clear_winner_is_first_in_every_resample() {
    let run = Run::new(&[0], vec![0; 200]);
    // model 0: 90% right, model 1: 50%, model 2: model 1 less one right answer. Resampled
    // jointly, model 2 never beats model 1 (it ties when case 0 is not drawn), so model 1's
    // rank is always 2; resampled separately the two would swap places half the time.
    let mut correct = Vec::new();
    for (j, k) in [(0, 10), (1, 2), (2, 2)] {
        for i in 0..200 {
            let right = if j == 0 { i % k != 0 } else { i % k == 0 && !(j == 2 && i == 0) };
            correct.push(f64::from(u8::from(right)));
        }
    }
    let error = vec![0.0; 600];
    let bleu = vec![0i64; 6000];
    let counted = vec![true; 600];
    let models = ModelCases { n_models: 3, correct: &correct, error: &error, bleu: &bleu, counted: &counted };
    let (idx, layout) = (run.cases().dataset_index, run.layout());
    let resampling = Resampling { n_resamples: 1000, seed: 3, confidence: 0.95 };
    let r = rank_bootstrap(idx, &layout, &models, false, resampling);
    assert_eq!(r.rank, vec![1, 2, 3]);
    assert!((r.p_first[0] - 1.0).abs() < 1e-15);
    assert_eq!(r.rank_interval[0], (1, 1));
    assert_eq!(r.rank_interval[1], (2, 2));
    assert_eq!(r.rank_interval[2], (2, 3));
}
