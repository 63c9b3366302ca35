"""Client for an Ollama-compatible endpoint (AI_ENDPOINT), standard library only."""

import json
import os
import time
import urllib.error
import urllib.request

# Request fields Ollama takes at the top level; other keyword arguments are
# model parameters and go into "options" (temperature, num_predict, ...).
_TOP_LEVEL = {"system", "template", "format", "keep_alive", "raw", "images", "context", "suffix", "tools"}


class AIError(Exception):
    """The AI endpoint could not answer. status is the HTTP status, if any."""

    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class AIClient:
    """Calls /api/generate and /api/chat with retries.

    HTTP 429, 5xx and connection failures are retried up to max_retries times
    with exponential backoff (backoff, 2*backoff, 4*backoff seconds, or the
    server's Retry-After when it is shorter than 30 s). Other HTTP errors and
    timeouts are raised at once: repeating them would not help, and a timed
    out generation would only burn the function's time budget again.
    """

    def __init__(self, endpoint=None, model=None, timeout=60.0, max_retries=3, backoff=0.5):
        self.endpoint = (endpoint or os.environ.get("AI_ENDPOINT") or "").rstrip("/")
        self.model = model or os.environ.get("LLM_MODEL") or None
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff

    def generate(self, prompt, model=None, **options):
        """Return the text the model generates for prompt."""
        body = self._body(model, {"prompt": prompt}, options)
        return self._post("/api/generate", body)["response"]

    def chat(self, messages, model=None, **options):
        """Return the assistant's reply to messages ([{"role", "content"}])."""
        body = self._body(model, {"messages": list(messages)}, options)
        return self._post("/api/chat", body)["message"]["content"]

    def _body(self, model, fields, options):
        model = model or self.model
        if not model:
            raise AIError("no model given: pass model= or set LLM_MODEL")
        body = {"model": model, "stream": False}
        body.update(fields)
        extra = {k: v for k, v in options.items() if k not in _TOP_LEVEL}
        body.update({k: v for k, v in options.items() if k in _TOP_LEVEL})
        if extra:
            body["options"] = extra
        return body

    def _post(self, path, body):
        if not self.endpoint:
            raise AIError("AI_ENDPOINT is not set: no AI endpoint is configured for this function")
        url = self.endpoint + path
        data = json.dumps(body).encode("utf-8")
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
            retry_after = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    payload = resp.read()
                try:
                    return json.loads(payload)
                except ValueError as e:
                    raise AIError("AI endpoint %s returned invalid JSON: %s" % (url, e)) from None
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")[:500]
                if not (e.code == 429 or e.code >= 500) or attempt >= self.max_retries:
                    raise AIError("AI endpoint %s returned HTTP %d: %s" % (url, e.code, text), e.code, text) from None
                retry_after = _retry_after(e.headers.get("Retry-After"))
            except urllib.error.URLError as e:
                if _is_timeout(e.reason):
                    raise AIError("AI endpoint %s timed out after %s s" % (url, self.timeout)) from None
                if attempt >= self.max_retries:
                    raise AIError("AI endpoint %s unreachable after %d attempts: %s" % (url, attempt + 1, e.reason)) from None
            except (TimeoutError, OSError) as e:
                if _is_timeout(e):
                    raise AIError("AI endpoint %s timed out after %s s" % (url, self.timeout)) from None
                if attempt >= self.max_retries:
                    raise AIError("AI endpoint %s failed after %d attempts: %s" % (url, attempt + 1, e)) from None
            delay = self.backoff * (2 ** attempt)
            if retry_after is not None:
                delay = retry_after
            time.sleep(delay)
            attempt += 1


def _is_timeout(err):
    import socket

    return isinstance(err, (TimeoutError, socket.timeout))


def _retry_after(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds <= 30 else None


_default = None


def _client():
    # Created on first use so that the environment is read at call time.
    global _default
    if _default is None:
        _default = AIClient()
    return _default


def generate(prompt, model=None, **options):
    """Module-level shortcut for AIClient().generate."""
    return _client().generate(prompt, model=model, **options)


def chat(messages, model=None, **options):
    """Module-level shortcut for AIClient().chat."""
    return _client().chat(messages, model=model, **options)
