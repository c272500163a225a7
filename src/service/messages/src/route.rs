//! `/messages`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Body, Method, Route};

pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_MESSAGE_CHARS: usize = 4000;

pub const ROUTES: &[Route] = &[Route {
    method: Method::Post,
    body: Some(Body::Field {
        name: "msg",
        max_chars: MAX_MESSAGE_CHARS,
        max_bytes: MAX_BODY_BYTES,
    }),
    errors: &[
        (413, "The body is over 64 KiB."),
        (502, "The model's API failed."),
        (503, "No API key is configured."),
    ],
    ..Route::get(
        "/messages",
        "msg to an OpenAI-compatible chat model",
        Answer::ModelReply,
    )
}];
