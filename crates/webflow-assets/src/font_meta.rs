//! What a font file says about itself: family, weight class, italic flag and variable axes.
//! TTF and OTF are read with `ttf-parser`; a WOFF is unwrapped first (each table zlib
//! compressed, or stored). WOFF2 (Brotli with transformed tables) and EOT are not read: the
//! caller gives the values instead.

use std::io::Read;

use webflow_assets_raw::types::{FontAxis, FontFormat};

/// What the file says, each value only when it says it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FontMeta {
    pub(crate) family: Option<String>,
    pub(crate) weight: Option<i64>,
    pub(crate) italic: Option<bool>,
    /// Empty for a static font.
    pub(crate) axes: Vec<FontAxis>,
}

/// Reads the metadata of a font file of this format, or says why it cannot.
pub(crate) fn read(format: FontFormat, bytes: &[u8]) -> Result<FontMeta, String> {
    match format {
        FontFormat::Truetype | FontFormat::Opentype => from_sfnt(bytes),
        FontFormat::Woff => from_sfnt(&woff_to_sfnt(bytes)?),
        FontFormat::Woff2 => Err("WOFF2 files are not read by this crate".into()),
        FontFormat::EmbeddedOpentype => Err("EOT files are not read by this crate".into()),
        FontFormat::Svg => Err("SVG fonts are not accepted".into()),
        other => Err(format!("{other} files are not read by this crate")),
    }
}

fn from_sfnt(bytes: &[u8]) -> Result<FontMeta, String> {
    let face =
        ttf_parser::Face::parse(bytes, 0).map_err(|e| format!("not a readable font: {e}"))?;
    let name = |id: u16| {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == id)
            .find_map(|n| n.to_string())
            .filter(|n| !n.trim().is_empty())
    };
    // The typographic family groups every weight and style under one name; the legacy
    // family (id 1) splits them into at most four per name.
    let family =
        name(ttf_parser::name_id::TYPOGRAPHIC_FAMILY).or_else(|| name(ttf_parser::name_id::FAMILY));
    let has_os2 = face.tables().os2.is_some();
    let axes = face
        .variation_axes()
        .into_iter()
        .map(|axis| {
            let mut read = FontAxis::default();
            read.tag = Some(String::from_utf8_lossy(&axis.tag.to_bytes()).into_owned());
            read.name = name(axis.name_id);
            read.min = Some(f64::from(axis.min_value));
            read.default_value = Some(f64::from(axis.def_value));
            read.max = Some(f64::from(axis.max_value));
            read
        })
        .collect();
    Ok(FontMeta {
        family,
        weight: has_os2.then(|| i64::from(face.weight().to_number())),
        italic: has_os2.then(|| face.is_italic()),
        axes,
    })
}

/// Rebuilds the sfnt a WOFF 1.0 file wraps: its tables, inflated where they were compressed,
/// behind a fresh table directory.
fn woff_to_sfnt(woff: &[u8]) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("not a readable WOFF file: {what}");
    let u16_at = |at: usize| -> Result<u16, String> {
        woff.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("truncated"))
    };
    let u32_at = |at: usize| -> Result<u32, String> {
        woff.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| bad("truncated"))
    };
    if woff.get(..4) != Some(b"wOFF") {
        return Err(bad("no wOFF signature"));
    }
    let flavor = u32_at(4)?;
    let count = usize::from(u16_at(12)?);
    let mut tables = Vec::with_capacity(count);
    for i in 0..count {
        let entry = 44 + i * 20;
        let tag = u32_at(entry)?;
        let offset = u32_at(entry + 4)? as usize;
        let compressed = u32_at(entry + 8)? as usize;
        let original = u32_at(entry + 12)? as usize;
        let checksum = u32_at(entry + 16)?;
        let data = offset
            .checked_add(compressed)
            .and_then(|end| woff.get(offset..end))
            .ok_or_else(|| bad("a table lies outside the file"))?;
        let data = if compressed < original {
            let mut out = Vec::with_capacity(original);
            flate2::read::ZlibDecoder::new(data)
                .take(original as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| bad(&format!("a table does not inflate: {e}")))?;
            if out.len() != original {
                return Err(bad("a table inflates to the wrong length"));
            }
            out
        } else if compressed == original {
            data.to_vec()
        } else {
            return Err(bad("a table is longer than its original"));
        };
        tables.push((tag, checksum, data));
    }
    let header = 12 + 16 * tables.len();
    let mut directory = Vec::with_capacity(header);
    let mut body = Vec::new();
    let pow = if count == 0 { 0 } else { count.ilog2() };
    let search_range = (1u16 << pow) * 16;
    directory.extend_from_slice(&flavor.to_be_bytes());
    directory.extend_from_slice(&(count as u16).to_be_bytes());
    directory.extend_from_slice(&search_range.to_be_bytes());
    directory.extend_from_slice(&(pow as u16).to_be_bytes());
    directory.extend_from_slice(&((count as u16) * 16 - search_range).to_be_bytes());
    for (tag, checksum, data) in &tables {
        let offset = header + body.len();
        directory.extend_from_slice(&tag.to_be_bytes());
        directory.extend_from_slice(&checksum.to_be_bytes());
        directory.extend_from_slice(&(offset as u32).to_be_bytes());
        directory.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    directory.extend_from_slice(&body);
    Ok(directory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_files_say_why() {
        assert!(
            read(FontFormat::Woff2, b"wOF2")
                .unwrap_err()
                .contains("WOFF2")
        );
        assert!(
            read(FontFormat::Truetype, b"not a font")
                .unwrap_err()
                .contains("not a readable font")
        );
        assert!(
            read(FontFormat::Woff, b"wOFFshort")
                .unwrap_err()
                .contains("truncated")
        );
        assert!(
            read(FontFormat::Woff, b"OTTO")
                .unwrap_err()
                .contains("signature")
        );
    }
}
