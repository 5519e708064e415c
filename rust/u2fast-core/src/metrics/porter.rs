//! NLTK's `PorterStemmer` in its default `NLTK_EXTENSIONS` mode (nltk/stem/porter.py), as
//! rouge-score uses it. A port rule by rule, the NLTK departures from the 1980 paper included
//! (docs/reference-metrics.md 3.2). It works on ASCII bytes: rouge-score only stems `[a-z0-9]+` tokens.

const IRREGULAR: [(&str, &str); 16] = [
    ("sky", "sky"),
    ("skies", "sky"),
    ("dying", "die"),
    ("lying", "lie"),
    ("tying", "tie"),
    ("news", "news"),
    ("innings", "inning"),
    ("inning", "inning"),
    ("outings", "outing"),
    ("outing", "outing"),
    ("cannings", "canning"),
    ("canning", "canning"),
    ("howe", "howe"),
    ("proceed", "proceed"),
    ("exceed", "exceed"),
    ("succeed", "succeed"),
];

#[inline]
fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// `_is_consonant`: a `y` is a consonant unless it follows a consonant, counting runs of `y`.
fn is_consonant(w: &[u8], mut i: usize) -> bool {
    if is_vowel(w[i]) {
        return false;
    }
    if w[i] == b'y' {
        let mut negate = false;
        while i > 0 && w[i] == b'y' {
            negate = !negate;
            i -= 1;
        }
        return is_vowel(w[i]) == negate;
    }
    true
}

/// `_consonant_flags` as used by `_measure` and `_contains_vowel`.
fn consonant_flags(w: &[u8], out: &mut Vec<bool>) {
    out.clear();
    for (i, &c) in w.iter().enumerate() {
        let f = if is_vowel(c) {
            false
        } else if c == b'y' {
            i == 0 || !out[i - 1]
        } else {
            true
        };
        out.push(f);
    }
}

fn measure(stem: &[u8]) -> usize {
    let mut flags = Vec::with_capacity(stem.len());
    consonant_flags(stem, &mut flags);
    flags.windows(2).filter(|p| !p[0] && p[1]).count()
}

fn contains_vowel(stem: &[u8]) -> bool {
    let mut flags = Vec::with_capacity(stem.len());
    consonant_flags(stem, &mut flags);
    !flags.iter().all(|&c| c)
}

fn ends_double_consonant(w: &[u8]) -> bool {
    w.len() >= 2 && w[w.len() - 1] == w[w.len() - 2] && is_consonant(w, w.len() - 1)
}

fn ends_cvc(w: &[u8]) -> bool {
    let n = w.len();
    (n >= 3
        && is_consonant(w, n - 3)
        && !is_consonant(w, n - 2)
        && is_consonant(w, n - 1)
        && !matches!(w[n - 1], b'w' | b'x' | b'y'))
        || (n == 2 && !is_consonant(w, 0) && is_consonant(w, 1))
}

/// The condition of one rule, evaluated on the stem (the word without the suffix) and the word.
#[derive(Clone, Copy)]
enum Cond {
    Always,
    PositiveMeasure,
    MeasureAbove1,
    /// step 4 `ion`: m > 1 and the stem ends in s or t.
    IonStem,
    /// NLTK's `logi` rule: positive measure of the word minus its last three letters.
    LogiWord,
    /// step 5b: measure of the word minus its last letter above 1.
    LlWord,
}

fn holds(cond: Cond, stem: &[u8], word: &[u8]) -> bool {
    match cond {
        Cond::Always => true,
        Cond::PositiveMeasure => measure(stem) > 0,
        Cond::MeasureAbove1 => measure(stem) > 1,
        Cond::IonStem => measure(stem) > 1 && matches!(stem.last(), Some(b's' | b't')),
        Cond::LogiWord => measure(&word[..word.len() - 3]) > 0,
        Cond::LlWord => measure(&word[..word.len() - 1]) > 1,
    }
}

/// `_apply_rule_list` without the `*d` rule: the first matching suffix decides.
fn apply_rules(word: &mut Vec<u8>, rules: &[(&str, &str, Cond)]) {
    for &(suffix, replacement, cond) in rules {
        if word.ends_with(suffix.as_bytes()) {
            let stem_len = word.len() - suffix.len();
            if holds(cond, &word[..stem_len], word) {
                word.truncate(stem_len);
                word.extend_from_slice(replacement.as_bytes());
            }
            return;
        }
    }
}

fn replace_suffix(word: &mut Vec<u8>, suffix_len: usize, replacement: &str) {
    word.truncate(word.len() - suffix_len);
    word.extend_from_slice(replacement.as_bytes());
}

fn step1a(w: &mut Vec<u8>) {
    if w.ends_with(b"ies") && w.len() == 4 {
        replace_suffix(w, 3, "ie");
        return;
    }
    apply_rules(
        w,
        &[
            ("sses", "ss", Cond::Always),
            ("ies", "i", Cond::Always),
            ("ss", "ss", Cond::Always),
            ("s", "", Cond::Always),
        ],
    );
}

fn step1b(w: &mut Vec<u8>) {
    if w.ends_with(b"ied") {
        let rep = if w.len() == 4 { "ie" } else { "i" };
        replace_suffix(w, 3, rep);
        return;
    }
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            replace_suffix(w, 3, "ee");
        }
        return;
    }
    let mut cut = None;
    for suffix in [&b"ed"[..], &b"ing"[..]] {
        if w.ends_with(suffix) && contains_vowel(&w[..w.len() - suffix.len()]) {
            cut = Some(suffix.len());
            break;
        }
    }
    let Some(cut) = cut else { return };
    w.truncate(w.len() - cut);
    // Rules on the intermediate stem: at, bl, iz, then *d, then "" (+e when m = 1 and *o).
    for (suffix, replacement) in [("at", "ate"), ("bl", "ble"), ("iz", "ize")] {
        if w.ends_with(suffix.as_bytes()) {
            replace_suffix(w, suffix.len(), replacement);
            return;
        }
    }
    if ends_double_consonant(w) {
        let last = w[w.len() - 1];
        if !matches!(last, b'l' | b's' | b'z') {
            w.truncate(w.len() - 1);
        }
        return;
    }
    if measure(w) == 1 && ends_cvc(w) {
        w.push(b'e');
    }
}

fn step1c(w: &mut [u8]) {
    if w.ends_with(b"y") {
        let stem_len = w.len() - 1;
        if stem_len > 1 && is_consonant(w, stem_len - 1) {
            w[stem_len] = b'i';
        }
    }
}

fn step2(w: &mut Vec<u8>) {
    use Cond::PositiveMeasure as P;
    if w.ends_with(b"alli") && measure(&w[..w.len() - 4]) > 0 {
        replace_suffix(w, 4, "al");
        step2(w);
        return;
    }
    apply_rules(
        w,
        &[
            ("ational", "ate", P),
            ("tional", "tion", P),
            ("enci", "ence", P),
            ("anci", "ance", P),
            ("izer", "ize", P),
            ("bli", "ble", P),
            ("alli", "al", P),
            ("entli", "ent", P),
            ("eli", "e", P),
            ("ousli", "ous", P),
            ("ization", "ize", P),
            ("ation", "ate", P),
            ("ator", "ate", P),
            ("alism", "al", P),
            ("iveness", "ive", P),
            ("fulness", "ful", P),
            ("ousness", "ous", P),
            ("aliti", "al", P),
            ("iviti", "ive", P),
            ("biliti", "ble", P),
            ("fulli", "ful", P),
            ("logi", "log", Cond::LogiWord),
        ],
    );
}

fn step3(w: &mut Vec<u8>) {
    use Cond::PositiveMeasure as P;
    apply_rules(
        w,
        &[
            ("icate", "ic", P),
            ("ative", "", P),
            ("alize", "al", P),
            ("iciti", "ic", P),
            ("ical", "ic", P),
            ("ful", "", P),
            ("ness", "", P),
        ],
    );
}

fn step4(w: &mut Vec<u8>) {
    use Cond::MeasureAbove1 as M;
    apply_rules(
        w,
        &[
            ("al", "", M),
            ("ance", "", M),
            ("ence", "", M),
            ("er", "", M),
            ("ic", "", M),
            ("able", "", M),
            ("ible", "", M),
            ("ant", "", M),
            ("ement", "", M),
            ("ment", "", M),
            ("ent", "", M),
            ("ion", "", Cond::IonStem),
            ("ou", "", M),
            ("ism", "", M),
            ("ate", "", M),
            ("iti", "", M),
            ("ous", "", M),
            ("ive", "", M),
            ("ize", "", M),
        ],
    );
}

fn step5a(w: &mut Vec<u8>) {
    if w.ends_with(b"e") {
        let stem = &w[..w.len() - 1];
        let m = measure(stem);
        if m > 1 || (m == 1 && !ends_cvc(stem)) {
            w.pop();
        }
    }
}

fn step5b(w: &mut Vec<u8>) {
    apply_rules(w, &[("ll", "l", Cond::LlWord)]);
}

/// Stem one ASCII word (`PorterStemmer().stem(word)`, which lowercases first); a word with other
/// characters is returned as is (rouge-score never passes one; the Python wrapper refuses them).
pub fn stem(word: &str) -> String {
    if !word.is_ascii() {
        return word.to_owned();
    }
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        return stem(&word.to_ascii_lowercase());
    }
    if let Some(&(_, irregular)) = IRREGULAR.iter().find(|(form, _)| *form == word) {
        return irregular.to_owned();
    }
    if word.len() <= 2 {
        return word.to_owned();
    }
    let mut w = word.as_bytes().to_vec();
    step1a(&mut w);
    step1b(&mut w);
    step1c(&mut w);
    step2(&mut w);
    step3(&mut w);
    step4(&mut w);
    step5a(&mut w);
    step5b(&mut w);
    String::from_utf8(w).expect("ASCII in, ASCII out")
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn nltk_examples() {
        crate::metrics::assert_examples(
            stem,
            &[
                ("caresses", "caress"),
                ("ponies", "poni"),
                ("dies", "die"),
                ("cats", "cat"),
                ("agreed", "agre"),
                ("plastered", "plaster"),
                ("motoring", "motor"),
                ("conflated", "conflat"),
                ("hopping", "hop"),
                ("falling", "fall"),
                ("filing", "file"),
                ("happy", "happi"),
                ("enjoy", "enjoy"),
                ("relational", "relat"),
                ("generalization", "gener"),
                ("hopefulness", "hope"),
                ("formality", "formal"),
                ("electrical", "electr"),
                ("adjustment", "adjust"),
                ("controlling", "control"),
                ("skies", "sky"),
                ("dying", "die"),
                ("generously", "gener"),
                ("analogi", "analog"),
                ("hypoechoic", "hypoecho"),
            ],
        );
    }
}
