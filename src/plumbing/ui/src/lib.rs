//! `GET /ui/...`: the playground, a single page that runs every demo and draws its
//! timeline (one bar per task, from `started_ms` to `finished_ms`).
//!
//! Not an asyncio idea itself, but the way to see them: the page calls the demo
//! routes, reads streaming demos line by line, and draws as the lines arrive. Its
//! files are compiled into the component (`include_str!`), so it needs no `files`
//! mount and no CDN: every file of `assets/` (the page, its ES modules and style),
//! served from the table the build script writes, and `lessons.json`, which the
//! build script gathers from the lesson folders (texts in two languages, and each
//! idea's asyncio program). Any other path is the JSON 404.

use common::reply::{self, ApiError, Reply};
use spin_sdk::http::{Request, StatusCode};

pub mod route;

// `ASSETS`: every file of `assets/` and `lessons.json`, with its content type (build.rs).
include!(concat!(env!("OUT_DIR"), "/assets.rs"));

#[spin_sdk::http_service]
async fn ui(request: Request) -> Reply {
    reply::respond(serve(&request))
}

fn serve(request: &Request) -> Result<Reply, ApiError> {
    let rest = reply::get_path_info(request)?;
    let path = if rest == "/" { "/index.html" } else { rest };
    let Some((_, content_type, body)) = ASSETS.iter().find(|(served, _, _)| *served == path) else {
        return Err(ApiError::not_found(format!(
            "no such file in the playground: /ui{rest}"
        )));
    };
    Ok(reply::with_body(
        StatusCode::OK,
        content_type,
        body.as_bytes(),
    ))
}
