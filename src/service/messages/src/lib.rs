//! `POST /messages`: a message to an LLM chat model, the answer as JSON.
//!
//! aiohttp: the handler read the form field `msg`, sent it to OpenAI's gpt-4o with
//! `await client.chat.completions.create(...)` and returned the answer.
//! Rust: the same request, `POST {llm_base_url}/v1/chat/completions`, goes out
//! through the host (`spin_sdk::http::send`), so any OpenAI-compatible server
//! works. The base URL, model and key are Spin variables; the key is a secret and
//! never appears in a response or a log line.

use bytes::Bytes;
use common::reply::{self, ApiError, Reply};
use common::text::percent_decode;
use common::upstream::{self, UpstreamError};
use common::{limits, task};
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use serde_json::{Value, json};
use spin_sdk::http::{Method, Request};
use std::time::Duration;

pub mod route;

#[spin_sdk::http_service]
async fn messages(request: Request) -> Reply {
    let outcome = run(request).await;
    if let Err(error) = &outcome
        && error.status >= 500
    {
        // The operator's view of a failed call; messages never carry the key.
        eprintln!("POST /messages: {} {}", error.status, error.message);
    }
    reply::respond(outcome)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    if request.method() != Method::POST {
        return Err(ApiError::method_not_allowed(request.method(), "POST"));
    }
    let message = read_message(request).await?;
    let key = setting("llm_api_key").await?;
    if key.is_empty() {
        return Err(ApiError::service_unavailable(
            "no LLM API key: set the Spin variable llm_api_key (SPIN_VARIABLE_LLM_API_KEY locally, --variable on deploy)",
        ));
    }
    let base_url = setting("llm_base_url").await?;
    let model = setting("llm_model").await?;

    let completion = json!({
        "model": model,
        "messages": [{ "role": "user", "content": message }],
    });
    let outgoing = http::Request::post(format!(
        "{}/v1/chat/completions",
        base_url.trim_end_matches('/')
    ))
    .header(http::header::CONTENT_TYPE, "application/json")
    .header(http::header::AUTHORIZATION, format!("Bearer {key}"))
    .body(Bytes::from(completion.to_string()))
    .map_err(|_| {
        ApiError::service_unavailable("the Spin variable llm_base_url is not a valid URL")
    })?;
    let limit = Duration::from_millis(timeout_ms().await?);
    let (status, body) = task::timeout(limit, upstream::send(outgoing))
        .await
        .map_err(|task::TimedOut| {
            ApiError::bad_gateway(format!(
                "the LLM API did not answer within {} ms",
                limit.as_millis()
            ))
        })?
        .map_err(|error| match error {
            UpstreamError::Unreachable(why) => {
                ApiError::bad_gateway(format!("cannot reach the LLM API: {why}"))
            }
            other => ApiError::bad_gateway(other.to_string()),
        })?;
    if !(200..300).contains(&status) {
        return Err(ApiError::upstream_failed(
            status,
            format!("the LLM API answered {status}"),
        ));
    }
    let answer: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_gateway("the LLM API answered something that is not JSON"))?;
    let Some(reply_text) = answer["choices"][0]["message"]["content"].as_str() else {
        return Err(ApiError::bad_gateway(
            "the LLM API answered without choices[0].message.content",
        ));
    };
    let body = json!({
        "reply": reply_text,
        "model": answer.get("model").cloned().unwrap_or(json!(model)),
        "usage": answer.get("usage").cloned().unwrap_or(Value::Null),
    });
    Ok(reply::json(StatusCode::OK, &body))
}

/// `msg` from a form (`application/x-www-form-urlencoded`, as the original) or
/// from a JSON object.
async fn read_message(request: Request) -> Result<String, ApiError> {
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let body = Limited::new(request.into_body(), route::MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|_| ApiError::payload_too_large(route::MAX_BODY_BYTES))?
        .to_bytes();
    let message = match content_type.as_str() {
        "application/json" => serde_json::from_slice::<Value>(&body)
            .map_err(|_| ApiError::bad_request(None, "the body is not valid JSON"))?
            .get("msg")
            .and_then(Value::as_str)
            .map(str::to_owned),
        "application/x-www-form-urlencoded" | "" => {
            form_field(&String::from_utf8_lossy(&body), "msg")
        }
        other => {
            return Err(ApiError::bad_request(
                None,
                format!("send msg as a form or as JSON, not as '{other}'"),
            ));
        }
    };
    match message.map(|text| text.trim().to_owned()) {
        None => Err(ApiError::bad_request(Some("msg"), "'msg' is missing")),
        Some(text) if text.is_empty() => Err(ApiError::bad_request(Some("msg"), "'msg' is empty")),
        Some(text) if text.chars().count() > route::MAX_MESSAGE_CHARS => {
            Err(ApiError::bad_request(
                Some("msg"),
                format!(
                    "'msg' is longer than {} characters",
                    route::MAX_MESSAGE_CHARS
                ),
            ))
        }
        Some(text) => Ok(text),
    }
}

fn form_field(form: &str, name: &str) -> Option<String> {
    form.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| percent_decode(key, true) == name)
        .map(|(_, value)| percent_decode(value, true))
}

/// `llm_timeout_ms`: how long to wait for the model's answer, at most as long as a
/// run may last (`limits::RUN_MS`: the platform ends a longer handler first).
async fn timeout_ms() -> Result<u64, ApiError> {
    let text = setting("llm_timeout_ms").await?;
    match text.trim().parse::<u64>() {
        Ok(ms) if ms <= limits::RUN_MS => Ok(ms),
        _ => Err(ApiError::service_unavailable(format!(
            "the Spin variable 'llm_timeout_ms' must be a number of ms up to {}; it is '{text}'",
            limits::RUN_MS
        ))),
    }
}

async fn setting(name: &str) -> Result<String, ApiError> {
    spin_sdk::variables::get(name).await.map_err(|_| {
        ApiError::service_unavailable(format!("the Spin variable '{name}' is not set"))
    })
}
