//! What a font file says about itself: family, weight class, italic flag and variable axes.
//! TTF and OTF are read with `ttf-parser`; a WOFF is unwrapped first (each table zlib
//! compressed, or stored), a WOFF2's tables are decompressed (Brotli) and an EOT's font is
//! taken from behind its header, so every format Webflow takes is read the same way.

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
    /// Whether `axes` is what the file says (false when the file cannot say, as a
    /// compressed EOT's header cannot).
    pub(crate) axes_known: bool,
}

/// Reads the metadata of a font file of this format, or says why it cannot.
pub(crate) fn read(format: FontFormat, bytes: &[u8]) -> Result<FontMeta, String> {
    match format {
        FontFormat::Truetype | FontFormat::Opentype => from_sfnt(bytes),
        FontFormat::Woff => from_sfnt(&woff_to_sfnt(bytes)?),
        FontFormat::Woff2 => {
            let sfnt = crate::woff2::decode(bytes)?.sfnt()?;
            from_sfnt(&sfnt).map_err(|e| format!("not a readable WOFF2 file: {}", inner(&e)))
        }
        FontFormat::EmbeddedOpentype => crate::font_eot::read(bytes),
        FontFormat::Svg => Err("SVG fonts are not accepted".into()),
        other => Err(format!("{other} files are not read by this crate")),
    }
}

/// The reason an sfnt held by another format is not read, said of that format.
pub(crate) fn inner(reason: &str) -> String {
    let detail = reason
        .strip_prefix("not a readable font: ")
        .unwrap_or(reason);
    format!("the font it holds: {detail}")
}

/// The metadata of a TTF or OTF font (an sfnt).
pub(crate) fn from_sfnt(bytes: &[u8]) -> Result<FontMeta, String> {
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
    // Italic when either flag says so: `OS/2` fsSelection (what `is_italic` reads) or the
    // `head` table's macStyle, which older Mac fonts set alone.
    let mac_italic = face
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"head"))
        .and_then(|head| head.get(44..46))
        .is_some_and(|style| style[1] & 0x02 != 0);
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
        italic: Some(face.is_italic() || mac_italic),
        axes,
        axes_known: true,
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
        tables.push(crate::font_sfnt::Table {
            tag: tag.to_be_bytes(),
            data,
        });
    }
    crate::font_sfnt::build(flavor, &tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_files_say_why() {
        assert!(
            read(FontFormat::Woff2, b"wOF2")
                .unwrap_err()
                .contains("not a readable WOFF2 file: truncated")
        );
        assert!(
            read(FontFormat::EmbeddedOpentype, b"EOT?")
                .unwrap_err()
                .contains("not a readable EOT file")
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
