"""The one pipeline every entry point calls: load → chunk → summarise → merge → check → Brief.

`Summariser.brief` is used by the CLI, the evaluation runner and the web demo alike.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from . import __version__
from .actors import Ranked, select_actors
from .roles import checked_role
from .backends.base import Backend
from .backends.registry import backend_name, get_backend
from .backends.capability import resolve_auto
from .brief import Actor, Brief, Corroboration, Implication, Judgment, Provenance, Source
from .check import SourceIndex, addresses_model, restate
from .chunk import Chunk, chunk_size, chunk_text
from .config import GenerationConfig, GroundingConfig, Settings, load_settings
from .errors import Cancelled, DocumentError
from .injection import InjectionDetector, Region
from .judgments import cite, confidence_of, implication_basis, pick_implications, pick_judgments
from .language import detect
from .llm import make_chain
from .load import Document
from .merge import merge_notes
from .nlp import Sentence, analyse
from .prompts import fence
from .salience import agreeing_documents, overlap, rank, select, select_bluf
from .shorten import tidy
from .sources import annotate
from .structure import remove_furniture
from .summarise import compress_sentences, map_chunks


@dataclass(frozen=True)
class ProgressEvent:
    """A progress event: `done` of `total` steps in `stage`.

    Stages: prepare (steps are the chunks of the document named in `detail`, analysed without the
    model), then summarise, merge, details, done (steps are model calls); a "note" event carries a
    chunk's raw note (before checks) in `detail`, for interfaces that show partial results as they arrive.
    """

    stage: str
    done: int
    total: int
    detail: str = ""


ProgressFn = Callable[[ProgressEvent], None]
# From this many chunks on, a text without headings is treated as sections of one chunk each.
LONG_DOCUMENT_CHUNKS = 3


@dataclass(frozen=True)
class Prepared:
    """A document after preprocessing (no model calls yet).

    `document` is the document as the pipeline reads it: its text without the passages that
    instruct a model (planted prompt injection, see `summariser.injection`), which `regions` lists.
    """

    document: Document
    chunks: list[Chunk]
    chunk_sentences: list[list[Sentence]]
    sentences: list[Sentence]
    left_out: int = 0  # passages addressed to an AI model, never used in the brief
    regions: tuple[Region, ...] = ()


def bluf_candidates(sentences: Sequence[Sentence], settings: Settings) -> list[Sentence]:
    """The source sentences an extractive (or compressed) BLUF is made of: the most salient statements
    whose length is closest to the word budget, each document of a pile with its share.

    The one selection function: the pipeline and the selection ablation both call it.
    """
    return select_bluf(sentences, settings.brief.bluf_words, settings.brief.bluf_sentences, settings.salience)


def corroborated(
    chosen: Sequence[Sentence], sentences: Sequence[Sentence], names: Sequence[str], min_overlap: float
) -> list[Corroboration]:
    """The BLUF sentences of a pile that other documents say too, with every document that says it."""
    out = []
    for s in chosen:
        others = agreeing_documents(s, sentences, min_overlap)
        if others:
            out.append(Corroboration(statement=s.text, documents=[names[s.doc]] + [names[d] for d in others]))
    return out


class Summariser:
    """Makes briefs. Build one per process and reuse it: the model loads once."""

    def __init__(self, settings: Settings | None = None, backend: Backend | None = None) -> None:
        self.settings = settings or load_settings()
        self.backend = backend or get_backend(self.settings.model)
        # 'auto' brief modes become what this model is given (the rule: backends/capability.py).
        self.settings = resolve_auto(self.settings, self.backend)
        self.detector = InjectionDetector(semantic=self.settings.injection.semantic)

    # -- preprocess --------------------------------------------------------------------------
    def prepare(
        self,
        document: Document,
        doc_index: int = 0,
        progress: ProgressFn | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Prepared:
        """Leave out planted instructions, chunk by tokens, split each chunk into sentences with entities and kinds.

        A document is data: passages that instruct a model are found as whole regions and left out
        here, before anything reads the text, so no selection (BLUF, judgments, implications,
        actors, title) and no prompt can see them. Page furniture (share bars, 'Scroll down for
        video', agency datelines) is removed next, so neither the model nor any selection sees it.
        Reports each analysed chunk to `progress` and polls `should_stop` between chunks: on a long
        document this is many seconds of work before the first model call.
        """
        s = self.settings
        regions: tuple[Region, ...] = ()
        if s.injection.enabled:
            screened = self.detector.screen(document.text)
            regions = screened.regions
            document = replace(document, text=screened.text)
        chunks = chunk_text(remove_furniture(document.text), self.backend, s.chunking, s.generation)
        if not chunks:
            if regions:
                raise DocumentError(f"{document.name}: nothing to summarise once {len(regions)} passage(s) "
                                    "addressed to an AI model were left out (possible prompt injection)")
            raise DocumentError(f"{document.name}: no text to summarise")
        seen: set[str] = set()
        per_chunk: list[list[Sentence]] = []
        unique: list[Sentence] = []
        section = 0
        for done, chunk in enumerate(chunks):
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            if progress:
                progress(ProgressEvent("prepare", done, len(chunks), document.name))
            found = analyse(chunk.text, start=len(unique), doc_index=doc_index, section=section)
            section = found[-1].section if found else section
            fresh = []  # chunk overlap, and documents themselves, repeat sentences: each counts once
            for x in found:
                if x.text not in seen:
                    seen.add(x.text)
                    fresh.append(x)
            renumbered = [replace(x, index=len(unique) + i) for i, x in enumerate(fresh)]
            unique.extend(renumbered)
            per_chunk.append(renumbered or found)
        if section == 0 and len(chunks) >= LONG_DOCUMENT_CHUNKS:
            # A long text without headings: its chunks stand in for sections, so each has a lead and
            # the BLUF can draw on the whole document, not only its opening.
            per_chunk = [[replace(x, section=n + 1) for x in part] for n, part in enumerate(per_chunk)]
            where = {x.index: n + 1 for n, part in enumerate(per_chunk) for x in part}
            unique = [replace(x, section=where.get(x.index, 0)) for x in unique]
        if progress:
            progress(ProgressEvent("prepare", len(chunks), len(chunks), document.name))
        return Prepared(document, chunks, per_chunk, unique, len(regions), regions)

    # -- the whole run -----------------------------------------------------------------------
    def brief(
        self,
        documents: Document | Sequence[Document],
        progress: ProgressFn | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Brief:
        """A brief of one document, or one brief over several documents about one matter."""
        docs = [documents] if isinstance(documents, Document) else list(documents)
        if not docs:
            raise DocumentError("no documents to brief")
        started = time.perf_counter()
        report = progress or (lambda event: None)
        prepared = [self.prepare(doc, i, progress, should_stop) for i, doc in enumerate(docs)]
        docs = [p.document for p in prepared]  # what the brief may use: planted instructions left out
        sentences = [s for p in prepared for s in p.sentences]
        if not sentences:
            raise DocumentError("no sentences found in the text")
        source = SourceIndex("\n".join(d.text for d in docs), self.settings.grounding)
        warnings: list[str] = []
        language = detect("\n".join(d.text for d in docs))  # the spaCy model and default LLM are English-only
        if language.warning:
            warnings.append(language.warning)
        left_out = sum(p.left_out for p in prepared)
        if left_out:
            warnings.append(f"left out {left_out} passage(s) addressed to an AI model or tool (possible prompt injection)")
        cfg = self.settings
        total_chunks = sum(len(p.chunks) for p in prepared)
        mode = cfg.brief.bluf_mode
        groups = -(-total_chunks // cfg.model.batch_size)
        bluf_calls = {"abstract": groups + (1 if total_chunks > 1 else 0), "compress": 1, "extract": 0}[mode]
        total = bluf_calls + (1 if cfg.brief.details else 0)
        done = 0

        def tick(count: int, stage: str) -> None:
            nonlocal done
            done += 1  # not clamped to `total`: a miscounted total must show, not hide
            report(ProgressEvent(stage, done, total, f"{count} prompt(s)"))

        def show_notes(notes: list[str]) -> None:
            for note in notes:
                report(ProgressEvent("note", done, total, note))

        def more(calls: int) -> None:
            """Model calls not foreseen in `total` (the merge's collapse rounds), announced before they run."""
            nonlocal total
            total += calls

        report(ProgressEvent("summarise", 0, total, f"{total_chunks} chunk(s)"))
        chosen: list[Sentence] = []
        if mode == "abstract":
            bluf_text = self._abstract(
                prepared, sentences, source, warnings, tick, should_stop,
                on_notes=show_notes,
                on_more=more,
            )
        else:
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            chosen = bluf_candidates(sentences, cfg)
            if mode == "compress":
                note = compress_sentences(chosen, self.backend, cfg.generation, source, warnings,
                                          on_batch=lambda n: tick(n, "summarise"), should_stop=should_stop)
                bluf_text = note.text
            else:
                bluf_text = " ".join(tidy(s.text) for s in chosen)
        if should_stop and should_stop():
            raise Cancelled("cancelled")
        report(ProgressEvent("details", done, total, "judgments, actors and implications"))
        brief = annotate(self._details(docs, prepared, sentences, bluf_text, source, warnings, should_stop,
                                       actors=language.english), docs)  # no parse debris presented as actors
        if len(docs) > 1:
            brief.corroboration = corroborated(chosen, sentences, [d.name for d in docs], cfg.grounding.agreement)
        if cfg.brief.details:
            tick(1, "details")
        report(ProgressEvent("done", total, total))
        brief.provenance.seconds = round(time.perf_counter() - started, 2)
        return brief

    def _abstract(
        self,
        prepared: list[Prepared],
        sentences: list[Sentence],
        source: SourceIndex,
        warnings: list[str],
        tick: Callable[[int, str], None],
        should_stop: Callable[[], bool] | None,
        on_notes: Callable[[list[str]], None] | None = None,
        on_more: Callable[[int], None] | None = None,
    ) -> str:
        """Map-reduce: a checked note per chunk, merged (recursively if long) into the BLUF."""
        cfg = self.settings
        chunk_sentences = [cs for p in prepared for cs in p.chunk_sentences]
        notes = map_chunks(
            chunk_sentences,
            self.backend,
            cfg.generation,
            source,
            salient=cfg.brief.salient_sentences,
            note_sentences=2 if len(chunk_sentences) > 1 else cfg.brief.bluf_sentences,
            warnings=warnings,
            on_batch=lambda n: tick(n, "summarise"),
            should_stop=should_stop,
            group=cfg.model.batch_size,
            on_notes=on_notes,
        )
        budget = chunk_size(self.backend, cfg.chunking, cfg.generation)
        return merge_notes(
            notes,
            sentences,
            self.backend,
            cfg.generation,
            source,
            budget,
            cfg.brief.bluf_sentences,
            warnings,
            on_batch=lambda n: tick(n, "merge"),
            should_stop=should_stop,
            on_more=on_more,
        ).text

    # -- postprocess: the parts around the BLUF ---------------------------------------------
    def _details(
        self,
        docs: list[Document],
        prepared: list[Prepared],
        sentences: list[Sentence],
        bluf: str,
        source: SourceIndex,
        warnings: list[str],
        should_stop: Callable[[], bool] | None = None,
        actors: bool = True,
    ) -> Brief:
        cfg = self.settings
        gen = cfg.generation.model_copy(update={"max_new_tokens": min(64, cfg.generation.max_new_tokens)})
        names = [d.name for d in docs]

        # Judgments are the most salient sentences that assess, explain, intend, predict or attribute a
        # stance, apart from what the BLUF already says; implications need a forward-looking basis.
        ranked = [s for _, s in rank(sentences, cfg.salience)] if cfg.brief.details else []
        checks = cfg.grounding
        in_bluf = lambda s: overlap(s.text, bluf) >= checks.in_bluf  # noqa: E731
        judged = pick_judgments(ranked, in_bluf, cfg.brief.max_judgments, cfg.salience.redundant, sentences)
        used = {(s.doc, s.index) for s, _ in judged}
        forward = pick_implications(
            ranked, lambda s: in_bluf(s) or (s.doc, s.index) in used, cfg.brief.max_implications, cfg.salience.redundant,
            sentences,
        )
        ranked_actors = (select_actors(sentences, cfg.brief.max_actors, cfg.actors)
                         if cfg.brief.details and actors else [])
        candidates = [r.candidate for r in ranked_actors]

        if cfg.brief.restate:
            judgment_answers = make_chain("judgment", self.backend, gen, should_stop=should_stop).batch(
                [{"text": fence(s.text)} for s, _ in judged]
            )
            implication_answers = make_chain("implication", self.backend, gen, should_stop=should_stop).batch(
                [{"text": fence(s.text)} for s, _ in forward]
            )
        else:  # the claims are the source's own words
            judgment_answers, implication_answers = [""] * len(judged), [""] * len(forward)
        roles = self._roles(ranked_actors, source, gen, should_stop)

        judgments = [
            Judgment(
                statement=restate(answer, s, source, checks.judgment_overlap) or reading.claim,
                likelihood=reading.likelihood,
                confidence=confidence_of(s, sentences, reading, checks.corroboration),
                kind=reading.kind or "assessment",
                basis=reading.describe_basis(),
                citations=[cite(names[s.doc], s)],
            )
            for (s, reading), answer in zip(judged, judgment_answers)
        ]
        implications = []
        for (s, reading), answer in zip(forward, implication_answers):
            statement = restate(answer, s, source, checks.implication_overlap)
            if statement is None:
                if cfg.brief.restate:
                    warnings.append("an implication fell back to the source's own words")
                statement = reading.claim
            implications.append(
                Implication(statement=statement, basis=implication_basis(reading), citations=[cite(names[s.doc], s)])
            )
        key_actors = []
        for cand in candidates:
            key_actors.append(
                Actor(
                    name=cand.name,
                    type=cand.type,  # type: ignore[arg-type]
                    role=roles[cand.name] or "named in the source (no role stated)",
                    mentions=cand.mentions,
                    evidence=cite(names[cand.evidence.doc], cand.evidence),
                )
            )
        return Brief(
            title=self._title(docs, sentences, checks),
            bluf=bluf,
            key_judgments=judgments,
            key_actors=key_actors,
            implications=implications,
            sources=[
                Source(document=p.document.name, id=p.document.id, words=len(p.document.text.split()), chunks=len(p.chunks))
                for p in prepared
            ],
            provenance=Provenance(
                model=self.backend.model_id,
                backend=backend_name(cfg.model),
                settings={
                    "generation": cfg.generation.model_dump(),
                    "chunking": cfg.chunking.model_dump(),
                    "brief": cfg.brief.model_dump(),
                },
                seconds=0.0,
                version=__version__,
            ),
            warnings=list(dict.fromkeys(warnings)),
        )

    def _roles(
        self,
        ranked: Sequence[Ranked],
        source: SourceIndex,
        gen: GenerationConfig,
        should_stop: Callable[[], bool] | None,
    ) -> dict[str, str | None]:
        """Each actor's role by name: from the parse where the sentence gives one (a title, else what the
        actor does there); the model answers for the rest, kept only if grounded (None otherwise)."""
        roles: dict[str, str | None] = {r.candidate.name: r.role or r.action for r in ranked}
        asked = [r.candidate for r in ranked if not roles[r.candidate.name]]
        role_gen = gen.model_copy(update={"max_new_tokens": min(32, gen.max_new_tokens)})
        answers = make_chain("role", self.backend, role_gen, should_stop=should_stop).batch(
            [{"text": fence(a.evidence.text), "name": a.name} for a in asked]
        )
        for cand, answer in zip(asked, answers):
            roles[cand.name] = checked_role(answer, cand.name, cand.evidence.text, source)
        return roles

    @staticmethod
    def _title(docs: list[Document], sentences: list[Sentence], checks: GroundingConfig) -> str:
        """The document's own headline when it has one, else its most salient sentence, shortened."""
        if len(docs) == 1:
            # Among the first few lines, allowing for a blank line after each.
            lines = [line.strip() for line in docs[0].text.splitlines()[: 2 * checks.title_lines] if line.strip()]
            heads = [
                line.lstrip("# ").strip()
                for line in lines[: checks.title_lines]
                if checks.title_min_words <= len(line.split()) <= checks.title_max_words
                and not re.search(r"[.!?:]$", line) and not addresses_model(line)
                and not re.search(r"[<>{}|\[\]]", line)
            ]
            if heads:
                # A headline names who and where; a standfirst or caption usually does not.
                lead = " ".join(s.text for s in sentences[:8])
                proper = lambda h: sum(w[:1].isupper() for w in h.split()[1:])  # noqa: E731
                return max(heads, key=lambda h: overlap(h, lead) + checks.title_proper * proper(h))
        best = select(sentences, 1)[0].text
        words = best.split()
        cut = checks.title_fallback_words
        return " ".join(words[:cut]) + ("…" if len(words) > cut else "")

