//! Typed ids: a site, an asset, a folder, a font and a locale id are checked once, when built,
//! and cannot be passed for one another.
//!
//! ```
//! use webflow_assets::{AssetId, SiteId};
//!
//! let site: SiteId = "580e63e98c9a982ac9b8b741".parse()?;
//! assert_eq!(site.as_str(), "580e63e98c9a982ac9b8b741");
//! assert!("not-an-id".parse::<AssetId>().is_err());
//! // Uppercase hex is the same id, kept in Webflow's lowercase form (by serde too).
//! let upper: SiteId = "580E63E98C9A982AC9B8B741".parse()?;
//! assert_eq!(upper, site);
//! assert_eq!(upper.to_string(), "580e63e98c9a982ac9b8b741");
//! # Ok::<(), webflow_assets::Rule>(())
//! ```
//!
//! Methods take them by reference, in their place:
//!
//! ```no_run
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! use webflow_assets::{FolderId, SiteId};
//!
//! let site: SiteId = "580e63e98c9a982ac9b8b741".parse()?;
//! let parent: FolderId = "6390c49774a71f0e3c1ed2a4".parse()?;
//! client.create_folder(&site, "logos", Some(&parent)).await?;
//! # Ok(())
//! # }
//! ```
//!
//! and the same call with the two ids swapped does not compile:
//!
//! ```compile_fail
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! use webflow_assets::{FolderId, SiteId};
//!
//! let site: SiteId = "580e63e98c9a982ac9b8b741".parse()?;
//! let parent: FolderId = "6390c49774a71f0e3c1ed2a4".parse()?;
//! client.create_folder(&parent, "logos", Some(&site)).await?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::str::FromStr;

use crate::validate::{Rule, is_object_id};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = Rule;

            /// Checks that `value` is 24 hexadecimal characters; uppercase ones are taken
            /// as their lowercase, the form Webflow gives and expects.
            fn from_str(value: &str) -> Result<Self, Rule> {
                Self::try_from(value.to_string())
            }
        }

        impl TryFrom<String> for $name {
            type Error = Rule;

            fn try_from(value: String) -> Result<Self, Rule> {
                // Webflow's ids are lowercase hex; one typed or pasted in uppercase names
                // the same object, so it is kept in the form Webflow compares, not refused.
                let normal = value.to_ascii_lowercase();
                match is_object_id(&normal) {
                    true => Ok(Self(normal)),
                    false => Err(Rule::InvalidId { what: $what, value }),
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Rule;

            fn try_from(value: &str) -> Result<Self, Rule> {
                value.parse()
            }
        }

        impl TryFrom<&String> for $name {
            type Error = Rule;

            fn try_from(value: &String) -> Result<Self, Rule> {
                value.parse()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        /// Its hash and order are those of its text, so a map keyed by ids is searched with
        /// the text a model gives.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }

            /// Written in place as a string, as the id serialises, not as a named definition.
            fn is_referenceable() -> bool {
                false
            }

            fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
                String::json_schema(generator)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// Checks the id as [`FromStr`] does: a document cannot smuggle in a bad one.
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Self::try_from(value).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// A site's id: 24 hexadecimal characters (uppercase kept as lowercase), checked when built.
    SiteId,
    "site"
);

id_type!(
    /// An asset's id: 24 hexadecimal characters (uppercase kept as lowercase), checked when built.
    AssetId,
    "asset"
);

id_type!(
    /// An asset folder's id: 24 hexadecimal characters (uppercase kept as lowercase), checked
    /// when built.
    FolderId,
    "folder"
);

#[cfg(test)]
impl AssetId {
    /// The id numbered `n`, for tests that need many distinct ones.
    pub(crate) fn numbered(n: usize) -> Self {
        Self(format!("{n:024x}"))
    }
}

id_type!(
    /// A custom font's id: 24 hexadecimal characters (uppercase kept as lowercase), checked
    /// when built.
    FontId,
    "font"
);

id_type!(
    /// A site locale's id (a secondary locale's, as Webflow's `localeId` names it): 24
    /// hexadecimal characters (uppercase kept as lowercase), checked when built.
    ///
    /// ```
    /// use webflow_assets::{LocaleId, Rule};
    ///
    /// let french: LocaleId = "65f0aa00bb11cc22dd33ee99".parse()?;
    /// assert_eq!(french.as_str(), "65f0aa00bb11cc22dd33ee99");
    /// assert!(matches!(
    ///     "fr".parse::<LocaleId>(),
    ///     Err(Rule::InvalidId { what: "locale", .. })
    /// ));
    /// # Ok::<(), Rule>(())
    /// ```
    LocaleId,
    "locale"
);

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "580e63e98c9a982ac9b8b741";

    #[test]
    fn a_valid_id_parses_every_way() {
        let parsed: SiteId = ID.parse().unwrap();
        assert_eq!(parsed, ID);
        assert_eq!(SiteId::try_from(ID).unwrap(), parsed);
        assert_eq!(SiteId::try_from(ID.to_string()).unwrap(), parsed);
        assert_eq!(parsed.to_string(), ID);
        assert_eq!(parsed.as_ref(), ID);
        assert_eq!(format!("{parsed:?}"), format!("SiteId({ID:?})"));
        assert_eq!(String::from(parsed), ID);
    }

    #[test]
    fn invalid_ids_are_refused_with_what_they_name() {
        for bad in [
            "",
            "580e63e98c9a982ac9b8b74",
            "580e63e98c9a982ac9b8b7411",
            "580e63e98c9a982ac9b8b74g",
            "580E63E98C9A982AC9B8B74G",
            " 580e63e98c9a982ac9b8b741",
            "580e63e98c9a982ac9b8b7é",
        ] {
            assert_eq!(
                bad.parse::<FolderId>(),
                Err(Rule::InvalidId {
                    what: "folder",
                    value: bad.to_string()
                }),
                "{bad:?}"
            );
        }
        assert!(matches!(
            AssetId::try_from("x"),
            Err(Rule::InvalidId { what: "asset", .. })
        ));
        assert!(matches!(
            SiteId::try_from("x".to_string()),
            Err(Rule::InvalidId { what: "site", .. })
        ));
        assert_eq!(
            "fr".parse::<LocaleId>(),
            Err(Rule::InvalidId {
                what: "locale",
                value: "fr".to_string()
            })
        );
    }

    #[test]
    fn a_locale_id_is_a_string_in_json_and_checked_when_read() {
        let locale: LocaleId = ID.parse().unwrap();
        assert_eq!(serde_json::to_string(&locale).unwrap(), format!("\"{ID}\""));
        let map: std::collections::BTreeMap<LocaleId, String> =
            serde_json::from_str(&format!(r#"{{"{ID}": "Bonjour"}}"#)).unwrap();
        assert_eq!(
            map[ID], "Bonjour",
            "a map keyed by locale is searched by its text"
        );
        let err = serde_json::from_str::<LocaleId>("\"fr\"").unwrap_err();
        assert!(err.to_string().contains("not a valid locale id"), "{err}");
    }

    #[test]
    fn uppercase_hex_is_the_same_id_in_lowercase() {
        let upper = ID.to_ascii_uppercase();
        let parsed: AssetId = upper.parse().unwrap();
        assert_eq!(parsed, ID);
        assert_eq!(AssetId::try_from(upper.as_str()).unwrap(), parsed);
        assert_eq!(AssetId::try_from(upper.clone()).unwrap(), parsed);
        let json = serde_json::to_string(&upper).unwrap();
        assert_eq!(serde_json::from_str::<AssetId>(&json).unwrap(), parsed);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{ID}\""));
    }

    #[test]
    fn serde_round_trips_and_checks() {
        let id: AssetId = ID.parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{ID}\""));
        assert_eq!(serde_json::from_str::<AssetId>(&json).unwrap(), id);
        let err = serde_json::from_str::<AssetId>("\"nope\"").unwrap_err();
        assert!(err.to_string().contains("not a valid asset id"), "{err}");
        assert!(serde_json::from_str::<AssetId>("42").is_err());
    }
}
