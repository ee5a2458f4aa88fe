"""Workshop: saving the results (priorities, meeting record)."""

from __future__ import annotations

from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError, ValidationError
from santeloc.domain.formatting import format_date, plural
from santeloc.domain.levers import plain_text
from santeloc.exports.workshop_charts import vote_chart
from santeloc.gui.context import DataKind
from santeloc.gui.ops import run_action, show_message
from santeloc.gui.workshop.common import (
    POINTS,
    SAVE_TITLE,
    _label,
    points_text,
)
from santeloc.gui.workshop.host import Host
from santeloc.services import health_project as priorities_svc
from santeloc.services import meetings as meetings_svc


class SavingMixin(Host):
    """Saves what the workshop decided."""

    def _prepare_results(self) -> bool:
        if not self.checked_candidates():
            self._show_vote_error("Cochez ou ajoutez au moins une priorité à soumettre au vote.")
            return False
        try:
            scores = self.results()
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return False
        self._show_vote_error("")
        mode = "vote par points" if self.mode == POINTS else "classement (méthode de Borda)"
        voters = plural(len(self.participants), "participant ou groupe", "participants ou groupes")
        text = f"{mode[:1].upper()}{mode[1:]} · {voters}"
        if not self._has_votes():
            text += " · aucun vote saisi pour l'instant"
        self.results_summary.setText(text)
        self._current_scores = scores
        slide = next(s for s in self._slides if s.kind == "results")
        slide.rendered_at = 0.0  # the votes may have changed since last time
        return True

    def _vote_figure(self) -> Figure:
        unit = "points" if self.mode == POINTS else "points (méthode de Borda)"
        return vote_chart(self._current_scores, unit=unit)

    def save_priorities(self) -> list[int]:
        """Save the result as the project's priorities: create those not yet listed (from their
        constat, or free), store every score and order the priorities by score; record the
        session among the meetings if asked. Returns the ids of the priorities voted on, best
        first ([] after a refusal, explained in French)."""
        try:
            scores = self.results()
        except ValidationError as exc:
            show_message(self, SAVE_TITLE, exc.message)
            return []
        if not scores:
            show_message(self, SAVE_TITLE, "Aucune priorité n'est soumise au vote : rien n'a été enregistré.")
            return []
        if not self._has_votes():
            show_message(self, SAVE_TITLE, "Aucun vote n'a été saisi : rien n'a été enregistré.")
            return []
        ids = run_action(self, SAVE_TITLE, lambda: self._create_priorities(list(scores)))
        if ids is None:
            return []
        by_title = dict(zip(scores, ids, strict=True))
        try:
            rows = priorities_svc.apply_vote(
                self.ctx.uow(), self.project_id, {by_title[t]: s for t, s in scores.items()}, reorder=True
            )
        except DomainError as exc:
            self.ctx.notify(DataKind.PROJECT, self.project_id)
            show_message(
                self,
                SAVE_TITLE,
                "Les priorités ont été créées, mais leurs scores n'ont pas pu être enregistrés : "
                f"{exc.message} Revenez aux résultats et enregistrez de nouveau.",
            )
            return []
        voted = set(ids)
        self._saved_rows = [row for row in rows if row.id in voted]
        meeting_note = self._record_meeting()
        self.ctx.notify(DataKind.PROJECT, self.project_id)
        ordered = [row.id for row in self._saved_rows]
        self._show_done(meeting_note)
        self.saved.emit(ordered)
        return ordered

    def _create_priorities(self, titles: list[str]) -> list[int]:
        """Priorities for these candidates (created when the project has none of that title), in
        the candidates' order; one transaction per service call."""
        uow = self.ctx.uow
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow(), self.project_id)}
        candidates = [self._candidate_for_vote(title) for title in titles]
        # Created in the list's order (runs of constats in one call), so that equal scores keep it.
        run: list[int] = []
        for candidate in [*candidates, None]:
            if candidate is not None and plain_text(candidate.title) in existing:
                continue
            if candidate is not None and candidate.constat_id is not None:
                run.append(candidate.constat_id)
                continue
            if run:
                priorities_svc.add_priorities_from_constats(uow(), self.project_id, run)
                run = []
            if candidate is not None:
                existing[plain_text(candidate.title)] = priorities_svc.add_priority(
                    uow(), self.project_id, candidate.title, candidate.description
                )
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow(), self.project_id)}
        missing = [c.title for c in candidates if plain_text(c.title) not in existing]
        if missing:
            raise ValidationError(f"La priorité « {missing[0]} » n'a pas pu être créée : rien n'a été noté pour elle.")
        return [existing[plain_text(c.title)] for c in candidates]

    def _decisions_text(self) -> str:
        mode = "vote par points" if self.mode == POINTS else "classement, méthode de Borda"
        lines = [f"Priorités retenues par vote ({mode} ; {', '.join(self.participants)}) :"]
        lines += [
            f"{position}. {row.title} — {points_text(row.score or 0.0)}"
            for position, row in enumerate(self._saved_rows, start=1)
        ]
        return "\n".join(lines)

    def _record_meeting(self) -> str:
        kind = str(self.record_combo.currentData() or "")
        if not kind:
            return ""
        agenda = (
            f"Présentation du diagnostic ({plural(len(self.constats), 'constat')}, carte du territoire).\n"
            "Vote des priorités du projet de santé."
        )
        decisions = self._decisions_text()
        label = meetings_svc.MEETING_LABELS.get(kind, "Réunion")
        try:
            if self._meeting_id is None:
                self._meeting_id = meetings_svc.add_meeting(
                    self.ctx.uow(),
                    self.project_id,
                    kind=kind,
                    held_on=self.today,
                    title="Atelier de priorisation du projet de santé",
                    agenda=agenda,
                    decisions=decisions,
                )
            else:
                meetings_svc.update_meeting(self.ctx.uow(), self._meeting_id, kind=kind, decisions=decisions)
        except DomainError as exc:
            self._meeting_id = None
            return f"Les priorités sont enregistrées, mais la séance n'a pas pu être consignée : {exc.message}"
        return f"La séance est consignée dans les réunions du projet ({label.lower()} du {format_date(self.today)})."

    def _show_done(self, meeting_note: str) -> None:
        while self.done_rows.count():
            item = self.done_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for position, row in enumerate(self._saved_rows, start=1):
            line = QWidget()
            cells = QHBoxLayout(line)
            cells.setContentsMargins(0, 0, 0, 0)
            cells.setSpacing(16)
            rank = _label(f"{position}.", "rank", wrap=False)
            rank.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            rank.setMinimumWidth(round(36 * self._scale))
            title = _label(row.title, "body")
            score = _label(points_text(row.score or 0.0), "strong", wrap=False)
            score.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            cells.addWidget(rank, 0, Qt.AlignmentFlag.AlignTop)
            cells.addWidget(title, 1)
            cells.addWidget(score, 0, Qt.AlignmentFlag.AlignTop)
            self.done_rows.addWidget(line)
        note = "Elles sont reprises à l'étape 6, Projet de santé, dans cet ordre, avec leurs scores."
        self.done_note.setText(f"{note}\n{meeting_note}" if meeting_note else note)
        if self._done_slide not in self._slides:
            self._add_slide(self._done_slide)
        self._go(self._slides.index(self._done_slide))

    def saved_priorities(self) -> list[priorities_svc.PriorityRow]:
        """The priorities as saved by the last :meth:`save_priorities` (best first)."""
        return list(self._saved_rows)
