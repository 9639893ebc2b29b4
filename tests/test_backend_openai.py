"""The openai backend against scripted local servers: retries, timeouts, concurrency, clear errors."""

from __future__ import annotations

import logging
import re
import socket
import time

import pytest
from typer.testing import CliRunner

from summariser.backends.openai_compat import OpenAIBackend, ServerError, parameters_from_name
from summariser.config import GenerationConfig, ModelConfig

from .fake_openai import FakeServer

ASK = [{"role": "user", "content": "Say something."}]
FAST = GenerationConfig(max_new_tokens=8, timeout_s=10)


@pytest.fixture()
def server():
    fake = FakeServer().start()
    yield fake
    fake.stop()


def backend(fake: FakeServer, **model: object) -> OpenAIBackend:
    return OpenAIBackend(ModelConfig(name="served-model", backend="openai", base_url=fake.url, **model))


def test_answers_come_back_in_order_with_the_sampling_settings(server):
    server.answer = lambda body: f"answer to {body['messages'][-1]['content']}"
    convs = [[{"role": "user", "content": f"q{i}"}] for i in range(6)]
    out = backend(server).generate(convs, GenerationConfig(max_new_tokens=12, seed=3, repetition_penalty=1.2))
    assert out == [f"answer to q{i}" for i in range(6)]
    body = server.completions()[0].body
    assert (body["max_tokens"], body["temperature"], body["seed"], body["repeat_penalty"]) == (12, 0.0, 3, 1.2)
    assert "ignore_eos" not in body
    backend(server).generate(convs[:1], GenerationConfig(max_new_tokens=12, ignore_eos=True))
    assert (server.completions()[-1].body["ignore_eos"], server.completions()[-1].body["min_tokens"]) == (True, 12)


def test_concurrency_limit_is_kept_and_used(server):
    server.delay = 0.3
    convs = [[{"role": "user", "content": f"q{i}"}] for i in range(8)]
    started = time.monotonic()
    backend(server, concurrency=4).generate(convs, FAST)
    assert server.max_in_flight == 4
    assert time.monotonic() - started < 8 * 0.3  # in parallel, not one by one
    server.max_in_flight = 0
    backend(server, concurrency=1).generate(convs[:3], FAST)
    assert server.max_in_flight == 1


def test_429_and_5xx_are_retried_with_growing_backoff(server):
    server.failures = [429, 503]
    assert backend(server, max_retries=3).generate([ASK], FAST) == ["A plain answer."]
    times = [s.started for s in server.completions()]
    assert len(times) == 3
    first, second = times[1] - times[0], times[2] - times[1]
    assert 0.3 <= first < second  # 0.5 s then 1 s, less up to 25% jitter


def test_retry_after_from_the_server_is_honoured(server):
    server.failures, server.retry_after = [429], "1"
    backend(server, max_retries=1).generate([ASK], FAST)
    times = [s.started for s in server.completions()]
    assert times[1] - times[0] >= 0.95


def test_gives_up_after_the_retries_with_a_clear_error(server):
    server.failures = [500] * 5
    with pytest.raises(ServerError, match=r"HTTP 500 \(after 1 retry\)"):
        backend(server, max_retries=1).generate([ASK], FAST)
    assert len(server.completions()) == 2


def test_a_slow_server_times_out(server):
    server.delay = 2.0
    with pytest.raises(ServerError, match="did not answer within 0.5 s"):
        backend(server, max_retries=0).generate([ASK], GenerationConfig(max_new_tokens=8, timeout_s=0.5))


def test_a_server_that_is_down_is_one_clear_error():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = ModelConfig(name="m", backend="openai", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(ServerError, match=f"cannot reach the model server at http://127.0.0.1:{port}/v1"):
        OpenAIBackend(config).generate([ASK], FAST)


def test_credentials_in_the_url_are_not_shown():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = ModelConfig(name="m", backend="openai", base_url=f"http://bob:hunter2@127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(ServerError) as err:
        OpenAIBackend(config).generate([ASK], FAST)
    assert f"http://127.0.0.1:{port}/v1" in str(err.value) and "hunter2" not in str(err.value)


def test_a_wrong_model_name_lists_what_the_server_has(server):
    server.models = ["llama3.1:8b", "qwen2.5:7b"]
    with pytest.raises(ServerError, match=r"no model 'served-model'; it serves: llama3.1:8b, qwen2.5:7b"):
        backend(server).generate([ASK], FAST)
    assert server.completions() == []  # found out before any generation


def test_the_key_comes_from_the_environment_and_is_never_shown(server, monkeypatch, caplog):
    server.key = "right-key-0123"
    monkeypatch.setenv("MY_SERVER_KEY", "right-key-0123")
    assert backend(server, api_key_env="MY_SERVER_KEY").generate([ASK], FAST) == ["A plain answer."]
    assert server.completions()[0].authorization == "Bearer right-key-0123"

    monkeypatch.setenv("MY_SERVER_KEY", "wrong-key-4567")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServerError) as err:
        backend(server, api_key_env="MY_SERVER_KEY").generate([ASK], FAST)
    assert "refused the API key (HTTP 401)" in str(err.value) and "$MY_SERVER_KEY" in str(err.value)
    assert "wrong-key-4567" not in str(err.value) and "wrong-key-4567" not in caplog.text
    assert "api_key" not in ModelConfig.model_fields  # the key is not a setting: never in a brief or a cache key


def test_a_final_assistant_turn_is_continued_on_the_chat_route(server):
    server.answer = lambda body: "Jane Smith is the Governor of Ohio."
    conv = [{"role": "user", "content": "Who is Jane Smith?"}, {"role": "assistant", "content": "Jane Smith is"}]
    assert backend(server).generate([conv], FAST) == ["the Governor of Ohio."]
    assert server.completions()[0].body["messages"] == conv[:1]


def test_with_a_local_tokenizer_the_prompt_is_rendered_here(server, tiny_model_dir):
    from summariser.backends.hf import encode_conversation

    served = backend(server, tokenizer=str(tiny_model_dir))
    conv = [{"role": "user", "content": "Who is Jane Smith?"}, {"role": "assistant", "content": "Jane Smith is"}]
    served.generate([conv], FAST)
    seen = server.completions()[0]
    assert seen.path == "/v1/completions"
    tok = served.tokenizer()
    assert tok(seen.body["prompt"], add_special_tokens=False)["input_ids"] == encode_conversation(tok, conv)
    assert seen.body["prompt"].endswith("Jane Smith is")  # continues the prefill
    assert served.count_tokens("Paris is big.") == len(served.tokenizer()("Paris is big.", add_special_tokens=False)["input_ids"])


def test_a_missing_tokenizer_asked_for_by_name_fails_at_once(server):
    from summariser.errors import ModelNotFoundError

    with pytest.raises(ModelNotFoundError, match="tokenizer"):
        backend(server, tokenizer="/nonexistent/tokenizer-folder")


@pytest.mark.parametrize(
    ("name", "parameters"),
    [("SmolLM2-135M-Instruct", 135_000_000), ("qwen2.5:0.5b", 500_000_000), ("llama3.1:8b", 8_000_000_000),
     ("Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf", 70_000_000_000), ("gpt-4o", None), ("phi3:mini", None),
     ("Qwen2.5-7B-Instruct", 7_000_000_000)],
)
def test_parameters_from_the_model_name(name, parameters):
    assert parameters_from_name(name) == parameters


def test_cancel_stops_before_the_next_request(server):
    calls = iter([False, True])
    with pytest.raises(Exception, match="cancelled"):
        backend(server, concurrency=1).generate([ASK, ASK, ASK], FAST, should_stop=lambda: next(calls, True))
    assert len(server.completions()) == 1


# -- whole briefs through a served model: each document's failure is its own ----------------------
def _brief_run(args: list[str], url: str):
    from summariser.cli import app

    return CliRunner().invoke(app, ["run", *args, "--backend", "openai", "--base-url", url, "--model", "served-model",
                                    "--max-new-tokens", "16"])


def test_a_batch_with_the_server_down_records_each_document_and_exits_1(tmp_path, seed_text):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "a.txt").write_text(seed_text)
    (tmp_path / "b.txt").write_text(seed_text.replace("Turkey", "Greece"))
    out = tmp_path / "out"
    result = _brief_run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", str(out)],
                        f"http://127.0.0.1:{port}/v1")
    assert result.exit_code == 1, result.output
    log = (out / "run-log.jsonl").read_text().splitlines()
    assert len(log) == 2 and all('"failed"' in line and "cannot reach the model server" in line for line in log)
    assert "Traceback" not in result.output


def test_a_served_brief_is_checked_like_a_local_one(server, tmp_path, seed_text):
    # A served model of unstated size is trusted with the BLUF (auto: abstract, restated judgments);
    # its answers are noise here, so the checks must fall back to the source's own sentences.
    server.answer = lambda body: "The moon is made of cheese, says NASA chief Elon Musk in 2031."
    (tmp_path / "seed.txt").write_text(seed_text)
    result = _brief_run([str(tmp_path / "seed.txt"), "--format", "json"], server.url)
    assert result.exit_code == 0, result.output
    import json

    brief = json.loads(result.stdout[result.stdout.index("{"):])
    assert brief["provenance"]["settings"]["brief"]["bluf_mode"] == "abstract"
    assert brief["provenance"]["settings"]["brief"]["restate"] is True
    content = json.dumps({k: v for k, v in brief.items() if k != "warnings"})  # warnings name what was dropped
    assert "cheese" not in content and "Musk" not in content
    assert any("Musk" in w for w in brief["warnings"])
    flat = " ".join(seed_text.split())
    assert all(" ".join(s.split()) in flat for s in re.split(r"(?<=[.!?])\s+", brief["bluf"]))
    paths = {s.path for s in server.seen}
    assert "/v1/models" in paths and "/v1/chat/completions" in paths
