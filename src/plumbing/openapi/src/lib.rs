//! `GET /openapi.json`: an OpenAPI 3.1 description of every route of the app.
//!
//! Not an asyncio idea, but what a client (or a fuzzer) needs to know: each route,
//! its parameters with their bounds, and what it answers. Nothing here names a
//! route: every path comes from the catalogue (each folder's `src/route.rs`), so the
//! document says what the components parse. The playground builds its forms from
//! it; schemathesis fuzzes the app from it.

use catalogue::{Answer, Body, Method, Param, Route};
use common::reply::{self, ErrorReply, Reply};
use serde_json::{Value, json};
use spin_sdk::http::{Request, StatusCode};
use std::sync::OnceLock;

pub mod route;

#[spin_sdk::http_service]
async fn openapi(request: Request) -> Reply {
    match reply::expect_get(request.method()) {
        Ok(()) => reply::json(StatusCode::OK, cached_document()),
        Err(error) => error.into_reply(),
    }
}

/// Built once per instance: the document never changes.
fn cached_document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(document)
}

fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "spin-async-demo",
            "version": "0.1.0",
            "description": "The aiohttp + asyncio tour as Spin components. Every error is JSON: {error, message, param?}."
        },
        "paths": paths(),
        "components": { "schemas": schemas() },
    })
}

/// One path per route of the catalogue, in reading order.
fn paths() -> Value {
    let mut paths = serde_json::Map::new();
    for route in catalogue::routes() {
        // `/...` catches every path no other route takes: OpenAPI cannot say that.
        if route.answer == Answer::NotFound {
            continue;
        }
        let method = match route.method {
            Method::Get => "get",
            Method::Post => "post",
        };
        let mut operation = json!({
            "summary": route.summary,
            "parameters": route.each_param().iter().map(parameter).collect::<Vec<_>>(),
            "responses": responses(route),
        });
        if !route.summary_zh.is_empty() {
            operation["x-summary-zh"] = json!(route.summary_zh);
        }
        if let Some(body) = route.body {
            operation["requestBody"] = request_body(body);
        }
        paths.insert(openapi_path(route.route), json!({ method: operation }));
    }
    Value::Object(paths)
}

/// spin.toml's route syntax in OpenAPI's: `:name` is `{name}`, and a wildcard
/// route is described by its root (`/ui/...` as `/ui/`).
fn openapi_path(route: &str) -> String {
    let route = route.strip_suffix("...").unwrap_or(route);
    route
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn parameter(param: &Param) -> Value {
    let (place, required, schema) = match param {
        Param::Int(int) => {
            let mut schema = json!({ "type": "integer", "minimum": int.min, "maximum": int.max });
            if let Some(default) = int.default {
                schema["default"] = json!(default);
            }
            ("query", false, schema)
        }
        Param::IntList(list) => {
            // Digits only: the bounds of each item are in the description, and the
            // component answers 400 for an item out of range.
            let item = format!("[0-9]{{1,{}}}", list.max.to_string().len());
            let pattern = format!("^{item}(,{item}){{0,{}}}$", list.max_items - 1);
            let mut schema = json!({ "type": "string", "pattern": pattern });
            if let Some(default) = list.default {
                let text: Vec<String> = default.iter().map(u64::to_string).collect();
                schema["default"] = json!(text.join(","));
            }
            ("query", false, schema)
        }
        Param::Flag(flag) => (
            "query",
            false,
            json!({ "type": "string", "enum": ["true", "false", "1", "0"], "default": flag.default.to_string() }),
        ),
        Param::Choice(choice) => (
            "query",
            false,
            json!({ "type": "string", "enum": choice.options, "default": choice.default }),
        ),
        Param::Text(text) => (
            "query",
            false,
            json!({ "type": "string", "maxLength": text.max_chars }),
        ),
        Param::Path(text) => (
            "path",
            true,
            json!({ "type": "string", "maxLength": text.max_chars }),
        ),
    };
    let description = match param {
        Param::IntList(list) => format!(
            "{} Comma-separated integers from {} to {}, at most {}.",
            list.doc, list.min, list.max, list.max_items
        ),
        other => other.doc().to_owned(),
    };
    let description_zh = match param {
        Param::IntList(list) => format!(
            "{}逗号分隔的整数，取值 {} 到 {}，最多 {} 个。",
            list.zh, list.min, list.max, list.max_items
        ),
        other => other.doc_zh().to_owned(),
    };
    // The page's forms show the doc in the reader's language: Chinese in an
    // extension field, which other OpenAPI tools ignore.
    json!({ "name": param.name(), "in": place, "required": required,
            "description": description, "x-description-zh": description_zh, "schema": schema })
}

fn request_body(body: Body) -> Value {
    match body {
        Body::Text { max_bytes } => json!({ "required": false, "content": {
            "text/plain": { "schema": { "type": "string", "maxLength": max_bytes } } } }),
        Body::Field {
            name, max_chars, ..
        } => {
            let schema = json!({ "type": "object", "required": [name], "properties": {
                name: { "type": "string", "minLength": 1, "maxLength": max_chars } } });
            json!({ "required": true, "content": {
                "application/x-www-form-urlencoded": { "schema": schema },
                "application/json": { "schema": schema },
            } })
        }
    }
}

/// What a route answers: its success, then 400 when it takes input, 405, and the
/// failures it declares.
fn responses(route: &Route) -> Value {
    let mut answers = match route.answer {
        // `view=text`: the same run drawn for a terminal.
        Answer::Report => {
            json!({ "200": { "description": "The report (view=json) or the run drawn as text (view=text)",
            "content": {
                "application/json": { "schema": schema_ref("Report") },
                "text/plain": { "schema": { "type": "string" } },
            } } })
        }
        Answer::Stream(content_type) if route.answer.is_report() => json!({ "200": {
            "description": "Lines, each sent when it happens, the report last (view=text: as text).",
            "content": {
                content_type: { "schema": { "type": "string" } },
                "text/plain": { "schema": { "type": "string" } },
            } } }),
        Answer::Stream(content_type) => json!({ "200": {
            "description": "Lines, each sent when it happens.",
            "content": { content_type: { "schema": { "type": "string" } } } } }),
        Answer::Greeting => json!({ "200": { "description": "The greeting", "content": {
            "text/html": { "schema": { "type": "string" } },
            "application/json": { "schema": schema_ref("Greeting") },
        } } }),
        // `/upstream` answers whatever `status` asks for, 5xx included, with its usual body.
        Answer::Upstream => {
            let mut answers = success("application/json", schema_ref("UpstreamReply"));
            answers["default"] = json!({ "description": "The status asked for", "content": { "application/json": { "schema": {
                "oneOf": [schema_ref("UpstreamReply"), schema_ref("Error")] } } } });
            answers
        }
        Answer::ModelReply => success("application/json", schema_ref("MessagesReply")),
        Answer::Object | Answer::OpenApi => {
            success("application/json", json!({ "type": "object" }))
        }
        Answer::Page => success("text/html", json!({ "type": "string" })),
        Answer::Unsupported(status) => json!({ status.to_string(): error_answer(route.summary) }),
        Answer::NotFound => json!({ "404": error_answer(route.summary) }),
    };
    let takes_input = !route.query_names().is_empty()
        || route
            .params
            .iter()
            .any(|param| matches!(param, Param::Path(_)))
        || matches!(route.body, Some(Body::Field { .. }));
    if takes_input {
        answers["400"] = error_answer("Bad parameters or body.");
    }
    answers["405"] = error_answer("Method not allowed.");
    for (status, when) in route.errors {
        answers[status.to_string()] = error_answer(when);
    }
    answers
}

fn success(content_type: &str, schema: Value) -> Value {
    json!({ "200": { "description": "OK", "content": { content_type: { "schema": schema } } } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn error_answer(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema_ref("Error") } } })
}

fn schemas() -> Value {
    let ms = json!({ "type": "number", "minimum": 0 });
    let instance = json!({ "type": "object", "required": ["id", "request_number"],
        "properties": { "id": { "type": "string" }, "request_number": { "type": "integer", "minimum": 1 },
            "serving": { "type": "integer", "minimum": 1 } } });
    // `[from_ms, to_ms]` pairs: when a task (or the request) held the thread.
    // What a task awaits: `{"kind": "http", "request": ..}`, `{"kind": "timer", "ms": ..}`, ...
    let awaits = json!({ "type": "array", "items": { "type": "object", "required": ["kind"], "properties": {
        "kind": { "enum": ["http", "timer", "yield", "task", "shield", "future", "race", "nothing"] } } } });
    let segments = json!({ "type": "array", "items": { "type": "array", "items": ms, "minItems": 2, "maxItems": 2 } });
    json!({
                "Error": { "type": "object", "required": ["error", "message"], "properties": {
            "error": { "type": "string" }, "message": { "type": "string" }, "param": { "type": "string" },
            "upstream_status": { "type": "integer" } } },
        "Instance": instance,
        "Greeting": { "type": "object", "required": ["greeting", "delay_ms", "slept_ms", "instance"], "properties": {
            "greeting": { "type": "string" }, "delay_ms": { "type": "integer" }, "slept_ms": ms, "instance": { "$ref": "#/components/schemas/Instance" } } },
        "UpstreamReply": { "type": "object", "required": ["delay_ms", "slept_ms", "status", "instance"], "properties": {
            "id": { "type": "string" }, "delay_ms": { "type": "integer" }, "slept_ms": ms, "status": { "type": "integer" },
            "filler": { "type": "string" }, "instance": { "$ref": "#/components/schemas/Instance" },
            "answered_unix_ms": ms } },
        "Task": { "type": "object", "required": ["id", "label", "started_ms", "finished_ms", "outcome"], "properties": {
            "id": { "type": "integer" }, "label": { "type": "string" },
            "started_ms": { "type": ["number", "null"] }, "finished_ms": { "type": ["number", "null"] },
            "outcome": { "enum": ["pending", "ok", "error", "cancelled", "timed_out"] },
            "result": {}, "error": { "type": ["string", "null"] },
            "polls": { "type": "integer", "minimum": 0 }, "busy_ms": ms, "waiting_ms": { "type": ["number", "null"] },
            "longest_poll_ms": ms, "busy": segments.clone(),
            "parent": { "type": ["integer", "null"] }, "awaits": awaits.clone(), "late_ms": ms } },
        "AwaitNode": { "type": "object", "required": ["task", "label", "awaits", "children"], "properties": {
            "task": { "type": ["integer", "null"] }, "label": { "type": "string" }, "awaits": awaits,
            "children": { "type": "array", "items": { "$ref": "#/components/schemas/AwaitNode" } } } },
        "Event": { "type": "object", "required": ["t_ms", "task", "what"], "properties": {
            "t_ms": ms, "task": { "type": ["integer", "null"] }, "what": { "type": "string" } } },
        "Report": { "type": "object",
            "required": ["demo", "python", "rust", "rust_source", "helpers", "params", "elapsed_ms", "expected_ms", "tasks", "busy", "outbound_requests", "warnings", "long_poll_ms", "events", "tree", "note", "instance", "started_unix_ms"],
            "properties": {
                "demo": { "type": "string" }, "python": { "type": "string" }, "rust": { "type": "string", "minLength": 1 },
                "rust_source": { "type": "array", "minItems": 1, "items": { "type": "object",
                    "required": ["file", "first_line", "last_line"], "properties": {
                        "file": { "type": "string" }, "first_line": { "type": "integer", "minimum": 1 },
                        "last_line": { "type": "integer", "minimum": 1 } } } },
                "helpers": { "type": "array", "items": { "type": "object",
                    "required": ["name", "file", "first_line", "last_line"], "properties": {
                        "name": { "type": "string" }, "file": { "type": "string" },
                        "first_line": { "type": "integer", "minimum": 1 }, "last_line": { "type": "integer", "minimum": 1 } } } },
                "params": { "type": "object" }, "elapsed_ms": ms, "expected_ms": ms,
                "tasks": { "type": "array", "items": { "$ref": "#/components/schemas/Task" } },
                "events": { "type": "array", "items": { "$ref": "#/components/schemas/Event" } },
                "busy": segments, "outbound_requests": { "type": "integer", "minimum": 0 },
                "warnings": { "type": "array", "items": { "type": "string" } },
                "long_poll_ms": ms, "tree": { "$ref": "#/components/schemas/AwaitNode" }, "started_unix_ms": ms,
                "note": { "type": "string" }, "instance": { "$ref": "#/components/schemas/Instance" } } },
        "MessagesReply": { "type": "object", "required": ["reply", "model", "usage"], "properties": {
            "reply": { "type": "string" }, "model": { "type": "string" }, "usage": {} } },
    })
}
