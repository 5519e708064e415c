//! The digest that checks an image's stored base64 text each time it is read back to be sent
//! (`ImageRef.stored_blake3`, `u2fast.data.images.text_digest`).
//!
//! It is computed once per image on the runner's per-request path, where SHA-256 of a 64 KB PNG's
//! text cost ~90 µs (OpenSSL, ~1 GB/s here) of the request's CPU; BLAKE3 is a cryptographic hash too
//! and runs at several GB/s on one core. The image's own identity (`ImageRef.sha256`, in request
//! keys and data fingerprints) stays SHA-256 of the decoded bytes: only this re-read check changed.

use pyo3::prelude::*;

/// Inputs at least this long are hashed without the GIL (a large image in a worker thread lets
/// the event loop go on); below it the hand-off would cost more than the hash.
const DETACH_BYTES: usize = 1 << 20;

/// BLAKE3 digest (32 bytes, the default length) of `data` as 64 lowercase hex characters.
#[pyfunction]
pub fn blake3_hex(py: Python<'_>, data: &[u8]) -> String {
    if data.len() >= DETACH_BYTES {
        py.detach(|| blake3::hash(data).to_hex().to_string())
    } else {
        blake3::hash(data).to_hex().to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_vectors() {
        // the BLAKE3 reference's digests of the empty input and of "abc"
        assert_eq!(
            blake3::hash(b"").to_hex().as_str(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(
            blake3::hash(b"abc").to_hex().as_str(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
    }
}
