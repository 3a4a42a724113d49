//! The site a command works on: `--site` (or `WEBFLOW_SITE_ID`) as an id, used as it is, or
//! as a short or display name, looked up with one request listing the sites (`sites:read`);
//! or, when none is given, the only site the token was authorised for, from token
//! introspection, which needs no scope.

use anyhow::{Context, Result, bail};
use webflow_assets::site_choice::{self, Choice};
use webflow_assets::{Client, ErrorKind, SiteId};

use crate::failure::{Code, Failure, Needs, Scoped};

/// The id of the site `wanted` names, or of the token's only site when it names none.
pub async fn resolve(client: &Client, wanted: Option<&str>) -> Result<SiteId> {
    match wanted {
        Some(blank) if blank.trim().is_empty() => bail!(Failure::new(
            Code::MissingSite,
            "--site (or WEBFLOW_SITE_ID) is empty: give a site's id, short name or display \
             name, or unset it to use the token's only site"
        )),
        Some(id) if site_choice::is_site_id(id) => typed(id),
        Some(name) => by_name(client, name).await,
        None => only(client).await,
    }
}

/// A site id given as text, typed once.
fn typed(id: &str) -> Result<SiteId> {
    id.parse().map_err(|rule: webflow_assets::Rule| {
        Failure::new(Code::InvalidInput, rule.to_string()).into()
    })
}

/// The request [`resolve`] makes to choose the site `wanted` names, if any: none for an id.
pub fn request_spent(wanted: Option<&str>) -> Option<&'static str> {
    match wanted {
        Some(id) if site_choice::is_site_id(id) => None,
        Some(blank) if blank.trim().is_empty() => None,
        Some(_) => Some("GET /sites, to find the site by its name"),
        None => Some("GET /token/introspect, to find the token's only site"),
    }
}

/// The site named `name`, from the list of the token's sites.
async fn by_name(client: &Client, name: &str) -> Result<SiteId> {
    let sites = match client.list_sites().await {
        Ok(sites) => sites,
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            return Err(e).context(Scoped {
                needs: Needs::SiteLookup,
                message: format!(
                    "--site {name:?} is a name, and looking it up needs the sites:read scope; \
                     give the site's 24-character id instead (`webflow-assets auth status` \
                     shows the ids of the token's sites)"
                ),
            });
        }
        Err(e) => return Err(e).context(format!("listing the token's sites to find {name:?}")),
    };
    let site = match site_choice::by_name(&sites, name) {
        Choice::One(site) => site,
        Choice::Several(candidates) => bail!(Failure::new(
            Code::InvalidInput,
            format!(
                "--site {name:?} names {} sites; name one by its id or short name:\n{}",
                candidates.len(),
                site_choice::describe(candidates)
            )
        )),
        _ if sites.is_empty() => bail!(Failure::new(
            Code::NotFound,
            format!("no site {name:?}: the token reaches no site")
        )),
        _ => bail!(Failure::new(
            Code::NotFound,
            format!(
                "no site {name:?} among the token's sites:\n{}",
                site_choice::describe(&sites)
            )
        )),
    };
    let id = site.id.as_deref();
    typed(id.context("Webflow listed a site without an id")?)
}

/// The token's only site, from token introspection.
async fn only(client: &Client) -> Result<SiteId> {
    let info = client.token_info().await.context(
        "no site named (--site or WEBFLOW_SITE_ID), and the token's sites could not be read",
    )?;
    match info.site_ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(Failure::new(
            Code::MissingSite,
            "Webflow names no site this token was authorised for; name one with --site or \
             WEBFLOW_SITE_ID"
        )),
        several => bail!(Failure::new(
            Code::MissingSite,
            format!(
                "the token reaches {} sites; name one with --site or WEBFLOW_SITE_ID (an id, \
                 a short name or a display name; `webflow-assets sites` lists them):\n{}",
                several.len(),
                several
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        )),
    }
}
