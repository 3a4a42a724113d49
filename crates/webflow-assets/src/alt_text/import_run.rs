//! Carrying out an import's plan: the alt text written, row by row, as a run.

use futures::StreamExt;

use crate::alt_text::import_plan::AltImportPlan;
use crate::error::Error;
use crate::http::client::Client;
use crate::reasons::SkipReason;
use crate::run::outcome::Outcome;
use crate::run::report::Report;
use crate::run::{BulkRun, spawn_run};

impl AltImportPlan {
    /// Writes the changes (a dry run writes none), publishing one outcome per row.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::NoRuntime`] outside a Tokio runtime (the run is spawned on the current one);
    /// nothing is sent then.
    pub async fn start(self, client: &Client) -> Result<BulkRun, Error> {
        let client = client.clone();
        spawn_run(move |publisher| async move {
            let AltImportPlan {
                patches,
                unchanged,
                failed,
                options,
                ..
            } = self;
            publisher.plan(unchanged.len() + failed.len() + patches.len(), 0);
            for (label, asset_id) in unchanged {
                publisher
                    .publish(label, 0, Outcome::Unchanged { asset_id })
                    .await;
            }
            for (label, error) in failed {
                publisher.publish(label, 0, Outcome::Failed(error)).await;
            }
            let (publisher, client, options) = (&publisher, &client, &options);
            let writes = patches.into_iter().map(|patch| async move {
                let outcome = if options.dry_run {
                    Outcome::Skipped(SkipReason::DryRun)
                } else if publisher.cancel.is_cancelled() {
                    Outcome::Skipped(SkipReason::Cancelled)
                } else {
                    let update = client
                        .update_asset(&patch.asset_id)
                        .alt_text(patch.alt_text)
                        .maybe_locale(options.locale.clone());
                    match update.send().await {
                        Ok(_) => Outcome::AltTextSet {
                            asset_id: patch.asset_id,
                        },
                        Err(error) => Outcome::Failed(error),
                    }
                };
                (patch.label, outcome)
            });
            let mut writes =
                futures::stream::iter(writes).buffer_unordered(options.concurrency.max(1));
            while let Some((label, outcome)) = writes.next().await {
                publisher.publish(label, 0, outcome).await;
            }
        })
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// row is accounted for.
    pub async fn execute(self, client: &Client) -> Result<Report, Error> {
        Ok(self.start(client).await?.finish().await)
    }
}
