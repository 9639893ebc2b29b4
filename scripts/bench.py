"""Benchmark: start-up, token throughput, briefs per minute, memory and scaling, against two peers.

Usage: .venv/bin/python scripts/bench.py [--docs 10] [--lengths 1000 5000 20000 100000] [--skip-peers]

Measured on the same documents and the same GGUF file:
  ours       the summariser pipeline with default settings (full briefs)
  langchain  the documented plain LangChain map-reduce recipe: text splitter + HuggingFacePipeline
             + map and reduce prompts (needs `pip install --no-deps langchain-huggingface`)
  llamacpp   llama.cpp through llama-cpp-python, a 3-sentence summary per document (optional:
             `pip install llama-cpp-python`, which compiles for about 4 minutes; skipped when absent)
Writes bench/results/latest.json and latest.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "frank-cnndm.jsonl"
SUMMARY_PROMPT = "Summarise this article in three sentences.\n\n{text}"


def articles(n: int) -> list[str]:
    """The first `n` FRANK CNN/DM articles (the seed-smoke copy when ../shared is absent)."""
    path = DATA if DATA.exists() else ROOT / "eval" / "data" / "seed-smoke.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["article"] for _, line in zip(range(n), handle)]


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


def time_per_doc(summarise: Any, docs: list[str]) -> dict[str, float]:
    """Seconds per document and documents per minute, after one untimed warm-up call."""
    summarise(docs[0])
    t = time.perf_counter()
    for text in docs:
        summarise(text)
    per_doc = (time.perf_counter() - t) / len(docs)
    return {"seconds_per_doc": round(per_doc, 2), "docs_per_min": round(60 / per_doc, 2)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- child processes: isolated memory and honest cold starts ----------------------------------
CHILD_COLD = """
import time, sys
t0 = time.perf_counter()
from summariser.config import load_settings
from summariser.backends.base import get_backend
b = get_backend(load_settings().model)
t1 = time.perf_counter()
b.generate([[{"role": "user", "content": "Hello"}]], load_settings().generation.model_copy(update={"max_new_tokens": 1}))
print(t1 - t0, time.perf_counter() - t0)
"""

CHILD_LONG = """
import json, sys, time
from summariser.load import Document
from summariser.pipeline import Summariser
sys.path.insert(0, {scripts!r})
from bench import synthetic
text = synthetic({words})
s = Summariser()
t = time.perf_counter()
brief = s.brief(Document("long", "long", text))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({{"seconds": time.perf_counter() - t, "chunks": brief.sources[0].chunks,
                  "words": len(text.split()), "peak_rss_mb": hwm / 1024}}))
"""


def run_child(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=7200)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return out.stdout.strip().splitlines()[-1]


def bench_ours(docs: list[str]) -> dict[str, Any]:
    import torch

    from summariser.config import load_settings
    from summariser.load import Document
    from summariser.llm import to_conversation
    from summariser.pipeline import Summariser
    from summariser.prompts import fence, load_prompt

    load_s, first_token_s = map(float, run_child(CHILD_COLD).split())
    settings = load_settings()
    s = Summariser(settings)
    backend = s.backend
    conv = to_conversation(load_prompt("map").invoke({"text": fence(docs[0]), "sentences": 3}))
    prompt_tokens = len(backend._encode(conv))  # noqa: SLF001 - benchmark reads the real prompt size
    gen1 = settings.generation.model_copy(update={"max_new_tokens": 1})
    t = time.perf_counter()
    backend.generate([conv], gen1)
    prefill = time.perf_counter() - t
    # Decode speed: 128 new tokens forced (no early stop), minus the prefill.
    tok = backend.tokenizer()
    eos = tok.eos_token_id
    tok.eos_token_id = None
    model = backend._model  # noqa: SLF001
    ids = torch.tensor([backend._encode(conv)])  # noqa: SLF001
    t = time.perf_counter()
    with torch.inference_mode():
        model.generate(ids, max_new_tokens=128, min_new_tokens=128, do_sample=False, pad_token_id=eos)
    decode = time.perf_counter() - t - prefill
    tok.eos_token_id = eos
    timing = time_per_doc(lambda text: s.brief(Document("bench", "bench", text)), docs)
    return {
        "dtype": getattr(backend, "dtype", "float32"),
        "model_load_s": round(load_s, 2),
        "cold_start_to_first_token_s": round(first_token_s, 2),
        "prompt_tokens": prompt_tokens,
        "prefill_tokens_per_s": round(prompt_tokens / prefill, 1),
        "decode_tokens_per_s": round(127 / decode, 1),
        **timing,
        "peak_rss_mb": round(peak_rss_mb(), 0),
    }


def bench_langchain(docs: list[str]) -> dict[str, Any]:
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

    from summariser.backends.hf import default_gguf

    gguf = default_gguf()
    t = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    load = time.perf_counter() - t
    llm = HuggingFacePipeline(pipeline=pipeline("text-generation", model=model, tokenizer=tok, max_new_tokens=128,
                                                do_sample=False, return_full_text=False))
    splitter = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(tok, chunk_size=1024, chunk_overlap=32)
    map_chain = PromptTemplate.from_template("Write a concise summary of the following:\n\n{text}\n\nCONCISE SUMMARY:") | llm | StrOutputParser()
    reduce_chain = PromptTemplate.from_template(
        "The following is a set of summaries:\n{text}\nCombine them into a final, consolidated summary.\n\nSUMMARY:"
    ) | llm | StrOutputParser()

    def summarise(text: str) -> str:
        notes = map_chain.batch([{"text": c} for c in splitter.split_text(text)], config={"max_concurrency": 1})
        return notes[0] if len(notes) == 1 else reduce_chain.invoke({"text": "\n".join(notes)})

    return {"model_load_s": round(load, 2), **time_per_doc(summarise, docs)}


def bench_llamacpp(docs: list[str]) -> dict[str, Any]:
    try:
        from llama_cpp import Llama
    except ImportError:
        return {"skipped": "llama-cpp-python not installed (pip install llama-cpp-python; compiles ~4 min)"}
    import os

    from summariser.backends.hf import default_gguf

    t = time.perf_counter()
    llm = Llama(model_path=str(default_gguf()), n_ctx=2048, n_threads=os.cpu_count(), verbose=False, seed=0)
    load = time.perf_counter() - t

    def summarise(text: str) -> str:
        out = llm.create_chat_completion(messages=[{"role": "user", "content": SUMMARY_PROMPT.format(text=text[:6000])}],
                                         max_tokens=128, temperature=0.0)
        return out["choices"][0]["message"]["content"]

    return {"model_load_s": round(load, 2), **time_per_doc(summarise, docs)}


# Each speed step of the default path, measured on the same documents (see README "Performance").
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("float32, no prefix cache (before)", {"model": {"dtype": "float32", "prefix_cache": False}}),
    ("float32 + prefix cache", {"model": {"dtype": "float32", "prefix_cache": True}}),
    ("bfloat16 + prefix cache", {"model": {"dtype": "bfloat16", "prefix_cache": True}}),
    ("--backend llamacpp", {"model": {"backend": "llamacpp"}}),
]


def bench_steps(docs: list[str]) -> list[dict[str, Any]]:
    """Full briefs per document under each speed step; the same briefs are compared with the first."""
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
        briefs: list[dict[str, Any]] = []

        def run(text: str, s: Summariser = s, briefs: list[dict[str, Any]] = briefs) -> None:
            briefs.append(s.brief(Document("bench", "bench", text)).model_dump(exclude={"provenance"}))

        timing = time_per_doc(run, docs)
        briefs = briefs[1:]  # the warm-up
        reference = reference or briefs
        same = sum(a == b for a, b in zip(reference, briefs))
        rows.append({"step": label, **timing, "briefs_identical_to_first_step": f"{same}/{len(briefs)}"})
        print("step", rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--lengths", type=int, nargs="*", default=[1000, 5000, 20000, 100000])
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--readme", action="store_true", help="also replace the table in README.md")
    parser.add_argument("--skip-steps", action="store_true", help="do not re-measure each speed step")
    args = parser.parse_args()
    docs = articles(args.docs)
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "documents": len(docs),
        "ours": bench_ours(docs),
    }
    print("ours", results["ours"], flush=True)
    if not args.skip_peers:
        results["langchain"] = bench_langchain(docs)
        print("langchain", results["langchain"], flush=True)
        results["llamacpp"] = bench_llamacpp(docs)
        print("llamacpp", results["llamacpp"], flush=True)
    if not args.skip_steps:
        results["steps"] = bench_steps(docs)
    scaling = []
    for words in args.lengths:
        row = json.loads(run_child(CHILD_LONG.format(words=words, scripts=str(ROOT / "scripts"))))
        row["seconds_per_1k_words"] = round(1000 * row["seconds"] / row["words"], 3)
        scaling.append(row)
        print("length", row, flush=True)
    results["scaling"] = scaling
    for peer in ("langchain", "llamacpp"):
        theirs = results.get(peer, {})
        if "docs_per_min" in theirs:
            results[f"ratio_docs_per_min_vs_{peer}"] = round(results["ours"]["docs_per_min"] / theirs["docs_per_min"], 2)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(results))
    print(markdown(results))
    if args.readme:
        readme = ROOT / "README.md"
        table = markdown(results).replace("# Benchmark", "#### Benchmark", 1).strip()
        text = re.sub(r"(<!-- bench:start -->\n).*?(\n\n[^\n]*\n<!-- bench:end -->)",
                      lambda m: m.group(1) + table + m.group(2), readme.read_text(encoding="utf-8"), flags=re.DOTALL)
        readme.write_text(text, encoding="utf-8")
        print("README.md: benchmark table replaced")


def markdown(r: dict[str, Any]) -> str:
    ours = r["ours"]
    lines = [f"# Benchmark ({r['date']}, {r['machine']}, {r['documents']} FRANK CNN/DM documents)", "",
             f"Ours: default settings (model.dtype auto resolves to {ours.get('dtype', 'float32')} here).", "",
             "| measure | ours | plain LangChain map-reduce | llama.cpp |", "|---|---|---|---|"]
    peers = [r.get("langchain", {"skipped": "not run"}), r.get("llamacpp", {"skipped": "not run"})]
    for key, label in [("model_load_s", "model load (s)"), ("seconds_per_doc", "seconds per document"),
                       ("docs_per_min", "documents per minute")]:
        cells = [str(p.get(key, "–")) for p in peers]
        lines.append(f"| {label} | {ours[key]} | {' | '.join(cells)} |")
    for key, label in [("cold_start_to_first_token_s", "cold start to first token (s)"),
                       ("prefill_tokens_per_s", f"prefill tokens/s ({ours['prompt_tokens']}-token prompt)"),
                       ("decode_tokens_per_s", "decode tokens/s"), ("peak_rss_mb", "peak RSS (MB)")]:
        lines.append(f"| {label} | {ours[key]} | | |")
    skipped = [f"{name}: {p['skipped']}" for name, p in zip(("LangChain", "llama.cpp"), peers) if "skipped" in p]
    ratios = [f"{k.replace('ratio_docs_per_min_vs_', 'docs/min vs ')}: {v}x" for k, v in r.items() if k.startswith("ratio")]
    lines += ["", "Ratios (ours / theirs): " + (", ".join(ratios) or "none measured")]
    if skipped:
        lines += ["", "Skipped: " + "; ".join(skipped)]
    if r.get("steps"):
        lines += ["", "Speed steps of our pipeline (full briefs, same documents):", "",
                  "| step | seconds per document | documents per minute | briefs identical to the first step |",
                  "|---|---|---|---|"]
        for row in r["steps"]:
            if "skipped" in row:
                lines.append(f"| {row['step']} | skipped: {row['skipped']} | | |")
            else:
                lines.append(f"| {row['step']} | {row['seconds_per_doc']} | {row['docs_per_min']} | "
                             f"{row['briefs_identical_to_first_step']} |")
    lines += ["", "| document words | chunks | seconds | seconds per 1k words | peak RSS (MB) |", "|---|---|---|---|---|"]
    for row in r["scaling"]:
        lines.append(f"| {row['words']} | {row['chunks']} | {row['seconds']:.1f} | {row['seconds_per_1k_words']} | "
                     f"{row['peak_rss_mb']:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
