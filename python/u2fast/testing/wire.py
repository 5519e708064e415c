"""The three wire formats, server side: read a request, write an answer or an error."""

from __future__ import annotations

import time
from typing import Any

import msgspec

__all__ = ["WIRES", "answer_body", "empty_body", "error_body", "filtered_body", "parse_request"]

WIRES = ("openai", "gemini", "anthropic")
_encode = msgspec.json.encode


def _data_url(url: str) -> tuple[str, str]:
    head, _, data = url.partition(",")
    mime = head[5:].split(";", 1)[0] if head.startswith("data:") else ""
    return mime, data


def parse_request(wire: str, doc: Any, path_model: str | None) -> tuple[str, str, list[tuple[str, str]]]:
    """(model, prompt text, [(mime, base64)]) of a request body; ValueError when it is not the wire's shape."""
    texts: list[str] = []
    images: list[tuple[str, str]] = []
    if not isinstance(doc, dict):
        raise TypeError("the body is not a JSON object")
    if wire == "gemini":
        model: str = path_model or ""
        system = doc.get("systemInstruction") or doc.get("system_instruction")
        contents = list(doc.get("contents") or [])
        if not contents:
            raise ValueError("contents is empty")
        for content in ([system] if isinstance(system, dict) else []) + contents:
            for part in content.get("parts", []):
                if "text" in part:
                    texts.append(part["text"])
                inline = part.get("inlineData") or part.get("inline_data")
                if inline is not None:
                    images.append(
                        (inline.get("mimeType") or inline.get("mime_type") or "", inline.get("data", ""))
                    )
        return model, "\n".join(texts), images
    doc_model = doc.get("model")
    if not isinstance(doc_model, str) or not doc_model:
        raise ValueError("model is missing")
    model = doc_model
    messages = doc.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ValueError("messages is missing or empty")
    if wire == "anthropic":
        if not isinstance(doc.get("max_tokens"), int):
            raise ValueError("max_tokens is required")
        system = doc.get("system")
        if isinstance(system, str):
            texts.append(system)
        elif isinstance(system, list):
            texts.extend(block.get("text", "") for block in system if isinstance(block, dict))
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
            continue
        for part in content or []:
            kind = part.get("type")
            if kind == "text":
                texts.append(part.get("text", ""))
            elif kind == "image_url":
                images.append(_data_url(part.get("image_url", {}).get("url", "")))
            elif kind == "image":
                source = part.get("source", {})
                images.append((source.get("media_type", ""), source.get("data", "")))
    return model, "\n".join(texts), images


def _usage(prompt: str, n_images: int, text: str) -> tuple[int, int]:
    return len(prompt) // 4 + 1 + 85 * n_images, len(text) // 4 + 1


def _openai(model: str, choices: list[dict[str, Any]], usage: tuple[int, int], answer: bool = False) -> dict[str, Any]:
    """A chat.completion document; ``answer`` adds what a real answer also carries."""
    doc: dict[str, Any] = {"id": "chatcmpl-fake", "object": "chat.completion"}
    if answer:
        doc["created"] = int(time.time())
    doc["model"] = model
    if answer:
        doc["system_fingerprint"] = "fp_fake"
    tokens_in, tokens_out = usage
    doc["choices"] = choices
    doc["usage"] = {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out}
    return doc


def _anthropic(model: str, content: list[dict[str, Any]], stop: str, usage: tuple[int, int]) -> dict[str, Any]:
    """A Messages API message document."""
    doc: dict[str, Any] = {"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
                           "content": content, "stop_reason": stop}  # fmt: skip
    if content:
        doc["stop_sequence"] = None
    doc["usage"] = {"input_tokens": usage[0], "output_tokens": usage[1]}
    return doc


def _gemini_usage(tokens_in: int, tokens_out: int | None = None) -> dict[str, int]:
    if tokens_out is None:
        return {"promptTokenCount": tokens_in, "totalTokenCount": tokens_in}
    return {"promptTokenCount": tokens_in, "candidatesTokenCount": tokens_out, "totalTokenCount": tokens_in + tokens_out}


def answer_body(wire: str, model: str, text: str, prompt: str, n_images: int, padding: int = 0) -> bytes:
    usage = _usage(prompt, n_images, text)
    doc: dict[str, Any]
    if wire == "openai":
        choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        doc = _openai(model, [choice], usage, answer=True)
    elif wire == "gemini":
        candidate = {"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}
        doc = {"candidates": [candidate], "usageMetadata": _gemini_usage(*usage), "modelVersion": model}
    else:
        doc = _anthropic(model, [{"type": "text", "text": text}], "end_turn", usage)
    if padding:
        doc["x_padding"] = "p" * padding
    return _encode(doc)


def empty_body(wire: str, model: str) -> bytes:
    if wire == "openai":
        return _encode(_openai(model, [], (1, 0)))
    if wire == "gemini":
        return _encode({"candidates": [], "usageMetadata": _gemini_usage(1)})
    return _encode(_anthropic(model, [], "end_turn", (1, 0)))


def filtered_body(wire: str, model: str) -> bytes:
    if wire == "openai":
        choice = {"index": 0, "message": {"role": "assistant", "content": None, "refusal": "withheld"},
                  "finish_reason": "content_filter"}  # fmt: skip
        return _encode(_openai(model, [choice], (1, 0)))
    if wire == "gemini":
        return _encode({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": _gemini_usage(1)})
    return _encode(_anthropic(model, [], "refusal", (1, 0)))


# (status, openai type/code, gemini status, anthropic type)
_ERRORS: dict[str, tuple[int, str, str, str, str]] = {
    "rate_limited": (429, "requests", "rate_limit_exceeded", "RESOURCE_EXHAUSTED", "rate_limit_error"),
    "quota": (429, "insufficient_quota", "insufficient_quota", "RESOURCE_EXHAUSTED", "billing_error"),
    "server_error": (500, "server_error", "server_error", "INTERNAL", "api_error"),
    "unavailable": (503, "server_error", "service_unavailable", "UNAVAILABLE", "api_error"),
    "overloaded": (529, "server_error", "overloaded", "UNAVAILABLE", "overloaded_error"),
    "auth": (401, "invalid_request_error", "invalid_api_key", "UNAUTHENTICATED", "authentication_error"),
    "echo_key": (401, "invalid_request_error", "invalid_api_key", "UNAUTHENTICATED", "authentication_error"),
    "bad_request": (
        400,
        "invalid_request_error",
        "invalid_value",
        "INVALID_ARGUMENT",
        "invalid_request_error",
    ),
}

_MESSAGES = {
    "rate_limited": "Rate limit reached for requests. Please try again later.",
    "quota": "You exceeded your current quota (requests per day). Check your plan and billing details.",
    "server_error": "The server had an error while processing your request.",
    "unavailable": "The service is temporarily unavailable.",
    "overloaded": "Overloaded",
    "auth": "Incorrect API key provided.",
    "bad_request": "Invalid request: the image could not be processed.",
}


def error_body(wire: str, fault: str, message: str | None = None) -> tuple[int, bytes]:
    status, openai_type, openai_code, gemini_status, anthropic_type = _ERRORS[fault]
    text = message or _MESSAGES[fault]
    if wire == "openai":
        doc: dict[str, Any] = {
            "error": {"message": text, "type": openai_type, "param": None, "code": openai_code}
        }
    elif wire == "gemini":
        doc = {"error": {"code": status, "message": text, "status": gemini_status}}
        if fault == "quota":
            doc["error"]["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}],
                }
            ]
    else:
        doc = {"type": "error", "error": {"type": anthropic_type, "message": text}}
    return status, _encode(doc)
