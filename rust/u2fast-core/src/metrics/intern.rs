//! Token interning for the n-gram counters: a per-worker table from token text to a global id,
//! and a per-pair remapping of global ids to dense local ids (0, 1, 2, ... in order of first use).

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

/// Token text → global id. Looks tokens up by a 64-bit hash and checks the text on every hit, so
/// two different tokens never share an id.
#[derive(Default)]
pub struct Interner {
    by_hash: FxHashMap<u64, u32>,
    texts: Vec<Box<str>>,
    collisions: FxHashMap<Box<str>, u32>,
}

impl Interner {
    pub fn id(&mut self, token: &str) -> u32 {
        let mut hasher = FxHasher::default();
        hasher.write(token.as_bytes());
        let h = hasher.finish();
        if let Some(&g) = self.by_hash.get(&h) {
            if &*self.texts[g as usize] == token {
                return g;
            }
            if let Some(&g) = self.collisions.get(token) {
                return g;
            }
            let g = self.push(token);
            self.collisions.insert(token.into(), g);
            return g;
        }
        let g = self.push(token);
        self.by_hash.insert(h, g);
        g
    }

    fn push(&mut self, token: &str) -> u32 {
        self.texts.push(token.into());
        (self.texts.len() - 1) as u32
    }
}

/// Global id → dense per-pair id, reset in O(1) per pair by a generation stamp.
#[derive(Default)]
pub struct LocalIds {
    local_of: Vec<u32>,
    stamp: Vec<u32>,
    generation: u32,
    len: usize,
}

impl LocalIds {
    /// Start a new pair: every global id is unseen again.
    pub fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
        self.len = 0;
    }

    /// Number of distinct ids in the current pair.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn local(&mut self, global: u32) -> u32 {
        let g = global as usize;
        if g >= self.stamp.len() {
            self.stamp.resize(g + 1, 0);
            self.local_of.resize(g + 1, 0);
        }
        if self.stamp[g] != self.generation {
            self.stamp[g] = self.generation;
            self.local_of[g] = self.len as u32;
            self.len += 1;
        }
        self.local_of[g]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_local_ids_dense_per_pair() {
        let mut interner = Interner::default();
        let mut local = LocalIds::default();
        let (a, b) = (interner.id("liver"), interner.id("kidney"));
        assert_eq!(interner.id("liver"), a);
        assert_ne!(a, b);
        local.begin();
        assert_eq!((local.local(b), local.local(a), local.local(b)), (0, 1, 0));
        local.begin();
        assert_eq!(local.local(a), 0);
        assert_eq!(local.len(), 1);
    }
}
