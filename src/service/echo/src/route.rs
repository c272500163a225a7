//! `/echo`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Body, Method, Route};

pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub const ROUTES: &[Route] = &[Route {
    method: Method::Post,
    body: Some(Body::Text {
        max_bytes: MAX_BODY_BYTES,
    }),
    errors: &[(413, "The body is over 1 MiB.")],
    ..Route::get(
        "/echo",
        "Full duplex: each line answered 'Hello, <line>' while the upload runs",
        Answer::Stream("text/plain"),
    )
}];
