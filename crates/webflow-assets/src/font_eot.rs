//! EOT (Embedded OpenType), the format old Internet Explorer versions load. Its header
//! carries the family name, weight and italic flag; behind it is the font itself, stored
//! as is, XOR-obfuscated, or compressed with Monotype's MicroType Express.

use crate::font_meta::{self, FontMeta};

/// `MagicNumber` of every EOT header.
const MAGIC: u16 = 0x504c;
/// `TTEMBED_TTCOMPRESSED`: the font data is MicroType Express compressed.
const COMPRESSED: u32 = 0x0000_0004;
/// `TTEMBED_XORENCRYPTDATA`: each byte of the font data is XORed with 0x50.
const XOR_ENCRYPTED: u32 = 0x1000_0000;

/// Reads an EOT file's font as a TTF is read, when its data is stored or only
/// XOR-obfuscated; from the header (legacy family name, weight, italic; no axes) when it is
/// MicroType Express compressed.
pub(crate) fn read(eot: &[u8]) -> Result<FontMeta, String> {
    let bad = |what: &str| format!("not a readable EOT file: {what}");
    let u16_at = |at: usize| {
        eot.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("truncated header"))
    };
    let u32_at = |at: usize| {
        eot.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| bad("truncated header"))
    };
    if u16_at(34)? != MAGIC {
        return Err(bad("no EOT magic number"));
    }
    let eot_size = u32_at(0)? as usize;
    let data_size = u32_at(4)? as usize;
    let flags = u32_at(12)?;
    if eot_size > eot.len() {
        return Err(bad("the header gives a size larger than the file"));
    }
    let data = eot_size
        .checked_sub(data_size)
        .and_then(|start| eot.get(start..eot_size))
        .filter(|_| data_size > 0)
        .ok_or_else(|| bad("the font data lies outside the file"))?;
    if flags & COMPRESSED == 0 {
        let mut font = data.to_vec();
        if flags & XOR_ENCRYPTED != 0 {
            font.iter_mut().for_each(|b| *b ^= 0x50);
        }
        return font_meta::from_sfnt(&font).map_err(|e| bad(&font_meta::inner(&e)));
    }
    // MicroType Express is not decompressed: the header says what is needed.
    let family_size = usize::from(u16_at(82)?);
    if family_size % 2 != 0 {
        return Err(bad("a family name of an odd byte count"));
    }
    let family = eot
        .get(84..84 + family_size)
        .ok_or_else(|| bad("truncated family name"))?;
    // The spec stores names little-endian, like the rest of the header; some tools
    // (eot-utils' mkeot) copy them big-endian, as the font's name table has them. Latin
    // names tell which by where their zero bytes fall.
    let zeros_at = |parity: usize| {
        family
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let big_endian = zeros_at(0) > zeros_at(1);
    let units: Vec<u16> = family
        .chunks_exact(2)
        .map(|b| match big_endian {
            true => u16::from_be_bytes([b[0], b[1]]),
            false => u16::from_le_bytes([b[0], b[1]]),
        })
        .collect();
    let family = String::from_utf16(&units).map_err(|_| bad("a family name that is not UTF-16"))?;
    let weight = u32_at(28)?;
    Ok(FontMeta {
        family: Some(family).filter(|f| !f.trim().is_empty()),
        weight: Some(i64::from(weight)).filter(|w| *w > 0),
        italic: Some(eot[27] == 1),
        axes: Vec::new(),
        axes_known: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let expected = font_meta::from_sfnt(&ttf).unwrap();
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
