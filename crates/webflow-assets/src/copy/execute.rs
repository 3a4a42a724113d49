//! Carrying a copy plan out: folders first, then each asset streamed from the source's CDN
//! into the target's upload, and the alt text and display names of assets already there.

use std::collections::HashMap;

use futures::StreamExt;

use crate::api::folders::FolderCache;
use crate::copy::plan::{CopyPlan, PlannedCopy, Touch};
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{LocaleId, SiteId};
use crate::reasons::SkipReason;
use crate::run::outcome::Outcome;
use crate::run::report::Report;
use crate::run::{BulkRun, spawn_run};
use crate::upload::UploadSource;

impl CopyPlan {
    /// Carries the plan out with `target` (the client the plan was made with for the
    /// target site): creates the missing folders, uploads each asset from the source's CDN
    /// with its alt text and display name, and sets those of assets the target already has
    /// where they differ.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::NoRuntime`] outside a Tokio runtime (the run is spawned on the current one);
    /// nothing is sent then.
    pub async fn start(self, target: &Client) -> Result<BulkRun, Error> {
        let target = target.clone();
        spawn_run(move |publisher| async move {
            let CopyPlan {
                copies,
                matched,
                matched_files,
                skipped,
                folders,
                touches,
                target_site,
                target_tree,
                options,
                ..
            } = self;
            publisher.plan(
                matched.len() + skipped.len() + copies.len(),
                copies.iter().map(|c| c.size).sum(),
            );
            let touched: HashMap<crate::AssetId, Touch> =
                touches.into_iter().map(|t| (t.new_id.clone(), t)).collect();
            for (row, file) in matched.into_iter().zip(matched_files) {
                let file = file.to_string();
                let outcome = match (touched.get(&row.new_id), options.dry_run) {
                    (None, _) => Outcome::Unchanged {
                        asset_id: row.old_id,
                    },
                    (Some(_), true) => Outcome::Skipped(SkipReason::DryRun),
                    (Some(touch), false) => retouch(&target, touch).await,
                };
                publisher.publish(file, 0, outcome).await;
            }
            for (file, reason) in skipped {
                publisher.publish(file, 0, Outcome::Skipped(reason)).await;
            }
            if options.dry_run {
                for copy in copies {
                    let outcome = Outcome::Skipped(SkipReason::DryRun);
                    publisher.publish(copy.file.to_string(), 0, outcome).await;
                }
                return;
            }
            let cache = FolderCache::with_tree(target.clone(), &target_site, Some(target_tree));
            let mut folder_failed = None;
            for folder in &folders {
                if let Err(error) = cache.ensure(folder).await {
                    folder_failed = Some(error);
                    break;
                }
            }
            let (target, cache, site, publisher_ref) = (&target, &cache, &target_site, &publisher);
            let runs = copies.into_iter().map(|copy| async move {
                let label = copy.file.to_string();
                let size = copy.size;
                let outcome = match publisher_ref.cancel.is_cancelled() {
                    true => Outcome::Skipped(SkipReason::Cancelled),
                    false => one(target, cache, site, copy).await,
                };
                (label, size, outcome)
            });
            let mut runs =
                futures::stream::iter(runs).buffer_unordered(options.bulk.concurrency.max(1));
            while let Some((label, size, outcome)) = runs.next().await {
                publisher.publish(label, size, outcome).await;
            }
            if let Some(error) = folder_failed {
                tracing::warn!(%error, "could not recreate every folder on the target");
            }
        })
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// asset is accounted for.
    pub async fn execute(self, target: &Client) -> Result<Report, Error> {
        Ok(self.start(target).await?.finish().await)
    }
}

/// Sets the alt text (per locale too) and display name of an asset the target already has.
async fn retouch(target: &Client, touch: &Touch) -> Outcome {
    if touch.alt_text.is_some() || touch.display_name.is_some() {
        let mut update = target.update_asset(&touch.new_id);
        if let Some(text) = &touch.alt_text {
            update = update.alt_text(text);
        }
        if let Some(name) = &touch.display_name {
            update = update.display_name(name);
        }
        if let Err(error) = update.send().await {
            return Outcome::Failed(error.for_file(touch.file.as_str()));
        }
    }
    if let Err(error) = set_locales(target, &touch.new_id, &touch.locales).await {
        return Outcome::Failed(error.for_file(touch.file.as_str()));
    }
    Outcome::AltTextSet {
        asset_id: touch.new_id.clone(),
    }
}

/// Sets an asset's alt text in each locale given.
async fn set_locales(
    target: &Client,
    asset_id: &crate::AssetId,
    texts: &[(LocaleId, String)],
) -> Result<(), Error> {
    for (locale, text) in texts {
        target
            .update_asset(asset_id)
            .locale(locale.clone())
            .alt_text(text)
            .send()
            .await?;
    }
    Ok(())
}

/// Copies one asset: streamed from the source's CDN into the target's upload.
async fn one(target: &Client, cache: &FolderCache, site: &SiteId, copy: PlannedCopy) -> Outcome {
    let Some(url) = &copy.hosted_url else {
        return Outcome::Failed(Error::UnexpectedResponse {
            file: Some(copy.file.to_string()),
            status: None,
            body: format!("asset {} has no hosted URL", copy.asset_id),
        });
    };
    let mut upload = target
        .upload(site, UploadSource::hosted(url.clone()))
        .file_name(copy.file.name())
        .confirm(false);
    if let Some(path) = &copy.folder_path {
        match cache.ensure(path).await {
            Ok(id) => upload = upload.folder_id(id),
            Err(error) => return Outcome::Failed(error),
        }
    }
    if let Some(text) = &copy.alt_text {
        upload = upload.alt_text(text.clone());
    }
    if let Some(name) = &copy.display_name {
        upload = upload.display_name(name.clone());
    }
    match upload.send().await {
        Ok(asset) => {
            // The asset is on the target now; a locale that fails to take its text is fixed
            // by the next run, which finds the asset and compares.
            if let Err(error) = set_locales(target, &asset.id, &copy.locales).await {
                return Outcome::Failed(error.for_file(copy.file.as_str()));
            }
            Outcome::Copied {
                asset_id: copy.asset_id,
                hosted_url: url.clone(),
                new_asset_id: asset.id,
                new_hosted_url: asset.hosted_url,
                folder_path: copy.source_folder,
                name: copy.file.name().to_string(),
            }
        }
        // The file itself refused (type, size, name) is skipped as refused; a source that
        // could not be downloaded (its address refused) is a failure, as any check that
        // could not be made.
        Err(Error::Validation { rule, .. })
            if !matches!(
                rule,
                crate::validate::Rule::InvalidId { .. }
                    | crate::validate::Rule::PrivateAddress { .. }
                    | crate::validate::Rule::InvalidUrl { .. }
            ) =>
        {
            Outcome::Skipped(SkipReason::Refused { rule })
        }
        Err(error) => Outcome::Failed(error),
    }
}
