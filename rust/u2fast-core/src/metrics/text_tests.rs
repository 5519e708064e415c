//! Tests of `text.rs` (a file of their own so the module stays readable).

use super::*;

// The four passes as sacreBLEU writes them (one `re.sub` each), the oracle of `regexp_rules`.
/// The regular-expression rules 13a and `zh` share (sacreBLEU's `TokenizerRegexp`), then
/// `' '.join(s.split())`. 13a pads the line with a space on each side first (`pad`), `zh` does not.
///
/// The rules only look at ASCII characters, so they run on UTF-8 bytes: a multi-byte character
/// never contains an ASCII byte, and its bytes match `[^0-9]` as the character does.
fn literal_rules(bytes: &[u8], pad: bool) -> String {
    // Rule A.
    let mut a: Vec<u8> = Vec::with_capacity(bytes.len() + bytes.len() / 2 + 2);
    if pad {
        a.push(b' ');
    }
    let mut run = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if SYMBOL_13A[c as usize] {
            a.extend_from_slice(&bytes[run..i]);
            a.extend_from_slice(&[b' ', c, b' ']);
            run = i + 1;
        }
    }
    a.extend_from_slice(&bytes[run..]);
    if pad {
        a.push(b' ');
    }
    // Rule B: ([^0-9])([.,]) -> "\1 \2 " (left-to-right, non-overlapping).
    let b = rule_b(&a);
    // Rule C: ([.,])([^0-9]) -> " \1 \2".
    let c = rule_c(&b);
    // Rule D: ([0-9])(-) -> "\1 \2 ".
    let d = if c.contains(&b'-') { rule_d(&c) } else { c };
    // Step 10: " ".join(s.split()).
    if d.is_ascii() {
        // Collapse runs of ASCII whitespace into one space and trim, in place of split + join.
        let mut out = Vec::with_capacity(d.len());
        let mut pending_space = false;
        for &c in &d {
            if ASCII_PY_SPACE[c as usize] {
                pending_space = !out.is_empty();
            } else {
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                out.push(c);
            }
        }
        return String::from_utf8(out).expect("ASCII");
    }
    // Only ASCII bytes were inserted, so the buffer is still UTF-8.
    let joined = String::from_utf8(d).expect("13a only inserts ASCII");
    let mut out = String::with_capacity(joined.len());
    for (i, tok) in py_split(&joined).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(tok);
    }
    out
}

/// Rule B as one `re.sub` pass: a non-digit followed by `.`/`,`.
fn rule_b(input: &[u8]) -> Vec<u8> {
    sub_pairs(input, |a, b| !a.is_ascii_digit() && is_point_or_comma(b), |a, b| [a, b' ', b, b' '])
}

/// Rule C as one `re.sub` pass: `.`/`,` followed by a non-digit.
fn rule_c(input: &[u8]) -> Vec<u8> {
    sub_pairs(input, |a, b| is_point_or_comma(a) && !b.is_ascii_digit(), |a, b| [b' ', a, b' ', b])
}

/// Rule D as one `re.sub` pass: a digit followed by `-`.
fn rule_d(input: &[u8]) -> Vec<u8> {
    sub_pairs(input, |a, b| a.is_ascii_digit() && b == b'-', |a, b| [a, b' ', b, b' '])
}

/// One `re.sub` pass of a two-byte pattern, left to right: a match consumes both bytes (so
/// matches never overlap) and is replaced by `replace(a, b)`. Only ASCII is matched or
/// inserted, so a UTF-8 input stays UTF-8.
fn sub_pairs(input: &[u8], matches: impl Fn(u8, u8) -> bool, replace: impl Fn(u8, u8) -> [u8; 4]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    let mut pos = 0; // first byte not yet copied
    let mut q = 0;
    while q + 1 < input.len() {
        let (a, b) = (input[q], input[q + 1]);
        if matches(a, b) {
            out.extend_from_slice(&input[pos..q]);
            out.extend_from_slice(&replace(a, b));
            pos = q + 2;
            q += 2;
        } else {
            q += 1;
        }
    }
    out.extend_from_slice(&input[pos.min(input.len())..]);
    out
}

#[test]
fn fused_rules_equal_the_four_passes() {
    let atoms = [
        "a", "1", "9", ".", ",", "-", "(", "&", " ", "\n", "é", "\u{3000}", "\u{a0}", "\u{85}",
        "\u{2028}", "\u{2013}", "\u{1680}", "\u{180e}", "x.", ".5", "5.",
    ];
    let mut state = 11u64;
    for round in 0..50_000u32 {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let len = (state >> 60) as usize;
        let mut s = String::new();
        let mut x = state;
        for _ in 0..len {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            s.push_str(atoms[(x >> 59) as usize % atoms.len()]);
        }
        for pad in [true, false] {
            let (mut fused, mut starts) = (String::new(), Vec::new());
            regexp_rules(s.as_bytes(), pad, &mut fused, &mut starts);
            let mut by_starts = Vec::new();
            let mut at = 0;
            for t in fused.split(' ').filter(|_| !fused.is_empty()) {
                by_starts.push(at);
                at += t.len() + 1;
            }
            assert_eq!(starts, by_starts, "{s:?}");
            assert_eq!(fused, literal_rules(s.as_bytes(), pad), "{s:?} pad={pad} round {round}");
        }
    }
}

#[test]
fn py_split_includes_info_separators() {
    let v: Vec<&str> = py_split("a\u{1c}b\u{a0}c  d\u{200b}e").collect();
    assert_eq!(v, ["a", "b", "c", "d\u{200b}e"]);
}

#[test]
fn tokenize_13a_examples_from_metrics_md() {
    crate::metrics::assert_examples(
        tokenize_13a,
        &[
            ("hypo-\nechoic", "hypoechoic"),
            ("&amp;lt;", "<"),
            ("12.3×8.1 mm", "12.3×8.1 mm"),
            ("3.5.", "3.5 ."),
            (".5", ". 5"),
            ("U.S.A.", "U . S . A ."),
            ("1.2.3", "1.2.3"),
            ("5-10 T2-T4 x-ray -5", "5 - 10 T2 - T4 x-ray -5"),
            ("1,000 (a)", "1,000 ( a )"),
            ("it's 60°", "it's 60°"),
        ],
    );
}

#[test]
fn rouge_tokenizer_lowercase_quirks() {
    assert_eq!(rouge_tokens("KİDNEY"), ["ki", "dney"]);
    assert_eq!(rouge_tokens("\u{212a}g 12.3×8.1"), ["kg", "12", "3", "8", "1"]);
    assert_eq!(rouge_tokens("patient's x-ray"), ["patient", "s", "x", "ray"]);
}
