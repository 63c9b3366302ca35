import io
import json
import os
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import infraworker
from infraworker import AIClient, AIError


class InputTest(unittest.TestCase):
    def test_payload(self):
        with mock.patch.dict(os.environ, {"PAYLOAD": '{"a": [1, 2]}'}, clear=True):
            self.assertEqual(infraworker.get_input(), {"a": [1, 2]})

    def test_payload_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"big": "x" * 1000}, f)
        self.addCleanup(os.unlink, f.name)
        with mock.patch.dict(os.environ, {"PAYLOAD_FILE": f.name}, clear=True):
            self.assertEqual(len(infraworker.get_input()["big"]), 1000)

    def test_absent(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertIsNone(infraworker.get_input())

    def test_context(self):
        env = {"JOB_ID": "j", "FUNCTION_ID": "f", "MEMORY_MB": "256", "LLM_MODEL": "m",
               "OUTPUT_DIR": "/o", "AI_ENDPOINT": "http://ai"}
        with mock.patch.dict(os.environ, env, clear=True):
            self.assertEqual(infraworker.get_context(), {
                "jobId": "j", "functionId": "f", "memoryMb": 256, "llmModel": "m",
                "outputDir": "/o", "aiEndpoint": "http://ai"})
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertIsNone(infraworker.get_context()["memoryMb"])

    def test_return_output_is_one_json_line(self):
        buf = io.StringIO()
        with mock.patch("sys.stdout", buf):
            infraworker.return_output({"ok": True, "text": "é\nx"})
        self.assertEqual(buf.getvalue().count("\n"), 1)
        self.assertEqual(json.loads(buf.getvalue()), {"ok": True, "text": "é\nx"})


class FakeOllama(BaseHTTPRequestHandler):
    """Answers from a script of (status, body) per request."""

    script = []
    seen = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOllama.seen.append((self.path, body))
        status, reply = FakeOllama.script.pop(0) if FakeOllama.script else (200, {})
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class AIClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = HTTPServer(("127.0.0.1", 0), FakeOllama)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.url = "http://127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        FakeOllama.script, FakeOllama.seen = [], []
        self.client = AIClient(endpoint=self.url, model="llama3", timeout=5, backoff=0.01)

    def test_generate_retries_503_then_succeeds(self):
        FakeOllama.script = [(503, {"error": "loading"}), (200, {"response": "hi there"})]
        self.assertEqual(self.client.generate("hello", temperature=0.1, system="be brief"), "hi there")
        self.assertEqual(len(FakeOllama.seen), 2)
        path, body = FakeOllama.seen[-1]
        self.assertEqual(path, "/api/generate")
        self.assertEqual(body, {"model": "llama3", "prompt": "hello", "stream": False,
                                "system": "be brief", "options": {"temperature": 0.1}})

    def test_400_is_not_retried(self):
        FakeOllama.script = [(400, {"error": "bad model"}), (200, {"response": "never"})]
        with self.assertRaises(AIError) as ctx:
            self.client.generate("hello")
        self.assertEqual(ctx.exception.status, 400)
        self.assertIn("HTTP 400", str(ctx.exception))
        self.assertEqual(len(FakeOllama.seen), 1)

    def test_gives_up_after_max_retries(self):
        FakeOllama.script = [(500, {})] * 5
        with self.assertRaises(AIError) as ctx:
            self.client.generate("x")
        self.assertEqual(ctx.exception.status, 500)
        self.assertEqual(len(FakeOllama.seen), 4)  # 1 + 3 retries

    def test_chat_and_default_model_from_env(self):
        FakeOllama.script = [(429, {}), (200, {"message": {"role": "assistant", "content": "pong"}})]
        with mock.patch.dict(os.environ, {"AI_ENDPOINT": self.url, "LLM_MODEL": "mistral"}):
            client = AIClient(backoff=0.01)
            self.assertEqual(client.chat([{"role": "user", "content": "ping"}]), "pong")
        self.assertEqual(FakeOllama.seen[-1][0], "/api/chat")
        self.assertEqual(FakeOllama.seen[-1][1]["model"], "mistral")

    def test_connection_refused_is_retried_then_raised(self):
        client = AIClient(endpoint="http://127.0.0.1:1", model="m", backoff=0.01, max_retries=2)
        with self.assertRaises(AIError) as ctx:
            client.generate("x")
        self.assertIn("after 3 attempts", str(ctx.exception))

    def test_missing_endpoint_or_model(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaises(AIError):
                AIClient(model="m").generate("x")
            with self.assertRaises(AIError):
                AIClient(endpoint=self.url).generate("x")


if __name__ == "__main__":
    unittest.main()
