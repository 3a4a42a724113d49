//! Tiny valid font files for tests: the few tables a font parser needs (`head`, `hhea`,
//! `maxp`, `OS/2`, `name`) and, for a variable font, `fvar`; and the same font wrapped as
//! WOFF 1.0 with each table zlib compressed. No glyph outlines: nothing here renders.

use std::io::Write;

/// What the sample font says about itself.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SampleFont {
    /// The family name (name ids 1 and 16).
    pub family: String,
    /// The OS/2 weight class.
    pub weight: u16,
    /// The OS/2 italic bit.
    pub italic: bool,
    /// Variable axes: `(tag, min, default, max)`; empty for a static font.
    pub axes: Vec<(String, f32, f32, f32)>,
}

impl SampleFont {
    /// A static font.
    pub fn new(family: &str, weight: u16, italic: bool) -> Self {
        Self {
            family: family.into(),
            weight,
            italic,
            axes: Vec::new(),
        }
    }

    /// Adds a variable axis.
    pub fn axis(mut self, tag: &str, min: f32, default: f32, max: f32) -> Self {
        self.axes.push((tag.into(), min, default, max));
        self
    }

    /// The font as a TrueType (sfnt) file.
    pub fn ttf(&self) -> Vec<u8> {
        let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
            (*b"OS/2", self.os2()),
            (*b"head", head()),
            (*b"hhea", hhea()),
            (*b"maxp", [0x00, 0x00, 0x50, 0x00, 0x00, 0x01].to_vec()),
            (*b"name", self.name()),
        ];
        if !self.axes.is_empty() {
            tables.push((*b"fvar", self.fvar()));
        }
        tables.sort_by_key(|(tag, _)| *tag);
        sfnt(&tables)
    }

    /// The font as a WOFF 1.0 file, every table zlib compressed.
    pub fn woff(&self) -> Vec<u8> {
        let tables = tables_of(&self.ttf());
        let mut directory = Vec::new();
        let mut data = Vec::new();
        let header_len = 44 + 20 * tables.len();
        for (tag, table) in &tables {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(table).expect("writing to memory");
            let compressed = encoder.finish().expect("writing to memory");
            let stored = if compressed.len() < table.len() {
                compressed
            } else {
                table.clone()
            };
            directory.extend_from_slice(tag);
            directory.extend_from_slice(&((header_len + data.len()) as u32).to_be_bytes());
            directory.extend_from_slice(&(stored.len() as u32).to_be_bytes());
            directory.extend_from_slice(&(table.len() as u32).to_be_bytes());
            directory.extend_from_slice(&0u32.to_be_bytes());
            data.extend_from_slice(&stored);
            data.resize(data.len().next_multiple_of(4), 0);
        }
        let total = header_len + data.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"wOFF");
        out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(tables.len() as u16).to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&(self.ttf().len() as u32).to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&[0; 20]);
        out.extend_from_slice(&directory);
        out.extend_from_slice(&data);
        out
    }

    fn os2(&self) -> Vec<u8> {
        let mut t = vec![0u8; 78];
        t[4..6].copy_from_slice(&self.weight.to_be_bytes());
        t[6..8].copy_from_slice(&5u16.to_be_bytes());
        let selection: u16 = if self.italic { 0x0001 } else { 0x0040 };
        t[62..64].copy_from_slice(&selection.to_be_bytes());
        t
    }

    fn name(&self) -> Vec<u8> {
        let mut names = vec![(1u16, self.family.clone()), (16, self.family.clone())];
        for (i, (tag, ..)) in self.axes.iter().enumerate() {
            names.push((256 + i as u16, format!("Axis {tag}")));
        }
        let encoded: Vec<(u16, Vec<u8>)> = names
            .into_iter()
            .map(|(id, text)| (id, text.encode_utf16().flat_map(u16::to_be_bytes).collect()))
            .collect();
        let mut t = Vec::new();
        t.extend_from_slice(&0u16.to_be_bytes());
        t.extend_from_slice(&(encoded.len() as u16).to_be_bytes());
        t.extend_from_slice(&(6 + 12 * encoded.len() as u16).to_be_bytes());
        let mut offset = 0u16;
        for (id, bytes) in &encoded {
            for value in [3u16, 1, 0x0409, *id, bytes.len() as u16, offset] {
                t.extend_from_slice(&value.to_be_bytes());
            }
            offset += bytes.len() as u16;
        }
        for (_, bytes) in &encoded {
            t.extend_from_slice(bytes);
        }
        t
    }

    fn fvar(&self) -> Vec<u8> {
        let count = self.axes.len() as u16;
        let mut t = Vec::new();
        for value in [1u16, 0, 16, 2, count, 20, 0, 4 + 4 * count] {
            t.extend_from_slice(&value.to_be_bytes());
        }
        let fixed = |v: f32| ((v * 65536.0).round() as i32).to_be_bytes();
        for (i, (tag, min, default, max)) in self.axes.iter().enumerate() {
            let mut tag_bytes = [b' '; 4];
            for (slot, byte) in tag_bytes.iter_mut().zip(tag.bytes()) {
                *slot = byte;
            }
            t.extend_from_slice(&tag_bytes);
            t.extend_from_slice(&fixed(*min));
            t.extend_from_slice(&fixed(*default));
            t.extend_from_slice(&fixed(*max));
            t.extend_from_slice(&0u16.to_be_bytes());
            t.extend_from_slice(&(256 + i as u16).to_be_bytes());
        }
        t
    }
}

fn head() -> Vec<u8> {
    let mut t = vec![0u8; 54];
    t[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    t[12..16].copy_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
    t[18..20].copy_from_slice(&1000u16.to_be_bytes());
    t
}

fn hhea() -> Vec<u8> {
    let mut t = vec![0u8; 36];
    t[0..4].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    t[34..36].copy_from_slice(&1u16.to_be_bytes());
    t
}

fn sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len();
    let pow = count.ilog2();
    let search_range = (1u16 << pow) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for value in [
        count as u16,
        search_range,
        pow as u16,
        count as u16 * 16 - search_range,
    ] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    let mut offset = 12 + 16 * count;
    let mut data = Vec::new();
    for (tag, table) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(table.len() as u32).to_be_bytes());
        data.extend_from_slice(table);
        data.resize(data.len().next_multiple_of(4), 0);
        offset = 12 + 16 * count + data.len();
    }
    out.extend_from_slice(&data);
    out
}

fn tables_of(sfnt: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let be32 = |at: usize| u32::from_be_bytes(sfnt[at..at + 4].try_into().expect("4 bytes"));
    let count = u16::from_be_bytes([sfnt[4], sfnt[5]]) as usize;
    (0..count)
        .map(|i| {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = sfnt[record..record + 4].try_into().expect("4 bytes");
            let (offset, length) = (be32(record + 8) as usize, be32(record + 12) as usize);
            (tag, sfnt[offset..offset + length].to_vec())
        })
        .collect()
}
