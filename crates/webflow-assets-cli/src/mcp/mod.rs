//! `webflow-assets mcp`: the command's work served to agents over MCP, on standard input and
//! output (the protocol only; words for people go to standard error).
//!
//! An agent gets no more power than the person gave it: local files only inside `--root`
//! directories, nothing deleted by a sync without a plan it could read first, and with
//! `--read-only` nothing changed at all. The tools' annotations say so; the server enforces
//! it whatever the client makes of them.

mod calls;
mod plans;
mod progress;
mod results;
mod roots;
mod schemas;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use webflow_assets::bulk::BulkOptions;
use webflow_assets::{Client, SiteId};

use crate::failure::{Code, Failure};
use results::ErrorObject;
pub use roots::Roots;

/// `webflow-assets mcp`'s own options.
#[derive(clap::Args, Debug)]
pub struct McpArgs {
    /// A directory whose files the tools may read and write (repeatable). Paths are
    /// resolved (links, `..`) before they are checked; relative ones are taken from the
    /// first root. Without one, no tool touches local files.
    #[arg(long = "root", value_name = "DIR")]
    pub roots: Vec<PathBuf>,
    /// List and run only the tools that change nothing.
    #[arg(long)]
    pub read_only: bool,
}

/// Serves the tools on standard input and output until the client closes them.
pub async fn serve(
    client: Client,
    site: Option<String>,
    args: McpArgs,
    bulk: BulkOptions,
) -> Result<ExitCode> {
    let roots = Roots::new(&args.roots)?;
    let listed = tools::TOOLS
        .iter()
        .filter(|t| t.allowed(args.read_only, !roots.is_empty()))
        .count();
    crate::stderr::line(&format!(
        "webflow-assets mcp: {listed} tools on standard input and output{}; roots: {}",
        if args.read_only { ", read-only" } else { "" },
        match roots.is_empty() {
            true => "none (no local files)".to_string(),
            false => roots.describe(),
        }
    ));
    let server = Server {
        client,
        site_wanted: site,
        site: tokio::sync::OnceCell::new(),
        roots,
        read_only: args.read_only,
        bulk,
        plans: plans::Plans::default(),
        local_work: tokio::sync::Mutex::new(()),
    };
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("starting the MCP session: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("the MCP session stopped: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The server: the client, the site once chosen, the roots, the plans kept.
pub struct Server {
    client: Client,
    site_wanted: Option<String>,
    site: tokio::sync::OnceCell<SiteId>,
    roots: Roots,
    read_only: bool,
    bulk: BulkOptions,
    plans: plans::Plans,
    /// One sync, pull or plan at a time: a plan made while a cancelled sync's last files
    /// finish would be planned from a site still changing.
    local_work: tokio::sync::Mutex<()>,
}

impl Server {
    /// The site, chosen on first use as every command chooses it (`--site`,
    /// `WEBFLOW_SITE_ID`, or the token's only site). A failure is not kept: the next call
    /// tries again.
    async fn site(&self) -> Result<SiteId> {
        self.site
            .get_or_try_init(|| crate::site::resolve(&self.client, self.site_wanted.as_deref()))
            .await
            .cloned()
    }
}

/// A tool's answer: structured content and a summary for people.
pub struct Answer {
    /// The structured content.
    value: serde_json::Value,
    /// The text for people.
    summary: String,
}

impl Answer {
    /// An answer of a typed result.
    pub fn of<T: serde::Serialize>(result: &T, summary: String) -> Result<Answer> {
        Ok(Answer {
            value: serde_json::to_value(result)?,
            summary,
        })
    }
}

/// The tool failure of an error: the command's error line, as JSON text.
fn failed(tool: &tools::Tool, error: &anyhow::Error) -> CallToolResult {
    let object = ErrorObject::from(crate::failure::describe(error, tool.needs()));
    let text = serde_json::to_string(&object).unwrap_or_default();
    log(tool.name, &text);
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// One line on standard error per call, for whoever reads the client's logs: the tool and
/// its summary or error line (which never hold the token).
fn log(tool: &str, outcome: &str) {
    crate::stderr::line(&format!("webflow-assets mcp: {tool}: {outcome}"));
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let mut config = ServerConfig::new(ServerCapabilities::builder().enable_tools().build());
        config.server_info = Implementation::new("webflow-assets", env!("CARGO_PKG_VERSION"));
        config.instructions = Some(
            "Webflow assets: upload, list, update, delete, sync and pull files; fonts; audit. \
             Local paths must be inside the server's roots. Before a sync changes anything, \
             plan_sync returns a plan to read; apply_sync carries it out."
                .into(),
        );
        config
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let listed = tools::TOOLS
            .iter()
            .filter(|t| t.allowed(self.read_only, !self.roots.is_empty()))
            .map(tools::Tool::describe)
            .collect();
        Ok(ListToolsResult::with_all_items(listed))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(tool) = tools::find(&request.name) else {
            return Err(ErrorData::invalid_params(
                format!("no tool named {:?}", request.name),
                None,
            ));
        };
        if !tool.read_only && self.read_only {
            let refusal = Failure::new(
                Code::ReadOnly,
                format!(
                    "{} changes the site or local files, and this server is read-only",
                    tool.name
                ),
            );
            return Ok(failed(tool, &refusal.into()).into());
        }
        if tool.local && self.roots.is_empty() {
            return Ok(failed(tool, &roots::no_roots().into()).into());
        }
        let arguments = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let progress = progress::Reporter::new(&context);
        let answer = calls::call(self, tool.name, arguments, &progress, &context).await;
        let answer = match answer {
            Err(calls::CallError::Malformed(message)) => {
                return Err(ErrorData::invalid_params(message, None));
            }
            Err(calls::CallError::Failed(error)) => return Ok(failed(tool, &error).into()),
            Ok(answer) => answer,
        };
        let Answer { value, summary } = answer;
        // A run whose files partly failed is a failure, with every file's record beside it.
        let error = value.get("error").cloned();
        let mut content = Vec::new();
        if let Some(error) = &error {
            content.push(ContentBlock::text(error.to_string()));
        }
        log(tool.name, &summary);
        content.push(ContentBlock::text(summary));
        let mut result = match error {
            Some(_) => CallToolResult::error(content),
            None => CallToolResult::success(content),
        };
        result.structured_content = Some(value);
        Ok(result.into())
    }
}
