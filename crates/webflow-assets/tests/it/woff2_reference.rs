//! WOFF2 files made by [`webflow_assets::woff2::compress`] decode, with Google's reference
//! `woff2_decompress` (Debian package `woff2`), back to fonts whose tables are the source's:
//! every table byte for byte, except the ones WOFF2 rebuilds (`glyf` and `loca`, compared
//! glyph by glyph, and `head`'s checksum adjustment and flags).
//!
//! CI installs the tool and must run this test (`CI=true` makes its absence a failure);
//! elsewhere it is skipped, saying so, when the tool is not installed.

#![cfg(feature = "fonts")]

use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The tables of an sfnt by tag.
fn tables(sfnt: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let be32 = |at: usize| u32::from_be_bytes(sfnt[at..at + 4].try_into().unwrap()) as usize;
    let count = usize::from(u16::from_be_bytes([sfnt[4], sfnt[5]]));
    let mut out: Vec<([u8; 4], Vec<u8>)> = (0..count)
        .map(|i| {
            let entry = 12 + 16 * i;
            let tag = sfnt[entry..entry + 4].try_into().unwrap();
            let (offset, length) = (be32(entry + 8), be32(entry + 12));
            (tag, sfnt[offset..offset + length].to_vec())
        })
        .collect();
    out.sort();
    out
}

/// Every glyph's outline and bounding box, as a renderer would read them.
fn outlines(font: &[u8]) -> Vec<String> {
    struct Path(String);
    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("M{x} {y}");
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0 += &format!("L{x} {y}");
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0 += &format!("Q{x1} {y1} {x} {y}");
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0 += &format!("C{x1} {y1} {x2} {y2} {x} {y}");
        }
        fn close(&mut self) {
            self.0 += "Z";
        }
    }
    let face = ttf_parser::Face::parse(font, 0).unwrap();
    (0..face.number_of_glyphs())
        .map(|id| {
            let mut path = Path(String::new());
            let bbox = face.outline_glyph(ttf_parser::GlyphId(id), &mut path);
            format!("{bbox:?} {}", path.0)
        })
        .collect()
}

fn reference_decoder() -> bool {
    let found = Command::new("woff2_decompress")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "woff2_decompress is missing: CI installs it (`apt-get install woff2`)"
        );
        eprintln!("skipped: woff2_decompress is not installed (Debian package woff2)");
    }
    found
}

#[test]
fn compressed_fonts_decode_back_to_their_source_with_the_reference_decoder() {
    if !reference_decoder() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "DejaVuSans-Latin.ttf",
        "DejaVuSans-BoldOblique-Latin.ttf",
        "Inter-Italic-Variable-Latin.ttf",
        "Cantarell-Thin.otf",
    ] {
        let source = fixture(name);
        let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
        let woff2 = dir.path().join(format!("{stem}.woff2"));
        std::fs::write(&woff2, webflow_assets::woff2::compress(&source).unwrap()).unwrap();
        let status = Command::new("woff2_decompress")
            .arg(&woff2)
            .output()
            .unwrap();
        assert!(status.status.success(), "{name}: {status:?}");
        let decoded = std::fs::read(dir.path().join(format!("{stem}.ttf"))).unwrap();

        let (theirs, ours) = (tables(&decoded), tables(&source));
        let tags = |t: &[([u8; 4], Vec<u8>)]| t.iter().map(|(tag, _)| *tag).collect::<Vec<_>>();
        assert_eq!(tags(&theirs), tags(&ours), "{name}: the same tables");
        for ((tag, got), (_, want)) in theirs.iter().zip(&ours) {
            match tag {
                b"glyf" | b"loca" => {}
                b"head" => {
                    // checkSumAdjustment (8..12) is recomputed and bit 11 of flags (16..18)
                    // marks a font that went through a lossless transform.
                    assert_eq!(got[..8], want[..8], "{name} head");
                    assert_eq!(got[12..16], want[12..16], "{name} head");
                    let flags = |t: &[u8]| u16::from_be_bytes([t[16], t[17]]) & !0x0800;
                    assert_eq!(flags(got), flags(want), "{name} head flags");
                    assert_eq!(got[18..], want[18..], "{name} head");
                }
                _ => assert!(
                    got == want,
                    "{name}: table {} differs",
                    String::from_utf8_lossy(tag)
                ),
            }
        }
        assert_eq!(outlines(&decoded), outlines(&source), "{name}: every glyph");
    }
}
