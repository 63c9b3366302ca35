# Reads the task's input with the SDK (PAYLOAD, or PAYLOAD_FILE for large inputs) and answers with JSON.
from infraworker import get_input, return_output

data = get_input() or {}
name = data.get("name", "world")
return_output({"greeting": f"Hello, {name}!", "length": len(name)})
