//! `devhost`: `spin up` for machines without Spin. See the crate docs.

use clap::Parser;
use devhost::{Devhost, Options};
use std::process::ExitCode;

/// Requests allocate and free many small objects on every worker thread; glibc's
/// allocator serialises them on its arena locks (about 15% of a `wrk` profile
/// went to malloc and free). mimalloc keeps per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,wasmtime=warn,cranelift=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let options = Options::parse();
    let quiet = options.quiet;
    let started = std::time::Instant::now();
    let devhost = match Devhost::start(options).await {
        Ok(devhost) => devhost,
        Err(error) => {
            eprintln!("Error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    if !quiet {
        print!("{}", devhost.banner());
        tracing::info!("ready in {:.2}s", started.elapsed().as_secs_f64());
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("Error: cannot wait for Ctrl-C: {error}");
    }
    eprintln!("Shutting down: waiting for open requests to finish...");
    devhost.shutdown().await;
    ExitCode::SUCCESS
}
