//! `webflow-assets mcp`, driven as an agent's client drives it: the built binary spawned as a
//! child process, spoken to with rmcp's own client, against the fake. Every byte on the wire
//! and on standard error is recorded, and the token must be in none of it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use rmcp::model::{
    CallToolRequest, CallToolRequestParams, CallToolResult, ClientRequest,
    ProgressNotificationParam, ProgressToken, ServerResult, Tool,
};
use rmcp::service::{NotificationContext, PeerRequestOptions, RunningService};
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use webflow_fake::{FakeHandle, FakeWebflow, Fault, SampleFont, Target};

const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");

/// Bytes that pass through, copied to a shared log.
struct Tee<T> {
    inner: T,
    log: Arc<Mutex<Vec<u8>>>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Tee<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled()[before..].to_vec();
        self.log.lock().unwrap().extend_from_slice(&read);
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tee<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = &polled {
            self.log.lock().unwrap().extend_from_slice(&data[..*n]);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The client's side: it keeps every progress notification.
#[derive(Clone, Default)]
struct Recorder {
    progress: Arc<Mutex<Vec<ProgressNotificationParam>>>,
    arrived: Arc<tokio::sync::Notify>,
}

impl ClientHandler for Recorder {
    async fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.progress.lock().unwrap().push(params);
        self.arrived.notify_waiters();
    }
}

/// A server spawned as a child process, and the client talking to it.
struct Session {
    client: RunningService<RoleClient, Recorder>,
    recorder: Recorder,
    /// What the client sent.
    sent: Arc<Mutex<Vec<u8>>>,
    /// What the server said, apart, so its lines stay whole.
    said: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// Reads standard error to its end.
    stderr_read: tokio::task::JoinHandle<()>,
    child: tokio::process::Child,
    token: String,
    /// The progress token of the last tool call.
    last_call: Mutex<Option<ProgressToken>>,
}

impl Session {
    /// `webflow-assets [flags] mcp [args]` against the fake.
    async fn start(fake: &FakeHandle, flags: &[&str], args: &[&str]) -> Session {
        Self::with_token(fake, fake.token(), flags, args).await
    }

    /// The same, with this token instead of the fake's.
    async fn with_token(fake: &FakeHandle, token: &str, flags: &[&str], args: &[&str]) -> Session {
        Self::spawn(fake, token, true, flags, args).await
    }

    /// The same, without leave to fetch from private addresses (the fake's hosted files).
    async fn without_private_urls(fake: &FakeHandle, args: &[&str]) -> Session {
        Self::spawn(fake, fake.token(), false, &[], args).await
    }

    async fn spawn(
        fake: &FakeHandle,
        token: &str,
        private_urls: bool,
        flags: &[&str],
        args: &[&str],
    ) -> Session {
        let mut command = tokio::process::Command::new(BIN);
        command
            .env_clear()
            .env("WEBFLOW_TOKEN", token)
            .env("WEBFLOW_SITE_ID", fake.site_id())
            .args(["--base-url", &fake.base_url()])
            .args(private_urls.then_some("--allow-private-urls"))
            .args(["--rate-limit", "100000"])
            .args(flags)
            .arg("mcp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().unwrap();
        let sent = Arc::new(Mutex::new(Vec::new()));
        let said = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut err = child.stderr.take().unwrap();
        let log = stderr.clone();
        let stderr_read = tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                log.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let read = Tee {
            inner: child.stdout.take().unwrap(),
            log: said.clone(),
        };
        let write = Tee {
            inner: child.stdin.take().unwrap(),
            log: sent.clone(),
        };
        let recorder = Recorder::default();
        let client = recorder.clone().serve((read, write)).await.unwrap();
        Session {
            client,
            recorder,
            sent,
            said,
            stderr,
            stderr_read,
            child,
            token: token.to_string(),
            last_call: Mutex::new(None),
        }
    }

    async fn tools(&self) -> Vec<Tool> {
        self.client.list_all_tools().await.unwrap()
    }

    async fn call(&self, name: &str, arguments: Value) -> CallToolResult {
        let Value::Object(arguments) = arguments else {
            panic!("arguments are an object")
        };
        let params = CallToolRequestParams::new(name.to_string()).with_arguments(arguments);
        // Sent by hand rather than with `call_tool`, to learn the call's progress token.
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
        let handle = self
            .client
            .send_request_with_option(request, PeerRequestOptions::no_options())
            .await
            .unwrap();
        *self.last_call.lock().unwrap() = Some(handle.progress_token.clone());
        match handle.await_response().await.unwrap() {
            ServerResult::CallToolResult(result) => result,
            other => panic!("{name}: not a tool result: {other:?}"),
        }
    }

    /// A call that must succeed: its structured content.
    async fn ok(&self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments).await;
        assert_ne!(result.is_error, Some(true), "{name}: {result:?}");
        assert!(
            result.content.iter().any(|c| c.as_text().is_some()),
            "{name}: a summary for people"
        );
        result.structured_content.expect("structured content")
    }

    /// A call that must fail: its error object.
    async fn err(&self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments).await;
        assert_eq!(result.is_error, Some(true), "{name}: {result:?}");
        let text = result.content[0].as_text().expect("text").text.clone();
        serde_json::from_str(&text).expect("the error object is JSON")
    }

    /// Waits until the last tool call's progress has said `done` of `done` files; every
    /// value it said is a count of files within that total. The client hands each
    /// notification to a task of its own, so they may be handled a moment after the reply,
    /// and in any order; the order they were sent in is checked by `finish`.
    async fn progress_to(&self, done: usize) {
        let token = self.last_call.lock().unwrap().clone().expect("a tool call");
        let done = done as f64;
        let reached = async {
            loop {
                let arrived = self.recorder.arrived.notified();
                tokio::pin!(arrived);
                arrived.as_mut().enable();
                {
                    let all = self.recorder.progress.lock().unwrap();
                    let ours: Vec<_> = all.iter().filter(|p| p.progress_token == token).collect();
                    if ours.iter().any(|p| p.progress == done) {
                        for p in ours {
                            assert_eq!(p.total, Some(done), "{p:?}");
                            assert!(p.progress >= 1.0 && p.progress <= done, "{p:?}");
                        }
                        return;
                    }
                }
                arrived.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(20), reached)
            .await
            .unwrap_or_else(|_| panic!("no progress said {done} of {done}"))
    }

    /// Ends the session; everything said on the wire and on standard error.
    async fn finish(mut self) -> (String, String) {
        self.client.cancel().await.unwrap();
        let status = tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("the server stops when its input closes")
            .unwrap();
        assert!(status.success(), "{status:?}");
        self.stderr_read.await.unwrap();
        let sent = String::from_utf8_lossy(&self.sent.lock().unwrap()).into_owned();
        let wire = String::from_utf8_lossy(&self.said.lock().unwrap()).into_owned();
        let stderr = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
        assert!(!sent.contains(&self.token), "the token is on the wire");
        assert!(!wire.contains(&self.token), "the token is on the wire");
        assert!(!stderr.contains(&self.token), "the token is in a log line");
        progress_only_grows(&wire);
        (wire, stderr)
    }
}

/// MCP: the progress of a request "MUST increase with each notification". Checked on the
/// server's own output, where the order is the order sent.
fn progress_only_grows(wire: &str) {
    let mut last: HashMap<String, f64> = HashMap::new();
    for line in wire.lines() {
        let message: Value = serde_json::from_str(line).expect("each line is one message");
        if message["method"] != "notifications/progress" {
            continue;
        }
        let params = &message["params"];
        let token = params["progressToken"].to_string();
        let now = params["progress"].as_f64().expect("a number");
        if let Some(before) = last.insert(token, now) {
            assert!(now > before, "progress went from {before} to {now}: {line}");
        }
    }
}

async fn fake() -> FakeHandle {
    FakeWebflow::builder()
        .rate_limit(1_000_000, Duration::from_secs(60))
        .start()
        .await
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn names(tools: &[Tool]) -> Vec<String> {
    tools.iter().map(|t| t.name.to_string()).collect()
}

const ALL: [&str; 15] = [
    "list_sites",
    "list_assets",
    "list_folders",
    "get_asset",
    "upload_files",
    "upload_url",
    "create_folder",
    "update_asset",
    "delete_assets",
    "plan_sync",
    "apply_sync",
    "pull",
    "audit",
    "list_fonts",
    "upload_fonts",
];

/// Every tool, called through the client, with its structured result in the command's
/// vocabulary; the listing's annotations and schemas; the token nowhere.
#[tokio::test(flavor = "multi_thread")]
async fn every_tool_works_through_the_official_client() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    write(dir, "logo.png", b"\x89PNG one");
    write(dir, "site/a.png", b"\x89PNG a");
    write(dir, "site/b/c.pdf", b"%PDF c");
    write(
        dir,
        "fonts/Sans.ttf",
        &SampleFont::new("Mcp Sans", 400, false).ttf(),
    );
    let session = Session::start(&fake, &[], &["--root", dir.to_str().unwrap()]).await;

    let tools = session.tools().await;
    assert_eq!(names(&tools), ALL);
    for tool in &tools {
        let annotations = tool.annotations.as_ref().expect("annotations");
        assert!(annotations.read_only_hint.is_some(), "{}", tool.name);
        let output = tool.output_schema.as_ref().expect("an output schema");
        assert_eq!(output["type"], "object", "{}", tool.name);
        assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
    }
    let tool = |name: &str| tools.iter().find(|t| t.name == name).unwrap();
    let hints = |name: &str| tool(name).annotations.clone().unwrap();
    for name in [
        "list_sites",
        "list_assets",
        "get_asset",
        "plan_sync",
        "audit",
    ] {
        assert_eq!(hints(name).read_only_hint, Some(true), "{name}");
    }
    for name in ["delete_assets", "apply_sync", "update_asset", "pull"] {
        assert_eq!(hints(name).read_only_hint, Some(false), "{name}");
        assert_eq!(hints(name).destructive_hint, Some(true), "{name}");
    }
    assert_eq!(hints("upload_files").destructive_hint, Some(false));
    assert_eq!(hints("upload_url").open_world_hint, Some(true));
    // The vocabulary of the `--json` lines.
    let run_schema = serde_json::to_string(&tool("upload_files").output_schema).unwrap();
    for word in [
        "\"status\"",
        "\"reason\"",
        "\"rule\"",
        "\"code\"",
        "unsupported_type",
    ] {
        assert!(run_schema.contains(word), "{word} in {run_schema}");
    }

    let sites = session.ok("list_sites", json!({})).await;
    assert_eq!(sites["sites"][0]["id"], fake.site_id());

    let uploaded = session
        .ok(
            "upload_files",
            json!({"paths": ["logo.png"], "folder": "brand", "alt_text": "The logo"}),
        )
        .await;
    assert_eq!(uploaded["files"][0]["status"], "uploaded", "{uploaded}");
    assert_eq!(uploaded["files"][0]["file"], "logo.png");
    assert_eq!(uploaded["report"]["uploaded"], 1);
    session.progress_to(1).await;
    let logo_id = uploaded["files"][0]["asset_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        fake.state().asset(&logo_id).unwrap().alt_text.as_deref(),
        Some("The logo")
    );

    // A refused file is a failure of the call, with the rule it breaks in its record.
    write(dir, "tool.exe", b"MZ");
    let refused = session
        .call("upload_files", json!({"paths": ["tool.exe"]}))
        .await;
    assert_eq!(refused.is_error, Some(true));
    let refused = refused.structured_content.unwrap();
    assert_eq!(refused["files"][0]["status"], "failed", "{refused}");
    assert_eq!(refused["error"]["code"], "refused_file", "{refused}");

    let folder = session
        .ok("create_folder", json!({"path": "brand/logos"}))
        .await;
    assert_eq!(folder["folder"]["path"], "brand/logos");
    let folders = session.ok("list_folders", json!({})).await;
    let paths: Vec<&str> = folders["folders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["brand", "brand/logos"]);

    let listed = session
        .ok(
            "list_assets",
            json!({"folder": "brand", "name": "LOGO", "limit": 5}),
        )
        .await;
    assert_eq!(listed["matched"], 1, "{listed}");
    assert_eq!(listed["assets"][0]["id"], logo_id.as_str());

    let asset = session.ok("get_asset", json!({"asset_id": logo_id})).await;
    assert_eq!(asset["asset"]["altText"], "The logo", "{asset}");
    let updated = session
        .ok(
            "update_asset",
            json!({"asset_id": logo_id, "alt_text": "A new logo", "display_name": "Logo"}),
        )
        .await;
    assert_eq!(updated["asset"]["displayName"], "Logo", "{updated}");
    assert_eq!(
        fake.state().asset(&logo_id).unwrap().alt_text.as_deref(),
        Some("A new logo")
    );
    let missing = session
        .err("get_asset", json!({"asset_id": "0123456789abcdef01234567"}))
        .await;
    assert_eq!(missing["code"], "not_found", "{missing}");
    let bad = session.err("get_asset", json!({"asset_id": "nope"})).await;
    assert_eq!(bad["code"], "invalid_input", "{bad}");
    // A locale is checked as an asset id is: a bad one is refused before anything is sent.
    let sent = fake.requests().len();
    let bad = session
        .err(
            "update_asset",
            json!({"asset_id": logo_id, "alt_text": "Un logo", "locale": "fr"}),
        )
        .await;
    assert_eq!(bad["code"], "invalid_input", "{bad}");
    assert!(bad.to_string().contains("not a valid locale id"), "{bad}");
    assert_eq!(fake.requests().len(), sent, "nothing was sent");
    let french = "65f0aa00bb11cc22dd33ee99";
    session
        .ok(
            "update_asset",
            json!({"asset_id": logo_id, "alt_text": "Un logo", "locale": french}),
        )
        .await;
    let logo = fake.state().asset(&logo_id).unwrap();
    assert_eq!(logo.localized_alt_text[french], "Un logo");
    assert_eq!(logo.alt_text.as_deref(), Some("A new logo"));

    // A URL on the fake's CDN (loopback, allowed by --allow-private-urls).
    let url = uploaded["files"][0]["hosted_url"]
        .as_str()
        .unwrap()
        .to_string();
    let fetched = session
        .ok(
            "upload_url",
            json!({"url": url, "folder": "copies", "file_name": "copy.png", "alt_text": "A copy"}),
        )
        .await;
    assert_eq!(fetched["files"][0]["status"], "uploaded", "{fetched}");
    let copy_id = fetched["files"][0]["asset_id"]
        .as_str()
        .unwrap()
        .to_string();

    let plan = session
        .ok("plan_sync", json!({"dir": "site", "folder": "site"}))
        .await;
    assert_eq!(plan["plan"]["uploads"], 2, "{plan}");
    let applied = session
        .ok("apply_sync", json!({"plan_id": plan["plan_id"]}))
        .await;
    assert_eq!(applied["report"]["uploaded"], 2, "{applied}");
    session.progress_to(2).await;
    // A plan is applied once.
    let again = session
        .err("apply_sync", json!({"plan_id": plan["plan_id"]}))
        .await;
    assert_eq!(again["code"], "not_found", "{again}");

    let pulled = session
        .ok("pull", json!({"dir": "backup", "folder": "site"}))
        .await;
    assert_eq!(pulled["report"]["downloaded"], 2, "{pulled}");
    session.progress_to(2).await;
    assert_eq!(
        std::fs::read(dir.join("backup/b/c.pdf")).unwrap(),
        b"%PDF c"
    );

    let audit = session.ok("audit", json!({})).await;
    assert!(audit["audit"]["assets"].as_u64().unwrap() >= 4, "{audit}");
    assert!(
        audit["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["finding"] == "duplicate"),
        "logo.png and its copy are one file: {audit}"
    );

    let fonts = session
        .ok("upload_fonts", json!({"paths": ["fonts"]}))
        .await;
    assert_eq!(fonts["files"][0]["status"], "uploaded", "{fonts}");
    session.progress_to(1).await;
    let again = session
        .ok("upload_fonts", json!({"paths": ["fonts/Sans.ttf"]}))
        .await;
    assert_eq!(again["files"][0]["status"], "skipped", "{again}");
    let listed = session.ok("list_fonts", json!({})).await;
    assert_eq!(listed["fonts"].as_array().unwrap().len(), 1, "{listed}");

    let deleted = session
        .ok("delete_assets", json!({"asset_ids": [copy_id]}))
        .await;
    assert_eq!(deleted["files"][0]["status"], "deleted", "{deleted}");
    assert_eq!(deleted["files"][0]["reason"], "requested", "{deleted}");
    assert!(fake.state().asset(&copy_id).is_none());

    // Arguments that do not fit the schema are a protocol error, not a tool failure.
    let params = CallToolRequestParams::new("get_asset")
        .with_arguments(json!({"asset": 1}).as_object().unwrap().clone());
    assert!(session.client.call_tool(params).await.is_err());

    let (wire, stderr) = session.finish().await;
    // Agents pay for the listing in context: the whole `tools/list` reply, every tool
    // listed, as the client received it, stays within 16 KiB.
    let reply = wire
        .lines()
        .find(|line| line.contains(r#""result":{"tools":["#))
        .expect("the tools/list reply");
    let listed = serde_json::from_str::<Value>(reply).unwrap()["result"]["tools"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed, ALL.len());
    assert!(
        reply.len() <= 16 * 1024,
        "the tools/list reply takes {} bytes",
        reply.len()
    );
    eprintln!("tools/list reply: {} bytes", reply.len());
    assert!(stderr.contains("webflow-assets mcp"), "{stderr}");
    assert!(
        stderr.contains("apply_sync: 2 uploaded"),
        "one line a call: {stderr}"
    );
}

/// Local paths are resolved before they are checked: nothing outside the roots is read or
/// written, whichever way it is named.
#[tokio::test(flavor = "multi_thread")]
async fn nothing_outside_the_roots_is_touched() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(root.path(), "ok.png", b"\x89PNG ok");
    std::fs::create_dir(root.path().join("folder.png")).unwrap();
    let secret = write(outside.path(), "secret.png", b"\x89PNG secret");
    let session = Session::start(&fake, &[], &["--root", root.path().to_str().unwrap()]).await;

    let refusal = |given: String| {
        let session = &session;
        async move { session.err("upload_files", json!({"paths": [given]})).await }
    };
    // An absolute path elsewhere.
    let error = refusal(secret.display().to_string()).await;
    assert_eq!(error["code"], "outside_roots", "{error}");
    assert!(
        error["hint"].as_str().unwrap().contains("--root"),
        "{error}"
    );
    // A `..` escape.
    let escape = format!(
        "../{}/secret.png",
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    let error = refusal(escape).await;
    assert_eq!(error["code"], "outside_roots", "{error}");
    // A file path that is a directory.
    let error = refusal("folder.png".into()).await;
    assert_eq!(error["code"], "invalid_input", "{error}");
    // A link inside the root pointing outside, as a file and as a directory.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, root.path().join("link.png")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("out")).unwrap();
        let error = refusal("link.png".into()).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        let error = session.err("plan_sync", json!({"dir": "out"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        let error = session.err("pull", json!({"dir": "out/backup"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        assert!(!outside.path().join("backup").exists());
        // A sync's alt-text file (read) or manifest (written) that is a link out.
        write(outside.path(), "alt.csv", b"path,alt\nok.png,secret\n");
        std::fs::create_dir(root.path().join("tree")).unwrap();
        write(root.path(), "tree/ok.png", b"\x89PNG ok");
        let csv = root.path().join("tree/alt-text.csv");
        std::os::unix::fs::symlink(outside.path().join("alt.csv"), &csv).unwrap();
        let error = session.err("plan_sync", json!({"dir": "tree"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        std::fs::remove_file(&csv).unwrap();
        let manifest = root.path().join("tree/.webflow-assets-manifest.json");
        std::os::unix::fs::symlink(outside.path().join("m.json"), &manifest).unwrap();
        let error = session.err("plan_sync", json!({"dir": "tree"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        std::fs::remove_file(&manifest).unwrap();
        // The manifest's journal, which a sync or pull writes (truncating it first), as a
        // link out: refused by the plan, and by a pull before anything is read or written.
        let victim = write(outside.path(), "victim.txt", b"keep");
        let journal = root
            .path()
            .join("tree/.webflow-assets-manifest.json.journal");
        std::os::unix::fs::symlink(&victim, &journal).unwrap();
        let error = session.err("plan_sync", json!({"dir": "tree"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        std::fs::create_dir(root.path().join("pulled")).unwrap();
        std::os::unix::fs::symlink(
            &victim,
            root.path()
                .join("pulled/.webflow-assets-manifest.json.journal"),
        )
        .unwrap();
        let error = session.err("pull", json!({"dir": "pulled"})).await;
        assert_eq!(error["code"], "outside_roots", "{error}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    }
    // One bad path refuses the call before anything is sent.
    let error = session
        .err(
            "upload_files",
            json!({"paths": ["ok.png", secret.display().to_string()]}),
        )
        .await;
    assert_eq!(error["code"], "outside_roots", "{error}");
    assert!(fake.state().assets().is_empty(), "nothing was uploaded");
    // A link inside the root to a file inside it: the file is read, under the link's name.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.path().join("ok.png"), root.path().join("named.png"))
            .unwrap();
        session
            .ok("upload_files", json!({"paths": ["named.png"]}))
            .await;
        let names: Vec<String> = fake
            .state()
            .assets()
            .into_iter()
            .map(|a| a.file_name)
            .collect();
        assert_eq!(names, ["named.png"]);
    }
    session.finish().await;

    // Without a root, the tools that touch local files are not listed, and refused.
    let session = Session::start(&fake, &[], &[]).await;
    let listed = names(&session.tools().await);
    for local in [
        "upload_files",
        "plan_sync",
        "apply_sync",
        "pull",
        "upload_fonts",
    ] {
        assert!(
            !listed.contains(&local.to_string()),
            "{local} in {listed:?}"
        );
    }
    assert!(listed.contains(&"upload_url".to_string()));
    let error = session
        .err("upload_files", json!({"paths": ["ok.png"]}))
        .await;
    assert_eq!(error["code"], "outside_roots", "{error}");
    session.finish().await;
}

/// `--read-only` lists only the tools that change nothing, and refuses the others.
#[tokio::test(flavor = "multi_thread")]
async fn read_only_means_read_only() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "a.png", b"\x89PNG a");
    let session = Session::start(
        &fake,
        &[],
        &["--root", root.path().to_str().unwrap(), "--read-only"],
    )
    .await;
    let tools = session.tools().await;
    assert_eq!(
        names(&tools),
        [
            "list_sites",
            "list_assets",
            "list_folders",
            "get_asset",
            "plan_sync",
            "audit",
            "list_fonts"
        ]
    );
    assert!(
        tools
            .iter()
            .all(|t| t.annotations.as_ref().unwrap().read_only_hint == Some(true))
    );
    let error = session
        .err("upload_files", json!({"paths": ["a.png"]}))
        .await;
    assert_eq!(error["code"], "read_only", "{error}");
    let error = session.err("create_folder", json!({"path": "x"})).await;
    assert_eq!(error["code"], "read_only", "{error}");
    // A plan may be made; it cannot be applied.
    let plan = session.ok("plan_sync", json!({"dir": "."})).await;
    let error = session
        .err("apply_sync", json!({"plan_id": plan["plan_id"]}))
        .await;
    assert_eq!(error["code"], "read_only", "{error}");
    assert!(fake.state().assets().is_empty());
    assert!(fake.state().folders().is_empty());
    session.finish().await;
}

/// A plan is applied only while it is still true: a file edited since, or an asset added on
/// the site since, makes it stale, and nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn a_stale_plan_is_refused_and_a_fresh_one_applied() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    write(dir, "site/a.png", b"\x89PNG a");
    write(dir, "site/b.png", b"\x89PNG b");
    let session = Session::start(&fake, &[], &["--root", dir.to_str().unwrap()]).await;
    let first = session
        .ok("plan_sync", json!({"dir": "site", "delete": true}))
        .await;
    assert_eq!(first["plan"]["uploads"], 2, "{first}");
    let id = first["plan_id"].as_str().unwrap().to_string();
    assert!(id.len() > 30, "an id nobody guesses: {id}");
    let statuses: Vec<&str> = first["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["planned_upload", "planned_upload"]);

    // A local file changed since (same size, other bytes), saved later than it was planned:
    // its modification time is set, not waited for, as a clock may not tick between writes.
    let edited = write(dir, "site/a.png", b"\x89PNG A");
    std::fs::File::options()
        .write(true)
        .open(edited)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    let stale = session.err("apply_sync", json!({"plan_id": id})).await;
    assert_eq!(stale["code"], "stale_plan", "{stale}");
    assert!(stale["hint"].as_str().unwrap().contains("plan_sync"));
    assert!(fake.state().assets().is_empty(), "nothing was uploaded");

    // A fresh plan, applied.
    let plan = session
        .ok("plan_sync", json!({"dir": "site", "delete": true}))
        .await;
    let applied = session
        .ok("apply_sync", json!({"plan_id": plan["plan_id"]}))
        .await;
    assert_eq!(applied["report"]["uploaded"], 2, "{applied}");

    // The site changed since: an asset another hand put under the synced folder.
    std::fs::remove_file(dir.join("site/b.png")).unwrap();
    let plan = session
        .ok("plan_sync", json!({"dir": "site", "delete": true}))
        .await;
    assert_eq!(plan["plan"]["deletes"], 1, "{plan}");
    let deletion = plan["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "planned_delete")
        .unwrap();
    assert_eq!(deletion["reason"], "no_local_file", "{plan}");
    write(dir, "other/c.png", b"\x89PNG c");
    let other = session
        .ok("upload_files", json!({"paths": ["other/c.png"]}))
        .await;
    assert_eq!(other["report"]["uploaded"], 1);
    let before: Vec<String> = fake.state().assets().into_iter().map(|a| a.id).collect();
    let stale = session
        .err("apply_sync", json!({"plan_id": plan["plan_id"]}))
        .await;
    assert_eq!(stale["code"], "stale_plan", "{stale}");
    let after: Vec<String> = fake.state().assets().into_iter().map(|a| a.id).collect();
    assert_eq!(before, after, "the site is unchanged");

    // Unknown ids are errors.
    let unknown = session
        .err("apply_sync", json!({"plan_id": "plan_0000"}))
        .await;
    assert_eq!(unknown["code"], "not_found", "{unknown}");
    session.finish().await;
}

/// Progress comes as files finish; a cancellation lets the files in flight finish and starts
/// no other, so nothing is half-uploaded and the next plan is exactly what is left.
#[tokio::test(flavor = "multi_thread")]
async fn progress_and_cancellation_mid_sync() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    const FILES: usize = 12;
    for i in 0..FILES {
        write(dir, &format!("f{i:02}.png"), format!("PNG {i}").as_bytes());
    }
    let session = Session::start(
        &fake,
        &["--concurrency", "2"],
        &["--root", dir.to_str().unwrap()],
    )
    .await;
    let plan = session.ok("plan_sync", json!({"dir": "."})).await;
    assert_eq!(plan["plan"]["uploads"], FILES);
    // Each upload's form takes a while, so the cancellation comes mid-run.
    fake.faults().inject(
        Target::S3Upload,
        Fault::Delay(Duration::from_millis(400)),
        FILES,
    );
    let arrived = session.recorder.arrived.clone();
    let waiting = arrived.notified();
    let params = CallToolRequestParams::new("apply_sync").with_arguments(
        json!({"plan_id": plan["plan_id"]})
            .as_object()
            .unwrap()
            .clone(),
    );
    let call = session.client.call_tool(params);
    tokio::select! {
        result = call => panic!("the sync ended before any progress: {result:?}"),
        _ = waiting => {}
    }
    // Dropping the call sent `notifications/cancelled`.
    let progress = session.recorder.progress.lock().unwrap().clone();
    assert!(!progress.is_empty());
    assert_eq!(progress[0].total, Some(FILES as f64));
    assert!(progress[0].progress >= 1.0);

    // The next plan waits for the files in flight, then sees exactly what is on the site.
    let next = session.ok("plan_sync", json!({"dir": "."})).await;
    let assets = fake.state().assets();
    let uploaded = fake.state().uploaded_assets();
    assert_eq!(
        assets.len(),
        uploaded.len(),
        "an asset was left half-uploaded"
    );
    assert!(
        uploaded.len() < FILES,
        "the cancellation stopped the run: {} uploaded",
        uploaded.len()
    );
    assert!(!uploaded.is_empty());
    assert_eq!(next["plan"]["unchanged"], uploaded.len(), "{next}");
    assert_eq!(next["plan"]["uploads"], FILES - uploaded.len(), "{next}");
    assert_eq!(next["plan"]["failed"], 0, "{next}");

    // And the rest, with progress to the end.
    let applied = session
        .ok("apply_sync", json!({"plan_id": next["plan_id"]}))
        .await;
    assert_eq!(applied["report"]["uploaded"], FILES - uploaded.len());
    // Files found unchanged count as done.
    session.progress_to(FILES).await;
    assert_eq!(fake.state().uploaded_assets().len(), FILES);
    session.finish().await;
}

/// A token Webflow refuses is named by its fix, never by its value.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_never_repeated() {
    let fake = fake().await;
    let wrong = "wf-refused-0123456789abcdef0123456789abcdef";
    let session = Session::with_token(&fake, wrong, &[], &[]).await;
    let error = session.err("list_assets", json!({})).await;
    assert_eq!(error["code"], "invalid_token", "{error}");
    assert!(
        error["hint"].as_str().unwrap().contains("WEBFLOW_TOKEN"),
        "{error}"
    );
    let error = session.err("list_sites", json!({})).await;
    assert_eq!(error["code"], "invalid_token", "{error}");
    // `finish` checks the wire and standard error for the token.
    session.finish().await;
}

/// `upload_fonts` follows `fonts upload`'s rules: a face the site has under another file
/// name (Webflow's 409) is skipped when the hosted bytes are the same, and fails naming the
/// `fonts replace` to run when they differ.
#[tokio::test(flavor = "multi_thread")]
async fn upload_fonts_of_a_face_on_the_site_skips_same_bytes_and_names_replace_otherwise() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    let face = SampleFont::new("Mcp Face", 400, false);
    write(root.path(), "Face.ttf", &face.ttf());
    write(root.path(), "copy/Copy.ttf", &face.ttf());
    let other = write(root.path(), "other/Face.woff", &face.woff());
    let session = Session::start(&fake, &[], &["--root", root.path().to_str().unwrap()]).await;
    let first = session
        .ok("upload_fonts", json!({"paths": ["Face.ttf"]}))
        .await;
    let id = first["files"][0]["id"].as_str().unwrap().to_string();

    let same = session
        .ok("upload_fonts", json!({"paths": ["copy/Copy.ttf"]}))
        .await;
    assert_eq!(same["files"][0]["status"], "skipped", "{same}");
    assert_eq!(same["files"][0]["id"], id.as_str(), "{same}");
    assert!(
        same["files"][0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("the same bytes"),
        "{same}"
    );

    let result = session
        .call("upload_fonts", json!({"paths": ["other/Face.woff"]}))
        .await;
    assert_eq!(result.is_error, Some(true), "{result:?}");
    let refused = result.structured_content.expect("structured content");
    assert_eq!(refused["files"][0]["status"], "failed", "{refused}");
    assert_eq!(refused["files"][0]["id"], id.as_str(), "{refused}");
    assert!(
        refused["files"][0]["detail"]
            .as_str()
            .unwrap()
            .contains(&format!(
                "webflow-assets fonts replace {id} {}",
                other.canonicalize().unwrap().display()
            )),
        "{refused}"
    );
    assert_eq!(refused["report"]["failed"], 1, "{refused}");
    let listed = session.ok("list_fonts", json!({})).await;
    assert_eq!(listed["fonts"].as_array().unwrap().len(), 1, "{listed}");
    session.finish().await;

    // A font of the same name whose hosted file cannot be read (no leave to fetch from the
    // fake's loopback CDN) is neither changed nor unchanged: it fails, saying why.
    let session =
        Session::without_private_urls(&fake, &["--root", root.path().to_str().unwrap()]).await;
    let result = session
        .call("upload_fonts", json!({"paths": ["Face.ttf"]}))
        .await;
    assert_eq!(result.is_error, Some(true), "{result:?}");
    let uncompared = result.structured_content.expect("structured content");
    assert_eq!(uncompared["files"][0]["status"], "failed", "{uncompared}");
    assert_eq!(uncompared["files"][0]["id"], id.as_str(), "{uncompared}");
    assert!(
        uncompared["files"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("could not compare with the site"),
        "{uncompared}"
    );
    assert_eq!(uncompared["report"]["failed"], 1, "{uncompared}");
    session.finish().await;
}

/// A cancelled `upload_fonts` finishes the font in flight and reports every other one as
/// skipped, cancelled: no file is left without a record.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_upload_fonts_accounts_for_every_file() {
    let fake = fake().await;
    let root = tempfile::tempdir().unwrap();
    const FONTS: usize = 5;
    for i in 0..FONTS {
        let font = SampleFont::new(&format!("Mcp Cancel {i}"), 400, false);
        write(root.path(), &format!("fonts/F{i}.ttf"), &font.ttf());
    }
    let session = Session::start(&fake, &[], &["--root", root.path().to_str().unwrap()]).await;
    fake.faults().inject(
        Target::S3Upload,
        Fault::Delay(Duration::from_millis(400)),
        FONTS,
    );
    let waiting = session.recorder.arrived.notified();
    let params = CallToolRequestParams::new("upload_fonts")
        .with_arguments(json!({"paths": ["fonts"]}).as_object().unwrap().clone());
    let call = session.client.call_tool(params);
    tokio::select! {
        result = call => panic!("the upload ended before any progress: {result:?}"),
        _ = waiting => {}
    }
    // Dropping the call sent `notifications/cancelled`; the server's summary of the call
    // goes to standard error.
    let mut summary = None;
    for _ in 0..200 {
        let stderr = String::from_utf8_lossy(&session.stderr.lock().unwrap()).into_owned();
        summary = stderr
            .lines()
            .find(|l| l.starts_with("webflow-assets mcp: upload_fonts: "))
            .map(str::to_string);
        if summary.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let summary = summary.expect("the cancelled call's summary");
    assert!(summary.ends_with("; cancelled"), "{summary}");
    let counts: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let [uploaded, skipped, failed] = counts[..] else {
        panic!("{summary}")
    };
    assert!(uploaded >= 1 && skipped >= 1 && failed == 0, "{summary}");
    assert_eq!(
        uploaded + skipped,
        FONTS,
        "every font has a record: {summary}"
    );
    let listed = session.ok("list_fonts", json!({})).await;
    assert_eq!(
        listed["fonts"].as_array().unwrap().len(),
        uploaded,
        "{listed}"
    );
    session.finish().await;
}

/// A read-only tool's permission error names the read scope, not the write one.
#[tokio::test(flavor = "multi_thread")]
async fn a_read_tool_s_missing_scope_names_the_read_scope() {
    let fake = FakeWebflow::builder()
        .rate_limit(1_000_000, Duration::from_secs(60))
        .scopes(Vec::<String>::new())
        .start()
        .await
        .unwrap();
    let session = Session::start(&fake, &[], &[]).await;
    let error = session.err("list_assets", json!({})).await;
    assert_eq!(error["code"], "missing_scope", "{error}");
    let hint = error["hint"].as_str().unwrap();
    assert!(hint.contains("assets:read"), "{error}");
    assert!(!hint.contains("assets:write"), "{error}");
    let error = session
        .err(
            "update_asset",
            json!({"asset_id": "6390c49774a71f0e3c1a08ee", "alt_text": "x"}),
        )
        .await;
    assert_eq!(error["code"], "missing_scope", "{error}");
    assert!(
        error["hint"].as_str().unwrap().contains("assets:write"),
        "{error}"
    );
    session.finish().await;
}
