//! Tokenizers that reproduce the reference libraries character for character (METRICS.md 1.3, 3.2).
//!
//! Python's `str.split()` / `str.isspace()` treat U+001C..U+001F as whitespace while Rust's
//! `char::is_whitespace` does not, so every "split on whitespace" here goes through [`is_py_space`].

/// `true` for the characters Python's `str.isspace()` accepts.
#[inline]
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `s.split()` (no argument): split on runs of whitespace, no empty tokens.
pub fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_py_space).filter(|t| !t.is_empty())
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

/// Rule A of 13a: the ASCII punctuation set that is split off on both sides.
#[inline]
fn is_13a_symbol(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

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
    // Step 5 + rule A on a char buffer.
    let mut a: Vec<char> = Vec::with_capacity(s.len() + 16);
    a.push(' ');
    for c in s.chars() {
        if is_13a_symbol(c) {
            a.extend([' ', c, ' ']);
        } else {
            a.push(c);
        }
    }
    a.push(' ');
    let is_digit = |c: char| c.is_ascii_digit();
    let is_pc = |c: char| c == '.' || c == ',';
    // Rule B: ([^0-9])([.,]) -> "\1 \2 " (left-to-right, non-overlapping).
    let b = substitute_pairs(&a, |x, y| !is_digit(x) && is_pc(y), |x, y, out| out.extend([x, ' ', y, ' ']));
    // Rule C: ([.,])([^0-9]) -> " \1 \2".
    let c = substitute_pairs(&b, |x, y| is_pc(x) && !is_digit(y), |x, y, out| out.extend([' ', x, ' ', y]));
    // Rule D: ([0-9])(-) -> "\1 \2 ".
    let d = substitute_pairs(&c, |x, y| is_digit(x) && y == '-', |x, y, out| out.extend([x, ' ', y, ' ']));
    // Step 10: " ".join(s.split()).
    let joined: String = d.into_iter().collect();
    let mut out = String::with_capacity(joined.len());
    for (i, tok) in py_split(&joined).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(tok);
    }
    out
}

/// One `re.sub` pass of a two-character pattern: at each position try a match, consume both
/// characters on success, otherwise copy one character and move on.
fn substitute_pairs(
    input: &[char],
    matches: impl Fn(char, char) -> bool,
    emit: impl Fn(char, char, &mut Vec<char>),
) -> Vec<char> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    let mut i = 0;
    while i < input.len() {
        if i + 1 < input.len() && matches(input[i], input[i + 1]) {
            emit(input[i], input[i + 1], &mut out);
            i += 2;
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    out
}

/// sacreBLEU's segment preprocessing (`BLEU._preprocess_segment`) with the 13a tokenizer.
pub fn sacrebleu_tokens(segment: &str, lowercase: bool) -> String {
    if lowercase {
        tokenize_13a(py_rstrip(&py_lower(segment)))
    } else {
        tokenize_13a(py_rstrip(segment))
    }
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
