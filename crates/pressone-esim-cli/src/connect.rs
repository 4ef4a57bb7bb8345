//! Building the API client from the global options: the real API, or the embedded sandbox
//! when no base URL is configured; the token cache; logging.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use pressone_esim::{Client, FileTokenStore, MemoryTokenStore, TokenStore};
use pressone_esim_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

use crate::cli::GlobalArgs;
use crate::error::CliError;

/// The client and, when it talks to the embedded sandbox, the sandbox (kept running as long
/// as this value lives).
pub struct Connection {
    /// The API client.
    pub client: Client,
    /// The embedded sandbox, if used.
    pub sandbox: Option<SandboxHandle>,
}

/// Sets up `tracing` to stderr for `-v` (debug) and `-vv` (trace), for this tool's, the SDK's
/// and the sandbox's events only (the binary's own crate is also named `pressone_esim`):
/// HTTP-library internals (which could show headers) are never enabled.
/// Without `-v`, only warnings (e.g. an untrusted token cache file) are shown.
pub fn init_logging(verbose: u8) {
    use tracing::Level;
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let level = match verbose {
        0 => Level::WARN,
        1 => Level::DEBUG,
        _ => Level::TRACE,
    };
    let filter = Targets::new()
        .with_target("pressone_esim", level)
        .with_target("pressone_esim_sandbox", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbose > 1);
    // Fails only if a subscriber is already set (never, in this binary).
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

/// Starts the simulator in this process, on an ephemeral loopback port.
pub async fn start_embedded_sandbox(seed: Option<u64>) -> Result<SandboxHandle, CliError> {
    let mut config = SandboxConfig::default();
    if let Some(seed) = seed {
        config = config.seed(seed);
    }
    Sandbox::start(config)
        .await
        .map_err(|e| CliError::other(format!("could not start the embedded sandbox: {e}")))
}

/// The client for a command: the configured API, or the embedded sandbox.
pub async fn connect(global: &GlobalArgs) -> Result<Connection, CliError> {
    let base_url = global
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    match base_url {
        Some(base_url) => {
            let client_id = global
                .client_id
                .as_deref()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .ok_or_else(|| {
                    CliError::Usage(
                        "no client id: set --client-id or PRESSONE_CLIENT_ID".to_string(),
                    )
                })?;
            let secret = global
                .client_secret
                .as_ref()
                .map(|s| s.expose())
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| {
                    CliError::Usage(
                        "no client secret: set PRESSONE_CLIENT_SECRET (or --client-secret)"
                            .to_string(),
                    )
                })?;
            let store = token_store(global);
            let mut builder = Client::builder()
                .base_url(base_url)
                .credentials(client_id, secret)
                .token_store(store)
                .user_agent_suffix(concat!("pressone-esim-cli/", env!("CARGO_PKG_VERSION")));
            if let Some(voice) = global
                .voice_base_url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
            {
                builder = builder.voice_base_url(voice);
            }
            builder = timeouts(builder, global.timeout);
            let client = builder.build()?;
            tracing::debug!(base_url = %client.base_url(), client_id, "client configured");
            Ok(Connection {
                client,
                sandbox: None,
            })
        }
        None => {
            let sandbox = start_embedded_sandbox(None).await?;
            eprintln!(
                "note: no base URL configured (--base-url / PRESSONE_BASE_URL): using the embedded sandbox at {} (simulated data, nothing is charged)",
                sandbox.base_url()
            );
            let client = sandbox_client(&sandbox, global.timeout)?;
            Ok(Connection {
                client,
                sandbox: Some(sandbox),
            })
        }
    }
}

/// A client for a sandbox started in this process: its own credentials, tokens in memory
/// (the port and the tokens are new on every run).
pub fn sandbox_client(sandbox: &SandboxHandle, timeout: Option<u64>) -> Result<Client, CliError> {
    let builder = Client::builder()
        .base_url(sandbox.base_url())
        .voice_base_url(sandbox.voice_base_url())
        .credentials(sandbox.client_id(), sandbox.client_secret())
        .token_store(Arc::new(MemoryTokenStore::new()))
        .user_agent_suffix(concat!("pressone-esim-cli/", env!("CARGO_PKG_VERSION")));
    Ok(timeouts(builder, timeout).build()?)
}

fn timeouts(
    builder: pressone_esim::ClientBuilder,
    timeout: Option<u64>,
) -> pressone_esim::ClientBuilder {
    match timeout {
        Some(secs) => {
            let timeout = Duration::from_secs(secs);
            builder
                .request_timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)))
        }
        None => builder,
    }
}

/// The token cache file: `$PRESSONE_CACHE_DIR/tokens.json` (or `--cache-dir`), else
/// `<user cache dir>/pressone-esim/tokens.json`.
pub fn token_cache_path(global: &GlobalArgs) -> Option<PathBuf> {
    let dir = match &global.cache_dir {
        Some(dir) if !dir.as_os_str().is_empty() => dir.clone(),
        _ => dirs::cache_dir()?.join("pressone-esim"),
    };
    Some(dir.join("tokens.json"))
}

fn token_store(global: &GlobalArgs) -> Arc<dyn TokenStore> {
    if global.no_token_cache {
        tracing::debug!("token cache disabled: the token is kept in memory");
        return Arc::new(MemoryTokenStore::new());
    }
    let Some(path) = token_cache_path(global) else {
        tracing::debug!("no cache directory: the token is kept in memory");
        return Arc::new(MemoryTokenStore::new());
    };
    if let Some(dir) = path.parent() {
        create_private_dir(dir);
    }
    tracing::debug!(path = %path.display(), "token cache file");
    Arc::new(FileTokenStore::new(path))
}

/// Creates the cache directory readable by its owner only (an existing one is left as is).
fn create_private_dir(dir: &std::path::Path) {
    if dir.as_os_str().is_empty() || dir.exists() {
        return;
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    if let Err(e) = builder.create(dir) {
        tracing::warn!(path = %dir.display(), error = %e, "could not create the token cache directory");
    }
}
