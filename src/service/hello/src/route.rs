//! Hello's routes, declared once: parsing, `/openapi.json` and the hello page's own
//! links come from here (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, Text, shared};

/// The original slept one second.
pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(1000)
    .doc("How long to sleep before greeting, in ms.")
    .zh("问候前睡眠的时长（ms）。");
/// The `:name` of `/hello/:name`.
pub const NAME: Text = Text {
    name: "name",
    max_chars: 200,
    doc: "Who to greet.",
    zh: "要问候的人。",
};

const GREETING: Route =
    Route::get("/hello", "Hello, Anonymous", Answer::Greeting).params(&[Param::Int(DELAY_MS)]);

pub const ROUTES: &[Route] = &[
    Route {
        route: "/",
        summary: "Hello, Anonymous: the original GET / (HTML, or JSON when asked for)",
        ..GREETING
    },
    GREETING,
    Route {
        route: "/hello/:name",
        summary: "a greeting by name (add ?delay_ms=0 to skip the sleep)",
        params: &[Param::Int(DELAY_MS), Param::Path(NAME)],
        example: Some("/hello/Ada"),
        ..GREETING
    },
];
