//! Webflow's endpoints as typed methods on [`Client`](crate::Client): assets, folders and
//! their tree, sites, the token. One request each, through the client's budget and retries.

pub(crate) mod assets;
pub(crate) mod folder_tree;
pub(crate) mod folders;
pub mod models;
pub(crate) mod sites;
pub(crate) mod token;
