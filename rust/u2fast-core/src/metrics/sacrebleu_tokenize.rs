//! sacreBLEU 2.6.0's other BLEU tokenizers (`zh`, `intl`, `char`), character for character.
//!
//! `13a` and the regular-expression rules `zh` shares with it live in [`super::text`]. Every
//! tokenizer returns its tokens joined by single spaces, as sacreBLEU's `' '.join(line.split())`.

use super::text::{is_py_space, py_split, regexp_rules};
use super::unicode_classes::CLASS_RANGES;

/// Characters the `zh` tokenizer surrounds with spaces, as sacreBLEU's `_is_chinese_char` decides.
///
/// Two of its ranges are written `u'\u20000'`..`u'\u2a6d6'` and `u'\u2f800'`..`u'\u2fa1d'`: Python
/// reads `\u` with four hex digits, so those bounds are two-character strings and the comparison
/// of one character against them covers U+2001..=U+2A6D and U+2F81..=U+2FA1 (not the CJK
/// supplementary planes the comments name). sacreBLEU's behaviour is what we reproduce.
const ZH_RANGES: [(u32, u32); 22] = [
    (0x3400, 0x4DB5),
    (0x4E00, 0x9FA5),
    (0x9FA6, 0x9FBB),
    (0xF900, 0xFA2D),
    (0xFA30, 0xFA6A),
    (0xFA70, 0xFAD9),
    (0x2001, 0x2A6D),
    (0x2F81, 0x2FA1),
    (0xFF00, 0xFFEF),
    (0x2E80, 0x2EFF),
    (0x3000, 0x303F),
    (0x31C0, 0x31EF),
    (0x2F00, 0x2FDF),
    (0x2FF0, 0x2FFF),
    (0x3100, 0x312F),
    (0x31A0, 0x31BF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0x2600, 0x26FF),
    (0x2700, 0x27BF),
    (0x3200, 0x32FF),
    (0x3300, 0x33FF),
];

fn is_zh_char(c: char) -> bool {
    let c = c as u32;
    c >= 0x2001 && ZH_RANGES.iter().any(|&(a, b)| a <= c && c <= b)
}

/// Python's `s.strip()` (no argument).
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// sacreBLEU `zh`: `strip()`, a space on each side of every Chinese character, then the 13a
/// regular-expression rules (without 13a's replacements or its padding of the line).
pub fn tokenize_zh(line: &str) -> String {
    let line = py_strip(line);
    let mut out = String::new();
    if line.is_ascii() {
        regexp_rules(line.as_bytes(), false, &mut out, &mut Vec::new());
        return out;
    }
    let mut spaced = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if is_zh_char(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    regexp_rules(spaced.as_bytes(), false, &mut out, &mut Vec::new());
    out
}

const PUNCT: u8 = 1;
const SYMBOL: u8 = 2;
const NUMBER: u8 = 4;

/// The general-category classes (P, S, N bits) of one character, as the `regex` module sees them.
fn classes(c: char) -> u8 {
    let c = c as u32;
    if c < 0x21 {
        return 0;
    }
    match CLASS_RANGES.binary_search_by(|&(a, b, _)| {
        if b < c {
            std::cmp::Ordering::Less
        } else if a > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => CLASS_RANGES[i].2,
        Err(_) => 0,
    }
}

/// sacreBLEU `intl` (mteval-v14 international): three `re.sub` passes, each left to right and
/// non-overlapping — `(\P{N})(\p{P})` → `\1 \2 `, `(\p{P})(\P{N})` → ` \1 \2`, `(\p{S})` → ` \1 ` —
/// then whitespace collapsed.
pub fn tokenize_intl(line: &str) -> String {
    let chars: Vec<(char, u8)> = line.chars().map(|c| (c, classes(c))).collect();
    // Pass 1: a non-number followed by punctuation.
    let mut a: Vec<(char, u8)> = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && chars[i].1 & NUMBER == 0 && chars[i + 1].1 & PUNCT != 0 {
            a.extend_from_slice(&[chars[i], (' ', 0), chars[i + 1], (' ', 0)]);
            i += 2;
        } else {
            a.push(chars[i]);
            i += 1;
        }
    }
    // Pass 2: punctuation followed by a non-number.
    let mut b: Vec<(char, u8)> = Vec::with_capacity(a.len() + 8);
    i = 0;
    while i < a.len() {
        if i + 1 < a.len() && a[i].1 & PUNCT != 0 && a[i + 1].1 & NUMBER == 0 {
            b.extend_from_slice(&[(' ', 0), a[i], (' ', 0), a[i + 1]]);
            i += 2;
        } else {
            b.push(a[i]);
            i += 1;
        }
    }
    // Pass 3: every symbol on its own.
    let mut spaced = String::with_capacity(b.len() + 8);
    for (c, k) in b {
        if k & SYMBOL != 0 {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    join_tokens(&spaced)
}

/// sacreBLEU `char`: every character is a token (whitespace characters vanish in the split).
pub fn tokenize_char(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    for c in line.chars().filter(|&c| !is_py_space(c)) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `' '.join(s.split())`.
pub(crate) fn join_tokens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, tok) in py_split(s).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(tok);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::assert_examples;

    #[test]
    fn zh_pads_chinese_characters_and_keeps_numbers_at_the_edges() {
        assert_examples(
            tokenize_zh,
            &[
                (" 美众院公布 test. ", "美 众 院 公 布 test ."),
                // No padding of the line: a trailing number's point stays attached (13a would split it).
                ("3.5.", "3.5."),
                ("a\u{2010}b\u{2a6e}", "a \u{2010} b\u{2a6e}"),
                ("\u{20000}", "\u{20000}"),
            ],
        );
    }

    #[test]
    fn intl_splits_punctuation_except_between_digits() {
        assert_examples(
            tokenize_intl,
            &[
                ("Hello, world! 1,000.5 $5", "Hello , world ! 1,000.5 $ 5"),
                ("year 2019.", "year 2019."),
                ("«quoted»", "« quoted »"),
            ],
        );
    }

    #[test]
    fn char_drops_whitespace() {
        assert_examples(tokenize_char, &[("ab c\u{1c}d", "a b c d")]);
    }
}
