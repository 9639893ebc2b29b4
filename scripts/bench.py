"""Benchmark: the same job against peers, decode speed per backend, start-up, memory and scaling.

Usage: .venv/bin/python scripts/bench.py [--docs 10] [--lengths 1000 5000 20000 100000] [--readme]
       [--skip-peers] [--skip-modes] [--skip-decode] [--skip-steps] [--skip-served]

Everything runs on the first N FRANK CNN/DM articles and one GGUF file (the packaged SmolLM2-135M
Q4_1), in this one run, so every ratio compares figures taken side by side:

  modes    our full brief per BLUF mode on each backend. `extract` (the default for this model) has
           the model write only some actor roles; in `compress` and `abstract` the model writes the
           BLUF, the same job as the peers'. Model calls and tokens written per document are counted.
  peers    llama.cpp writing a three-sentence summary of each article (llama-cpp-python), and the
           plain LangChain map-reduce recipe (text splitter + HuggingFacePipeline + map and reduce
           prompts; `pip install --no-deps langchain-huggingface`). Skipped, with a note, when absent.
  decode   prefill and decode tokens/s through each backend's own `generate` (hf in float32 and
           bfloat16, llamacpp, openai against llama.cpp's server) and through llama.cpp itself, on
           the same prompt, 128 tokens decoded past the end token.
  steps    each speed step of the default path, with how many briefs stay identical.
  scaling  long documents (real articles one after another), each in its own process.

Child processes run this module's own functions (`bench.py --child NAME ARG`), not code in strings.
The machine's load average is recorded at the start and the end: on a shared machine the figures
move with it. Writes bench/results/latest.json and latest.md; --readme also replaces the README table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "frank-cnndm.jsonl"
SUMMARY_PROMPT = "Summarise this article in three sentences.\n\n{text}"
PEER_MAX_TOKENS = 128
DECODE_TOKENS = 128
MODES = [("extract", "extract (default here): the model writes only some actor roles"),
         ("compress", "compress: the model shortens each BLUF sentence (the salient ones, about 75 words)"),
         ("abstract", "abstract: the model summarises each chunk, then merges (map-reduce)")]
BACKENDS = [("hf", "hf"), ("llamacpp", "llamacpp"), ("openai", "openai → llama.cpp server")]


def rows(n: int) -> list[dict[str, Any]]:
    """The first `n` FRANK CNN/DM rows (the seed-smoke copy when ../shared is absent)."""
    path = DATA if DATA.exists() else ROOT / "eval" / "data" / "seed-smoke.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(n), handle)]


def articles(n: int) -> list[str]:
    """The first `n` FRANK CNN/DM articles."""
    return [row["article"] for row in rows(n)]


def rouge_of(summaries: list[str], references: list[str]) -> dict[str, float]:
    """Mean ROUGE F1 (x100) of summaries against the references, as `brief eval` scores them."""
    from summariser.evaluation.scoring import rouge

    scores = [rouge(s, r, ("rouge1", "rouge2", "rougeLsum")) for s, r in zip(summaries, references)]
    return {f"{t}_f": round(100 * sum(x[t].fmeasure for x in scores) / len(scores), 1)
            for t in ("rouge1", "rouge2", "rougeLsum")}


def synthetic(words: int) -> str:
    """A long document of about `words` words, made of real articles one after another."""
    pool = articles(250)
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        text = pool[i % len(pool)]
        out.append(text)
        count += len(text.split())
        i += 1
    return "\n\n".join(out)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def time_per_doc(summarise: Callable[[str], Any], docs: list[str]) -> tuple[dict[str, float], list[Any]]:
    """Seconds per document and documents per minute, after one untimed warm-up call; and the outputs."""
    summarise(docs[0])
    outputs = []
    t = time.perf_counter()
    for text in docs:
        outputs.append(summarise(text))
    per_doc = (time.perf_counter() - t) / len(docs)
    return {"seconds_per_doc": round(per_doc, 2), "docs_per_min": round(60 / per_doc, 2)}, outputs


def vm_hwm_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited through fork/exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


# -- child processes: their own memory and honest cold starts ----------------------------------
def child_cold(backend_name: str) -> dict[str, float]:
    """Import, load the default model on a backend, answer one token: what a one-off `brief run` waits for."""
    t0 = time.perf_counter()
    from summariser.backends.registry import get_backend
    from summariser.config import load_settings

    settings = load_settings(model={"backend": backend_name})
    backend = get_backend(settings.model)
    t1 = time.perf_counter()
    backend.generate([[{"role": "user", "content": "Hello"}]], settings.generation.model_copy(update={"max_new_tokens": 1}))
    return {"model_load_s": t1 - t0, "cold_start_to_first_token_s": time.perf_counter() - t0}


def child_long(words: str) -> dict[str, Any]:
    """One full default brief of a synthetic document of about `words` words, with this process's peak memory."""
    from summariser.load import Document
    from summariser.pipeline import Summariser

    text = synthetic(int(words))
    s = Summariser()
    t = time.perf_counter()
    brief = s.brief(Document("long", "long", text))
    return {"seconds": time.perf_counter() - t, "chunks": brief.sources[0].chunks, "words": len(text.split()),
            "peak_rss_mb": vm_hwm_mb(), "backend": brief.provenance.backend}


CHILDREN: dict[str, Callable[[str], dict[str, Any]]] = {"cold": child_cold, "long": child_long}


def run_child(name: str, arg: str = "") -> dict[str, Any]:
    """Run `CHILDREN[name](arg)` in a fresh Python process; its JSON answer."""
    out = subprocess.run([sys.executable, __file__, "--child", name, arg], capture_output=True, text=True,
                         timeout=7200, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- our briefs ----------------------------------------------------------------------------------
@contextmanager
def served_default() -> Iterator[str | None]:
    """llama.cpp's server on the default GGUF (yields its URL), or None without the extra."""
    try:
        from summariser.backends.gguf import default_gguf
        from summariser.backends.llamacpp_server import llama_server
        from summariser.errors import ConfigError

        with llama_server(default_gguf(), alias="smollm2") as url:
            yield url
    except (ImportError, ConfigError):
        yield None


def settings_for(backend: str, url: str | None = None, **brief: Any) -> Any:
    from summariser.config import load_settings

    model: dict[str, Any] = {"backend": backend}
    if backend == "openai":
        model.update(base_url=url, name="smollm2")
    return load_settings(model=model, brief=brief)


class Counted:
    """Counts the model calls and the tokens a backend writes (wraps its `generate`)."""

    def __init__(self, backend: Any) -> None:
        self.backend, self.calls, self.tokens = backend, 0, 0
        self._generate = backend.generate
        backend.generate = self

    def __call__(self, conversations: Any, options: Any, should_stop: Any = None) -> list[str]:
        answers = self._generate(conversations, options, should_stop)
        self.calls += len(answers)
        self.tokens += sum(self.backend.count_tokens(a) for a in answers)
        return answers

    def restore(self) -> None:
        self.backend.generate = self._generate


def bench_modes(docs: list[str], references: list[str], url: str | None) -> list[dict[str, Any]]:
    """Full briefs per BLUF mode and backend; briefs compared with the hf backend's, mode by mode, and
    their BLUFs scored against the references."""
    from summariser.errors import SummariserError
    from summariser.load import Document
    from summariser.pipeline import Summariser

    out: list[dict[str, Any]] = []
    reference: dict[str, list[dict[str, Any]]] = {}
    for backend, label in BACKENDS:
        for mode, description in MODES:
            row: dict[str, Any] = {"mode": mode, "description": description, "backend": label}
            if backend == "openai" and url is None:
                out.append({**row, "skipped": "llama-cpp-python[server] not installed"})
                continue
            try:
                s = Summariser(settings_for(backend, url, bluf_mode=mode))
            except SummariserError as exc:
                out.append({**row, "skipped": str(exc)})
                continue
            counter = Counted(s.backend)

            def run(text: str, s: Summariser = s) -> dict[str, Any]:
                return s.brief(Document("bench", "bench", text)).model_dump(exclude={"provenance"})

            timing, briefs = time_per_doc(run, docs)
            counter.restore()
            reference.setdefault(mode, briefs)
            same = sum(a == b for a, b in zip(reference[mode], briefs))
            n = len(docs) + 1  # the counts include the warm-up brief
            out.append({**row, **timing, "model_calls_per_doc": round(counter.calls / n, 1),
                        "tokens_written_per_doc": round(counter.tokens / n, 1),
                        "briefs_identical_to_hf": f"{same}/{len(briefs)}",
                        **rouge_of([b["bluf"] for b in briefs], references)})
            print("mode", out[-1], flush=True)
    return out


def bench_startup() -> dict[str, Any]:
    """Cold start on each in-process backend (llamacpp only with the extra)."""
    out: dict[str, Any] = {}
    for backend in ("hf", "llamacpp"):
        try:
            out[backend] = {k: round(v, 2) for k, v in run_child("cold", backend).items()}
        except RuntimeError as exc:
            out[backend] = {"skipped": str(exc).strip().splitlines()[-1][:200]}
    return out


# -- decode speed: each backend, and llama.cpp itself -----------------------------------------
def _nonced(conversation: list[dict[str, str]], nonce: str) -> list[dict[str, str]]:
    """The conversation led by a nonce, so that no prefix cache has seen it (each call prefills)."""
    first = dict(conversation[0], content=f"[{nonce}] {conversation[0]['content']}")
    return [first, *conversation[1:]]


def decode_speed(generate: Callable[[list[dict[str, str]], int], Any], conversation: list[dict[str, str]],
                 prompt_tokens: int, tokens: int = DECODE_TOKENS) -> dict[str, float]:
    """Prefill tokens/s from t(1 token); decode tokens/s from t(N tokens) - t(1 token), N past the end token.

    Best of two of each, after a warm-up; every call has a new nonce, so every call prefills.
    """
    calls = iter(range(10**6))

    def timed(tokens: int) -> float:
        t = time.perf_counter()
        generate(_nonced(conversation, f"run {next(calls)}"), tokens)
        return time.perf_counter() - t

    timed(1)
    one = min(timed(1) for _ in range(2))
    many = min(timed(tokens) for _ in range(2))
    return {"prompt_tokens": prompt_tokens, "prefill_tokens_per_s": round(prompt_tokens / one, 1),
            "decode_tokens_per_s": round((tokens - 1) / (many - one), 1), "decoded_tokens": tokens}


def bench_decode(docs: list[str], url: str | None, tokens: int = DECODE_TOKENS) -> list[dict[str, Any]]:
    from summariser.backends.chat import encode_conversation
    from summariser.backends.gguf import default_gguf
    from summariser.backends.registry import get_backend
    from summariser.config import GenerationConfig
    from summariser.errors import SummariserError
    from summariser.llm import to_conversation
    from summariser.prompts import fence, load_prompt

    conv = to_conversation(load_prompt("map").invoke({"text": fence(docs[0]), "sentences": 3}))
    rows: list[dict[str, Any]] = []
    variants = [("hf", "float32", {"backend": "hf", "dtype": "float32"}),
                ("hf", "auto", {"backend": "hf", "dtype": "auto"}),
                ("llamacpp", "Q4_1", {"backend": "llamacpp"}),
                ("openai → llama.cpp server", "Q4_1", {"backend": "openai", "base_url": url, "name": "smollm2"})]
    for label, dtype, model in variants:
        if model["backend"] == "openai" and url is None:
            rows.append({"backend": label, "weights": dtype, "skipped": "llama-cpp-python[server] not installed"})
            continue
        try:
            backend = get_backend(settings_for("hf").model.model_copy(update=model))
        except SummariserError as exc:
            rows.append({"backend": label, "weights": dtype, "skipped": str(exc)})
            continue
        weights = getattr(backend, "dtype", dtype)
        prompt = len(encode_conversation(backend.tokenizer(), conv))

        def generate(c: list[dict[str, str]], n: int, backend: Any = backend) -> Any:
            return backend.generate([c], GenerationConfig(max_new_tokens=n, ignore_eos=True))

        rows.append({"backend": label, "weights": weights, **decode_speed(generate, conv, prompt, tokens)})
        print("decode", rows[-1], flush=True)
    rows.append(compiled_hf_decode(conv, tokens))
    print("decode", rows[-1], flush=True)
    try:
        from llama_cpp import Llama, LogitsProcessorList, MinTokensLogitsProcessor
    except ImportError:
        rows.append({"backend": "llama.cpp itself", "weights": "Q4_1", "skipped": "llama-cpp-python not installed"})
        return rows
    tok = get_backend(settings_for("hf").model).tokenizer()
    llm = Llama(model_path=str(default_gguf()), n_ctx=8192, n_threads=os.cpu_count(), verbose=False)

    def raw(c: list[dict[str, str]], n: int) -> Any:
        text = tok.decode(encode_conversation(tok, c))
        return llm.create_completion(text, max_tokens=n, temperature=0.0,
                                     logits_processor=LogitsProcessorList([MinTokensLogitsProcessor(n, llm.token_eos())]))

    rows.append({"backend": "llama.cpp itself (llama-cpp-python)", "weights": "Q4_1",
                 **decode_speed(raw, conv, len(encode_conversation(tok, conv)), tokens)})
    print("decode", rows[-1], flush=True)
    return rows


def compiled_hf_decode(conv: list[dict[str, str]], tokens: int) -> dict[str, Any]:
    """The hf model with a static KV cache and its decoding step compiled (torch.compile, inductor), as
    transformers offers it: tried as a speed step, measured here, not kept (see the README).

    A static cache is sized per call (prompt + new tokens), so each new prompt length compiles again;
    the first call's time (compilation included) is reported beside the steady decode speed.
    """
    import torch
    from transformers import CompileConfig

    from summariser.backends.chat import encode_conversation
    from summariser.backends.registry import get_backend

    backend = get_backend(settings_for("hf").model)
    model, tok = backend.model, backend.tokenizer()  # the step under test is not in the backend
    compile_config = CompileConfig(mode="default", dynamic=False)
    compile_config._compile_all_devices = True  # transformers compiles on GPUs only unless told
    ids = torch.tensor([encode_conversation(tok, conv)])

    def generate(c: list[dict[str, str]], n: int) -> Any:
        with torch.inference_mode():
            return model.generate(torch.tensor([encode_conversation(tok, c)]), max_new_tokens=n, min_new_tokens=n,
                                  do_sample=False, pad_token_id=tok.pad_token_id, cache_implementation="static",
                                  compile_config=compile_config)

    t = time.perf_counter()
    generate(conv, tokens)
    first = time.perf_counter() - t
    return {"backend": "hf + static cache + torch.compile (tried, not kept)", "weights": backend.dtype,
            "first_call_s": round(first, 1), **decode_speed(generate, conv, int(ids.shape[1]), tokens)}


# -- peers -----------------------------------------------------------------------------------
def bench_langchain(docs: list[str], references: list[str]) -> dict[str, Any]:
    """The plain recipe: splitter + HuggingFacePipeline + map and reduce prompts, nothing else."""
    try:
        from langchain_huggingface import HuggingFacePipeline
    except ImportError:
        return {"skipped": "langchain-huggingface not installed (pip install --no-deps langchain-huggingface)"}
    import torch
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import PromptTemplate
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

    from summariser.backends.gguf import default_gguf

    gguf = default_gguf()
    t = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    load = time.perf_counter() - t
    llm = HuggingFacePipeline(pipeline=pipeline("text-generation", model=model, tokenizer=tok,
                                                max_new_tokens=PEER_MAX_TOKENS, do_sample=False,
                                                return_full_text=False))
    splitter = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(tok, chunk_size=1024, chunk_overlap=32)
    map_chain = PromptTemplate.from_template(
        "Write a concise summary of the following:\n\n{text}\n\nCONCISE SUMMARY:") | llm | StrOutputParser()
    reduce_chain = PromptTemplate.from_template(
        "The following is a set of summaries:\n{text}\nCombine them into a final, consolidated summary.\n\nSUMMARY:"
    ) | llm | StrOutputParser()
    written = {"calls": 0, "tokens": 0}

    def summarise(text: str) -> str:
        notes = map_chain.batch([{"text": c} for c in splitter.split_text(text)], config={"max_concurrency": 1})
        answers = notes if len(notes) == 1 else [*notes, reduce_chain.invoke({"text": "\n".join(notes)})]
        written["calls"] += len(answers)
        written["tokens"] += sum(len(tok(x, add_special_tokens=False)["input_ids"]) for x in answers)
        return answers[-1]

    timing, summaries = time_per_doc(summarise, docs)
    n = len(docs) + 1
    return {"model_load_s": round(load, 2), **timing, "model_calls_per_doc": round(written["calls"] / n, 1),
            "tokens_written_per_doc": round(written["tokens"] / n, 1), **rouge_of(summaries, references)}


def bench_llamacpp_peer(docs: list[str], references: list[str]) -> dict[str, Any]:
    """llama.cpp writing a three-sentence summary of each article, one chat call per article."""
    try:
        from llama_cpp import Llama
    except ImportError:
        return {"skipped": "llama-cpp-python not installed (bash scripts/install_llamacpp.sh; compiles ~4 min)"}
    from summariser.backends.gguf import default_gguf

    t = time.perf_counter()
    llm = Llama(model_path=str(default_gguf()), n_ctx=2048, n_threads=os.cpu_count(), verbose=False, seed=0)
    load = time.perf_counter() - t
    written = {"calls": 0, "tokens": 0}

    def summarise(text: str) -> str:
        out = llm.create_chat_completion(messages=[{"role": "user", "content": SUMMARY_PROMPT.format(text=text[:6000])}],
                                         max_tokens=PEER_MAX_TOKENS, temperature=0.0)
        written["calls"] += 1
        written["tokens"] += out["usage"]["completion_tokens"]
        return out["choices"][0]["message"]["content"]

    timing, summaries = time_per_doc(summarise, docs)
    n = len(docs) + 1
    return {"model_load_s": round(load, 2), **timing, "model_calls_per_doc": round(written["calls"] / n, 1),
            "tokens_written_per_doc": round(written["tokens"] / n, 1), **rouge_of(summaries, references)}


# -- speed steps of the default path ---------------------------------------------------------
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("hf, float32, no prefix cache (before)", {"model": {"backend": "hf", "dtype": "float32", "prefix_cache": False}}),
    ("hf, float32 + prefix cache", {"model": {"backend": "hf", "dtype": "float32", "prefix_cache": True}}),
    ("hf, bfloat16 + prefix cache", {"model": {"backend": "hf", "dtype": "bfloat16", "prefix_cache": True}}),
    ("llamacpp (the default where the extra is installed)", {"model": {"backend": "llamacpp"}}),
]


def bench_steps(docs: list[str]) -> list[dict[str, Any]]:
    """Full default briefs under each speed step; the briefs are compared with the first step's."""
    from summariser.config import load_settings
    from summariser.errors import ConfigError
    from summariser.load import Document
    from summariser.pipeline import Summariser

    rows: list[dict[str, Any]] = []
    reference: list[dict[str, Any]] | None = None
    for label, sections in STEPS:
        try:
            s = Summariser(load_settings(**sections))
        except ConfigError as exc:
            rows.append({"step": label, "skipped": str(exc)})
            continue
        def run(text: str, s: Summariser = s) -> dict[str, Any]:
            return s.brief(Document("bench", "bench", text)).model_dump(exclude={"provenance"})

        timing, briefs = time_per_doc(run, docs)
        reference = reference or briefs
        same = sum(a == b for a, b in zip(reference, briefs))
        rows.append({"step": label, **timing, "briefs_identical_to_first_step": f"{same}/{len(briefs)}"})
        print("step", rows[-1], flush=True)
    return rows


# -- the run ---------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--lengths", type=int, nargs="*", default=[1000, 5000, 20000, 100000])
    parser.add_argument("--readme", action="store_true", help="also replace the table in README.md")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-modes", action="store_true", help="do not brief in each BLUF mode and backend")
    parser.add_argument("--skip-decode", action="store_true", help="do not measure decode speed per backend")
    parser.add_argument("--skip-steps", action="store_true", help="do not re-measure each speed step")
    parser.add_argument("--skip-served", action="store_true", help="do not start llama.cpp's server")
    parser.add_argument("--decode-tokens", type=int, default=DECODE_TOKENS, help="tokens decoded per timed call")
    parser.add_argument("--from-json", type=Path, metavar="FILE",
                        help="measure nothing: render FILE (e.g. bench/results/latest.json) as latest.md and, "
                        "with --readme, the README table")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](args.child[1])))
        return
    if args.from_json:
        publish(json.loads(args.from_json.read_text(encoding="utf-8")), args.readme)
        return
    data = rows(args.docs)
    docs, references = [r["article"] for r in data], [r["reference"] for r in data]
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "documents": len(docs),
        "load_average_start": load_average(),
        "startup": bench_startup(),
    }
    print("startup", results["startup"], flush=True)
    with nullcontext(None) if args.skip_served else served_default() as url:
        if not args.skip_modes:
            results["modes"] = bench_modes(docs, references, url)
        if not args.skip_decode:
            results["decode"] = bench_decode(docs, url, args.decode_tokens)
    if not args.skip_peers:
        results["llamacpp"] = bench_llamacpp_peer(docs, references)
        print("llamacpp", results["llamacpp"], flush=True)
        results["langchain"] = bench_langchain(docs, references)
        print("langchain", results["langchain"], flush=True)
    if not args.skip_steps:
        results["steps"] = bench_steps(docs)
    scaling = []
    for words in args.lengths:
        row = run_child("long", str(words))
        row["seconds_per_1k_words"] = round(1000 * row["seconds"] / row["words"], 3)
        scaling.append(row)
        print("length", row, flush=True)
    results["scaling"] = scaling
    results["load_average_end"] = load_average()
    results["ratios"] = ratios(results)
    publish(results, args.readme)


def publish(results: dict[str, Any], readme: bool) -> None:
    """Write bench/results/latest.json and latest.md, print the tables, and replace the README's if asked."""
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(results))
    print(markdown(results))
    if readme:
        from readme_sections import update_readme  # scripts/readme_sections.py

        update_readme("bench", markdown(results).replace("# Benchmark", "#### Benchmark", 1))
        print("README.md: benchmark table replaced")


def _row(results: dict[str, Any], mode: str, backend: str) -> dict[str, Any]:
    return next((r for r in results.get("modes", []) if r["mode"] == mode and r["backend"] == backend
                 and "skipped" not in r), {})


def ratios(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Documents per minute, ours over each peer's, for every mode and backend measured."""
    out = []
    for peer in ("llamacpp", "langchain"):
        theirs = results.get(peer, {})
        if "docs_per_min" not in theirs:
            continue
        for mode, _ in MODES:
            for _, label in BACKENDS:
                ours = _row(results, mode, label)
                if ours:
                    out.append({"mode": mode, "backend": label, "peer": peer, "same_job": mode != "extract",
                                "ratio": round(ours["docs_per_min"] / theirs["docs_per_min"], 2)})
    return out


PEERS = {"llamacpp": "llama.cpp, three-sentence summary", "langchain": "plain LangChain map-reduce (transformers fp32)"}


def markdown(r: dict[str, Any]) -> str:
    """The results as Markdown tables (also the README's benchmark section)."""
    lines = [f"# Benchmark ({r['date']}, {r['machine']}, {r['documents']} FRANK CNN/DM documents, "
             f"load average {r['load_average_start']} at the start, {r['load_average_end']} at the end)", ""]
    if r.get("modes") or any(p in r for p in PEERS):
        lines += ["Full briefs per BLUF mode and backend, and the peers, on the same documents and GGUF. In the "
                  "default (`extract`) the model writes only some actor roles: not the peers' job. In `compress` "
                  "and `abstract` it writes the BLUF: the same job as the peers', plus our analysis and actors.", "",
                  "ROUGE is of the BLUF (ours) or the summary (peers) against the reference, F1 x100, on these "
                  "few documents only (the published suites are above).", "",
                  "| system | backend | seconds per document | documents per minute | model calls per document "
                  "| tokens written per document | briefs identical to hf's | R1 | R2 | RLsum |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        rouge_cells = lambda x: f"{x['rouge1_f']} | {x['rouge2_f']} | {x['rougeLsum_f']}"  # noqa: E731
        for row in r.get("modes", []):
            if "skipped" in row:
                lines.append(f"| ours, {row['description']} | {row['backend']} | skipped: {row['skipped']} | | | | | | | |")
            else:
                lines.append(f"| ours, {row['description']} | {row['backend']} | {row['seconds_per_doc']} | "
                             f"{row['docs_per_min']} | {row['model_calls_per_doc']} | {row['tokens_written_per_doc']} | "
                             f"{row['briefs_identical_to_hf']} | {rouge_cells(row)} |")
        for peer, label in PEERS.items():
            p = r.get(peer)
            if p is None:
                continue
            if "skipped" in p:
                lines.append(f"| {label} (peer) | | skipped: {p['skipped']} | | | | | | | |")
            else:
                lines.append(f"| {label} (peer) | {'llama.cpp' if peer == 'llamacpp' else 'transformers'} | "
                             f"{p['seconds_per_doc']} | {p['docs_per_min']} | {p['model_calls_per_doc']} | "
                             f"{p['tokens_written_per_doc']} | | {rouge_cells(p)} |")
    if r.get("ratios"):
        same = [x for x in r["ratios"] if x["same_job"]]
        other = [x for x in r["ratios"] if not x["same_job"]]
        short = {"llamacpp": "llama.cpp's summary", "langchain": "LangChain's"}
        fmt = lambda x: f"{x['mode']} on {x['backend']} vs {short[x['peer']]}: {x['ratio']}x"  # noqa: E731
        lines += ["", "Documents per minute, ours / theirs. Same job (the model writes the summary): "
                  + "; ".join(fmt(x) for x in same) + ". Not the same job (default, extractive BLUF): "
                  + "; ".join(fmt(x) for x in other) + "."]
    if r.get("decode"):
        base = next((x for x in r["decode"] if x["backend"].startswith("llama.cpp itself") and "skipped" not in x), None)
        lines += ["", f"Decode speed on one prompt ({r['decode'][0].get('prompt_tokens', '?')} tokens: the map prompt "
                  f"of the first document), {r['decode'][0].get('decoded_tokens', DECODE_TOKENS)} tokens decoded past the "
                  "end token:", "",
                  "| backend | weights | prefill tokens/s | decode tokens/s | decode vs llama.cpp itself |",
                  "|---|---|---|---|---|"]
        for row in r["decode"]:
            if "skipped" in row:
                lines.append(f"| {row['backend']} | {row['weights']} | skipped: {row['skipped']} | | |")
                continue
            rel = f"{row['decode_tokens_per_s'] / base['decode_tokens_per_s']:.2f}x" if base else ""
            first = f" (first call {row['first_call_s']} s, compiling)" if "first_call_s" in row else ""
            lines.append(f"| {row['backend']}{first} | {row['weights']} | {row['prefill_tokens_per_s']} | "
                         f"{row['decode_tokens_per_s']} | {rel} |")
    starts = [f"{name}: model load {s['model_load_s']} s, first token after {s['cold_start_to_first_token_s']} s"
              for name, s in r["startup"].items() if "skipped" not in s]
    lines += ["", "Start-up in a fresh process (imports, default model, one token): " + "; ".join(starts) + "."]
    if r.get("steps"):
        lines += ["", "Speed steps of the default path (full default briefs, same documents):", "",
                  "| step | seconds per document | documents per minute | briefs identical to the first step |",
                  "|---|---|---|---|"]
        for row in r["steps"]:
            if "skipped" in row:
                lines.append(f"| {row['step']} | skipped: {row['skipped']} | | |")
            else:
                lines.append(f"| {row['step']} | {row['seconds_per_doc']} | {row['docs_per_min']} | "
                             f"{row['briefs_identical_to_first_step']} |")
    if r.get("scaling"):
        lines += ["", f"Long documents, default settings (backend {r['scaling'][0]['backend']}), each in its own "
                  "process:", "", "| document words | chunks | seconds | seconds per 1k words | peak RSS (MB) |",
                  "|---|---|---|---|---|"]
        for row in r["scaling"]:
            lines.append(f"| {row['words']} | {row['chunks']} | {row['seconds']:.1f} | {row['seconds_per_1k_words']} | "
                         f"{row['peak_rss_mb']:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
