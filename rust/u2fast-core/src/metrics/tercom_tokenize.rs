//! The Tercom normalizer as sacreBLEU 2.6.0's `TercomTokenizer` applies it before TER.
//!
//! sacreBLEU writes it as a chain of Python regular expressions; each step here is the same
//! left-to-right, non-overlapping rewrite done by hand over code points. Lowercasing (when TER is
//! not case-sensitive) happens before, in Python, so that it is the running interpreter's
//! `str.lower()`.

use crate::metrics::text::{py_rstrip, py_split};

/// Which Tercom normalizations run (sacreBLEU `TER(normalized=, no_punct=, asian_support=)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TercomOptions {
    pub normalized: bool,
    pub no_punct: bool,
    pub asian_support: bool,
}

/// ASCII punctuation the Western step pads with spaces: every printable ASCII symbol but
/// `'` `,` `-` `.` (those get rules of their own), and the space itself.
fn is_padded_ascii(c: char) -> bool {
    matches!(c, ' '..='&' | '('..='+' | '/' | ':'..='@' | '['..='`' | '{'..='~')
}

/// CJK ideographs, strokes, radicals, compatibility forms, enclosed letters, CJK and full-width
/// punctuation: each becomes a token of its own under `normalized` + `asian_support`.
fn is_padded_asian(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{31c0}'..='\u{31ef}' | '\u{2e80}'..='\u{2eff}'
        | '\u{3300}'..='\u{33ff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{3200}'..='\u{3f22}')
        || is_asian_punct(c)
}

/// CJK and full-width punctuation (removed under `no_punct` + `asian_support`).
fn is_asian_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}' | '\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}' | '\u{ff61}'..='\u{ff65}'
        | '\u{30fb}' | '\u{ff0e}' | '\u{ff0c}' | '\u{ff1f}' | '\u{ff1a}' | '\u{ff1b}' | '\u{ff01}' | '\u{ff02}'
        | '\u{ff08}' | '\u{ff09}')
}

/// Punctuation removed under `no_punct`.
fn is_removed_punct(c: char) -> bool {
    matches!(c, '.' | ',' | '?' | ':' | ';' | '!' | '"' | '(' | ')')
}

/// Rewrite every non-overlapping pair `(a, b)` with `keep(a, b)` true, scanning left to right.
fn rewrite_pairs(
    s: &[char],
    keep: impl Fn(char, char) -> bool,
    emit: impl Fn(char, char, &mut Vec<char>),
) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    let mut i = 0;
    while i < s.len() {
        if i + 1 < s.len() && keep(s[i], s[i + 1]) {
            emit(s[i], s[i + 1], &mut out);
            i += 2;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// The language-independent and Western steps of `normalized`.
fn normalize_western(s: &str) -> Vec<char> {
    // Line-end hyphenation is joined, other line breaks become spaces, four XML entities are
    // decoded (in this order, so "&amp;lt;" ends as "<", as in sacreBLEU).
    let s = s
        .replace("\n-", "")
        .replace('\n', " ")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let mut padded = String::with_capacity(s.len() * 2 + 2);
    padded.push(' ');
    for c in s.chars() {
        if is_padded_ascii(c) {
            padded.extend([' ', c, ' ']);
        } else {
            padded.push(c);
        }
    }
    padded.push(' ');
    // Possessive 's split off when a space follows. (sacreBLEU's second rule, 's at the very end,
    // never fires: the text always ends with the space added above.)
    let padded = padded.replace("'s ", " 's ");
    let chars: Vec<char> = padded.chars().collect();
    let digit = |c: char| c.is_ascii_digit();
    let dot_comma = |c: char| c == '.' || c == ',';
    // Period and comma split off unless a digit precedes; then unless a digit follows; a dash
    // split off after a digit.
    let chars = rewrite_pairs(&chars, |a, b| !digit(a) && dot_comma(b), |a, b, o| o.extend([a, ' ', b, ' ']));
    let chars = rewrite_pairs(&chars, |a, b| dot_comma(a) && !digit(b), |a, b, o| o.extend([' ', a, ' ', b]));
    rewrite_pairs(&chars, |a, b| digit(a) && b == '-', |a, b, o| o.extend([a, ' ', b, ' ']))
}

/// sacreBLEU `TercomTokenizer(...)(text.rstrip())` for text already lowercased where wanted:
/// the normalized text's words (Python `str.split()`).
pub fn tercom_words(text: &str, o: TercomOptions) -> Vec<String> {
    let text = py_rstrip(text);
    let mut chars: Vec<char> = if o.normalized { normalize_western(text) } else { text.chars().collect() };
    if o.normalized && o.asian_support {
        // sacreBLEU also splits hiragana/katakana runs, but its pattern only matches a text made of
        // kana alone, and the Western step has put a space in front: it never fires.
        let mut out = Vec::with_capacity(chars.len() * 2);
        for c in chars {
            if is_padded_asian(c) {
                out.extend([' ', c, ' ']);
            } else {
                out.push(c);
            }
        }
        chars = out;
    }
    if o.no_punct {
        chars.retain(|&c| !(is_removed_punct(c) || o.asian_support && is_asian_punct(c)));
    }
    let joined: String = chars.into_iter().collect();
    py_split(&joined).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of each example under `o`, joined by spaces.
    fn assert_words(o: TercomOptions, examples: &[(&str, &str)]) {
        crate::metrics::assert_examples(|s| tercom_words(s, o).join(" "), examples);
    }

    const NO_PUNCT: TercomOptions = TercomOptions { normalized: false, no_punct: true, asian_support: false };
    const NORMALIZED: TercomOptions =
        TercomOptions { normalized: true, no_punct: false, asian_support: false };

    #[test]
    fn default_only_strips_and_splits() {
        assert_words(TercomOptions::default(), &[("  a b\tc d.  ", "a b c d."), ("", "")]);
    }

    #[test]
    fn no_punct_removes_nine_marks() {
        assert_words(NO_PUNCT, &[("a ; b ) c : d.", "a b c d"), ("it's-a-test", "it's-a-test")]);
    }

    #[test]
    fn normalized_splits_punctuation_possessives_and_numbers() {
        assert_words(
            NORMALIZED,
            &[
                ("a b (c) d.", "a b ( c ) d ."),
                ("jim's car.", "jim 's car ."),
                ("4.2", "4.2"),
                ("3-4 &amp;lt;x&gt;", "3 - 4 < x >"),
                ("line\n-break\nnext", "linebreak next"),
            ],
        );
    }

    #[test]
    fn asian_support_splits_ideographs_not_kana() {
        assert_words(
            TercomOptions { asian_support: true, ..NORMALIZED },
            &[("美众院公布对特", "美 众 院 公 布 对 特"), ("りの拳銃を持", "りの 拳 銃 を 持")],
        );
        assert_words(TercomOptions { asian_support: true, ..NO_PUNCT }, &[("a。b，c", "abc")]);
        assert_words(NO_PUNCT, &[("a。b，c", "a。b，c")]);
    }
}
