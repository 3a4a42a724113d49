//! WOFF2, the format websites ship fonts in: compressing a TTF or OTF file to it before
//! upload, and reading back the tables a font's metadata lives in.
//!
//! Reading follows the W3C WOFF2 recommendation: the table directory, then one Brotli stream
//! holding every table. `name`, `OS/2`, `head` and `fvar` are never transformed, so they are
//! read as stored; the transformed `glyf`, `loca` and `hmtx` are left out, since rebuilding
//! glyphs is not needed to know a font's family, weight, style and axes.
//!
//! ```
//! # fn main() -> Result<(), webflow_assets::FontRule> {
//! # let ttf = webflow_fake::SampleFont::new("Sample", 400, false).ttf();
//! let woff2 = webflow_assets::woff2::compress(&ttf)?;
//! assert_eq!(&woff2[..4], b"wOF2");
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeSet;
use std::io::Read;

use crate::font_rules::FontRule;
use crate::fonts::sfnt::{self, Table, TableRef};

/// The tags of the WOFF2 "known tables" list, by their 6-bit index in a directory entry.
const KNOWN_TAGS: [&[u8; 4]; 63] = [
    b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"cvt ", b"fpgm",
    b"glyf", b"loca", b"prep", b"CFF ", b"VORG", b"EBDT", b"EBLC", b"gasp", b"hdmx", b"kern",
    b"LTSH", b"PCLT", b"VDMX", b"vhea", b"vmtx", b"BASE", b"GDEF", b"GPOS", b"GSUB", b"EBSC",
    b"JSTF", b"MATH", b"CBDT", b"CBLC", b"COLR", b"CPAL", b"SVG ", b"sbix", b"acnt", b"avar",
    b"bdat", b"bloc", b"bsln", b"cvar", b"fdsc", b"feat", b"fmtx", b"fvar", b"gvar", b"hsty",
    b"just", b"lcar", b"mort", b"morx", b"opbd", b"prop", b"trak", b"Zapf", b"Silf", b"Glat",
    b"Gloc", b"Feat", b"Sill",
];

/// The most a WOFF2 file may decompress to here: far above any font Webflow takes (10 MB),
/// low enough that a forged size cannot exhaust memory. WOFF files are held to it too.
pub(crate) const MAX_DECOMPRESSED: u64 = 128 * 1024 * 1024;

/// The Brotli quality of [`compress`]: the highest, as Google's `woff2_compress` uses.
const QUALITY: u8 = 11;

/// The largest `glyf` table whose glyph transform is applied to a font with short (16-bit)
/// `loca` offsets. Decoders rebuild glyphs with their own padding and encoding, so the
/// rebuilt table may be longer than the original; half the short-offset range
/// (2 * 0xFFFF bytes) leaves room for that, where a larger table could overflow and be
/// refused by browsers. Fonts with long offsets are always transformed.
const MAX_SHORT_LOCA_GLYF: usize = 0xFFFF;

/// A WOFF2 file's font, its tables decompressed.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// The sfnt version of the font it wraps (`0x00010000` TrueType, `OTTO` CFF).
    pub(crate) flavor: u32,
    /// Every table stored as the font had it, in directory order.
    pub(crate) tables: Vec<Table>,
    /// Tags of the tables stored transformed (`glyf`, `loca`, `hmtx`), left out of `tables`.
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "what the tests check was left out")
    )]
    pub(crate) transformed: Vec<[u8; 4]>,
}

impl Decoded {
    /// An sfnt of the tables as stored: the whole font when none was transformed.
    pub(crate) fn sfnt(&self) -> Result<Vec<u8>, String> {
        sfnt::build(self.flavor, &self.tables)
    }
}

/// Compresses a TrueType or OpenType (CFF) font to WOFF2 with Brotli quality 11, the output
/// of the same input always the same bytes. The `glyf`/`loca` transform, which makes
/// TrueType fonts markedly smaller, is applied when the rebuilt glyphs are sure to fit the
/// font's `loca` offsets; otherwise the tables are stored as they are.
///
/// Fails with [`FontRule::Compress`] for a file that is not a TTF or OTF font (a WOFF, a
/// collection, a truncated file), or whose table directory names overlapping tables.
///
/// A panic inside the encoder on a malformed font is caught and returned as
/// [`FontRule::Compress`], so one bad file does not end a caller's run. The process's panic
/// hook still runs first: the default one prints "thread … panicked at …" to standard error.
/// An application that routes its output (a TUI, a JSON stream on stderr) installs its own
/// with [`std::panic::set_hook`], as the `webflow-assets` command does; this crate never
/// replaces a hook, which belongs to the application.
pub fn compress(font: &[u8]) -> Result<Vec<u8>, FontRule> {
    // Read first, without copying: the encoder concatenates every table it is given, so a
    // directory of overlapping tables would cost it up to 65,535 times the file's size.
    let (_, tables) = sfnt::tables(font).map_err(|reason| FontRule::Compress { reason })?;
    let options = ttf2woff2::EncodeOptions {
        quality: ttf2woff2::BrotliQuality::from(QUALITY),
        transform_glyf_loca: transform_is_safe(&tables),
        ..ttf2woff2::EncodeOptions::default()
    };
    // The encoder checks its input, but a panic on a malformed font would end the caller's
    // whole run: it is caught and reported as this file's error.
    let encoded = std::panic::catch_unwind(|| ttf2woff2::encode_with_options(font, options));
    match encoded {
        Ok(Ok(woff2)) => Ok(woff2),
        Ok(Err(e)) => Err(FontRule::Compress {
            reason: e.to_string(),
        }),
        Err(_) => Err(FontRule::Compress {
            reason: "the WOFF2 encoder failed on this file".into(),
        }),
    }
}

/// Whether the `glyf` transform keeps the font loadable: long `loca` offsets, or a `glyf`
/// table small enough for short ones to hold the rebuilt glyphs.
fn transform_is_safe(tables: &[TableRef<'_>]) -> bool {
    let table = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag);
    let long_offsets = table(b"head")
        .and_then(|head| head.data.get(50..52))
        .is_some_and(|format| format == [0, 1]);
    long_offsets || table(b"glyf").is_some_and(|glyf| glyf.data.len() <= MAX_SHORT_LOCA_GLYF)
}

/// Reads a WOFF2 file's directory and decompresses its tables, or says why it cannot.
pub(crate) fn decode(woff2: &[u8]) -> Result<Decoded, String> {
    let bad = |what: &str| format!("not a readable WOFF2 file: {what}");
    let mut reader = Reader {
        bytes: woff2,
        at: 0,
    };
    if reader.take(4).map_err(|e| bad(&e))? != b"wOF2" {
        return Err(bad("no wOF2 signature"));
    }
    let flavor = reader.u32().map_err(|e| bad(&e))?;
    if flavor == u32::from_be_bytes(*b"ttcf") {
        return Err(bad("a font collection, which Webflow does not take"));
    }
    let _length = reader.u32().map_err(|e| bad(&e))?;
    let count = reader.u16().map_err(|e| bad(&e))?;
    let _reserved = reader.u16().map_err(|e| bad(&e))?;
    let _total_sfnt_size = reader.u32().map_err(|e| bad(&e))?;
    let compressed_size = reader.u32().map_err(|e| bad(&e))? as usize;
    // Version, then the metadata and private blocks, which come after the font data.
    reader.take(4 + 4 * 5).map_err(|e| bad(&e))?;
    if count == 0 {
        return Err(bad("no tables"));
    }
    let mut entries = Vec::with_capacity(usize::from(count));
    let mut total: u64 = 0;
    for _ in 0..count {
        let flags = reader.u8().map_err(|e| bad(&e))?;
        let tag = match usize::from(flags & 0x3f) {
            63 => reader.u32().map_err(|e| bad(&e))?.to_be_bytes(),
            known => *KNOWN_TAGS[known],
        };
        let version = flags >> 6;
        let original = reader.base128().map_err(|e| bad(&e))?;
        // glyf and loca are transformed unless version 3 (the null transform) says not;
        // every other table is stored as is unless its version is non-zero.
        let transformed = match &tag {
            b"glyf" | b"loca" => version != 3,
            _ => version != 0,
        };
        let stored = match transformed {
            true => reader.base128().map_err(|e| bad(&e))?,
            false => original,
        };
        total += u64::from(stored);
        entries.push((tag, transformed, stored as usize));
    }
    if total > MAX_DECOMPRESSED {
        return Err(bad("its tables add up to more than 128 MiB"));
    }
    let stream = reader
        .take(compressed_size)
        .map_err(|_| bad("the compressed tables are cut short"))?;
    // Grown as the stream proves its length: a forged header does not reserve memory.
    let mut data = Vec::with_capacity((total as usize).min(1 << 20));
    brotli_decompressor::Decompressor::new(stream, 4096)
        .take(total + 1)
        .read_to_end(&mut data)
        .map_err(|e| bad(&format!("the tables do not decompress: {e}")))?;
    if data.len() as u64 != total {
        return Err(bad("the tables decompress to the wrong length"));
    }
    let mut tables = Vec::new();
    let mut transformed_tags = Vec::new();
    // A set, not a scan of the tables so far: a directory may list 65,535 of them.
    let mut seen = BTreeSet::new();
    let mut at = 0;
    for (tag, transformed, stored) in entries {
        let bytes = &data[at..at + stored];
        at += stored;
        if !seen.insert(tag) {
            return Err(bad("a table is listed twice"));
        }
        match transformed {
            true => transformed_tags.push(tag),
            false => tables.push(Table {
                tag,
                data: bytes.to_vec(),
            }),
        }
    }
    Ok(Decoded {
        flavor,
        tables,
        transformed: transformed_tags,
    })
}

/// Reads big-endian values and WOFF2's variable-length integers off a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| "truncated".to_string())?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// `UIntBase128`: at most five bytes, seven bits each, no leading zero byte, no overflow.
    fn base128(&mut self) -> Result<u32, String> {
        let mut value: u32 = 0;
        for i in 0..5 {
            let byte = self.u8()?;
            if i == 0 && byte == 0x80 {
                return Err("a number with a leading zero".into());
            }
            if value & 0xfe00_0000 != 0 {
                return Err("a number over 32 bits".into());
            }
            value = (value << 7) | u32::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number longer than five bytes".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn base128_follows_the_spec() {
        let read = |bytes: &[u8]| Reader { bytes, at: 0 }.base128();
        assert_eq!(read(&[0x3f]), Ok(63));
        assert_eq!(read(&[0x81, 0x00]), Ok(128));
        assert_eq!(read(&[0x8f, 0xff, 0xff, 0xff, 0x7f]), Ok(u32::MAX));
        assert!(read(&[0x80, 0x01]).is_err(), "leading zero");
        assert!(
            read(&[0x90, 0x80, 0x80, 0x80, 0x00]).is_err(),
            "over 32 bits"
        );
        assert!(
            read(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err(),
            "six bytes"
        );
        assert!(read(&[0x81]).is_err(), "truncated");
    }

    /// Tables the encoder stores untransformed come back byte for byte; the transformed
    /// ones are exactly `glyf`, `loca` (and `hmtx`, which this encoder never transforms).
    #[test]
    fn compressed_fonts_decode_back_to_the_source_tables() {
        for name in [
            "DejaVuSans-Latin.ttf",
            "DejaVuSans-BoldOblique-Latin.ttf",
            "Inter-Italic-Variable-Latin.ttf",
            "Cantarell-Thin.otf",
        ] {
            let source = fixture(name);
            let woff2 = compress(&source).unwrap();
            assert!(woff2.len() < source.len(), "{name} is smaller as WOFF2");
            assert_eq!(
                compress(&source).unwrap(),
                woff2,
                "{name}: the same bytes each time"
            );
            let decoded = decode(&woff2).unwrap();
            let (flavor, original) = sfnt::tables(&source).unwrap();
            assert_eq!(decoded.flavor, flavor, "{name}");
            for table in &original {
                match decoded.tables.iter().find(|t| t.tag == table.tag) {
                    Some(stored) if table.tag == *b"head" => {
                        // Encoders may recompute checkSumAdjustment and set the "lossless
                        // modifying transform" flag (bit 11), as the spec allows.
                        assert_eq!(stored.data[..8], table.data[..8], "{name} head");
                        assert_eq!(stored.data[12..16], table.data[12..16], "{name} head");
                        assert_eq!(stored.data[18..], table.data[18..], "{name} head");
                    }
                    Some(stored) => assert_eq!(stored.data, table.data, "{name}"),
                    None => assert!(
                        [*b"glyf", *b"loca"].contains(&table.tag)
                            && decoded.transformed.contains(&table.tag),
                        "{name}: {:?} is missing",
                        String::from_utf8_lossy(&table.tag)
                    ),
                }
            }
            assert_eq!(
                decoded.tables.len() + decoded.transformed.len(),
                original.len()
            );
            if name.ends_with(".otf") {
                assert!(
                    decoded.transformed.is_empty(),
                    "CFF fonts have nothing to transform"
                );
                let ttf = decoded.sfnt().unwrap();
                assert!(ttf_parser::Face::parse(&ttf, 0).is_ok());
            } else {
                assert_eq!(decoded.transformed, [*b"glyf", *b"loca"], "{name}");
            }
        }
    }

    /// Family, weight, italic and axes read from a WOFF2 file are those read from the font
    /// it was made from, whether this crate's encoder or Google's reference one made it.
    #[test]
    fn every_woff2_reads_as_its_source() {
        use crate::fonts::meta::read;
        use webflow_assets_raw::types::FontFormat::{Opentype, Truetype, Woff2};
        let cases = [
            (
                "DejaVuSans-Latin.ttf",
                Truetype,
                "DejaVu Sans",
                400,
                false,
                0,
            ),
            (
                "DejaVuSans-BoldOblique-Latin.ttf",
                Truetype,
                "DejaVu Sans",
                700,
                true,
                0,
            ),
            (
                "Inter-Italic-Variable-Latin.ttf",
                Truetype,
                "Inter",
                400,
                true,
                1,
            ),
            ("Cantarell-Thin.otf", Opentype, "Cantarell", 100, false, 0),
        ];
        for (name, format, family, weight, italic, axes) in cases {
            let source = read(format, &fixture(name)).unwrap();
            assert_eq!(source.family.as_deref(), Some(family), "{name}");
            assert_eq!(source.weight, Some(weight), "{name}");
            assert_eq!(source.italic, Some(italic), "{name}");
            assert_eq!(source.axes.len(), axes, "{name}");
            let ours = compress(&fixture(name)).unwrap();
            assert_eq!(
                read(Woff2, &ours).unwrap(),
                source,
                "{name}, this crate's WOFF2"
            );
        }
        for (woff2, ttf) in [
            ("DejaVuSans-Latin.woff2", "DejaVuSans-Latin.ttf"),
            (
                "Inter-Italic-Variable-Latin.woff2",
                "Inter-Italic-Variable-Latin.ttf",
            ),
        ] {
            let source = read(Truetype, &fixture(ttf)).unwrap();
            assert_eq!(read(Woff2, &fixture(woff2)).unwrap(), source, "{woff2}");
        }
        let inter = read(Woff2, &fixture("Inter-Italic-Variable-Latin.woff2")).unwrap();
        let wght = &inter.axes[0];
        assert_eq!(wght.tag.as_deref(), Some("wght"));
        assert!(wght.min < wght.default_value && wght.default_value <= wght.max);
    }

    /// A WOFF2 file of `tags.len()` empty tables stored as they are (Brotli's empty stream).
    fn woff2_of_empty_tables(tags: &[u32]) -> Vec<u8> {
        let mut file = b"wOF2".to_vec();
        file.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        file.extend_from_slice(&0u32.to_be_bytes()); // length, unread
        file.extend_from_slice(&(tags.len() as u16).to_be_bytes());
        file.extend_from_slice(&[0; 2 + 4]); // reserved, totalSfntSize
        file.extend_from_slice(&1u32.to_be_bytes()); // totalCompressedSize
        file.extend_from_slice(&[0; 4 + 4 * 5]);
        for tag in tags {
            file.push(63); // an arbitrary tag follows; version 0, stored as is
            file.extend_from_slice(&tag.to_be_bytes());
            file.push(0); // origLength 0
        }
        file.push(0x06); // a Brotli stream of nothing
        file
    }

    /// The most tables a directory holds, each named once, read in one pass; one named twice
    /// is refused wherever it comes.
    #[test]
    fn a_table_listed_twice_is_refused_among_65535() {
        let mut tags: Vec<u32> = (0..u32::from(u16::MAX)).collect();
        let distinct = decode(&woff2_of_empty_tables(&tags)).unwrap();
        assert_eq!(distinct.tables.len(), usize::from(u16::MAX));
        *tags.last_mut().unwrap() = 7;
        assert_eq!(
            decode(&woff2_of_empty_tables(&tags)).unwrap_err(),
            "not a readable WOFF2 file: a table is listed twice"
        );
    }

    /// A font whose 65,535 directory entries each name the whole file is refused with the
    /// crate's error before the encoder, which would concatenate them, is called.
    #[test]
    fn overlapping_tables_are_refused_before_compressing() {
        let mut font = fixture("DejaVuSans-Latin.ttf");
        let len = font.len() as u32;
        let count = usize::from(u16::MAX);
        let mut directory = Vec::with_capacity(12 + 16 * count);
        directory.extend_from_slice(&font[..4]);
        directory.extend_from_slice(&u16::MAX.to_be_bytes());
        directory.extend_from_slice(&[0; 6]);
        let total = (12 + 16 * count) as u32 + len;
        for i in 0..count as u32 {
            directory.extend_from_slice(&i.to_be_bytes());
            directory.extend_from_slice(&[0; 4]);
            directory.extend_from_slice(&0u32.to_be_bytes());
            directory.extend_from_slice(&total.to_be_bytes());
        }
        directory.append(&mut font);
        match compress(&directory) {
            Err(FontRule::Compress { reason }) => assert_eq!(
                reason,
                "its tables overlap: their lengths add up to more than the file"
            ),
            other => panic!("{:?}", other.map(|w| w.len())),
        }
    }

    #[test]
    fn what_is_not_a_ttf_or_otf_font_is_refused() {
        for bad in [&b""[..], b"wOFF0000", b"OTTO", &[0, 1, 0, 0, 0, 9, 0, 0]] {
            assert!(
                matches!(compress(bad), Err(FontRule::Compress { .. })),
                "{bad:?}"
            );
        }
    }
}
