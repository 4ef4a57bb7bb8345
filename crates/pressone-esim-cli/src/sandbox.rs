//! `sandbox`: the API simulator as a local server, until Ctrl-C (or SIGTERM).

use std::net::SocketAddr;

use pressone_esim_sandbox::{Sandbox, SandboxConfig};
use serde::Serialize;

use crate::cli::SandboxArgs;
use crate::error::CliError;
use crate::output::Printer;

/// Where the sandbox listens and the credentials it accepts (simulator credentials, not
/// secrets: they are the same for everyone).
#[derive(Debug, Serialize)]
pub struct SandboxView {
    /// The data API's base URL.
    pub base_url: String,
    /// The voice API's base URL.
    pub voice_base_url: String,
    /// The console: a web page showing orders, eSIMs and requests, with controls.
    pub console_url: String,
    /// The accepted client id.
    pub client_id: String,
    /// The accepted client secret.
    pub client_secret: String,
}

/// Runs the sandbox server until interrupted.
pub async fn run(args: SandboxArgs, out: Printer) -> Result<(), CliError> {
    if let Some(control) = args.control {
        return crate::sandbox_control::run(control, args.url, out).await;
    }
    let mut config = SandboxConfig::default();
    if let Some(seed) = args.seed {
        config = config.seed(seed);
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let handle = Sandbox::bind(addr, config)
        .await
        .map_err(|e| CliError::other(format!("could not start the sandbox on {addr}: {e}")))?;
    let view = SandboxView {
        base_url: handle.base_url(),
        voice_base_url: handle.voice_base_url(),
        console_url: handle.console_url(),
        client_id: handle.client_id().to_string(),
        client_secret: handle.client_secret().to_string(),
    };
    let text = format!(
        "PressOne eSIM sandbox listening on {} (Ctrl-C to stop)\n\
         Console (open it in a browser): {}\n\
         Point the CLI or the SDK at it with:\n\
         export PRESSONE_BASE_URL={}\n\
         export PRESSONE_CLIENT_ID={}\n\
         export PRESSONE_CLIENT_SECRET={}\n",
        view.base_url, view.console_url, view.base_url, view.client_id, view.client_secret
    );
    out.item_or_text(&view, &text)?;
    wait_for_stop().await;
    tracing::debug!("stopping the sandbox");
    handle.shutdown().await;
    Ok(())
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
