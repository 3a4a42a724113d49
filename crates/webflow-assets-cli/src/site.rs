//! The site a command works on: `--site` (or `WEBFLOW_SITE_ID`) as an id, used as it is, or
//! as a short or display name, looked up with one request; or, when none is given, the only
//! site the token reaches.

use anyhow::{Context, Result, bail};

use crate::failure::{Code, Failure};
use webflow_assets::Client;
use webflow_assets::site_choice::{self, Choice};

/// The id of the site `wanted` names, or of the token's only site when it names none.
pub async fn resolve(client: &Client, wanted: Option<&str>) -> Result<String> {
    if let Some(id) = wanted.filter(|w| site_choice::is_site_id(w)) {
        return Ok(id.to_string());
    }
    let sites = client.list_sites().await.with_context(|| match wanted {
        Some(name) => format!("listing the token's sites to find {name:?}"),
        None => "no site named (--site or WEBFLOW_SITE_ID), and the token's sites could not \
                 be listed"
            .to_string(),
    })?;
    let choice = match wanted {
        Some(name) => site_choice::by_name(&sites, name),
        None => site_choice::only(&sites),
    };
    let site = match (choice, wanted) {
        (Choice::One(site), _) => site,
        (Choice::Several(candidates), Some(name)) => bail!(Failure::new(
            Code::InvalidInput,
            format!(
                "--site {name:?} names {} sites; name one by its id or short name:\n{}",
                candidates.len(),
                site_choice::describe(candidates)
            )
        )),
        (Choice::Several(_), None) => bail!(Failure::new(
            Code::MissingSite,
            format!(
                "the token reaches {} sites; name one with --site or WEBFLOW_SITE_ID (an id, a \
                 short name or a display name):\n{}",
                sites.len(),
                site_choice::describe(&sites)
            )
        )),
        (_, Some(name)) if sites.is_empty() => bail!(Failure::new(
            Code::NotFound,
            format!("no site {name:?}: the token reaches no site")
        )),
        (_, Some(name)) => bail!(Failure::new(
            Code::NotFound,
            format!(
                "no site {name:?} among the token's sites:\n{}",
                site_choice::describe(&sites)
            )
        )),
        (_, None) => bail!(Failure::new(
            Code::MissingSite,
            "the token reaches no site; name one with --site or WEBFLOW_SITE_ID"
        )),
    };
    site.id
        .clone()
        .context("Webflow listed a site without an id")
}
