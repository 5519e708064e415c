//! Tokenizers that reproduce the reference libraries character for character (docs/reference-metrics.md 1.3, 3.2).
//!
//! Python's `str.split()` / `str.isspace()` treat U+001C..U+001F as whitespace while Rust's
//! `char::is_whitespace` does not, so every "split on whitespace" here goes through [`is_py_space`].

/// `true` for the characters Python's `str.isspace()` accepts.
#[inline]
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `s.split()` (no argument): split on runs of whitespace, no empty tokens.
pub fn py_split(s: &str) -> PySplit<'_> {
    PySplit { s, pos: 0, ascii: s.is_ascii() }
}

/// ASCII bytes Python's `str.isspace()` accepts: `\t \n \v \f \r`, U+001C..U+001F and space.
const ASCII_PY_SPACE: [bool; 128] = {
    let mut t = [false; 128];
    let mut c = 0;
    while c < 128 {
        t[c] = matches!(c, 9..=13 | 28..=32);
        c += 1;
    }
    t
};

/// Iterator of [`py_split`]: bytes for ASCII, a decoded character only where a byte is not ASCII.
pub struct PySplit<'a> {
    s: &'a str,
    pos: usize,
    ascii: bool,
}

impl PySplit<'_> {
    /// Length of the whitespace character at `pos`, or 0 when it is not whitespace.
    #[inline]
    fn space_len(&self, pos: usize) -> usize {
        let b = self.s.as_bytes()[pos];
        if b < 128 {
            usize::from(ASCII_PY_SPACE[b as usize])
        } else {
            let c = self.s[pos..].chars().next().expect("pos is on a char boundary");
            if is_py_space(c) {
                c.len_utf8()
            } else {
                0
            }
        }
    }

    #[inline]
    fn char_len(&self, pos: usize) -> usize {
        let b = self.s.as_bytes()[pos];
        match b {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        }
    }
}

impl<'a> Iterator for PySplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let n = self.s.len();
        if self.ascii {
            let bytes = self.s.as_bytes();
            let mut pos = self.pos;
            while pos < n && ASCII_PY_SPACE[bytes[pos] as usize] {
                pos += 1;
            }
            if pos >= n {
                self.pos = n;
                return None;
            }
            let start = pos;
            while pos < n && !ASCII_PY_SPACE[bytes[pos] as usize] {
                pos += 1;
            }
            self.pos = pos;
            return Some(&self.s[start..pos]);
        }
        while self.pos < n {
            let k = self.space_len(self.pos);
            if k == 0 {
                break;
            }
            self.pos += k;
        }
        if self.pos >= n {
            return None;
        }
        let start = self.pos;
        while self.pos < n && self.space_len(self.pos) == 0 {
            self.pos += self.char_len(self.pos);
        }
        Some(&self.s[start..self.pos])
    }
}

/// Python's `s.rstrip()` (no argument).
pub fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// Python's `s.split(" ")`: split on single spaces only, empty tokens kept (pycocoevalcap ROUGE-L).
pub fn split_single_space(s: &str) -> impl Iterator<Item = &str> {
    s.split(' ')
}

/// Python's `str.lower()`. Rust's `to_lowercase` follows the same Unicode default case mapping
/// (unconditional special casing plus the `Final_Sigma` rule), e.g. `İ` → `i̇` and `K` (Kelvin) → `k`.
pub fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Rule A of 13a: the ASCII punctuation set that is split off on both sides, as a byte table.
///
/// The set includes the space itself; padding a space with two more spaces cannot change what
/// rules B-D match (a space is only ever the non-digit side of a match, and runs of spaces are
/// collapsed at the end), so the table leaves spaces alone and saves the copies.
const SYMBOL_13A: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b != b' '
            && matches!(b, b'{'..=b'~' | b'['..=b'`' | b' '..=b'&' | b'('..=b'+' | b':'..=b'@' | b'/');
        c += 1;
    }
    t
};

/// sacreBLEU's `13a` tokenizer followed by `split()`: returns the token string joined by single
/// spaces (the tokens are that string's `' '`-separated parts).
pub fn tokenize_13a(line: &str) -> String {
    // Steps 1-4: literal replacements, in sacreBLEU's order.
    let mut s: std::borrow::Cow<'_, str> = std::borrow::Cow::Borrowed(line);
    if s.contains("<skipped>") {
        s = s.replace("<skipped>", "").into();
    }
    if s.contains('\n') {
        s = s.replace("-\n", "").replace('\n', " ").into();
    }
    if s.contains('&') {
        s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").into();
    }
    regexp_rules(s.as_bytes(), true)
}

/// The regular-expression rules 13a and `zh` share (sacreBLEU's `TokenizerRegexp`), then
/// `' '.join(s.split())`. 13a pads the line with a space on each side first (`pad`), `zh` does not.
///
/// The rules only look at ASCII characters, so they run on UTF-8 bytes: a multi-byte character
/// never contains an ASCII byte, and its bytes match `[^0-9]` as the character does.
pub(crate) fn regexp_rules(bytes: &[u8], pad: bool) -> String {
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

#[inline]
fn is_point_or_comma(c: u8) -> bool {
    c == b'.' || c == b','
}

/// Rule B as one `re.sub` pass: a match is a non-digit followed by `.`/`,`; it consumes both, so
/// the next match starts after the punctuation mark.
fn rule_b(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    let mut pos = 0; // first byte not yet copied
    let mut p = 1;
    while p < input.len() {
        if is_point_or_comma(input[p]) && p > pos && !input[p - 1].is_ascii_digit() {
            out.extend_from_slice(&input[pos..p]);
            out.extend_from_slice(&[b' ', input[p], b' ']);
            pos = p + 1;
            p += 2;
        } else {
            p += 1;
        }
    }
    out.extend_from_slice(&input[pos.min(input.len())..]);
    out
}

/// Rule C as one `re.sub` pass: `.`/`,` followed by a non-digit; both are consumed.
fn rule_c(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    let mut pos = 0;
    let mut p = 0;
    while p + 1 < input.len() {
        if is_point_or_comma(input[p]) && !input[p + 1].is_ascii_digit() {
            out.extend_from_slice(&input[pos..p]);
            out.extend_from_slice(&[b' ', input[p], b' ', input[p + 1]]);
            pos = p + 2;
            p += 2;
        } else {
            p += 1;
        }
    }
    out.extend_from_slice(&input[pos.min(input.len())..]);
    out
}

/// Rule D as one `re.sub` pass: a digit followed by `-`; both are consumed.
fn rule_d(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + 16);
    let mut pos = 0;
    let mut p = 0;
    while p + 1 < input.len() {
        if input[p].is_ascii_digit() && input[p + 1] == b'-' {
            out.extend_from_slice(&input[pos..=p]);
            out.extend_from_slice(b" - ");
            pos = p + 2;
            p += 2;
        } else {
            p += 1;
        }
    }
    out.extend_from_slice(&input[pos.min(input.len())..]);
    out
}

/// rouge-score's default tokenizer (`tokenize.tokenize`) without stemming: lowercase, every run of
/// characters outside `[a-z0-9]` is a separator.
pub fn rouge_tokens(text: &str) -> Vec<String> {
    let lowered = py_lower(text);
    lowered
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn py_split_includes_info_separators() {
        let v: Vec<&str> = py_split("a\u{1c}b\u{a0}c  d\u{200b}e").collect();
        assert_eq!(v, ["a", "b", "c", "d\u{200b}e"]);
    }

    #[test]
    fn tokenize_13a_examples_from_metrics_md() {
        assert_eq!(tokenize_13a("hypo-\nechoic"), "hypoechoic");
        assert_eq!(tokenize_13a("&amp;lt;"), "<");
        assert_eq!(tokenize_13a("12.3×8.1 mm"), "12.3×8.1 mm");
        assert_eq!(tokenize_13a("3.5."), "3.5 .");
        assert_eq!(tokenize_13a(".5"), ". 5");
        assert_eq!(tokenize_13a("U.S.A."), "U . S . A .");
        assert_eq!(tokenize_13a("1.2.3"), "1.2.3");
        assert_eq!(tokenize_13a("5-10 T2-T4 x-ray -5"), "5 - 10 T2 - T4 x-ray -5");
        assert_eq!(tokenize_13a("1,000 (a)"), "1,000 ( a )");
        assert_eq!(tokenize_13a("it's 60°"), "it's 60°");
    }

    #[test]
    fn rouge_tokenizer_lowercase_quirks() {
        assert_eq!(rouge_tokens("KİDNEY"), ["ki", "dney"]);
        assert_eq!(rouge_tokens("\u{212a}g 12.3×8.1"), ["kg", "12", "3", "8", "1"]);
        assert_eq!(rouge_tokens("patient's x-ray"), ["patient", "s", "x", "ray"]);
    }
}
