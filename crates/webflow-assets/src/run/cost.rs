//! What a plan costs of the token's request budget, counted before anything is sent, so that
//! a person or an agent can see the price of a sync, a pull, a copy or an alt-text import
//! first.

use serde::Serialize;

/// What a plan costs of the token's request budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RequestCost {
    /// Requests spent making the plan: one folder listing, one per 100 assets listed.
    pub planning: u32,
    /// Requests executing it would send: a create per upload (S3 forms are not API
    /// requests), one per folder created, alt-text change and deletion.
    pub execution: u32,
}
