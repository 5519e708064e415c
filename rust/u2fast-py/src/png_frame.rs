//! The pixels of an 8-bit grey or RGB, non-interlaced PNG, for the case-browser thumbnails.
//!
//! Read here rather than through the `png` crate's streaming reader because a thumbnail's whole
//! budget is a few dozen microseconds: that reader moves its window of decompressed rows down
//! after each row (a copy of the rest of the frame per row) and reads through two more buffers.
//! Here the image data is inflated in one call into one buffer and unfiltered in place. Checked as
//! strictly as the pixels need: signature, chunk lengths, CRCs of the chunks read, header fields,
//! the zlib stream up to the end of the image data and its exact amount. What may follow the last
//! pixel (the stream's Adler-32, later chunks, IEND) is not required: only complete pixels are used.

/// An image as rows of interleaved 8-bit channels.
pub struct Pixels {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub data: Vec<u8>,
}

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The chunks of a PNG after its signature: (type, data), each CRC-checked; None on a bad length or CRC.
fn chunks(data: &[u8]) -> impl Iterator<Item = Option<([u8; 4], &[u8])>> {
    let mut rest = data.strip_prefix(SIGNATURE.as_slice());
    std::iter::from_fn(move || {
        let bytes = rest?;
        if bytes.is_empty() {
            return None;
        }
        let Some((head, after)) = bytes.split_first_chunk::<8>() else {
            rest = None;
            return Some(None);
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len.checked_add(4).is_none_or(|needed| after.len() < needed) {
            rest = None;
            return Some(None);
        }
        let (body, after) = after.split_at(len);
        let (crc, after) = after.split_at(4);
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&head[4..]);
        hasher.update(body);
        if hasher.finalize().to_be_bytes() != crc {
            rest = None;
            return Some(None);
        }
        rest = Some(after);
        Some(Some(([head[4], head[5], head[6], head[7]], body)))
    })
}

/// The pixels, or None when the PNG is not 8-bit grey or RGB, is interlaced, is over `max_pixels`
/// (or a side over 65,535, JPEG's limit) or is broken.
pub fn decode(data: &[u8], max_pixels: u64) -> Option<Pixels> {
    if !data.starts_with(SIGNATURE) {
        return None;
    }
    let mut chunks = chunks(data);
    let (kind, header) = chunks.next()??;
    if &kind != b"IHDR" || header.len() != 13 {
        return None;
    }
    let width = u32::from_be_bytes(header[0..4].try_into().ok()?) as usize;
    let height = u32::from_be_bytes(header[4..8].try_into().ok()?) as usize;
    let channels = match (header[8], header[9]) {
        (8, 0) => 1,
        (8, 2) => 3,
        _ => return None,
    };
    if header[10..13] != [0, 0, 0]
        || width == 0
        || height == 0
        || (width as u64) * (height as u64) > max_pixels
        || width > usize::from(u16::MAX)
        || height > usize::from(u16::MAX)
    {
        return None;
    }
    // one IDAT (the usual case) is inflated where it lies; several are joined first
    let mut first: Option<&[u8]> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut in_idat = false;
    for chunk in chunks {
        let (kind, body) = chunk?;
        match &kind {
            b"IDAT" if first.is_none() => (first, in_idat) = (Some(body), true),
            b"IDAT" if in_idat => {
                if joined.is_empty() {
                    joined.extend_from_slice(first.unwrap_or_default());
                }
                joined.extend_from_slice(body);
            }
            b"IDAT" => return None, // image data split by other chunks
            b"IEND" => break,
            _ => in_idat = false,
        }
    }
    let stream = if joined.is_empty() { first? } else { &joined };
    let stride = width * channels;
    let mut raw = vec![0u8; (stride + 1) * height];
    let mut inflater = fdeflate::Decompressor::new();
    let (_, produced) = inflater.read(stream, &mut raw, 0, true).ok()?;
    if produced != raw.len() {
        return None;
    }
    unfilter(&mut raw, stride, channels)?;
    Some(Pixels { width, height, channels, data: raw })
}

/// Undo the rows' filters in place and drop their filter bytes; None on an unknown filter.
fn unfilter(raw: &mut Vec<u8>, stride: usize, bpp: usize) -> Option<()> {
    let height = raw.len() / (stride + 1);
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        // row y's bytes move to y * stride, just before where they were; the row above is in place
        raw.copy_within(y * (stride + 1) + 1..(y + 1) * (stride + 1), y * stride);
        let (done, rest) = raw.split_at_mut(y * stride);
        let row = &mut rest[..stride];
        let up = if y == 0 { None } else { Some(&done[(y - 1) * stride..]) };
        match (filter, up) {
            (0, _) | (2, None) => {}
            (1, _) => {
                for i in bpp..stride {
                    row[i] = row[i].wrapping_add(row[i - bpp]);
                }
            }
            (2, Some(up)) => {
                for (p, &u) in row.iter_mut().zip(up) {
                    *p = p.wrapping_add(u);
                }
            }
            (3, _) => {
                for i in 0..stride {
                    let left = if i >= bpp { u16::from(row[i - bpp]) } else { 0 };
                    let above = up.map_or(0, |u| u16::from(u[i]));
                    row[i] = row[i].wrapping_add(u16::midpoint(left, above) as u8);
                }
            }
            (4, _) => {
                for i in 0..stride {
                    let a = if i >= bpp { i16::from(row[i - bpp]) } else { 0 };
                    let b = up.map_or(0, |u| i16::from(u[i]));
                    let c = if i >= bpp { up.map_or(0, |u| i16::from(u[i - bpp])) } else { 0 };
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    let predicted = if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    };
                    row[i] = row[i].wrapping_add(predicted as u8);
                }
            }
            _ => return None,
        }
    }
    raw.truncate(stride * height);
    Some(())
}
