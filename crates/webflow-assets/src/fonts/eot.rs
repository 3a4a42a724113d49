//! EOT (Embedded OpenType), the format old Internet Explorer versions load. Its header
//! carries the family name, weight and italic flag; behind it is the font itself, stored
//! as is, XOR-obfuscated, or compressed with Monotype's MicroType Express.

/// What an EOT file holds: the font itself, or (MicroType Express compressed) only what
/// its header says. Turned into metadata by `font_meta`, which reads every format.
#[derive(Debug)]
pub(crate) enum Eot {
    /// The font, stored or de-obfuscated: read it as an sfnt.
    Sfnt(Vec<u8>),
    /// The header's legacy family name, weight and italic flag; no axes.
    Header {
        family: Option<String>,
        weight: Option<i64>,
        italic: bool,
    },
}

/// `MagicNumber` of every EOT header.
const MAGIC: u16 = 0x504c;
/// `TTEMBED_TTCOMPRESSED`: the font data is MicroType Express compressed.
pub(crate) const COMPRESSED: u32 = 0x0000_0004;
/// `TTEMBED_XORENCRYPTDATA`: each byte of the font data is XORed with 0x50.
pub(crate) const XOR_ENCRYPTED: u32 = 0x1000_0000;

/// Reads an EOT file's font as a TTF is read, when its data is stored or only
/// XOR-obfuscated; from the header (legacy family name, weight, italic; no axes) when it is
/// MicroType Express compressed.
pub(crate) fn read(eot: &[u8]) -> Result<Eot, String> {
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
        return Ok(Eot::Sfnt(font));
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
    Ok(Eot::Header {
        family: Some(family).filter(|f| !f.trim().is_empty()),
        weight: Some(i64::from(weight)).filter(|w| *w > 0),
        italic: eot[27] == 1,
    })
}
