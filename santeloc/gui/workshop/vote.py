"""Workshop: the vote (candidates, participants, points or ranks, scores)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QListWidgetItem,
    QTableWidgetItem,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import plural
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.levers import plain_text
from santeloc.gui.ops import confirm
from santeloc.gui.workshop.common import (
    ERROR,
    MAX_CANDIDATE,
    MAX_PARTICIPANT,
    MUTED,
    POINTS,
    RANKS,
    Candidate,
    _clean,
    number_text,
)
from santeloc.gui.workshop.host import Host
from santeloc.services import health_project as priorities_svc


class VoteMixin(Host):
    """The vote: candidates, participants and their points or ranks."""

    def checked_candidates(self) -> list[str]:
        """Titles of the priorities submitted to the vote, in their order."""
        return [c.title for c in self.candidates if c.checked]

    def _find_candidate(self, title: str) -> Candidate | None:
        key = plain_text(title)
        return next((c for c in self.candidates if plain_text(c.title) == key), None)

    def add_candidate(self, title: str) -> None:
        """Add a priority proposed by the room (checked); French error if empty or already listed."""
        cleaned = _clean(title)
        if not cleaned:
            raise ValidationError("Donnez un intitulé à la priorité proposée.")
        if len(cleaned) > MAX_CANDIDATE:
            raise ValidationError(f"Intitulé trop long ({len(cleaned)} caractères, {MAX_CANDIDATE} au plus).")
        existing = self._find_candidate(cleaned)
        if existing is not None:
            if existing.checked:
                raise ValidationError(f"« {existing.title} » est déjà soumise au vote.")
            existing.checked = True
        else:
            self.candidates.append(Candidate(cleaned))
        self._fill_candidates()
        self._fill_table()

    def set_candidates(self, titles: list[str]) -> None:
        """Submit exactly these priorities to the vote, in this order: titles of constats keep
        their link to the constat, others are proposals of the room; the constats left out stay
        listed, unchecked."""
        chosen: list[Candidate] = []
        for title in titles:
            cleaned = _clean(title)
            if not cleaned:
                raise ValidationError("Donnez un intitulé à chaque priorité soumise au vote.")
            if any(plain_text(c.title) == plain_text(cleaned) for c in chosen):
                raise ValidationError(f"« {cleaned} » figure deux fois parmi les priorités soumises au vote.")
            candidate = self._find_candidate(cleaned) or Candidate(cleaned)
            candidate.checked = True
            chosen.append(candidate)
        rest = [c for c in self.candidates if all(c is not k for k in chosen)]
        for candidate in rest:
            candidate.checked = False
        self.candidates = chosen + [c for c in rest if c.constat_id is not None]
        self._fill_candidates()
        self._fill_table()

    def _fill_candidates(self) -> None:
        self._filling = True
        try:
            self.candidate_list.clear()
            number = 0
            for candidate in self.candidates:
                label = candidate.title if candidate.constat_id is not None else f"{candidate.title} (proposée)"
                if candidate.checked:
                    number += 1
                    label = f"{number}. {label}"
                item = QListWidgetItem(label)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(Qt.CheckState.Checked if candidate.checked else Qt.CheckState.Unchecked)
                if not candidate.checked:
                    item.setForeground(QColor(MUTED))
                self.candidate_list.addItem(item)
        finally:
            self._filling = False
        self.candidate_list.fit_items()

    def _on_candidate_checked(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self.candidate_list.row(item)
        checked = item.checkState() == Qt.CheckState.Checked
        if 0 <= row < len(self.candidates) and self.candidates[row].checked != checked:
            self.candidates[row].checked = checked
            self._fill_candidates()  # renumbers
            self._fill_table()

    def _add_candidate_from_edit(self) -> None:
        try:
            self.add_candidate(self.candidate_edit.text())
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return
        self.candidate_edit.clear()
        self._show_vote_error("")

    def add_participant(self, name: str) -> str:
        """Add a participant or a group (a row of the table); French error if empty or twice."""
        cleaned = _clean(name)
        if not cleaned:
            raise ValidationError("Donnez le nom du participant ou du groupe.")
        if len(cleaned) > MAX_PARTICIPANT:
            raise ValidationError(f"Nom trop long ({len(cleaned)} caractères, {MAX_PARTICIPANT} au plus).")
        if any(p.casefold() == cleaned.casefold() for p in self.participants):
            raise ValidationError(f"« {cleaned} » participe déjà au vote : donnez un autre nom (ou un numéro).")
        self.participants.append(cleaned)
        self._fill_table()
        return cleaned

    def remove_participant(self, name: str) -> None:
        """Remove a participant and their votes."""
        self.participants = [p for p in self.participants if p != name]
        self._points = {k: v for k, v in self._points.items() if k[0] != name}
        self._ranks = {k: v for k, v in self._ranks.items() if k[0] != name}
        self._fill_table()

    def _participant(self, name: str) -> str:
        cleaned = _clean(name)
        existing = next((p for p in self.participants if p.casefold() == cleaned.casefold()), None)
        return existing if existing is not None else self.add_participant(cleaned)

    def _candidate_for_vote(self, title: str) -> Candidate:
        candidate = self._find_candidate(title)
        if candidate is None or not candidate.checked:
            raise ValidationError(f"« {_clean(title)} » ne fait pas partie des priorités soumises au vote.")
        return candidate

    def _ensure_mode(self, mode: str) -> None:
        if self.mode == mode:
            return
        if self._points or self._ranks:
            raise ValidationError(
                "Le vote a commencé dans l'autre mode : changez de mode (les votes saisis seront effacés) "
                "avant de saisir des " + ("points." if mode == POINTS else "rangs.")
            )
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        """Vote by points (``"points"``) or by ranks (``"rangs"``, Borda count); clears the votes."""
        if mode not in (POINTS, RANKS):
            raise ValueError(f"unknown vote mode: {mode}")
        self.mode = mode
        self._points.clear()
        self._ranks.clear()
        radio = self.points_radio if mode == POINTS else self.ranks_radio
        radio.blockSignals(True)
        radio.setChecked(True)
        radio.blockSignals(False)
        self._fill_table()

    def set_points(self, participant: str, candidate_title: str, points: float) -> None:
        """Record the points a participant (or group) gives a candidate (0 or empty: none)."""
        self._ensure_mode(POINTS)
        candidate = self._candidate_for_vote(candidate_title)
        if points < 0:
            raise ValidationError(f"Des points négatifs ({number_text(points)}) ne sont pas permis.")
        name = self._participant(participant)
        if points:
            self._points[(name, candidate.title)] = float(points)
        else:
            self._points.pop((name, candidate.title), None)
        self._fill_table()

    def set_rank(self, participant: str, candidate_title: str, rank: int | None) -> None:
        """Record the rank a participant (or group) gives a candidate (1 = most important; None
        removes it)."""
        self._ensure_mode(RANKS)
        candidate = self._candidate_for_vote(candidate_title)
        count = len(self.checked_candidates())
        if rank is not None and (int(rank) != rank or not 1 <= rank <= count):
            raise ValidationError(f"Le rang doit être un nombre entier de 1 à {count} (reçu : {rank}).")
        name = self._participant(participant)
        if rank is None:
            self._ranks.pop((name, candidate.title), None)
        else:
            self._ranks[(name, candidate.title)] = int(rank)
        self._fill_table()

    def _has_votes(self) -> bool:
        titles = set(self.checked_candidates())
        store: dict[tuple[str, str], float] | dict[tuple[str, str], int] = (
            self._points if self.mode == POINTS else self._ranks
        )
        return any(title in titles for (_p, title) in store)

    def _scores(self, *, strict: bool) -> dict[str, float]:
        titles = self.checked_candidates()
        index = {title: i for i, title in enumerate(titles)}
        if self.mode == POINTS:
            ballots = [
                {index[t]: v for (p, t), v in self._points.items() if p == participant and t in index}
                for participant in self.participants
            ]
            raw = priorities_svc.tally_points(ballots)
        else:
            rankings: list[list[int]] = []
            for participant in self.participants:
                given = sorted((r, index[t]) for (p, t), r in self._ranks.items() if p == participant and t in index)
                ranks = [r for r, _i in given]
                if strict:
                    twice = next((r for r in ranks if ranks.count(r) > 1), None)
                    if twice is not None:
                        raise ValidationError(
                            f"« {participant} » a donné le rang {twice} à plusieurs priorités : corrigez son classement."
                        )
                rankings.append([i for _r, i in given])
            raw = priorities_svc.tally_ranks(rankings, list(range(len(titles))))
        scores = {title: float(raw.get(i, 0.0)) for title, i in index.items()}
        return dict(sorted(scores.items(), key=lambda item: -item[1]))

    def results(self) -> dict[str, float]:
        """Score of each priority submitted to the vote, best first (ties keep the list's order).

        Points are summed; ranks give Borda points (among n priorities, rank 1 earns n…).
        Raises :class:`ValidationError` when a participant gave the same rank twice.
        """
        return self._scores(strict=True)

    def _fill_table(self) -> None:
        """Participants (or groups) in rows, the priorities by their number in columns, totals below."""
        titles = self.checked_candidates()
        self._filling = True
        try:
            self.table.clear()
            self.table.setRowCount(len(self.participants) + 1)
            self.table.setColumnCount(len(titles))
            self.table.setVerticalHeaderLabels([*self.participants, "Total"])
            for column, title in enumerate(titles):
                header = QTableWidgetItem(str(column + 1))
                header.setToolTip(title)
                self.table.setHorizontalHeaderItem(column, header)
            totals = self._scores(strict=False) if titles else {}
            duplicated = self._duplicated_ranks()
            for column, title in enumerate(titles):
                for row, participant in enumerate(self.participants):
                    key = (participant, title)
                    if self.mode == POINTS:
                        text = number_text(self._points[key]) if key in self._points else ""
                    else:
                        text = str(self._ranks[key]) if key in self._ranks else ""
                    cell = QTableWidgetItem(text)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    cell.setToolTip(f"{participant} — {title}")
                    if key in duplicated:
                        cell.setForeground(QColor(ERROR))
                        cell.setBackground(QColor("#f6dcd9"))
                    self.table.setItem(row, column, cell)
                total = QTableWidgetItem(number_text(totals.get(title, 0.0)))
                total.setFlags(Qt.ItemFlag.ItemIsEnabled)
                total.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                total.setBackground(QColor("#e8efec"))
                font = total.font()
                font.setBold(True)
                total.setFont(font)
                self.table.setItem(len(self.participants), column, total)
            self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        finally:
            self._filling = False
        self._update_mode_hint(duplicated)

    def _duplicated_ranks(self) -> set[tuple[str, str]]:
        if self.mode != RANKS:
            return set()
        titles = set(self.checked_candidates())
        seen: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for (participant, title), rank in self._ranks.items():
            if title in titles:
                seen.setdefault((participant, rank), []).append((participant, title))
        return {key for keys in seen.values() if len(keys) > 1 for key in keys}

    def _update_mode_hint(self, duplicated: set[tuple[str, str]]) -> None:
        count = len(self.checked_candidates())
        if self.mode == POINTS:
            text = "Chaque participant ou groupe répartit ses points entre les priorités ; les points sont additionnés."
        else:
            text = (
                f"Chaque participant ou groupe classe les priorités de 1 (la plus importante) à {count} ; "
                f"le rang 1 rapporte {plural(count, 'point')}, le rang 2 un de moins… (méthode de Borda)."
            )
        if not self.participants:
            text = "Ajoutez les participants ou les groupes, un par ligne. " + text
        self.mode_hint.setText(text)
        if duplicated:
            names = sorted({participant for participant, _title in duplicated})
            self._show_vote_error(f"Même rang donné deux fois par : {', '.join(names)}.")
        elif self.vote_error.text().startswith("Même rang"):
            self._show_vote_error("")

    def _show_vote_error(self, text: str) -> None:
        self.vote_error.setText(text)
        self.vote_error.setVisible(bool(text))

    def _on_cell_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, column = item.row(), item.column()
        titles = self.checked_candidates()
        if not (0 <= row < len(self.participants) and 0 <= column < len(titles)):
            return
        participant, title = self.participants[row], titles[column]
        text = item.text().strip()
        try:
            if self.mode == POINTS:
                value = parse_french_number(text) if text else None
                self.set_points(participant, title, value or 0.0)
            else:
                number = parse_french_number(text) if text else None
                if number is not None and not float(number).is_integer():
                    raise ValidationError(f"Le rang doit être un nombre entier (reçu : {text}).")
                self.set_rank(participant, title, int(number) if number is not None else None)
        except ValidationError as exc:
            self._fill_table()
            self._show_vote_error(exc.message)
            return
        if not self.vote_error.text().startswith("Même rang"):
            self._show_vote_error("")

    def _add_participant_from_edit(self) -> None:
        try:
            self.add_participant(self.participant_edit.text())
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return
        self.participant_edit.clear()
        self._show_vote_error("")

    def _remove_current_participant(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.participants):
            self._show_vote_error("Choisissez d'abord une case de la ligne du participant à retirer.")
            return
        name = self.participants[row]
        confirm(
            self,
            "Retirer un participant",
            f"Retirer « {name} » du vote ? Ses votes seront effacés.",
            "Retirer",
            lambda: self.remove_participant(name),
        )

    def _on_mode_toggled(self, _checked: bool) -> None:
        wanted = POINTS if self.points_radio.isChecked() else RANKS
        if wanted == self.mode:
            return
        if not (self._points or self._ranks):
            self.set_mode(wanted)
            return
        # Put the radio back until the facilitator confirms: the votes typed would be lost.
        previous = self.points_radio if self.mode == POINTS else self.ranks_radio
        previous.blockSignals(True)
        previous.setChecked(True)
        previous.blockSignals(False)
        label = "par points" if wanted == POINTS else "par classement"
        confirm(
            self,
            "Changer de mode de vote",
            f"Passer au vote {label} efface les votes déjà saisis. Continuer ?",
            "Changer et effacer",
            lambda: self.set_mode(wanted),
        )
