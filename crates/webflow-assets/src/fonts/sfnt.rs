//! Assembling an sfnt (the TTF/OTF container) from its tables: how a WOFF, WOFF2 or EOT
//! file's fonts are handed to `ttf-parser`.

/// A table of an sfnt: its tag and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub(crate) tag: [u8; 4],
    pub(crate) data: Vec<u8>,
}

/// The sfnt checksum of a table: its big-endian `u32`s summed, the last one zero-padded.
pub(crate) fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// An sfnt of `flavor` holding `tables` (each 4-byte aligned) behind a table directory whose
/// binary-search fields are set as the OpenType spec asks. The records are sorted by tag
/// whatever order `tables` comes in (a WOFF2 directory's is not when `loca` follows `glyf`
/// there, ahead of `head`): readers such as `ttf-parser` binary-search the directory, and
/// miss tables of an unsorted one. Fails only for more tables than an sfnt directory can count.
pub(crate) fn build(flavor: u32, tables: &[Table]) -> Result<Vec<u8>, String> {
    let count = u16::try_from(tables.len()).map_err(|_| "more than 65535 tables".to_string())?;
    let mut tables: Vec<&Table> = tables.iter().collect();
    tables.sort_by_key(|table| table.tag);
    let header = 12 + 16 * tables.len();
    let pow = if count == 0 { 0 } else { count.ilog2() };
    // 16 * 2^floor(log2(count)), at most 16 * 32768: computed wide, stored as the spec's u16.
    // Zero for no tables (a WOFF may list none), where it would exceed count * 16.
    let search_range = if count == 0 { 0 } else { (1u32 << pow) * 16 };
    let range_shift = u32::from(count) * 16 - search_range;
    let mut out =
        Vec::with_capacity(header + tables.iter().map(|t| t.data.len() + 3).sum::<usize>());
    out.extend_from_slice(&flavor.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(search_range as u16).to_be_bytes());
    out.extend_from_slice(&(pow as u16).to_be_bytes());
    out.extend_from_slice(&(range_shift as u16).to_be_bytes());
    let mut offset = header;
    for table in &tables {
        let length =
            u32::try_from(table.data.len()).map_err(|_| "a table over 4 GiB".to_string())?;
        let at = u32::try_from(offset).map_err(|_| "a font over 4 GiB".to_string())?;
        out.extend_from_slice(&table.tag);
        out.extend_from_slice(&checksum(&table.data).to_be_bytes());
        out.extend_from_slice(&at.to_be_bytes());
        out.extend_from_slice(&length.to_be_bytes());
        offset += table.data.len().next_multiple_of(4);
    }
    for table in &tables {
        out.extend_from_slice(&table.data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Ok(out)
}

/// A table of an sfnt as it lies in the file: its tag and a view of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TableRef<'a> {
    pub(crate) tag: [u8; 4],
    pub(crate) data: &'a [u8],
}

/// The tables of an sfnt, in directory order, or why it is not one. Nothing is copied, and
/// tables that overlap are refused: their lengths add up to more than the file, which no
/// font's do, and whoever copies or concatenates them (the WOFF2 encoder does) would need
/// up to 65,535 times the file's size.
pub(crate) fn tables(sfnt: &[u8]) -> Result<(u32, Vec<TableRef<'_>>), String> {
    let u32_at = |at: usize| {
        sfnt.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "truncated table directory".to_string())
    };
    let flavor = u32_at(0)?;
    let count = sfnt
        .get(4..6)
        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        .ok_or_else(|| "truncated table directory".to_string())?;
    if sfnt.len() < 12 + 16 * count {
        return Err("truncated table directory".into());
    }
    let mut tables = Vec::with_capacity(count);
    let mut total = 0usize;
    for i in 0..count {
        let entry = 12 + 16 * i;
        let tag = u32_at(entry)?.to_be_bytes();
        let offset = u32_at(entry + 8)? as usize;
        let length = u32_at(entry + 12)? as usize;
        let data = offset
            .checked_add(length)
            .and_then(|end| sfnt.get(offset..end))
            .ok_or_else(|| "a table lies outside the file".to_string())?;
        total += length;
        if total > sfnt.len() {
            return Err("its tables overlap: their lengths add up to more than the file".into());
        }
        tables.push(TableRef { tag, data });
    }
    Ok((flavor, tables))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_round_trip_through_build() {
        let tables = vec![
            Table {
                tag: *b"OS/2",
                data: vec![1, 2, 3],
            },
            Table {
                tag: *b"head",
                data: vec![4; 54],
            },
            Table {
                tag: *b"name",
                data: vec![],
            },
        ];
        let sfnt = build(0x0001_0000, &tables).unwrap();
        assert_eq!(sfnt.len() % 4, 0);
        assert_eq!(tables_of(&sfnt), (0x0001_0000, tables));
        // searchRange 32, entrySelector 1, rangeShift 16 for three tables.
        assert_eq!(&sfnt[6..12], &[0, 32, 0, 1, 0, 16]);
        assert_eq!(checksum(&[0, 0, 0, 1, 2]), 1 + 0x0200_0000);
    }

    /// Tables given out of tag order (a WOFF2 directory lists `loca` right after `glyf`,
    /// ahead of `head`; a WOFF may list any order) are found by a reader that binary-searches the directory.
    #[test]
    fn tables_in_any_order_are_found_by_ttf_parser() {
        let path = format!(
            "{}/tests/fixtures/fonts/DejaVuSans-Latin.ttf",
            env!("CARGO_MANIFEST_DIR")
        );
        let font = std::fs::read(path).unwrap();
        let (flavor, mut sorted) = tables_of(&font);
        sorted.sort_by_key(|t| t.tag);
        let mut reversed = sorted.clone();
        reversed.reverse();
        let sfnt = build(flavor, &reversed).unwrap();
        assert_eq!(tables_of(&sfnt), (flavor, sorted.clone()), "sorted by tag");
        let face = ttf_parser::Face::parse(&sfnt, 0).unwrap();
        for tag in [b"head", b"name", b"OS/2", b"loca", b"glyf", b"cmap"] {
            assert!(
                face.raw_face()
                    .table(ttf_parser::Tag::from_bytes(tag))
                    .is_some(),
                "{}",
                String::from_utf8_lossy(tag)
            );
        }
        assert!(face.tables().os2.is_some());
        assert_eq!(
            crate::fonts::meta::from_sfnt(&sfnt).unwrap(),
            crate::fonts::meta::from_sfnt(&font).unwrap()
        );
    }

    /// A directory of 65,535 entries, each naming the whole file: what copying each table
    /// would turn into 65,535 copies of the file is refused after reading the first two.
    #[test]
    fn overlapping_tables_are_refused_without_copying() {
        let count = u16::MAX as usize;
        let len = 12 + 16 * count;
        let mut sfnt = Vec::with_capacity(len);
        sfnt.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        sfnt.extend_from_slice(&(count as u16).to_be_bytes());
        sfnt.extend_from_slice(&[0; 6]);
        for i in 0..count {
            sfnt.extend_from_slice(&(i as u32).to_be_bytes());
            sfnt.extend_from_slice(&[0; 4]);
            sfnt.extend_from_slice(&0u32.to_be_bytes());
            sfnt.extend_from_slice(&(len as u32).to_be_bytes());
        }
        assert_eq!(
            tables(&sfnt).unwrap_err(),
            "its tables overlap: their lengths add up to more than the file"
        );
        // Each table alone is valid: the file is refused for what they add up to.
        sfnt[4..6].copy_from_slice(&1u16.to_be_bytes());
        assert_eq!(tables(&sfnt).unwrap().1[0].data.len(), len);
    }

    proptest::proptest! {
        /// Whatever a directory says, reading it never claims more bytes than the file has.
        #[test]
        fn read_tables_never_exceed_the_file(
            count in 0u16..2000,
            entries in proptest::collection::vec((0u32..4096, 0u32..4096), 1..64),
        ) {
            let mut sfnt = vec![0, 1, 0, 0];
            sfnt.extend_from_slice(&count.to_be_bytes());
            sfnt.extend_from_slice(&[0; 6]);
            for (i, (offset, length)) in entries.iter().enumerate() {
                sfnt.extend_from_slice(&(i as u32).to_be_bytes());
                sfnt.extend_from_slice(&[0; 4]);
                sfnt.extend_from_slice(&offset.to_be_bytes());
                sfnt.extend_from_slice(&length.to_be_bytes());
            }
            sfnt.resize(sfnt.len().max(4096), 0);
            if let Ok((_, read)) = tables(&sfnt) {
                let total: usize = read.iter().map(|t| t.data.len()).sum();
                proptest::prop_assert!(total <= sfnt.len());
                proptest::prop_assert_eq!(read.len(), usize::from(count));
            }
        }
    }

    fn tables_of(sfnt: &[u8]) -> (u32, Vec<Table>) {
        let (flavor, tables) = tables(sfnt).unwrap();
        let owned = tables
            .iter()
            .map(|t| Table {
                tag: t.tag,
                data: t.data.to_vec(),
            })
            .collect();
        (flavor, owned)
    }
}
