//! What a font file says about itself: family, weight class, italic flag and variable axes.
//! TTF and OTF are read with `ttf-parser`; a WOFF is unwrapped first (each table zlib
//! compressed, or stored), a WOFF2's tables are decompressed (Brotli) and an EOT's font is
//! taken from behind its header, so every format Webflow takes is read the same way.

use std::io::Read;

use webflow_assets_raw::types::{FontAxis, FontFormat};

use crate::fonts::woff2::MAX_DECOMPRESSED;

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
            let sfnt = crate::fonts::woff2::decode(bytes)?.sfnt()?;
            from_sfnt(&sfnt).map_err(|e| format!("not a readable WOFF2 file: {}", inner(&e)))
        }
        FontFormat::EmbeddedOpentype => from_eot(bytes),
        FontFormat::Svg => Err("SVG fonts are not accepted".into()),
        other => Err(format!("{other} files are not read by this crate")),
    }
}

/// An EOT file's metadata: its font's, read as a TTF is, or its header's when the font is
/// MicroType Express compressed.
fn from_eot(bytes: &[u8]) -> Result<FontMeta, String> {
    match crate::fonts::eot::read(bytes)? {
        crate::fonts::eot::Eot::Sfnt(font) => {
            from_sfnt(&font).map_err(|e| format!("not a readable EOT file: {}", inner(&e)))
        }
        crate::fonts::eot::Eot::Header {
            family,
            weight,
            italic,
        } => Ok(FontMeta {
            family,
            weight,
            italic: Some(italic),
            axes: Vec::new(),
            axes_known: false,
        }),
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
/// behind a fresh table directory. The directory's sizes are checked before anything is
/// allocated: tables that overlap in the file (stored lengths adding up to more than it) and
/// original sizes adding up to more than [`MAX_DECOMPRESSED`] are refused, so a forged
/// header costs at most that much memory, never 65,535 copies of the file or 4 GiB a table.
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
    let mut entries = Vec::with_capacity(count.min(woff.len() / 20));
    let (mut stored_total, mut original_total) = (0u64, 0u64);
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
        if compressed > original {
            return Err(bad("a table is longer than its original"));
        }
        stored_total += compressed as u64;
        original_total += original as u64;
        if stored_total > woff.len() as u64 {
            return Err(bad(
                "its tables overlap: their lengths add up to more than the file",
            ));
        }
        if original_total > MAX_DECOMPRESSED {
            return Err(bad("its tables add up to more than 128 MiB"));
        }
        entries.push((tag, data, original));
    }
    let mut tables = Vec::with_capacity(entries.len());
    for (tag, data, original) in entries {
        let data = if data.len() < original {
            // Grown as the stream proves its length, within the total checked above.
            let mut out = Vec::with_capacity(original.min(1 << 20));
            flate2::read::ZlibDecoder::new(data)
                .take(original as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| bad(&format!("a table does not inflate: {e}")))?;
            if out.len() != original {
                return Err(bad("a table inflates to the wrong length"));
            }
            out
        } else {
            data.to_vec()
        };
        tables.push(crate::fonts::sfnt::Table {
            tag: tag.to_be_bytes(),
            data,
        });
    }
    crate::fonts::sfnt::build(flavor, &tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WOFF file of one header and `entries` directory entries `(offset, compLength,
    /// origLength)`, then `body`.
    fn woff(entries: &[(u32, u32, u32)], body: &[u8]) -> Vec<u8> {
        let mut file = b"wOFF".to_vec();
        file.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        file.extend_from_slice(&[0; 4]);
        file.extend_from_slice(&(entries.len() as u16).to_be_bytes());
        file.resize(44, 0);
        for (i, (offset, compressed, original)) in entries.iter().enumerate() {
            file.extend_from_slice(&(i as u32).to_be_bytes());
            file.extend_from_slice(&offset.to_be_bytes());
            file.extend_from_slice(&compressed.to_be_bytes());
            file.extend_from_slice(&original.to_be_bytes());
            file.extend_from_slice(&[0; 4]);
        }
        file.extend_from_slice(body);
        file
    }

    /// 65,535 entries each naming the whole file as stored: refused, not copied 65,535 times.
    #[test]
    fn a_woff_of_overlapping_tables_is_refused() {
        let count = u16::MAX as u32;
        let len = 44 + 20 * count + 1024;
        let file = woff(&vec![(0, len, len); count as usize], &[0; 1024]);
        assert_eq!(file.len(), len as usize);
        assert_eq!(
            read(FontFormat::Woff, &file).unwrap_err(),
            "not a readable WOFF file: its tables overlap: their lengths add up to more than \
             the file"
        );
    }

    /// Tables that say they inflate to 4 GiB each are refused from the directory alone,
    /// before any memory is reserved for them.
    #[test]
    fn a_woff_of_forged_original_sizes_is_refused() {
        let zlib = {
            use std::io::Write;
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&[0; 64]).unwrap();
            encoder.finish().unwrap()
        };
        let one = woff(&[(44 + 20, zlib.len() as u32, u32::MAX)], &zlib);
        assert_eq!(
            read(FontFormat::Woff, &one).unwrap_err(),
            "not a readable WOFF file: its tables add up to more than 128 MiB"
        );
        // Within the limit, a stream shorter than it claims is refused once inflated.
        let short = woff(&[(44 + 20, zlib.len() as u32, 100 << 20)], &zlib);
        assert_eq!(
            read(FontFormat::Woff, &short).unwrap_err(),
            "not a readable WOFF file: a table inflates to the wrong length"
        );
    }

    proptest::proptest! {
        /// Whatever its directory says, a WOFF is read or refused with a reason.
        #[test]
        fn any_woff_directory_is_read_or_refused(
            entries in proptest::collection::vec(
                (0u32..2048, 0u32..2048, proptest::num::u32::ANY), 0..40
            ),
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..1024),
        ) {
            let file = woff(&entries, &body);
            if let Err(reason) = read(FontFormat::Woff, &file) {
                proptest::prop_assert!(reason.starts_with("not a readable"), "{}", reason);
            }
        }
    }

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

#[cfg(test)]
mod eot_tests {
    use super::from_sfnt;
    use crate::fonts::eot::{COMPRESSED, XOR_ENCRYPTED};

    fn read(eot: &[u8]) -> Result<super::FontMeta, String> {
        super::from_eot(eot)
    }

    fn fixture() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fonts/DejaVuSans-Latin.eot"
        );
        std::fs::read(path).unwrap()
    }

    fn flags(eot: &mut [u8], flags: u32) {
        eot[12..16].copy_from_slice(&flags.to_le_bytes());
    }

    #[test]
    fn a_stored_or_obfuscated_font_is_read_as_its_ttf() {
        let eot = fixture();
        let ttf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fonts/DejaVuSans-Latin.ttf"
        ))
        .unwrap();
        let expected = from_sfnt(&ttf).unwrap();
        assert_eq!(read(&eot).unwrap(), expected);

        let mut xored = eot.clone();
        let data_size = u32::from_le_bytes(xored[4..8].try_into().unwrap()) as usize;
        let start = xored.len() - data_size;
        xored[start..].iter_mut().for_each(|b| *b ^= 0x50);
        flags(&mut xored, XOR_ENCRYPTED);
        assert_eq!(read(&xored).unwrap(), expected);
    }

    #[test]
    fn a_compressed_font_is_read_from_its_header() {
        let mut eot = fixture();
        flags(&mut eot, COMPRESSED);
        let meta = read(&eot).unwrap();
        assert_eq!(meta.family.as_deref(), Some("DejaVu Sans"));
        assert_eq!((meta.weight, meta.italic), (Some(400), Some(false)));
        assert!(meta.axes.is_empty() && !meta.axes_known);

        // The same name stored little-endian, as the spec has it.
        let size = usize::from(u16::from_le_bytes([eot[82], eot[83]]));
        for unit in eot[84..84 + size].chunks_exact_mut(2) {
            unit.swap(0, 1);
        }
        assert_eq!(read(&eot).unwrap().family.as_deref(), Some("DejaVu Sans"));
    }

    #[test]
    fn a_broken_header_says_why() {
        let eot = fixture();
        assert!(read(&eot[..30]).unwrap_err().contains("truncated"));
        assert!(read(&[0u8; 100]).unwrap_err().contains("magic"));
        let mut short = eot.clone();
        short.truncate(eot.len() - 10);
        assert!(read(&short).unwrap_err().contains("larger than the file"));
    }
}
