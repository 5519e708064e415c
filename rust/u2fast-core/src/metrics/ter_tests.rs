//! Tests of `ter.rs` (a file of their own so the module stays readable).
#![allow(clippy::float_cmp)] // counts and their ratios here are exact in binary

use super::*;

fn ter(hyp: &str, refs: &[&str]) -> f64 {
    let s = ter_stats(&[hyp], &[refs.to_vec()], TercomOptions::default());
    ter_score(s[0], s[1])
}

#[test]
fn sacrebleu_vectors() {
    assert_eq!(ter("aaaa bbbb cccc dddd", &["aaaa bbbb cccc dddd"]), 0.0);
    assert_eq!(ter("dddd eeee ffff", &["aaaa bbbb cccc"]), 100.0);
    assert_eq!(ter("", &["a"]), 100.0);
    // One shift of "a b c" to the front fixes it: 1 edit over 8 words.
    assert_eq!(ter("d e f g h a b c", &["a b c d e f g h"]), 12.5);
}

#[test]
fn empty_reference_counts_every_hypothesis_word() {
    let s = ter_stats(&["a b"], &[vec![""]], TercomOptions::default());
    assert_eq!(s, [2.0, 0.0]);
    assert_eq!(ter_score(s[0], s[1]), 100.0);
    assert_eq!(ter("", &[""]), 0.0);
}

#[test]
fn several_references_take_fewest_edits_and_average_length() {
    let s = ter_stats(&["a b c"], &[vec!["a b c", "x y z w v"]], TercomOptions::default());
    assert_eq!(s, [0.0, 4.0]);
}

#[test]
fn references_are_normalized_twice() {
    let o = TercomOptions { normalized: true, ..TercomOptions::default() };
    // "a's." is "a's ." after one pass and "a 's ." after two.
    assert_eq!(ter_stats(&["a 's ."], &[vec!["a's."]], o), [0.0, 3.0]);
    assert_eq!(ter_stats(&["a's."], &[vec!["a 's ."]], o), [2.0, 3.0]);
}

#[test]
fn shift_inside_the_run_moves_it_past_the_next_words() {
    let mut out = Vec::new();
    shift_into(&[0, 1, 2, 3, 4], 1, 2, 3, &mut out);
    assert_eq!(out, [0, 3, 4, 1, 2]);
    shift_into(&[0, 1, 2, 3, 4], 3, 2, 0, &mut out);
    assert_eq!(out, [3, 4, 0, 1, 2]);
    shift_into(&[0, 1, 2, 3, 4], 0, 2, 4, &mut out);
    assert_eq!(out, [2, 3, 0, 1, 4]);
}
