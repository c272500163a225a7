//! `GET /pyodide/...`: Pyodide (CPython compiled to WebAssembly), served by the app
//! itself so that the playground can run each lesson's asyncio program beside the
//! Rust without fetching anything from elsewhere.
//!
//! Not an asyncio idea, but the way to run the seed's own language next to ours:
//! the build script fetches the pinned Pyodide from npm and embeds the five files
//! `loadPyodide` needs; `/pyodide/` lists them.

use common::reply::{self, ApiError, Reply};
use serde_json::json;
use spin_sdk::http::{Request, StatusCode};

pub mod route;

include!(concat!(env!("OUT_DIR"), "/files.rs"));

#[spin_sdk::http_service]
async fn pyodide(request: Request) -> Reply {
    reply::respond(serve(&request))
}

fn serve(request: &Request) -> Result<Reply, ApiError> {
    let rest = reply::get_path_info(request)?;
    if rest == "/" {
        let files: Vec<_> = FILES
            .iter()
            .map(|(name, content_type, bytes)| json!({ "name": name, "content_type": content_type, "bytes": bytes.len() }))
            .collect();
        return Ok(reply::json(
            StatusCode::OK,
            &json!({ "version": VERSION, "files": files }),
        ));
    }
    let name = rest.trim_start_matches('/');
    let (_, content_type, bytes) =
        FILES
            .iter()
            .find(|(file, ..)| *file == name)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Pyodide {VERSION} has no file /pyodide/{name} here; /pyodide/ lists them"
                ))
            })?;
    Ok(reply::with_body(StatusCode::OK, content_type, *bytes))
}
