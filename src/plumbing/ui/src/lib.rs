//! `GET /ui/...`: the playground, a single page that runs every demo and draws its
//! timeline (one bar per task, from `started_ms` to `finished_ms`).
//!
//! Not an asyncio idea itself, but the way to see them: the page calls the demo
//! routes, reads streaming demos line by line, and draws as the lines arrive. Its
//! files are compiled into the component (`include_str!`), so it needs no `files`
//! mount and no CDN: the page, its script and style, and `lessons.json`, which the
//! build script gathers from the lesson folders (texts in two languages, and each
//! idea's asyncio program).

use common::reply::{self, ApiError, Reply};
use spin_sdk::http::{Request, StatusCode};

pub mod route;

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");
/// Every lesson's explanation (English, Chinese) and asyncio program (build.rs).
const LESSONS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/lessons.json"));

#[spin_sdk::http_service]
async fn ui(request: Request) -> Reply {
    reply::respond(serve(&request))
}

fn serve(request: &Request) -> Result<Reply, ApiError> {
    let rest = reply::get_path_info(request)?;
    let (content_type, body) = match rest {
        "/" | "/index.html" => ("text/html; charset=utf-8", INDEX_HTML),
        "/app.js" => ("text/javascript; charset=utf-8", APP_JS),
        "/style.css" => ("text/css; charset=utf-8", STYLE_CSS),
        "/lessons.json" => ("application/json", LESSONS_JSON),
        _ => {
            return Err(ApiError::not_found(format!(
                "no such file in the playground: /ui{rest}"
            )));
        }
    };
    Ok(reply::with_body(
        StatusCode::OK,
        content_type,
        body.as_bytes(),
    ))
}
