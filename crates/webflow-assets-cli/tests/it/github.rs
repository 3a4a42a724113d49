//! Under GitHub Actions: annotations on standard error, the step summary and the step outputs,
//! written to temporary files as the runner would provide them; `--json` output unchanged.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{command, json_lines, output, text};
use webflow_fake::{FakeHandle, FakeWebflow, Fault, Target};

/// The files a runner hands a step, in a directory of their own.
struct Step {
    dir: tempfile::TempDir,
}

impl Step {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn summary(&self) -> PathBuf {
        self.dir.path().join("summary.md")
    }

    fn outputs(&self) -> PathBuf {
        self.dir.path().join("outputs")
    }

    /// What was appended to a file since the last read, which empties it.
    fn take(path: &Path) -> String {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let _ = std::fs::remove_file(path);
        text
    }

    /// The command as a workflow step runs it, in `workspace`.
    fn command(&self, fake: &FakeHandle, workspace: &Path, args: &[&str]) -> Command {
        let mut command = command(fake, args);
        command
            .current_dir(workspace)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_STEP_SUMMARY", self.summary())
            .env("GITHUB_OUTPUT", self.outputs());
        command
    }

    async fn run(&self, fake: &FakeHandle, workspace: &Path, args: &[&str]) -> Output {
        output(self.command(fake, workspace, args)).await
    }
}

/// The step outputs as key and value.
fn outputs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|line| {
            let (key, value) = line.split_once('=').expect("key=value");
            (key.to_string(), value.to_string())
        })
        .collect()
}

fn has(outputs: &[(String, String)], key: &str, value: usize) -> bool {
    outputs.contains(&(key.to_string(), value.to_string()))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_summarises_the_plan() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let assets = workspace.path().join("assets");
    std::fs::create_dir_all(assets.join("brand")).unwrap();
    std::fs::write(assets.join("a.txt"), "a").unwrap();
    std::fs::write(assets.join("brand/b.txt"), "b").unwrap();
    std::fs::write(assets.join("tool.exe"), "MZ").unwrap();
    let step = Step::new();

    let args = ["sync", "./assets", "--folder", "site", "--dry-run"];
    let plain = step.run(&fake, workspace.path(), &args).await;
    // 3: the plan holds a file Webflow would refuse (tool.exe).
    assert_eq!(plain.status.code(), Some(3), "{}", text(&plain));
    let summary = Step::take(&step.summary());
    assert!(summary.contains("plan (dry run"), "{summary}");
    assert!(
        summary.contains("| to upload | to delete | unchanged | skipped | refused | failed |"),
        "{summary}"
    );
    assert!(summary.contains("| 2 | 0 | 0 | 1 | 1 | 0 |"), "{summary}");
    assert!(summary.contains("**Would upload** (2)"), "{summary}");
    assert!(summary.contains("- `brand/b.txt`: new"), "{summary}");
    assert!(summary.contains("**Refused** (1)"), "{summary}");
    assert!(summary.contains("- `tool.exe`: refused\\:"), "{summary}");
    let keys = outputs(&Step::take(&step.outputs()));
    assert!(
        has(&keys, "uploads", 2) && has(&keys, "deletes", 0),
        "{keys:?}"
    );
    assert!(
        has(&keys, "skipped", 1) && has(&keys, "failed", 0),
        "{keys:?}"
    );
    let errors = stderr(&plain);
    let warnings: Vec<&str> = errors
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| l.split("::").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(
        warnings,
        ["warning file=assets/tool.exe"],
        "{}",
        text(&plain)
    );
    assert_eq!(
        fake.state().uploaded_assets().len(),
        0,
        "a dry run changes nothing"
    );

    // --json: standard output is the same JSON lines whether or not the step gets its extras.
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let json = step.run(&fake, workspace.path(), &json_args).await;
    let mut without = step.command(&fake, workspace.path(), &json_args);
    without.arg("--no-github");
    let without = output(without).await;
    assert_eq!(json.status.code(), Some(3), "{}", text(&json));
    assert_eq!(without.status.code(), Some(3), "{}", text(&without));
    assert_eq!(
        String::from_utf8_lossy(&json.stdout),
        String::from_utf8_lossy(&without.stdout)
    );
    assert!(!json_lines(&json).is_empty());
    assert!(stderr(&json).contains("::warning file=assets/tool.exe::"));
    assert!(!stderr(&without).contains("::"), "{}", stderr(&without));
    // The --no-github run wrote nothing; the --json one wrote its plan.
    assert_eq!(Step::take(&step.summary()).matches("### ").count(), 1);
    assert!(has(&outputs(&Step::take(&step.outputs())), "uploads", 2));

    // The environment variable turns it off too.
    let mut off = step.command(&fake, workspace.path(), &args);
    off.env("WEBFLOW_ASSETS_NO_GITHUB", "1");
    let off = output(off).await;
    assert_eq!(off.status.code(), Some(3), "{}", text(&off));
    assert!(!stderr(&off).contains("::"), "{}", stderr(&off));
    assert!(!step.summary().exists() && !step.outputs().exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_with_a_refused_and_a_failed_file() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let assets = workspace.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(assets.join("kept.txt"), "kept").unwrap();
    std::fs::write(assets.join("old.txt"), "old").unwrap();
    let step = Step::new();
    let args = ["sync", "assets", "--folder", "site", "--delete"];
    let first = step.run(&fake, workspace.path(), &args).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let keys = outputs(&Step::take(&step.outputs()));
    assert!(
        has(&keys, "uploaded", 2) && has(&keys, "failed", 0),
        "{keys:?}"
    );
    Step::take(&step.summary());

    // A name with the characters that end a property and start an escape; its upload is
    // refused by Webflow, and a .exe is refused before anything is sent.
    let crafted = "a,b%.txt";
    std::fs::write(assets.join(crafted), "bad").unwrap();
    std::fs::write(assets.join("tool.exe"), "MZ").unwrap();
    fake.faults().inject(
        Target::CreateAsset,
        Fault::webflow_error(400, "validation_error", "Validation Error"),
        1,
    );
    let run = step.run(&fake, workspace.path(), &args).await;
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let annotations: Vec<String> = stderr(&run)
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(str::to_string)
        .collect();
    assert_eq!(annotations.len(), 2, "{annotations:?}");
    assert!(
        annotations[0]
            .starts_with("::error file=assets/a%2Cb%25.txt::a,b%25.txt: Webflow answered 400"),
        "{annotations:?}"
    );
    assert!(
        annotations[1].starts_with("::warning file=assets/tool.exe::tool.exe: refused: "),
        "{annotations:?}"
    );
    let summary = Step::take(&step.summary());
    assert!(
        summary.contains("| uploaded | unchanged | deleted | skipped | refused | failed |"),
        "{summary}"
    );
    // old.txt is kept: nothing is deleted in a run where something failed.
    assert!(summary.contains("| 0 | 2 | 0 | 1 | 1 | 1 |"), "{summary}");
    assert!(
        summary.contains("**Failed** (1)\n\n- `a,b%.txt`: Webflow answered 400"),
        "{summary}"
    );
    assert!(
        summary.contains("**Refused** (1)\n\n- `tool.exe`: refused\\:"),
        "{summary}"
    );
    let keys = outputs(&Step::take(&step.outputs()));
    for (key, value) in [
        ("uploaded", 0),
        ("unchanged", 2),
        ("deleted", 0),
        ("skipped", 1),
        ("refused", 1),
        ("failed", 1),
    ] {
        assert!(has(&keys, key, value), "{key}={value} in {keys:?}");
    }

    // The failed file gone and old.txt deleted: the summary lists the deletion.
    std::fs::remove_file(assets.join(crafted)).unwrap();
    std::fs::remove_file(assets.join("old.txt")).unwrap();
    let clean = step.run(&fake, workspace.path(), &args).await;
    assert_eq!(clean.status.code(), Some(3), "tool.exe is still refused");
    let summary = Step::take(&step.summary());
    assert!(
        summary.contains("**Deleted** (1)\n\n- `old.txt`: `"),
        "{summary}"
    );
    let keys = outputs(&Step::take(&step.outputs()));
    assert!(
        has(&keys, "deleted", 1) && has(&keys, "refused", 1),
        "{keys:?}"
    );
}

/// A URL names no file, whatever the case of its scheme: its annotation has no `file=`. A
/// file whose name starts like a URL is a file all the same: its annotation names it.
#[tokio::test(flavor = "multi_thread")]
async fn a_url_s_annotation_names_no_file() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let workspace = tempfile::tempdir().unwrap();
    // A port nothing listens on: the download fails, and the failure is annotated.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("HTTPS://127.0.0.1:{port}/a.png");
    // A type the SDK refuses, so the named file fails too.
    std::fs::write(workspace.path().join("https:x.exe"), "x").unwrap();
    let step = Step::new();
    let run = step
        .run(&fake, workspace.path(), &["upload", &url, "https:x.exe"])
        .await;
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let mut annotations: Vec<String> = stderr(&run)
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(str::to_string)
        .collect();
    annotations.sort();
    assert_eq!(annotations.len(), 2, "{annotations:?}");
    assert!(
        annotations[0].starts_with("::error file=https%3Ax.exe::https:x.exe: "),
        "{annotations:?}"
    );
    assert!(
        annotations[1].starts_with(&format!("::error::{url}: ")),
        "{annotations:?}"
    );
}

/// The outputs the repository's Action declares, each with the step output it passes on.
fn action_outputs() -> Vec<(String, String)> {
    #[derive(serde::Deserialize)]
    struct Action {
        outputs: std::collections::BTreeMap<String, Output>,
    }
    #[derive(serde::Deserialize)]
    struct Output {
        value: String,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../action.yml");
    let action: Action =
        serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).expect("action.yml reads");
    action
        .outputs
        .into_iter()
        .map(|(key, output)| (key, output.value))
        .collect()
}

/// Every count the command sets as a step output, after a run and after a dry run, is an
/// output of the Action, which passes on that step output; the Action declares no other.
#[tokio::test(flavor = "multi_thread")]
async fn the_action_passes_on_every_count_the_command_sets() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let workspace = tempfile::tempdir().unwrap();
    std::fs::create_dir(workspace.path().join("assets")).unwrap();
    std::fs::write(workspace.path().join("assets/a.txt"), "a").unwrap();
    let step = Step::new();
    let mut written = std::collections::BTreeSet::new();
    for args in [
        &["sync", "./assets", "--dry-run"][..],
        &["sync", "./assets"][..],
    ] {
        let run = step.run(&fake, workspace.path(), args).await;
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
        let keys = outputs(&Step::take(&step.outputs()));
        assert!(!keys.is_empty(), "{args:?} set no output");
        written.extend(keys.into_iter().map(|(key, _)| key));
    }
    // Both the run's counts and the plan's.
    assert!(written.contains("uploaded") && written.contains("uploads"));

    let declared = action_outputs();
    let names: std::collections::BTreeSet<String> =
        declared.iter().map(|(key, _)| key.clone()).collect();
    assert_eq!(names, written, "action.yml's outputs");
    for (key, value) in &declared {
        assert_eq!(value, &format!("${{{{ steps.run.outputs.{key} }}}}"));
    }
}
