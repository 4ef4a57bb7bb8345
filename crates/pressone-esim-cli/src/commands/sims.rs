//! eSIM commands: details, usage, instructions, top-up offers, history (cached across runs),
//! QR codes and install links.

use pressone_esim::install::qr::QrOptions;
use pressone_esim::{Esim, PackageHistoryEntry};

use crate::cli::{QrFormat, QrPath, SimsCommand};
use crate::commands::{list_filtered, truncate};
use crate::connect::Connection;
use crate::error::CliError;
use crate::output::{Printer, prefix};
use crate::table::{ForSim, InstallLinkView, QrFileView};

pub async fn run(connection: &Connection, cmd: SimsCommand, out: Printer) -> Result<(), CliError> {
    let client = &connection.client;
    match cmd {
        SimsCommand::List(args) => {
            let request = client.sims().list();
            let esims = list_filtered(request, args.iccid, args.created, args.list, "eSIMs");
            out.list(&esims.await?, "No eSIMs.")
        }
        SimsCommand::Get(arg) => {
            let esim = client.sims().get(arg.iccid).await?;
            out.item(&esim)
        }
        SimsCommand::Usage(args) => super::bulk::usage(client, args, out).await,
        SimsCommand::Watch(args) => super::watch::run(client, args, out).await,
        SimsCommand::Instructions { iccid, language } => {
            let mut request = client.sims().instructions(&iccid);
            if let Some(l) = language {
                request = request.language(l);
            }
            let instructions = request.await?;
            let view = ForSim {
                iccid: &iccid,
                item: &instructions,
            };
            out.item_or_text(&view, &view.text())
        }
        SimsCommand::Topups { iccid, limit } => {
            let mut topups = client.sims().topups(iccid).await?;
            truncate(&mut topups, limit);
            out.list(&topups, "No top-ups available for this eSIM.")
        }
        SimsCommand::History {
            iccid,
            fresh,
            limit,
        } => {
            let mut history = history(connection, &iccid, fresh).await?;
            truncate(&mut history, limit);
            out.list(&history, "No packages.")
        }
        SimsCommand::Qr {
            iccid,
            out: file,
            show,
        } => {
            let esim = client.sims().get(&iccid).await?;
            let (view, terminal) = write_qr(&esim, &file)?;
            let mut text = format!(
                "Wrote the QR code of eSIM {} to {} ({}, {} bytes)\n",
                view.iccid,
                view.path,
                file.format.name(),
                view.bytes
            );
            if show {
                text.push_str(&terminal);
            }
            out.item_or_text(&view, &text)
        }
        SimsCommand::InstallLink(arg) => {
            let esim = client.sims().get(&arg.iccid).await?;
            let view = install_link(&esim)?;
            out.item_or_text(&view, &view.text())
        }
    }
}

/// The package history: from the cache across runs when younger than 15 minutes (unless
/// `fresh`), else from the server (then kept).
async fn history(
    connection: &Connection,
    iccid: &str,
    fresh: bool,
) -> Result<Vec<PackageHistoryEntry>, CliError> {
    let cache = connection.history.as_ref();
    if !fresh && let Some((entries, fetched_at)) = cache.and_then(|c| c.get(iccid)) {
        eprintln!(
            "{} package history of {iccid} as fetched at {} (cached for 15 minutes; --fresh asks the server)",
            prefix("note"),
            fetched_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        return Ok(entries);
    }
    let entries = connection.client.sims().history(iccid).fresh().await?;
    if let Some(cache) = cache {
        cache.put(iccid, &entries);
    }
    Ok(entries)
}

/// The install links and manual-entry parts of an eSIM.
pub fn install_link(esim: &Esim) -> Result<InstallLinkView, CliError> {
    let no_code = |e: pressone_esim::install::ActivationCodeError| {
        CliError::other(format!(
            "eSIM {} has no valid activation code: {e}",
            esim.iccid
        ))
    };
    let code = esim.activation_code().map_err(no_code)?;
    let links = esim.install_links().map_err(no_code)?;
    let manual = esim.manual_installation().map_err(no_code)?;
    Ok(InstallLinkView {
        iccid: esim.iccid.clone(),
        apple: links.apple,
        android: links.android,
        smdp_address: manual.smdp_address,
        activation_code: manual.activation_code,
        confirmation_code: manual.confirmation_code,
        lpa: code.as_str().to_string(),
        sharing_access_code: links.sharing.as_ref().and_then(|s| s.access_code.clone()),
        sharing_link: links.sharing.map(|s| s.link),
    })
}

/// Writes the eSIM's QR code to the file; returns what was written and the terminal drawing.
pub fn write_qr(esim: &Esim, file: &QrPath) -> Result<(QrFileView, String), CliError> {
    let qr = esim
        .qr(&QrOptions::default())
        .map_err(|e| CliError::other(format!("eSIM {}: {e}", esim.iccid)))?;
    let bytes = match file.format {
        QrFormat::Png => qr
            .to_png()
            .map_err(|e| CliError::other(format!("the QR code could not be drawn: {e}")))?,
        QrFormat::Svg => qr.to_svg().into_bytes(),
    };
    std::fs::write(&file.path, &bytes)
        .map_err(|e| CliError::other(format!("could not write {}: {e}", file.path.display())))?;
    let view = QrFileView {
        iccid: esim.iccid.clone(),
        path: file.path.display().to_string(),
        format: file.format.name().to_ascii_lowercase(),
        bytes: bytes.len(),
    };
    Ok((view, qr.to_terminal()))
}
