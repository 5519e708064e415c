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
    let mut out = String::new();
    tokenize_13a_into(line, &mut out, &mut Vec::new());
    out
}

/// [`tokenize_13a`] into a reused buffer, with the byte offset where each token starts.
pub fn tokenize_13a_into(line: &str, into: &mut String, starts: &mut Vec<usize>) {
    // Steps 1-4: literal replacements, in sacreBLEU's order.
    let mut s: std::borrow::Cow<'_, str> = std::borrow::Cow::Borrowed(line);
    if s.contains("<skipped>") {
        s = s.replace("<skipped>", "").into();
    }
    // `\n` → space changes no token (both are whitespace and neither takes part in a rule), so
    // only the removal of "-\n" needs a copy.
    if s.contains("-\n") {
        s = s.replace("-\n", "").into();
    }
    if s.contains('&') {
        s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").into();
    }
    regexp_rules(s.as_bytes(), true, into, starts);
}

/// The regular-expression rules 13a and `zh` share (sacreBLEU's `TokenizerRegexp`), then
/// `' '.join(s.split())`. 13a pads the line with a space on each side first (`pad`), `zh` does not.
///
/// The four `re.sub` passes only ever insert spaces, so the result is the line's whitespace-split
/// tokens cut further around single characters; one pass over the bytes decides each cut:
/// - rule A cuts around each symbol of its ASCII set (see `SYMBOL_13A`);
/// - rule B (`([^0-9])([.,])` → `\1 \2 `) cuts around a `.`/`,` after a non-digit, unless the
///   previous character was such a match (matches do not overlap);
/// - rule C (`([.,])([^0-9])` → ` \1 \2`, run on B's output) cuts around a `.`/`,` followed there
///   by a non-digit (a space B inserted counts), unless the previous `.`/`,` matched C directly
///   before it and so consumed it;
/// - rule D (`([0-9])(-)` → `\1 \2 `) cuts around a `-` that follows a digit.
///
/// The rules only look at ASCII characters, so they run on UTF-8 bytes: a multi-byte character
/// never contains an ASCII byte, and counts as a non-digit as the character does. A differential
/// test checks this against a literal implementation of the four passes.
pub(crate) fn regexp_rules(bytes: &[u8], pad: bool, into: &mut String, starts: &mut Vec<usize>) {
    starts.clear();
    let n = bytes.len();
    let mut out: Vec<u8> = std::mem::take(into).into_bytes();
    out.clear();
    out.reserve(n + n / 4);
    let mut sep = false;
    let (mut prev_b, mut prev_c) = (false, false);
    let mut i = 0;
    while i < n {
        // Runs of bytes no rule looks at are copied whole.
        let start = i;
        while i < n && CLASS_13A[bytes[i] as usize] == PLAIN {
            i += 1;
        }
        if i > start {
            push_token_bytes(&mut out, starts, &mut sep, &bytes[start..i]);
            (prev_b, prev_c) = (false, false);
            if i == n {
                break;
            }
        }
        let c = bytes[i];
        let (mut match_b, mut match_c) = (false, false);
        let alone = match CLASS_13A[c as usize] {
            SPACE => {
                sep = true;
                (prev_b, prev_c) = (false, false);
                i += 1;
                continue;
            }
            MAYBE_SPACE => {
                let ch = std::str::from_utf8(&bytes[i..(i + 4).min(n)])
                    .or_else(|e| std::str::from_utf8(&bytes[i..i + e.valid_up_to()]))
                    .ok()
                    .and_then(|t| t.chars().next());
                let k = ch.map_or(1, char::len_utf8);
                if ch.is_some_and(is_py_space) {
                    sep = true;
                } else {
                    push_token_bytes(&mut out, starts, &mut sep, &bytes[i..i + k]);
                }
                (prev_b, prev_c) = (false, false);
                i += k;
                continue;
            }
            SYMBOL => true,
            HYPHEN => i > 0 && bytes[i - 1].is_ascii_digit(),
            _ => {
                // `.` or `,`
                let before_non_digit = if i == 0 { pad } else { !bytes[i - 1].is_ascii_digit() };
                match_b = before_non_digit && !prev_b;
                let after_non_digit = match_b || if i + 1 < n { !bytes[i + 1].is_ascii_digit() } else { pad };
                let consumed = i > 0 && is_point_or_comma(bytes[i - 1]) && !prev_b && !match_b && prev_c;
                match_c = after_non_digit && !consumed;
                match_b || match_c
            }
        };
        if alone {
            sep = true;
        }
        push_token_bytes(&mut out, starts, &mut sep, &bytes[i..=i]);
        if alone {
            sep = true;
        }
        (prev_b, prev_c) = (match_b, match_c);
        i += 1;
    }
    // Only whole characters of the input and ASCII spaces were written.
    *into = String::from_utf8(out).expect("UTF-8 in, UTF-8 out");
}

const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const SYMBOL: u8 = 2;
const HYPHEN: u8 = 3;
const POINT_OR_COMMA: u8 = 4;
/// Lead bytes of the non-ASCII characters Python's `split()` treats as whitespace (U+0085, U+00A0,
/// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
const MAYBE_SPACE: u8 = 5;

/// The byte classes of [`regexp_rules`].
const CLASS_13A: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = if c < 128 && ASCII_PY_SPACE[c] {
            SPACE
        } else if SYMBOL_13A[c] {
            SYMBOL
        } else if c == b'-' as usize {
            HYPHEN
        } else if c == b'.' as usize || c == b',' as usize {
            POINT_OR_COMMA
        } else if matches!(c, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            MAYBE_SPACE
        } else {
            PLAIN
        };
        c += 1;
    }
    t
};

/// Append `piece` to the current token, starting a new one (after a space) when `sep` is set.
#[inline]
fn push_token_bytes(out: &mut Vec<u8>, starts: &mut Vec<usize>, sep: &mut bool, piece: &[u8]) {
    if out.is_empty() {
        starts.push(0);
    } else if *sep {
        out.push(b' ');
        starts.push(out.len());
    }
    *sep = false;
    out.extend_from_slice(piece);
}

#[inline]
fn is_point_or_comma(c: u8) -> bool {
    c == b'.' || c == b','
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
#[path = "text_tests.rs"]
mod tests;
