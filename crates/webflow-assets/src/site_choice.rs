//! Which site a user means: a site named by its id, its short name or its display name, or
//! the only site a token reaches. Pure functions over a list of sites
//! ([`Client::list_sites`](crate::Client::list_sites)), so a caller spends one request on
//! the list and none when it was given an id.
//!
//! ```
//! use webflow_assets::models::Site;
//! use webflow_assets::site_choice::{self, Choice};
//!
//! let site = |id: &str, short: &str, name: &str| {
//!     let mut site = Site::default();
//!     site.id = Some(id.into());
//!     site.short_name = Some(short.into());
//!     site.display_name = Some(name.into());
//!     site
//! };
//! let sites = [
//!     site("580e63e98c9a982ac9b8b741", "acme-shop", "Acme"),
//!     site("580e63e98c9a982ac9b8b742", "acme-blog", "Acme"),
//! ];
//! let blog = site_choice::by_name(&sites, "acme-blog");
//! assert!(matches!(blog, Choice::One(site) if site.id == sites[1].id));
//! let acme = site_choice::by_name(&sites, "Acme");
//! assert!(matches!(acme, Choice::Several(both) if both.len() == 2));
//! assert!(matches!(site_choice::only(&sites), Choice::Several(_)));
//! ```

use webflow_assets_raw::types::Site;

use crate::validate::check_id;

/// The sites that fit what the user said.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Choice<'a> {
    /// Exactly one.
    One(&'a Site),
    /// More than one, in the list's order: the user must say which.
    Several(Vec<&'a Site>),
    /// None.
    None,
}

impl<'a> Choice<'a> {
    fn of(mut sites: Vec<&'a Site>) -> Self {
        match sites.len() {
            0 => Choice::None,
            1 => Choice::One(sites.remove(0)),
            _ => Choice::Several(sites),
        }
    }
}

/// Whether `text` has the form of a site id (24 hex digits), which is used as it is,
/// without a request.
pub fn is_site_id(text: &str) -> bool {
    check_id("site", text).is_ok()
}

/// The sites `wanted` names, looked for in turn as each site's id, its short name (the
/// `*.webflow.io` subdomain, ASCII case ignored, unique on Webflow), its display name
/// exactly, and its display name ignoring case and surrounding space. The first of these
/// that matches any site decides: a short name wins over another site's display name. A
/// name two sites share there is [`Choice::Several`], never a guess.
pub fn by_name<'a>(sites: &'a [Site], wanted: &str) -> Choice<'a> {
    let wanted = wanted.trim();
    let folded = wanted.to_lowercase();
    let phases: [&dyn Fn(&Site) -> bool; 4] = [
        &|site| site.id.as_deref() == Some(wanted),
        &|site| {
            site.short_name
                .as_deref()
                .is_some_and(|short| short.eq_ignore_ascii_case(wanted))
        },
        &|site| site.display_name.as_deref() == Some(wanted),
        &|site| {
            site.display_name
                .as_deref()
                .is_some_and(|name| name.trim().to_lowercase() == folded)
        },
    ];
    for matches in phases {
        let found: Vec<&Site> = sites.iter().filter(|site| matches(site)).collect();
        if !found.is_empty() {
            return Choice::of(found);
        }
    }
    Choice::None
}

/// The site to use when none was named: the only one, if the list has exactly one.
pub fn only(sites: &[Site]) -> Choice<'_> {
    Choice::of(sites.iter().collect())
}

/// One line per site for an error message: id, short name and display name.
pub fn describe<'a>(sites: impl IntoIterator<Item = &'a Site>) -> String {
    sites
        .into_iter()
        .map(|site| {
            format!(
                "{}  {}  {:?}",
                site.id.as_deref().unwrap_or("-"),
                site.short_name.as_deref().unwrap_or("-"),
                site.display_name.as_deref().unwrap_or(""),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: &str, short: &str, name: &str) -> Site {
        // Models are non_exhaustive: built from their default, field by field.
        let mut site = Site::default();
        site.id = Some(id.into());
        site.short_name = Some(short.into());
        site.display_name = Some(name.into());
        site
    }

    fn ids(choice: Choice<'_>) -> Vec<&str> {
        match choice {
            Choice::One(site) => vec![site.id.as_deref().unwrap()],
            Choice::Several(sites) => sites.iter().map(|s| s.id.as_deref().unwrap()).collect(),
            Choice::None => vec![],
        }
    }

    const A: &str = "580e63e98c9a982ac9b8b741";
    const B: &str = "580e63e98c9a982ac9b8b742";
    const C: &str = "580e63e98c9a982ac9b8b743";

    fn sites() -> Vec<Site> {
        vec![
            site(A, "acme-shop", "Acme"),
            site(B, "acme-blog", "Acme"),
            site(C, "portfolio", "My Portfolio"),
        ]
    }

    #[test]
    fn by_id_short_name_and_display_name() {
        let sites = sites();
        assert_eq!(ids(by_name(&sites, C)), [C]);
        assert_eq!(ids(by_name(&sites, "acme-blog")), [B]);
        assert_eq!(
            ids(by_name(&sites, "ACME-Blog")),
            [B],
            "short names ignore case"
        );
        assert_eq!(ids(by_name(&sites, "My Portfolio")), [C]);
        assert_eq!(ids(by_name(&sites, " my portfolio ")), [C]);
        assert!(matches!(by_name(&sites, "Acme"), Choice::Several(_)));
        assert_eq!(ids(by_name(&sites, "Acme")), [A, B], "in the list's order");
        assert_eq!(
            by_name(&sites, "acme"),
            Choice::Several(vec![&sites[0], &sites[1]])
        );
        assert_eq!(by_name(&sites, "nothing"), Choice::None);
        assert_eq!(by_name(&[], "Acme"), Choice::None);
    }

    #[test]
    fn an_exact_match_wins_over_one_that_ignores_case() {
        let sites = vec![site(A, "one", "Blog"), site(B, "two", "blog")];
        assert_eq!(ids(by_name(&sites, "blog")), [B]);
        assert_eq!(ids(by_name(&sites, "BLOG")), [A, B]);
    }

    #[test]
    fn a_short_name_wins_over_another_sites_display_name() {
        let sites = vec![site(A, "blog", "Company"), site(B, "b-2", "blog")];
        assert_eq!(ids(by_name(&sites, "blog")), [A]);
        assert_eq!(ids(by_name(&sites, "Blog")), [A], "short names ignore case");
        // An id wins over everything, even a name that looks like one.
        let tricky = vec![site(A, "x", B), site(B, "y", "other")];
        assert_eq!(ids(by_name(&tricky, B)), [B]);
    }

    #[test]
    fn only_with_one_none_or_several() {
        let sites = sites();
        assert_eq!(ids(only(&sites[2..])), [C]);
        assert_eq!(only(&[]), Choice::None);
        assert_eq!(ids(only(&sites)), [A, B, C]);
    }

    #[test]
    fn ids_have_24_hex_digits() {
        assert!(is_site_id(A));
        assert!(!is_site_id("acme-shop"));
        assert!(!is_site_id(&A[1..]));
        assert!(!is_site_id("580e63e98c9a982ac9b8b74g"));
    }

    #[test]
    fn describe_lists_id_short_name_and_display_name() {
        let sites = sites();
        let text = describe(&sites[..2]);
        assert_eq!(
            text,
            format!("{A}  acme-shop  \"Acme\"\n{B}  acme-blog  \"Acme\"")
        );
    }
}
