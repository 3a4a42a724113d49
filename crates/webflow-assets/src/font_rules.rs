//! The limits Webflow puts on custom fonts, checked before anything is sent.

use std::fmt;

use webflow_assets_raw::types::{FontAxis, FontFormat};

/// Font file names may have at most this many characters.
pub const MAX_FONT_FILE_NAME_CHARS: usize = 256;
/// A font family name has 1 to this many characters.
pub const MAX_FONT_FAMILY_CHARS: usize = 256;
/// A variable font has at most this many axes.
pub const MAX_FONT_AXES: usize = 16;
/// An axis name has at most this many characters.
pub const MAX_AXIS_NAME_CHARS: usize = 64;
/// Fonts deleted by one batch request, at most.
pub const MAX_FONTS_PER_DELETE: usize = 100;

/// A rule a custom font breaks. In JSON, an object whose `font_rule` names the rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "font_rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FontRule {
    /// The extension is not one of `.woff2 .woff .ttf .otf .eot`.
    #[non_exhaustive]
    UnsupportedExtension {
        /// The file name given.
        file_name: String,
    },
    /// The file name has more than 256 characters.
    #[non_exhaustive]
    FileNameTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// The family name is empty or has more than 256 characters.
    #[non_exhaustive]
    FamilyLength {
        /// Its length in characters.
        chars: usize,
    },
    /// The weight is outside 1-1000.
    #[non_exhaustive]
    Weight {
        /// The weight given or read.
        weight: i64,
    },
    /// More than 16 axes.
    #[non_exhaustive]
    TooManyAxes {
        /// How many were given or read.
        count: usize,
    },
    /// An axis tag is not four printable ASCII characters.
    #[non_exhaustive]
    AxisTag {
        /// The tag.
        tag: String,
    },
    /// An axis breaks `min <= default <= max`, or its name has more than 64 characters.
    #[non_exhaustive]
    Axis {
        /// The axis tag.
        tag: String,
        /// What is wrong.
        reason: String,
    },
    /// The file does not say what Webflow needs, and the builder did not either.
    #[non_exhaustive]
    MetadataUnreadable {
        /// The settings to give, as builder method names (`family`, `weight`, `italic`).
        missing: Vec<&'static str>,
        /// Why the file could not tell.
        reason: String,
    },
    /// The file is not a font of the format its extension names (truncated, corrupt, or
    /// another format). Nothing is sent: a site would serve a font no browser loads.
    #[non_exhaustive]
    Unreadable {
        /// What is wrong with it.
        reason: String,
    },
    /// Compressing the file to WOFF2 failed: it is not a TrueType or OpenType font the
    /// encoder takes.
    #[non_exhaustive]
    Compress {
        /// Why.
        reason: String,
    },
    /// The font being replaced is variable and the new file's axes are unknown: Webflow needs
    /// them (or `axes(vec![])` for a static file).
    AxesRequired,
    /// An update that changes nothing.
    NothingToUpdate,
    /// A batch delete with no ids.
    NoFonts,
}

impl fmt::Display for FontRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FontRule::UnsupportedExtension { file_name } => write!(
                f,
                "{file_name:?} is not a font Webflow takes (.woff2, .woff, .ttf, .otf or .eot)"
            ),
            FontRule::FileNameTooLong { chars } => write!(
                f,
                "the font file name has {chars} characters; Webflow takes at most {MAX_FONT_FILE_NAME_CHARS}"
            ),
            FontRule::FamilyLength { chars } => write!(
                f,
                "the font family name has {chars} characters; Webflow takes 1 to {MAX_FONT_FAMILY_CHARS}"
            ),
            FontRule::Weight { weight } => {
                write!(f, "font weight {weight} is outside 1-1000")
            }
            FontRule::TooManyAxes { count } => write!(
                f,
                "the font has {count} variable axes; Webflow takes at most {MAX_FONT_AXES}"
            ),
            FontRule::AxisTag { tag } => {
                write!(f, "axis tag {tag:?} is not four printable ASCII characters")
            }
            FontRule::Axis { tag, reason } => write!(f, "axis {tag:?}: {reason}"),
            FontRule::MetadataUnreadable { missing, reason } => write!(
                f,
                "cannot read the font's {} from the file ({reason}); set {} on the builder",
                missing.join(", "),
                missing
                    .iter()
                    .map(|m| format!("`{m}(..)`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FontRule::Unreadable { reason } => write!(f, "{reason}"),
            FontRule::Compress { reason } => {
                write!(f, "cannot compress the font to WOFF2: {reason}")
            }
            FontRule::AxesRequired => write!(
                f,
                "the font being replaced is variable and the new file's axes cannot be read; \
                 set `axes(..)` (an empty list for a static file)"
            ),
            FontRule::NothingToUpdate => write!(
                f,
                "the font update sets none of family, weight, italic or display"
            ),
            FontRule::NoFonts => write!(f, "no font ids to delete"),
        }
    }
}

/// The format and MIME type of a font file name, or the rule it breaks.
pub fn check_font_file_name(name: &str) -> Result<(FontFormat, &'static str), FontRule> {
    let chars = name.chars().count();
    if chars > MAX_FONT_FILE_NAME_CHARS {
        return Err(FontRule::FileNameTooLong { chars });
    }
    let extension = name
        .rsplit_once('.')
        .map(|(stem, ext)| (stem, ext.to_ascii_lowercase()));
    match extension
        .as_ref()
        .map(|(stem, ext)| (stem.is_empty(), ext.as_str()))
    {
        Some((false, "woff2")) => Ok((FontFormat::Woff2, "font/woff2")),
        Some((false, "woff")) => Ok((FontFormat::Woff, "font/woff")),
        Some((false, "ttf")) => Ok((FontFormat::Truetype, "font/ttf")),
        Some((false, "otf")) => Ok((FontFormat::Opentype, "font/otf")),
        Some((false, "eot")) => Ok((
            FontFormat::EmbeddedOpentype,
            "application/vnd.ms-fontobject",
        )),
        _ => Err(FontRule::UnsupportedExtension {
            file_name: name.to_string(),
        }),
    }
}

/// A family name Webflow takes.
pub fn check_family(family: &str) -> Result<(), FontRule> {
    let chars = family.chars().count();
    if chars == 0 || chars > MAX_FONT_FAMILY_CHARS {
        return Err(FontRule::FamilyLength { chars });
    }
    Ok(())
}

/// A CSS weight Webflow takes.
pub fn check_weight(weight: i64) -> Result<(), FontRule> {
    if (1..=1000).contains(&weight) {
        Ok(())
    } else {
        Err(FontRule::Weight { weight })
    }
}

/// Axes Webflow takes: at most 16, each with a four-character printable ASCII tag, every
/// value given, `min <= default <= max`, a name of at most 64 characters.
pub fn check_axes(axes: &[FontAxis]) -> Result<(), FontRule> {
    if axes.len() > MAX_FONT_AXES {
        return Err(FontRule::TooManyAxes { count: axes.len() });
    }
    for axis in axes {
        let tag = axis.tag.clone().unwrap_or_default();
        if tag.len() != 4 || !tag.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            return Err(FontRule::AxisTag { tag });
        }
        let axis_error = |reason: String| FontRule::Axis {
            tag: tag.clone(),
            reason,
        };
        let (Some(min), Some(default), Some(max)) = (axis.min, axis.default_value, axis.max) else {
            return Err(axis_error("min, default and max are all required".into()));
        };
        if !(min <= default && default <= max) {
            return Err(axis_error(format!(
                "min {min} <= default {default} <= max {max} does not hold"
            )));
        }
        if let Some(name) = &axis.name {
            let chars = name.chars().count();
            if chars > MAX_AXIS_NAME_CHARS {
                return Err(axis_error(format!(
                    "its name has {chars} characters; Webflow takes at most {MAX_AXIS_NAME_CHARS}"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(tag: &str, min: f64, default: f64, max: f64) -> FontAxis {
        let mut axis = FontAxis::default();
        axis.tag = Some(tag.into());
        axis.min = Some(min);
        axis.default_value = Some(default);
        axis.max = Some(max);
        axis
    }

    #[test]
    fn file_names_and_formats() {
        assert_eq!(
            check_font_file_name("Inter.WOFF2").unwrap().0,
            FontFormat::Woff2
        );
        assert_eq!(check_font_file_name("a.otf").unwrap().1, "font/otf");
        assert_eq!(
            check_font_file_name("a.eot").unwrap().0,
            FontFormat::EmbeddedOpentype
        );
        for bad in ["a.svg", "ttf", ".ttf", "a.ttf.zip"] {
            assert!(
                matches!(
                    check_font_file_name(bad),
                    Err(FontRule::UnsupportedExtension { .. })
                ),
                "{bad}"
            );
        }
        let long = format!("{}.ttf", "x".repeat(253));
        assert!(check_font_file_name(&long).is_err());
        assert!(check_font_file_name(&long[1..]).is_ok());
    }

    #[test]
    fn family_weight_and_axes() {
        assert!(check_family("").is_err() && check_family(&"x".repeat(257)).is_err());
        assert!(check_family(&"é".repeat(256)).is_ok());
        assert!(check_weight(0).is_err() && check_weight(1001).is_err());
        assert!(check_weight(1).is_ok() && check_weight(1000).is_ok());
        assert!(check_axes(&[axis("wght", 100.0, 400.0, 900.0)]).is_ok());
        assert!(matches!(
            check_axes(&[axis("wgt", 1.0, 1.0, 1.0)]),
            Err(FontRule::AxisTag { .. })
        ));
        assert!(matches!(
            check_axes(&[axis("wght", 100.0, 50.0, 900.0)]),
            Err(FontRule::Axis { .. })
        ));
        let many: Vec<FontAxis> = (0..17)
            .map(|i| axis(&format!("ax{i:02}"), 0.0, 0.0, 1.0))
            .collect();
        assert!(matches!(
            check_axes(&many),
            Err(FontRule::TooManyAxes { count: 17 })
        ));
        assert!(check_axes(&many[..16]).is_ok());
    }
}
