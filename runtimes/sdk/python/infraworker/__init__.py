"""infraworker SDK for Python functions.

The agent hands a function its input in the PAYLOAD environment variable (or
in the file named by PAYLOAD_FILE when the input is over 100 KiB) and on
stdin; the job's context in JOB_ID, FUNCTION_ID, MEMORY_MB, LLM_MODEL,
OUTPUT_DIR and AI_ENDPOINT. Standard library only.

    import infraworker
    data = infraworker.get_input()
    infraworker.return_output({"sum": sum(data["numbers"])})
"""

import json
import os
import sys

from .ai_client import AIClient, AIError, chat, generate

__all__ = [
    "get_input",
    "get_context",
    "return_output",
    "AIClient",
    "AIError",
    "generate",
    "chat",
]


def get_input():
    """Return the job's input, parsed from JSON; None when there is none."""
    path = os.environ.get("PAYLOAD_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    raw = os.environ.get("PAYLOAD")
    if raw is None or raw.strip() == "":
        return None
    return json.loads(raw)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def get_context():
    """Return what the platform tells the function about its job."""
    env = os.environ.get
    return {
        "jobId": env("JOB_ID") or None,
        "functionId": env("FUNCTION_ID") or None,
        "memoryMb": _int_or_none(env("MEMORY_MB")),
        "llmModel": env("LLM_MODEL") or None,
        "outputDir": env("OUTPUT_DIR") or None,
        "aiEndpoint": env("AI_ENDPOINT") or None,
    }


def return_output(value):
    """Write value as one line of JSON to stdout: the function's result."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()
