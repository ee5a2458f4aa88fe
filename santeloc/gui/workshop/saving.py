"""Workshop: saving the results (priorities, meeting record)."""

from __future__ import annotations

from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, plural
from santeloc.exports.workshop_charts import vote_chart
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
from santeloc.services.workshop import RANKS, VoteCandidate, WorkshopSession, save_workshop_vote


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
        candidates = [self._candidate_for_vote(title) for title in scores]
        session = None
        kind = str(self.record_combo.currentData() or "")
        if kind:
            session = WorkshopSession(
                kind=kind,
                held_on=self.today,
                mode=POINTS if self.mode == POINTS else RANKS,
                participants=tuple(self.participants),
                constats_shown=len(self.constats),
                meeting_id=self._meeting_id,
            )
        outcome = run_action(
            self,
            SAVE_TITLE,
            lambda: save_workshop_vote(
                self.ctx.uow(),
                self.project_id,
                [VoteCandidate(c.title, c.constat_id, c.description) for c in candidates],
                scores,
                session,
            ),
        )
        if outcome is None:
            return []
        self._saved_rows = list(outcome.rows)
        meeting_note = ""
        if outcome.meeting_id is not None:
            self._meeting_id = outcome.meeting_id
            label = meetings_svc.MEETING_LABELS.get(kind, "Réunion")
            meeting_note = (
                f"La séance est consignée dans les réunions du projet ({label.lower()} du {format_date(self.today)})."
            )
        ordered = [row.id for row in self._saved_rows]
        self._show_done(meeting_note)
        self.saved.emit(ordered)
        return ordered

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
