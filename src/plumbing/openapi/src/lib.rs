//! `GET /openapi.json`: an OpenAPI 3.1 description of every route of the app.
//!
//! Not an asyncio idea, but what a client (or a fuzzer) needs to know: each route,
//! its parameters with their bounds, and what it answers. A test keeps it in step
//! with spin.toml; schemathesis fuzzes the app from it.

use common::reply::{self, ErrorReply, Reply};
use serde_json::{Value, json};
use spin_sdk::http::{Request, StatusCode};
use std::sync::OnceLock;

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

fn paths() -> Value {
    let delay = int("delay_ms", 0, 30_000, "How long to sleep, in ms.");
    let tour = |name: &str| format!("/demo/{name}");
    let mut paths = serde_json::Map::new();
    let mut add = |path: String, item: Value| {
        paths.insert(path, item);
    };
    let hello_params = vec![delay.clone()];
    add(
        "/".into(),
        get(
            "Hello, Anonymous (HTML, or JSON with Accept: application/json)",
            hello_params.clone(),
            hello_answers(),
        ),
    );
    add(
        "/hello".into(),
        get("Hello, Anonymous", hello_params.clone(), hello_answers()),
    );
    let mut named = hello_params;
    named.push(json!({ "name": "name", "in": "path", "required": true, "schema": { "type": "string", "maxLength": 200 } }));
    add(
        "/hello/{name}".into(),
        get("Hello, NAME", named, hello_answers()),
    );
    add(
        "/upstream".into(),
        get(
            "The controllable slow upstream",
            vec![
                delay.clone(),
                int("status", 200, 599, "Status to answer with."),
                int("bytes", 0, 1_048_576, "Filler bytes to add."),
                text("id", 128, "A label echoed back."),
                choice("framing", &["length", "chunked"]),
            ],
            upstream_answers(),
        ),
    );

    let calls = || {
        vec![
            list(
                "delays",
                "Upstream delays in ms, one task each (not with n or delay_ms).",
            ),
            int("n", 1, 1000, "Number of tasks (with delay_ms)."),
            int("delay_ms", 0, 30_000, "Delay of each task, in ms."),
            transport(),
        ]
    };
    let failing = || list("fail", "Ids of the tasks whose upstream answers 500.");
    let timeout = |default: Option<u64>| {
        let mut param = int("timeout_ms", 0, 60_000, "Timeout in ms.");
        if let Some(default) = default {
            param["schema"]["default"] = json!(default);
        }
        param
    };
    let report = || json_answer("#/components/schemas/Report", &[400, 405]);
    let stream = || stream_answer("application/x-ndjson");

    add(
        tour("sequential"),
        get("Awaiting calls one after another", calls(), report()),
    );
    add(
        tour("tasks"),
        get(
            "create_task: calls started at once, awaited later",
            calls(),
            report(),
        ),
    );
    let mut gather = calls();
    gather.extend([failing(), flag("return_exceptions")]);
    add(
        tour("gather"),
        get(
            "gather: ordered results, return_exceptions",
            gather,
            report(),
        ),
    );
    let mut wait = calls();
    wait.extend([
        failing(),
        choice(
            "return_when",
            &["first_completed", "first_exception", "all_completed"],
        ),
        timeout(None),
    ]);
    add(
        tour("wait"),
        get(
            "asyncio.wait with return_when and a timeout",
            wait,
            report(),
        ),
    );
    let mut as_completed = calls();
    as_completed.extend([failing(), timeout(None)]);
    add(
        tour("as-completed"),
        get("as_completed, streamed as NDJSON", as_completed, stream()),
    );
    add(
        tour("timeout"),
        get(
            "wait_for: a call raced against a timer",
            vec![delay.clone(), timeout(Some(1000)), transport()],
            report(),
        ),
    );
    add(
        tour("cancel"),
        get(
            "task.cancel() takes effect at an await",
            vec![
                int("work_ms", 0, 5000, "CPU step before the worker's await."),
                delay.clone(),
                int(
                    "cancel_after_ms",
                    0,
                    60_000,
                    "When the canceller calls cancel().",
                ),
                transport(),
            ],
            report(),
        ),
    );
    add(
        tour("shield"),
        get(
            "shield: the waiter times out, the work goes on (NDJSON)",
            vec![
                delay.clone(),
                timeout(Some(500)),
                flag("shield"),
                transport(),
            ],
            stream(),
        ),
    );
    add(
        tour("future"),
        get(
            "A future set once and awaited by many",
            vec![
                delay.clone(),
                int("waiters", 1, 1000, "Tasks awaiting the future."),
                transport(),
            ],
            report(),
        ),
    );
    add(
        tour("event-loop"),
        get(
            "One task at a time, switching at yields",
            vec![
                int("n", 2, 10, "Number of tasks."),
                int("steps", 1, 100, "Steps per task."),
                int("step_ms", 0, 1000, "CPU time per step."),
                choice("mode", &["both", "yield", "no-yield"]),
            ],
            report(),
        ),
    );
    add(
        tour("blocking"),
        get(
            "A blocking sleep stalls the instance",
            vec![
                int("n", 1, 20, "Number of tasks."),
                int("delay_ms", 0, 5000, "Sleep of each task."),
                choice("mode", &["both", "blocking", "async"]),
            ],
            report(),
        ),
    );
    add(
        tour("cpu"),
        get(
            "CPU-bound tasks inline or offloaded to cpu-worker",
            vec![
                int("n", 1, 16, "Number of tasks."),
                int(
                    "work_ms",
                    1,
                    2000,
                    "CPU time per task (not with iterations).",
                ),
                int(
                    "iterations",
                    1,
                    2_000_000_000,
                    "Steps per task (not with work_ms).",
                ),
                choice("mode", &["both", "inline", "offload"]),
                transport(),
            ],
            report(),
        ),
    );
    add(
        "/cpu-worker".into(),
        get(
            "Burns CPU on a fresh WASI 0.2 instance",
            vec![
                int(
                    "work_ms",
                    0,
                    10_000,
                    "Wall time to spin (not with iterations).",
                ),
                int(
                    "iterations",
                    1,
                    2_000_000_000,
                    "Steps to run (not with work_ms).",
                ),
            ],
            json_answer("#/components/schemas/Object", &[400, 405]),
        ),
    );

    add(
        "/asynctasks".into(),
        get(
            "Three fetches under asyncio.wait(timeout=5)",
            {
                let mut params = calls();
                params.extend([failing(), timeout(Some(5000))]);
                params
            },
            report(),
        ),
    );
    add(
        "/testcb".into(),
        get(
            "A background task's callback while a fetch runs (text stream)",
            vec![delay.clone()],
            {
                let mut answers = stream_answer("text/plain");
                answers["503"] = error_answer("A needed Spin variable is not set.");
                answers
            },
        ),
    );
    add(
        "/ws".into(),
        get(
            "No inbound WebSocket on Spin: 501, use /echo",
            vec![],
            json!({
                "501": error_answer("Spin has no inbound WebSocket."),
                "405": error_answer("Method not allowed."),
            }),
        ),
    );
    add(
        "/echo".into(),
        json!({ "post": {
        "summary": "Full duplex: each line answered 'Hello, <line>' while the upload runs",
        "requestBody": { "required": false, "content": { "text/plain": { "schema": { "type": "string", "maxLength": 1_048_576 } } } },
        "responses": {
            "200": { "description": "One answer per line, streamed.", "content": { "text/plain": { "schema": { "type": "string" } } } },
            "405": error_answer("Method not allowed."),
            "413": error_answer("The body is over 1 MiB."),
        },
    } }),
    );
    add(
        "/messages".into(),
        json!({ "post": {
        "summary": "msg to an OpenAI-compatible chat model",
        "requestBody": { "required": true, "content": {
            "application/x-www-form-urlencoded": { "schema": message_schema() },
            "application/json": { "schema": message_schema() },
        } },
        "responses": {
            "200": { "description": "The model's answer.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MessagesReply" } } } },
            "400": error_answer("msg is missing, empty or too long, or the body is malformed."),
            "405": error_answer("Method not allowed."),
            "413": error_answer("The body is over 64 KiB."),
            "502": error_answer("The model's API failed."),
            "503": error_answer("No API key is configured."),
        },
    } }),
    );
    add(
        "/ui/".into(),
        get(
            "The playground page (also /ui/app.js and /ui/style.css)",
            vec![],
            json!({
                "200": { "description": "HTML", "content": { "text/html": { "schema": { "type": "string" } } } },
                "405": error_answer("Method not allowed."),
            }),
        ),
    );
    add(
        "/openapi.json".into(),
        get(
            "This document",
            vec![],
            json!({
                "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } },
                "405": error_answer("Method not allowed."),
            }),
        ),
    );
    Value::Object(paths)
}

fn get(summary: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "parameters": parameters, "responses": responses } })
}

fn int(name: &str, minimum: u64, maximum: u64, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description,
            "schema": { "type": "integer", "minimum": minimum, "maximum": maximum } })
}

fn text(name: &str, max_length: u64, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description,
            "schema": { "type": "string", "maxLength": max_length } })
}

/// A comma-separated list of 1 to 1000 integers from 0 to 30000.
fn list(name: &str, description: &str) -> Value {
    let item = "(30000|[12][0-9]{4}|[0-9]{1,4})";
    json!({ "name": name, "in": "query", "required": false, "description": description,
            "schema": { "type": "string", "pattern": format!("^{item}(,{item}){{0,999}}$") } })
}

/// `/upstream` answers whatever `status` asks for, 5xx included, with its usual body.
fn upstream_answers() -> Value {
    let mut answers = json_answer("#/components/schemas/UpstreamReply", &[400, 405]);
    answers["default"] = json!({ "description": "The status asked for", "content": { "application/json": { "schema": {
        "oneOf": [{ "$ref": "#/components/schemas/UpstreamReply" }, { "$ref": "#/components/schemas/Error" }] } } } });
    answers
}

fn flag(name: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string", "enum": ["true", "false", "1", "0"] } })
}

fn choice(name: &str, options: &[&str]) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string", "enum": options } })
}

fn transport() -> Value {
    choice("transport", &["chaining", "self"])
}

fn message_schema() -> Value {
    json!({ "type": "object", "required": ["msg"], "properties": { "msg": { "type": "string", "minLength": 1, "maxLength": 4000 } } })
}

fn error_answer(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn json_answer(schema: &str, errors: &[u16]) -> Value {
    let mut answers = json!({ "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": schema } } } } });
    for status in errors {
        answers[status.to_string()] = error_answer(if *status == 405 {
            "Method not allowed."
        } else {
            "Bad parameters."
        });
    }
    answers
}

fn stream_answer(content_type: &str) -> Value {
    json!({
        "200": { "description": "A stream of lines, each sent when it happens.", "content": { content_type: { "schema": { "type": "string" } } } },
        "400": error_answer("Bad parameters."),
        "405": error_answer("Method not allowed."),
    })
}

fn hello_answers() -> Value {
    json!({
        "200": { "description": "The greeting", "content": {
            "text/html": { "schema": { "type": "string" } },
            "application/json": { "schema": { "$ref": "#/components/schemas/Greeting" } },
        } },
        "400": error_answer("Bad parameters."),
        "405": error_answer("Method not allowed."),
    })
}

fn schemas() -> Value {
    let ms = json!({ "type": "number", "minimum": 0 });
    let instance = json!({ "type": "object", "required": ["id", "request_number"],
        "properties": { "id": { "type": "string" }, "request_number": { "type": "integer", "minimum": 1 } } });
    json!({
        "Object": { "type": "object" },
        "Error": { "type": "object", "required": ["error", "message"], "properties": {
            "error": { "type": "string" }, "message": { "type": "string" }, "param": { "type": "string" },
            "upstream_status": { "type": "integer" } } },
        "Instance": instance,
        "Greeting": { "type": "object", "required": ["greeting", "delay_ms", "slept_ms", "instance"], "properties": {
            "greeting": { "type": "string" }, "delay_ms": { "type": "integer" }, "slept_ms": ms, "instance": { "$ref": "#/components/schemas/Instance" } } },
        "UpstreamReply": { "type": "object", "required": ["delay_ms", "slept_ms", "status", "instance"], "properties": {
            "id": { "type": "string" }, "delay_ms": { "type": "integer" }, "slept_ms": ms, "status": { "type": "integer" },
            "filler": { "type": "string" }, "instance": { "$ref": "#/components/schemas/Instance" } } },
        "Task": { "type": "object", "required": ["id", "label", "started_ms", "finished_ms", "outcome"], "properties": {
            "id": { "type": "integer" }, "label": { "type": "string" },
            "started_ms": { "type": ["number", "null"] }, "finished_ms": { "type": ["number", "null"] },
            "outcome": { "enum": ["pending", "ok", "error", "cancelled", "timed_out"] },
            "result": {}, "error": { "type": ["string", "null"] } } },
        "Event": { "type": "object", "required": ["t_ms", "task", "what"], "properties": {
            "t_ms": ms, "task": { "type": ["integer", "null"] }, "what": { "type": "string" } } },
        "Report": { "type": "object",
            "required": ["demo", "python", "rust", "rust_source", "params", "elapsed_ms", "expected_ms", "tasks", "events", "note", "instance"],
            "properties": {
                "demo": { "type": "string" }, "python": { "type": "string" }, "rust": { "type": "string", "minLength": 1 },
                "rust_source": { "type": "array", "minItems": 1, "items": { "type": "object",
                    "required": ["file", "first_line", "last_line"], "properties": {
                        "file": { "type": "string" }, "first_line": { "type": "integer", "minimum": 1 },
                        "last_line": { "type": "integer", "minimum": 1 } } } },
                "params": { "type": "object" }, "elapsed_ms": ms, "expected_ms": ms,
                "tasks": { "type": "array", "items": { "$ref": "#/components/schemas/Task" } },
                "events": { "type": "array", "items": { "$ref": "#/components/schemas/Event" } },
                "note": { "type": "string" }, "instance": { "$ref": "#/components/schemas/Instance" } } },
        "MessagesReply": { "type": "object", "required": ["reply", "model", "usage"], "properties": {
            "reply": { "type": "string" }, "model": { "type": "string" }, "usage": {} } },
    })
}
