//! `/demo/wait`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Choice, Param, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[300, 200, 100]),
    with_failures: true,
};
/// asyncio's `return_when`, in lower case.
pub const RETURN_WHEN: Choice = Choice {
    name: "return_when",
    options: &["first_completed", "first_exception", "all_completed"],
    default: "all_completed",
    doc: "When wait returns (asyncio's FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).",
    zh: "wait 何时返回（对应 asyncio 的 FIRST_COMPLETED、FIRST_EXCEPTION、ALL_COMPLETED）。",
};

pub const ROUTES: &[Route] = &[
    Route::get("/demo/wait", "wait: done and pending", Answer::Report)
        .summary_zh("wait：返回 done 和 pending 两个集合")
        .calls(CALLS)
        .params(&[Param::Choice(RETURN_WHEN), Param::Int(shared::TIMEOUT_MS)])
        .example("/demo/wait?return_when=first_completed"),
];
